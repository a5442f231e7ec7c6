"""Boundary Journal at scale: how fast and how big it is with years of entries, against an empty PySide6 window
and against jrnl on the same entries (issue 7).

    python benchmarks/run.py                       # 1,000, 20,000 and 100,000 entries, 5 runs each
    python benchmarks/run.py --sizes 20000 --runs 3 --out results.json
    python benchmarks/run.py --quick --sizes 50 --no-jrnl   # a smoke run of every measurement

For each size a sample journal is made (`boundary-journal demo`'s code, seed 1, production key derivation)
in a temporary folder. Window starts and peak memory are measured in fresh processes (benchmarks/
window_probe.py, Qt's offscreen platform); unlock, search, add, open and PDF in this process, after one
untimed warm-up call; the command lines of both programs as whole processes, with the passphrase on
standard input. jrnl is installed by pip into benchmarks/.venv-jrnl on first use (or give --jrnl PATH).
It prints one table and writes the same rows as JSON (benchmarks/results.json by default).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from boundary_journal.catalog import Catalog, shipped_catalog  # noqa: E402
from boundary_journal.services import demo, entries, exports, relationships  # noqa: E402
from boundary_journal.store import keys  # noqa: E402
from boundary_journal.store.journal import Journal  # noqa: E402
from boundary_journal.store.paths import journal_path  # noqa: E402
from boundary_journal.store.storage import create_journal, open_with_key  # noqa: E402

PASSPHRASE = "benchmark passphrase, not a secret"
SEED = 1
DEFAULT_SIZES = (1_000, 20_000, 100_000)
PROBE = HERE / "window_probe.py"
JRNL_VENV = HERE / ".venv-jrnl"
# Words and phrases of the sample vocabulary, common to rare, and one found nowhere; two pseudonyms are added.
QUERIES = (
    "phone", "gift", "supervision", "portal", "night", "corridor", "chocolates", "emergencies", "housing", "sleep",
    "declined redirected", "after-hours", "safety plan", "anniversary loss", "pharmacy queue", "crisis line",
    "weekend", "attachment", "prescription", "zanzibar",
)
CLI_SEARCH_WORD = "chocolates"
ADD_TEXT = "Asked about my weekend plans at the end of the session; redirected to the treatment goals."
PDF_ENTRIES = 365  # the "one year": an entry a day


@dataclass
class Row:
    size: int
    measure: str
    median: float | None
    low: float | None
    high: float | None
    runs: int
    unit: str = "s"  # s, MiB or x (a ratio)
    target: str = ""
    passed: bool | None = None
    p95: float | None = None


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.rows: list[Row] = []
        self.catalog: Catalog = shipped_catalog()
        self.jrnl: Path | None = None

    # -- helpers ------------------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    def add(self, size: int, measure: str, values: Sequence[float], *, unit: str = "s", target: str = "",
            check: Callable[[float], bool] | None = None, p95: float | None = None) -> Row:
        median = statistics.median(values) if values else None
        row = Row(size, measure, median, min(values, default=None), max(values, default=None), len(values), unit,
                  target, check(median) if check and median is not None else None, p95)
        self.rows.append(row)
        return row

    def timed(self, action: Callable[[], object], runs: int, *, warm_up: bool = True) -> list[float]:
        if warm_up:
            action()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            action()
            times.append(time.perf_counter() - started)
        return times

    # -- one size -----------------------------------------------------------------------------------------

    def size(self, count: int) -> None:
        runs = self.args.runs
        folder = self.work / f"journal-{count}"
        folder.mkdir()
        path = journal_path(folder)
        self.say(f"{count:,} entries: making the sample journal")
        started = time.perf_counter()
        journal = create_journal(path, PASSPHRASE)  # production key derivation, as a real journal has
        try:
            demo.fill_sample_journal(journal, self.catalog, entries=count, seed=SEED)
        finally:
            journal.close()
        self.add(count, "sample journal made (demo)", [time.perf_counter() - started])

        self.windows(count, folder, runs)
        journal = self.unlock(count, path, runs)
        try:
            self.search(count, journal, runs)
            self.pdf(count, journal, folder)
            self.open_and_add(count, journal, runs)
            views = entries.list_entries(journal) if self.jrnl else []
        finally:
            journal.close()
        self.command_lines(count, folder, views, runs)

    def windows(self, count: int, folder: Path, runs: int) -> None:
        self.say(f"{count:,}: window starts and memory ({runs} runs each)")
        empty, main, main_kdf, unlock, empty_rss, main_rss, main_rss_kdf = [], [], [], [], [], [], []
        key = keys.unlock(keys.read_key_file(keys.key_path_for(journal_path(folder))), PASSPHRASE)
        for _ in range(runs):  # interleaved, so a busy moment on the machine hits both alike
            result, elapsed = self.probe(["empty"])
            empty.append(elapsed)
            empty_rss.append(result["max_rss_kib"] / 1024)
            result, elapsed = self.probe(["main", str(folder), "--passphrase-stdin"], PASSPHRASE)
            main.append(elapsed - result["kdf"])
            main_kdf.append(elapsed)
            main_rss_kdf.append(result["max_rss_kib"] / 1024)
            result, elapsed = self.probe(["main", str(folder), "--key-stdin"], key.hex())
            main_rss.append(result["max_rss_kib"] / 1024)
            if result["rows"] == 0 and count:
                raise SystemExit("the journal window showed an empty list")
            _result, elapsed = self.probe(["unlock", str(folder)])
            unlock.append(elapsed)
        floor = statistics.median(empty)
        self.add(count, "window shown: empty PySide6 window", empty)
        # The app's first window asks for the passphrase; the journal window follows the key derivation,
        # which the "unlock to list populated" rows measure in-process.
        self.add(count, "window shown: the app's first window (unlock)", unlock,
                 target=f"<= 2x empty ({2 * floor:.2f} s)", check=lambda m: m <= 2 * floor)
        self.add(count, "window shown: journal window in a new process, excl. KDF", main)
        self.add(count, "window shown: journal window in a new process, incl. KDF", main_kdf)
        rss_floor = statistics.median(empty_rss)
        self.add(count, "peak memory: empty PySide6 window", empty_rss, unit="MiB")
        self.add(count, "peak memory: list open (key handed in)", main_rss, unit="MiB",
                 target=f"<= 2x empty ({2 * rss_floor:.0f} MiB)", check=lambda m: m <= 2 * rss_floor)
        self.add(count, "peak memory: list open, incl. KDF", main_rss_kdf, unit="MiB")

    def probe(self, argv: list[str], stdin: str | None = None) -> tuple[dict[str, float], float]:
        started = time.time()
        done = subprocess.run(
            [sys.executable, str(PROBE), *argv], input=(stdin + "\n") if stdin is not None else None,
            capture_output=True, text=True, timeout=600, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        if done.returncode != 0:
            raise SystemExit(f"window probe {argv[0]} failed:\n{done.stderr}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        return result, result["shown"] - started

    def unlock(self, count: int, path: Path, runs: int) -> Journal:
        """Unlock to the entry list populated, in this process: the key derivation, then the rest apart."""
        from PySide6.QtCore import QEvent, QObject

        from ui.app import application
        from ui.clock import Clock
        from ui.main_window import MainWindow

        self.say(f"{count:,}: unlock to list populated ({runs} runs)")
        app = application()
        kdf, rest = [], []
        painted: list[bool] = []

        class Painted(QObject):
            def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    painted.append(True)
                return False

        watcher = Painted()
        for _ in range(runs):
            started = time.perf_counter()
            key = keys.unlock(keys.read_key_file(keys.key_path_for(path)), PASSPHRASE)
            derived = time.perf_counter()
            journal = open_with_key(path, key)
            window = MainWindow(journal, self.catalog, clock=Clock())
            window.installEventFilter(watcher)
            painted.clear()
            window.show()
            deadline = time.perf_counter() + 120
            while not painted and time.perf_counter() < deadline:
                app.processEvents()
            finished = time.perf_counter()
            if window.entry_list.model.rowCount() == 0 and count:
                raise SystemExit("the list is empty after unlocking")
            window.close()
            window.deleteLater()
            app.processEvents()
            journal.close()
            kdf.append(derived - started)
            rest.append(finished - derived)
        self.add(count, "key derivation (Argon2id, production)", kdf)
        self.add(count, "unlock to list populated, excl. KDF", rest, target="< 0.5 s", check=lambda m: m < 0.5)
        return open_with_key(path, key)

    def search(self, count: int, journal: Journal, runs: int) -> None:
        names = [r.pseudonym for r in relationships.list_relationships(journal)]
        queries = [*QUERIES, names[0], names[len(names) // 2]]
        if self.args.quick:
            queries = queries[:6]
        self.say(f"{count:,}: search, {len(queries)} queries x {runs} runs")
        # What the window runs for the list (matching lines, text fetched for the rows on screen) ...
        per_query = [statistics.median(self.timed(lambda q=q: entries.list_rows(journal, query=q), runs))
                     for q in queries]
        p95 = percentile(per_query, 95)
        self.add(count, "search, the list's rows (entries.list_rows), median", per_query, target="< 20 ms",
                 check=lambda m: m < 0.020, p95=p95)
        self.add(count, "search, the list's rows, 95th percentile", [p95], target="< 50 ms",
                 check=lambda m: m < 0.050)
        # ... and what the CLI runs: every matching entry whole.
        whole = [statistics.median(self.timed(lambda q=q: entries.search_entries(journal, q), runs))
                 for q in queries]
        self.add(count, "search, whole entries (entries.search_entries), median", whole, p95=percentile(whole, 95))
        self.add(count, "search, whole entries, 95th percentile", [percentile(whole, 95)])

    def open_and_add(self, count: int, journal: Journal, runs: int) -> None:
        self.say(f"{count:,}: open and add entries")
        chooser = random.Random(SEED)
        ids = [chooser.randint(1, count) for _ in range(max(10, runs * 4))]
        it = iter(ids)
        self.add(count, "open one entry (entries.get_entry)", self.timed(lambda: entries.get_entry(journal, next(it)),
                                                                         len(ids) - 1))
        draft = entries.EntryDraft(
            template="personal_question", relationship="Client Z9", occurred=datetime.now().replace(second=0),
            fields={"what_happened": ADD_TEXT, "documentation_note": "Question acknowledged; redirected."},
            tags=("benchmark",),
        )
        adds = self.timed(lambda: entries.add_entry(journal, self.catalog, draft), max(10, runs * 4))
        self.add(count, "add one entry, committed (entries.add_entry)", adds, target="< 20 ms",
                 check=lambda m: m < 0.020)

    def pdf(self, count: int, journal: Journal, folder: Path) -> None:
        from boundary_journal import report

        newest = entries.list_entries(journal, entries.EntryFilter(limit=PDF_ENTRIES))
        date_from, date_to = newest[-1].occurred.date(), newest[0].occurred.date()
        shown = len(entries.list_entries(journal, entries.EntryFilter(date_from=date_from, date_to=date_to)))
        runs = 1 if self.args.quick else min(3, self.args.runs)
        self.say(f"{count:,}: PDF of {shown} entries ({date_from} to {date_to}), {runs} runs")
        out = folder / "year.pdf"

        def export() -> None:
            packet = exports.gather_supervision(journal, self.catalog, date_from=date_from, date_to=date_to,
                                                all_entries=True, made=datetime(2026, 11, 1, 9, 0))
            report.write_supervision_pdf(out, packet, self.catalog)

        # The first run is cold (ReportLab imported, fonts registered), as the first export after a start is.
        times = self.timed(export, runs, warm_up=False)
        self.add(count, f"PDF of a year ({shown} entries, all shown)", times, target="< 3 s", check=lambda m: m < 3)

    # -- whole processes ----------------------------------------------------------------------------------

    def command_lines(self, count: int, folder: Path, views: Sequence[entries.EntryView], runs: int) -> None:
        self.say(f"{count:,}: command lines ({runs} runs each)")
        ours = _our_command()
        base = [*ours, "--data-dir", str(folder), "--passphrase-file", "-"]
        search = self.whole([*base, "search", CLI_SEARCH_WORD], runs)
        add_args = ["add", "--template", "personal_question", "--relationship", "Client Z9",
                    "--field", f"what_happened={ADD_TEXT}", "--field", "documentation_note=Redirected to goals."]
        add = self.whole(base + add_args, runs)
        self.add(count, f"CLI search '{CLI_SEARCH_WORD}', whole process", search)
        self.add(count, "CLI add, whole process", add)
        if self.jrnl is None:
            return
        config = self.jrnl_journal(count, folder, views)
        jrnl = [str(self.jrnl), "--config-file", str(config)]
        jrnl_search = self.whole([*jrnl, "-contains", CLI_SEARCH_WORD], runs, env=self.jrnl_env(folder))
        jrnl_add = self.whole([*jrnl, f"Client Z9: {ADD_TEXT}"], runs, env=self.jrnl_env(folder))
        self.add(count, f"jrnl -contains '{CLI_SEARCH_WORD}', encrypted", jrnl_search)
        self.add(count, "jrnl add, encrypted", jrnl_add)
        factor = 10 if count >= 100_000 else 3 if count >= 20_000 else None
        for what, theirs, mine in (("search", jrnl_search, search), ("add", jrnl_add, add)):
            # The median of jrnl's times over the median of ours; the spread pairs their slowest with our fastest.
            ratio = statistics.median(theirs) / statistics.median(mine)
            self.rows.append(Row(
                count, f"CLI {what}: times faster than jrnl", ratio, min(theirs) / max(mine), max(theirs) / min(mine),
                len(mine), "x", f">= {factor}x" if factor else "", ratio >= factor if factor else None,
            ))

    def whole(self, argv: list[str], runs: int, *, env: dict[str, str] | None = None) -> list[float]:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            done = subprocess.run(argv, input=PASSPHRASE + "\n", stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, timeout=1800, env=env)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(f"{' '.join(argv[:3])} … failed ({done.returncode}):\n{done.stderr[-2000:]}")
        return times

    def jrnl_env(self, folder: Path) -> dict[str, str]:
        home = folder / "jrnl-home"
        home.mkdir(exist_ok=True)
        # No keyring: jrnl then asks for the password, which it reads from standard input without a terminal.
        return {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
                "XDG_DATA_HOME": str(home / ".local/share"), "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}

    def jrnl_journal(self, count: int, folder: Path, views: Sequence[entries.EntryView]) -> Path:
        """The same entries as a jrnl journal, encrypted by jrnl's own --encrypt."""
        self.say(f"{count:,}: writing and encrypting the jrnl journal")
        text_file = folder / "jrnl.txt"
        with text_file.open("w", encoding="utf-8") as out:
            for view in reversed(views):  # oldest first, as jrnl writes them
                out.write(jrnl_entry(view))
        config = folder / "jrnl.yaml"
        config.write_text(JRNL_CONFIG.format(journal=json.dumps(str(text_file))), encoding="utf-8")
        done = subprocess.run([str(self.jrnl), "--config-file", str(config), "--encrypt"],
                              input=f"{PASSPHRASE}\n{PASSPHRASE}\nn\n", capture_output=True, text=True,
                              timeout=1800, env=self.jrnl_env(folder))
        if done.returncode != 0 or not text_file.read_bytes().startswith(b"JRNL"):
            raise SystemExit(f"jrnl --encrypt failed:\n{done.stderr[-2000:]}")
        return config


JRNL_CONFIG = """\
colors:
  body: none
  date: none
  tags: none
  title: none
default_hour: 9
default_minute: 0
editor: ''
encrypt: true
highlight: false
indent_character: '|'
journals:
  default:
    journal: {journal}
    encrypt: false
linewrap: 79
tagsymbols: '#@'
template: false
timeformat: '%F %r'
version: v4.6
"""


def jrnl_entry(view: entries.EntryView) -> str:
    """One entry in jrnl's plain-text format: [date] title, then the body, then a blank line."""
    first, _, rest = view.fields.get("what_happened", "").partition(". ")
    body = [rest, *(text for key, text in view.fields.items() if key != "what_happened")]
    tags = " ".join(f"@{tag}" for tag in view.tags)
    lines = "\n".join(" ".join(part.split()) for part in (*body, tags) if part.strip())
    return f"[{view.occurred:%Y-%m-%d %I:%M:%S %p}] {view.relationship}: {first}.\n{lines}\n\n"


def _our_command() -> list[str]:
    script = Path(sys.executable).with_name("boundary-journal")
    return [str(script)] if script.exists() else [sys.executable, "-m", "boundary_journal"]


def percentile(values: Sequence[float], percent: float) -> float:
    """Linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * percent / 100
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def ensure_jrnl(given: str | None) -> Path:
    if given:
        return Path(given)
    scripts = "Scripts" if os.name == "nt" else "bin"
    jrnl = JRNL_VENV / scripts / ("jrnl.exe" if os.name == "nt" else "jrnl")
    if not jrnl.exists():
        print(f"Installing jrnl into {JRNL_VENV} (once)…", file=sys.stderr, flush=True)
        venv.create(JRNL_VENV, with_pip=True, clear=True)
        pip = JRNL_VENV / scripts / "pip"
        subprocess.run([str(pip), "install", "--quiet", "jrnl"], check=True)
    return jrnl


# -- the table ----------------------------------------------------------------------------------------------


def shown(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    if unit == "x":
        return f"{value:.1f}x"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def table(rows: Sequence[Row]) -> str:
    head = ("entries", "measure", "median", "spread (min – max)", "n", "target", "result")
    lines = [head]
    for row in rows:
        spread = "" if row.runs < 2 else f"{shown(row.low, row.unit)} – {shown(row.high, row.unit)}"
        result = "" if row.passed is None else "pass" if row.passed else "MISS"
        lines.append((f"{row.size:,}", row.measure, shown(row.median, row.unit), spread, str(row.runs),
                      row.target, result))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for index, line in enumerate(lines):
        out.append("  ".join(cell.ljust(width) if i in (0, 1, 3, 5) else cell.rjust(width)
                             for i, (cell, width) in enumerate(zip(line, widths, strict=True))).rstrip())
        if index == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def machine() -> dict[str, object]:
    from PySide6 import __version__ as pyside

    return {"python": platform.python_version(), "system": platform.platform(), "cpus": os.cpu_count(),
            "pyside6": pyside, "kdf": keys.DEFAULT_KDF.to_json()}


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated entry counts (default 1000,20000,100000; --quick: 1000)")
    parser.add_argument("--runs", type=int, help="runs per measurement (default 5; --quick: 2)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: fewer runs, queries and PDF exports")
    parser.add_argument("--no-jrnl", action="store_true", help="skip the jrnl comparison (and its install)")
    parser.add_argument("--jrnl", metavar="PATH", help="a jrnl executable to use instead of installing one")
    parser.add_argument("--out", type=Path, default=HERE / "results.json", help="where to write the JSON")
    parser.add_argument("--work", type=Path, help="folder for the journals (default: a temporary one, removed)")
    args = parser.parse_args(argv)
    sizes = args.sizes or ("1000" if args.quick else ",".join(str(s) for s in DEFAULT_SIZES))
    try:
        args.sizes = [int(s.replace("_", "")) for s in sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes takes whole numbers separated by commas, not '{sizes}'")
    if not args.sizes or any(not demo.MIN_ENTRIES <= s <= demo.MAX_ENTRIES for s in args.sizes):
        parser.error(f"each size must be from {demo.MIN_ENTRIES} to {demo.MAX_ENTRIES}")
    args.runs = args.runs or (2 if args.quick else 5)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    started = time.perf_counter()
    # Byte-compiled, as pip leaves an installed package (an editable install, or PYTHONDONTWRITEBYTECODE,
    # would otherwise have every timed process compile the app's modules afresh).
    for package in ("boundary_journal", "ui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    work = Path(tempfile.mkdtemp(prefix="bj-bench-", dir=args.work))
    bench = Bench(args, work)
    try:
        if not args.no_jrnl:
            bench.jrnl = ensure_jrnl(args.jrnl)
        for size in args.sizes:
            bench.size(size)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    took = time.perf_counter() - started
    print(table(bench.rows))
    print(f"\n{len(args.sizes)} size(s), {args.runs} runs each, in {took:.0f} s; "
          "window starts from process start to first paint, offscreen.")
    result = {"made": date.today().isoformat(), "seconds": round(took, 1), "runs": args.runs, "sizes": args.sizes,
              "machine": machine(), "rows": [asdict(row) for row in bench.rows]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
