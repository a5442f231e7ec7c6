"""The installed command line, run in a subprocess against a temporary data folder."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlcipher3

from boundary_journal.catalog import shipped_catalog
from boundary_journal.services import entries
from boundary_journal.services.relationships import get_or_create_relationship
from boundary_journal.store import keys
from boundary_journal.store.storage import open_journal

pytestmark = pytest.mark.e2e

PASSPHRASE = "a long and private passphrase"
SECRET_WORDS = ["Zanzibarian", "pomegranate", "Ωμέγαλέξη", "Привеtслово", "quixotically"]
ROOT = Path(__file__).resolve().parents[2]


def installed_command() -> list[str]:
    script = Path(sys.executable).with_name("boundary-journal")
    if not script.exists():
        found = shutil.which("boundary-journal")
        if found is None:
            pytest.fail("the boundary-journal command is not installed; run pip install -e '.[test]'")
        script = Path(found)
    return [str(script)]


class CLI:
    def __init__(self, tmp_path: Path) -> None:
        self.data = tmp_path / "data"
        self.passphrase_file = tmp_path / "passphrase.txt"
        self.passphrase_file.write_text(PASSPHRASE + "\n", encoding="utf-8")
        self.env = {**os.environ, "BOUNDARY_JOURNAL_HOME": str(tmp_path / "unused-home")}

    def run(self, *args: str, passphrase: Path | str | None = None, stdin: str | None = None,
            command: list[str] | None = None) -> subprocess.CompletedProcess[str]:
        pass_args = ["--passphrase-file", str(passphrase or self.passphrase_file)]
        result = subprocess.run(
            [*(command or installed_command()), "--data-dir", str(self.data), *pass_args, *args],
            capture_output=True, text=True, input=stdin, env=self.env, timeout=120, cwd=ROOT,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def ok(self, *args: str, **kwargs) -> str:
        result = self.run(*args, **kwargs)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def fails(self, code: int, *args: str, **kwargs) -> str:
        result = self.run(*args, **kwargs)
        assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        return lines[0]

    @property
    def journal(self) -> Path:
        return self.data / "journal.db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TestJournalRoundTrip:
    """init, add and search find the entry; nothing readable lands on disk."""

    @pytest.mark.slow
    def test_add_then_search(self, ready: CLI) -> None:
        note = " ".join(SECRET_WORDS)
        entry_id = ready.ok(
            "add", "--template", "late_night_text", "--relationship", "Client K",
            "--occurred", "2026-03-02T23:15", "--field", f"what_happened=Text at night: {note}",
            "--field", "documentation_note=Patient texted personal line; redirected once to portal.",
            "--tag", "night", "--supervision",
        ).strip()
        assert entry_id.isdigit()
        found = json.loads(ready.ok("search", "pomegranate", "--json"))
        assert [e["id"] for e in found] == [int(entry_id)]
        entry = found[0]
        assert {"id", "occurred", "relationship", "category", "channel", "template", "fields", "tags",
                "supervision"} <= entry.keys()
        assert entry["occurred"] == "2026-03-02T23:15"
        assert entry["channel"] == "text_message" and entry["category"] == "messaging"
        assert entry["tags"] == ["night"] and entry["supervision"] is True
        assert note in entry["fields"]["what_happened"]
        assert json.loads(ready.ok("search", "no-such-word-here", "--json")) == []

        for path in ready.data.rglob("*"):
            if path.is_file():
                content = path.read_bytes()
                for word in [*SECRET_WORDS, "Client K", "redirected"]:
                    for encoding in ("utf-8", "utf-16-le"):
                        assert word.encode(encoding) not in content, (path, word)

        # The journal key, unwrapped from the key file with the passphrase, reads the text back.
        key = keys.unlock(keys.read_key_file(keys.key_path_for(ready.journal)), PASSPHRASE)
        conn = sqlcipher3.connect(str(ready.journal))
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        stored = conn.execute("SELECT fields FROM entries").fetchone()[0]
        conn.close()
        assert "pomegranate" in stored

    @pytest.mark.slow
    def test_passphrase_from_stdin_and_home_from_environment(self, cli: CLI) -> None:
        cli.env["BOUNDARY_JOURNAL_HOME"] = str(cli.data)
        script = installed_command()
        init = subprocess.run([*script, "--passphrase-file", "-", "init"], input=PASSPHRASE + "\n",
                              capture_output=True, text=True, env=cli.env, timeout=120)
        assert init.returncode == 0, init.stderr
        assert cli.journal.exists()
        listed = subprocess.run([*script, "--passphrase-file", "-", "list", "--json"], input=PASSPHRASE,
                                capture_output=True, text=True, env=cli.env, timeout=120)
        assert (listed.returncode, json.loads(listed.stdout)) == (0, [])

    @pytest.mark.slow
    def test_list_filters_and_text_output(self, ready: CLI) -> None:
        for pseudonym, template in (("Client K", "gift_offered"), ("Bed 4", "social_media_request")):
            ready.ok("add", "--template", template, "--relationship", pseudonym, "--occurred", "2026-02-01",
                     "--field", "what_happened=something happened", "--field", "documentation_note=noted")
        everything = json.loads(ready.ok("list", "--json"))
        assert len(everything) == 2
        only = json.loads(ready.ok("list", "--json", "--relationship", "bed 4"))
        assert [e["relationship"] for e in only] == ["Bed 4"]
        assert "Client K" in ready.ok("list")
        assert json.loads(ready.ok("list", "--json", "--from", "2026-03-01")) == []

    @pytest.mark.slow
    def test_main_py_is_the_same_program(self, ready: CLI) -> None:
        out = ready.ok("list", "--json", command=[sys.executable, str(ROOT / "main.py")])
        assert json.loads(out) == []

    @pytest.mark.slow
    def test_check(self, ready: CLI) -> None:
        assert "passes its integrity checks" in ready.ok("check")


class TestRefusals:
    """Bad input and wrong passphrases: one line on stderr, the right exit status, no damage."""

    @pytest.mark.slow
    def test_wrong_passphrase_exits_3_and_changes_nothing(self, ready: CLI, tmp_path: Path) -> None:
        key_file = keys.key_path_for(ready.journal)
        before = digest(ready.journal), digest(key_file)
        wrong = tmp_path / "wrong.txt"
        wrong.write_text("not the passphrase\n", encoding="utf-8")
        for command in (["list"], ["search", "x"], ["check"],
                        ["add", "--template", "gift_offered", "--relationship", "A",
                         "--field", "what_happened=a", "--field", "documentation_note=b"]):
            line = ready.fails(3, *command, passphrase=wrong)
            assert "passphrase does not open" in line
        assert (digest(ready.journal), digest(key_file)) == before
        # journal.lock is the (empty) instance lock of the commands that ran.
        assert {p.name for p in ready.data.iterdir()} <= {"journal.db", "journal.key", "journal.lock"}

    @pytest.mark.slow
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["add", "--template", "nope", "--relationship", "A"], "no template 'nope'"),
            (["add", "--template", "gift_offered", "--relationship", "A", "--field", "what_happened=x"],
             "Please fill in"),
            (["add", "--template", "gift_offered", "--relationship", "A", "--field", "oops"], "KEY=VALUE"),
            (["add", "--template", "gift_offered", "--relationship", "A", "--occurred", "yesterday"],
             "not a date and time"),
            (["add", "--template", "gift_offered", "--relationship", "A", "--occurred", "2999-01-01",
              "--field", "what_happened=x", "--field", "documentation_note=y"], "in the future"),
            (["add", "--template", "gift_offered", "--relationship", "A", "--channel", "fax",
              "--field", "what_happened=x", "--field", "documentation_note=y"], "no channel 'fax'"),
            (["list", "--from", "2026-02-01", "--to", "2026-01-01"], "after the end date"),
            (["list", "--category", "weather"], "no category 'weather'"),
            (["search", "&&&"], "at least one word"),
            (["frobnicate"], "invalid choice"),
            (["export", "pdf", "--from", "2026-01-01", "--to", "2026-13-01", "--out", "x.pdf"], "not a date"),
            (["list", "--to", "9999-12-31"], "out of range"),
            (["add", "--template", "gift_offered", "--relationship", "A", "--occurred", "0001-01-01T00:00+05:00"],
             "not a date and time"),
            (["action", "done", "99999999999999999999"], "not an id"),
            (["exercise", "add", "--relationship", "K", "--unease", "x", "--move", "other", "--on", "2026-01-01",
              "--week", "9999-W52"], "out of range"),
        ],
    )
    def test_bad_input_exits_2(self, ready: CLI, args: list[str], message: str) -> None:
        assert message in ready.fails(2, *args)

    def test_no_journal_yet(self, cli: CLI) -> None:
        assert "boundary-journal init" in cli.fails(2, "list")

    @pytest.mark.slow
    def test_init_never_overwrites(self, ready: CLI) -> None:
        before = digest(ready.journal)
        assert "already exists" in ready.fails(2, "init")
        assert digest(ready.journal) == before

    @pytest.mark.slow
    def test_short_passphrase_on_init(self, cli: CLI, tmp_path: Path) -> None:
        short = tmp_path / "short.txt"
        short.write_text("abc", encoding="utf-8")
        assert "at least 8" in cli.fails(2, "init", passphrase=short)
        assert not cli.journal.exists()

    @pytest.mark.slow
    def test_foreign_file_exits_5_untouched(self, cli: CLI) -> None:
        cli.data.mkdir()
        cli.journal.write_bytes(b"just some notes\n")
        assert "not a Boundary Journal" in cli.fails(5, "list")
        assert cli.journal.read_bytes() == b"just some notes\n"

    @pytest.mark.slow
    def test_damaged_journal_exits_with_one_line_and_stays_unchanged(self, ready: CLI) -> None:
        # Thirty entries, so the damaged page is inside the data; written in-process (the test is about the damage,
        # and thirty `add` runs cost thirty interpreters).
        journal = open_journal(ready.journal, PASSPHRASE)
        try:
            for index in range(30):
                entries.add_entry(journal, shipped_catalog(), entries.EntryDraft(
                    template="gift_offered", relationship="K", occurred=datetime(2026, 2, 1),
                    fields={"what_happened": f"entry {index} " + "words " * 150, "documentation_note": "n"}))
        finally:
            journal.close()
        data = bytearray(ready.journal.read_bytes())
        data[4096 * 3 + 100] ^= 0xFF
        ready.journal.write_bytes(bytes(data))
        before = digest(ready.journal)
        result = ready.run("list", "--json")
        assert result.returncode in (3, 5), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert digest(ready.journal) == before

    @pytest.mark.slow
    def test_no_passphrase_without_a_terminal(self, ready: CLI) -> None:
        result = subprocess.run([*installed_command(), "--data-dir", str(ready.data), "list"],
                                capture_output=True, text=True, stdin=subprocess.DEVNULL, env=ready.env)
        assert result.returncode == 2 and "--passphrase-file" in result.stderr


class TestCatalog:
    """`catalog --json` is the whole catalogue, every item with an id and a source."""

    def test_catalog_json(self, cli: CLI) -> None:
        catalog = json.loads(cli.ok("catalog", "--json"))
        for key in ("categories", "channels", "templates", "red_flags", "slope_stages", "escalation", "scripts"):
            assert catalog[key], key
            for item in catalog[key]:
                assert item["id"] and item["source"], (key, item)
        for channel in catalog["channels"]:
            assert {"id", "label", "risk"} <= channel.keys()
        for template in catalog["templates"]:
            expected = {"id", "category", "title", "fields", "phrasings", "scripts", "red_flags", "source"}
            assert expected <= template.keys()
            for field in template["fields"]:
                assert {"key", "label", "prompt", "required"} <= field.keys()
        assert "phone_number_request" in cli.ok("catalog")


class TestExportPdf:
    """`export pdf`: the supervision summary or the ethics brief, checked for identifiers before it is written."""

    def add(self, cli: CLI, what: str, *, when: str = "2026-02-03T10:00", supervision: bool = True) -> None:
        cli.ok("add", "--template", "gift_offered", "--relationship", "Client K", "--occurred", when,
               "--field", f"what_happened={what}", "--field", "documentation_note=Declined the gift & thanked.",
               *(["--supervision"] if supervision else []))

    def pdf_text(self, path: Path) -> str:
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
        extracted = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout
        return " ".join(extracted.split())

    @pytest.mark.slow
    def test_summary_keeps_markup_literal_and_scripts_intact(self, ready: CLI, tmp_path: Path) -> None:
        self.add(ready, "Said <b>thanks</b> & <font color=red>left</font> — Ωμέγα, Привет, café")
        self.add(ready, "not marked for supervision", supervision=False, when="2026-02-04T10:00")
        self.add(ready, "outside the period", when="2026-04-03T10:00")
        out = tmp_path / "period.pdf"
        ready.ok("export", "pdf", "--from", "2026-02-01", "--to", "2026-02-28", "--out", str(out),
                 "--question", "How do I say no to gifts kindly?")
        assert out.read_bytes().startswith(b"%PDF")
        flat = self.pdf_text(out)
        for part in ("Supervision summary", "<b>thanks</b>", "<font color=red>left</font>", "&", "Ωμέγα",
                     "Привет", "café", "Client K", "How do I say no to gifts kindly?"):
            assert part in flat, part
        assert "outside the period" not in flat and "not marked for supervision" not in flat
        everything = tmp_path / "all.pdf"
        ready.ok("export", "pdf", "--from", "2026-02-01", "--to", "2026-02-28", "--out", str(everything),
                 "--all-entries")
        assert "not marked for supervision" in self.pdf_text(everything)

    @pytest.mark.slow
    def test_identifiers_stop_the_export_with_exit_4(self, ready: CLI, tmp_path: Path) -> None:
        self.add(ready, "She gave me her number 07700 900123 and her sister Maria Lopez came too.")
        out = tmp_path / "summary.pdf"
        args = ["export", "pdf", "--from", "2026-02-01", "--to", "2026-02-28", "--out", str(out)]
        result = ready.run(*args)
        assert result.returncode == 4, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Nothing was written" in result.stderr
        assert "07700 900123" in result.stdout and "Maria Lopez" in result.stdout
        assert not out.exists() and not list(tmp_path.glob("*.tmp"))

        ready.ok(*args, "--redact", "07700 900123", "--redact", "Maria Lopez")
        flat = self.pdf_text(out)
        assert "07700" not in flat and "Maria" not in flat and "[redacted]" in flat

        out.unlink()
        ready.ok(*args, "--allow-findings")
        assert "07700 900123" in self.pdf_text(out)

    @pytest.mark.slow
    def test_identifiers_in_a_pseudonym_stop_both_documents(self, ready: CLI, tmp_path: Path) -> None:
        who = "John Smith, DOB 12/03/1961, MRN 88231907, +44 7700 900123"
        journal = open_journal(ready.journal, PASSPHRASE)  # as a journal of an earlier version may hold it
        try:
            with journal.transaction() as session:
                get_or_create_relationship(session, who, check=False)
        finally:
            journal.close()
        ready.ok("add", "--template", "gift_offered", "--relationship", who, "--occurred", "2026-02-03T10:00",
                 "--field", "what_happened=Offered a scarf.", "--field", "documentation_note=Declined.",
                 "--supervision")
        out = tmp_path / "out.pdf"
        for args in (["--from", "2026-02-01", "--to", "2026-02-28"], ["--relationship", who]):
            result = ready.run("export", "pdf", *args, "--out", str(out))
            assert result.returncode == 4, result.stderr
            assert "Nothing was written" in result.stderr and not out.exists()
            for part in ("John Smith", "12/03/1961", "MRN 88231907", "+44 7700 900123"):
                assert f"«{part}»" in result.stdout, part
        ready.ok("export", "pdf", "--relationship", who, "--out", str(out), "--redact", who)
        flat = self.pdf_text(out)
        assert "Smith" not in flat and "88231907" not in flat and "[redacted]" in flat

    @pytest.mark.slow
    def test_ethics_brief(self, ready: CLI, tmp_path: Path) -> None:
        self.add(ready, "Offered a scarf after the session.")
        out = tmp_path / "brief.pdf"
        ready.ok("export", "pdf", "--relationship", "client k", "--out", str(out))
        flat = self.pdf_text(out)
        assert "Ethics-consult brief" in flat and "Client K" in flat and "Declined the gift & thanked." in flat

    @pytest.mark.slow
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["--from", "2026-01-01", "--to", "2026-01-31", "--out", "MISSING/x.pdf"], "does not exist"),
            (["--out", "x.pdf"], "Give the period"),
            (["--relationship", "K", "--from", "2026-01-01", "--out", "x.pdf"], "whole relationship"),
            (["--from", "2026-02-01", "--to", "2026-01-01", "--out", "x.pdf"], "after the end date"),
            (["--relationship", "Nobody", "--out", "x.pdf"], "no relationship called 'Nobody'"),
        ],
    )
    def test_bad_input(self, ready: CLI, tmp_path: Path, args: list[str], message: str) -> None:
        args = [a.replace("MISSING", str(tmp_path / "missing")) for a in args]
        args = [str(tmp_path / a) if a == "x.pdf" else a for a in args]
        assert message in ready.fails(2, "export", "pdf", *args)


class TestSelfChecksFlowAndLanguage:
    """The commands of the self-check issue: check-ins, trend, stages, decision flow, language check."""

    @pytest.mark.slow
    def test_selfcheck_trend_and_warnings(self, ready: CLI) -> None:
        catalog = json.loads(ready.ok("catalog", "--json"))
        slope_items = [f["id"] for f in catalog["red_flags"] if f["group"] == "slope"]
        higher = next(f["id"] for f in catalog["red_flags"] if f["warrants_higher_input"])
        ago = [(datetime.now() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M") for days in (10, 9, 2)]
        ready.ok("add", "--template", "late_night_text", "--relationship", "Client K", "--occurred", ago[0],
                 "--field", "what_happened=texted", "--field", "documentation_note=redirected",
                 "--did", "personal_channel")
        first = ready.ok("selfcheck", "add", "--relationship", "Client K", "--answer", f"{slope_items[0]}=1",
                         "--date", ago[1]).strip()
        second = ready.ok("selfcheck", "add", "--relationship", "client k", "--answer", f"{slope_items[0]}=2",
                          "--answer", f"{higher}=1", "--note", "raise it", "--date", ago[2]).strip()
        ready.ok("relationship", "stage", "Client K", "2")
        ready.ok("relationship", "stage", "Client K", "3", "--note", "texts now")

        trend = json.loads(ready.ok("selfcheck", "trend", "--relationship", "Client K", "--json"))
        assert [c["id"] for c in trend["checkins"]] == [int(first), int(second)]
        assert trend["checkins"][0]["score"] < trend["checkins"][1]["score"]
        assert higher in trend["checkins"][1]["ticked"]
        assert [s["stage"] for s in trend["stages"]] == [2, 3]
        assert {w["kind"] for w in trend["warnings"]} == {"score_rising", "stage_up", "higher_input"}
        assert any("this warrants supervision or ethics input" in w["message"] for w in trend["warnings"])
        assert json.loads(ready.ok("selfcheck", "trend", "--json"))["checkins"] == []

        [status] = json.loads(ready.ok("relationship", "list", "--json"))
        assert (status["pseudonym"], status["stage"]) == ("Client K", 3)
        assert status["suggested_stage"] >= 3 and status["suggestion_reasons"]
        assert status["suggestion_window_days"] == 90
        plain = ready.ok("relationship", "list")
        assert "suggested 3 (based on the last 90 days)" in plain
        assert "    Stage 3: You replied or wrote from your personal phone" in plain
        # A year on, the conduct has stopped: no suggestion, no warnings.
        later = (datetime.now() + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M")
        [quiet] = json.loads(ready.ok("relationship", "list", "--json", "--as-of", later))
        assert quiet["suggested_stage"] is None and quiet["suggestion_reasons"] == []
        assert json.loads(ready.ok("selfcheck", "trend", "--relationship", "Client K", "--json",
                                   "--as-of", later))["warnings"] == []

    @pytest.mark.slow
    def test_warnings_are_listed_and_acknowledged_with_a_note(self, ready: CLI) -> None:
        catalog = json.loads(ready.ok("catalog", "--json"))
        higher = next(f["id"] for f in catalog["red_flags"] if f["warrants_higher_input"])
        ready.ok("selfcheck", "add", "--relationship", "Client K", "--answer", f"{higher}=2")
        [warning] = json.loads(ready.ok("warnings", "list", "--json"))
        assert (warning["kind"], warning["relationship"], warning["acknowledged"]) == (
            "higher_input", "Client K", None)
        assert "higher_input  Client K: Needs a second view" in ready.ok("warnings", "list")
        assert "No 'stage_up' warning" in ready.fails(2, "warnings", "ack", "stage_up", "--relationship",
                                                      "Client K", "--note", "x")
        assert "--note" in ready.fails(2, "warnings", "ack", "higher_input", "--relationship", "Client K")
        ready.ok("warnings", "ack", "higher_input", "--relationship", "client k", "--note", "@-",
                 stdin="Raised with Dr B; plan agreed.\n")
        assert json.loads(ready.ok("warnings", "list", "--json")) == []
        [kept] = json.loads(ready.ok("warnings", "list", "--all", "--json"))
        assert kept["acknowledged"]["note"] == "Raised with Dr B; plan agreed."
        assert "[acknowledged " in ready.ok("warnings", "list", "--all")

    @pytest.mark.slow
    def test_the_slope_stage_rests_on_conduct_and_warns_when_above_the_stage_set(self, ready: CLI) -> None:
        ago = [(datetime.now() - timedelta(days=days)).strftime("%Y-%m-%dT23:30") for days in (20, 10, 9)]
        fields = ("--field", "what_happened=x", "--field", "documentation_note=y")
        # One redirecting reply on the personal line where the message arrived: the advised response.
        ready.ok("add", "--template", "late_night_text", "--relationship", "Client K", "--occurred", ago[0],
                 "--did", "personal_channel", "--did", "reorient_to_procedure", *fields)
        ready.ok("add", "--template", "anonymous_story_slip", "--relationship", "Client K", *fields)
        [status] = json.loads(ready.ok("relationship", "list", "--json"))
        assert (status["suggested_stage"], status["suggestion_held"]) == (None, 1)  # the slip is not in favour
        assert json.loads(ready.ok("warnings", "list", "--json")) == []
        ready.ok("relationship", "stage", "Client K", "1")
        ready.ok("add", "--template", "late_night_text", "--relationship", "Client K", "--occurred", ago[1],
                 "--did", "personal_channel", *fields)
        [warning] = json.loads(ready.ok("warnings", "list", "--json"))
        assert (warning["kind"], warning["relationship"]) == ("suggested_above", "Client K")
        line = ready.ok("warnings", "list")
        assert "Suggested 3 · Personal channel shift" in line and "you set 1" in line
        assert "unless new evidence renews it" in line
        before = (datetime.now() - timedelta(days=15)).strftime("%Y-%m-%dT%H:%M")
        assert json.loads(ready.ok("warnings", "list", "--json", "--as-of", before)) == []
        ready.ok("warnings", "ack", "suggested_above", "--relationship", "Client K", "--note", "In supervision.")
        assert "quiet until new evidence arrives" in ready.ok("warnings", "list", "--all")
        ready.ok("add", "--template", "late_night_text", "--relationship", "Client K", "--occurred", ago[2],
                 "--did", "personal_channel", *fields)
        [again] = json.loads(ready.ok("warnings", "list", "--json"))
        assert again["kind"] == "suggested_above" and again["acknowledged"] is None

    @pytest.mark.slow
    def test_warnings_give_percentages_and_keep_to_the_as_of_time(self, ready: CLI) -> None:
        catalog = json.loads(ready.ok("catalog", "--json"))
        items = [f["id"] for f in catalog["red_flags"] if f["group"] == "own_pull"]
        ago = [(datetime.now() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M") for days in (10, 2)]
        ready.ok("selfcheck", "add", "--answer", f"{items[0]}=1", "--date", ago[0])
        ready.ok("selfcheck", "add", "--answer", f"{items[0]}=2", "--date", ago[1])
        assert re.search(r"Score \d+ % → \d+ %", ready.ok("warnings", "list"))
        between = (datetime.now() - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
        assert json.loads(ready.ok("selfcheck", "trend", "--json", "--as-of", between))["warnings"] == []
        assert json.loads(ready.ok("warnings", "list", "--json", "--as-of", between)) == []

    def test_plain_catalog_prints_the_slope_rule(self, cli: CLI) -> None:
        text = cli.ok("catalog")
        rule = text.split("Slope stage rule")[1].split("Decision-flow questions")[0]
        assert "clinician_conduct" in rule and "90 days" in rule and "own rule" in rule
        assert "describes your own conduct" in rule and "Source:" in rule

    @pytest.mark.slow
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["selfcheck", "add", "--answer", "made_up_item=1"], "no red-flag item 'made_up_item'"),
            (["selfcheck", "add", "--answer", "made_up_item"], "KEY=VALUE"),
            (["selfcheck", "add"], "--answer"),
            (["relationship", "stage", "Client K", "9"], "invalid choice"),
            (["add", "--template", "gift_offered", "--relationship", "A", "--field", "what_happened=x",
              "--field", "documentation_note=y", "--flow", "weather=yes"], "no decision-flow question 'weather'"),
            (["add", "--template", "gift_offered", "--relationship", "A", "--field", "what_happened=x",
              "--field", "documentation_note=y", "--flow", "dual_role=perhaps"], "yes or no"),
        ],
    )
    def test_bad_input_exits_2(self, ready: CLI, args: list[str], message: str) -> None:
        assert message in ready.fails(2, *args)

    @pytest.mark.slow
    def test_level_out_of_range(self, ready: CLI) -> None:
        catalog = json.loads(ready.ok("catalog", "--json"))
        item = catalog["red_flags"][0]["id"]
        assert "0 (not at all), 1 (somewhat) or 2" in ready.fails(2, "selfcheck", "add", "--answer", f"{item}=7")

    @pytest.mark.slow
    def test_stage_for_unknown_relationship(self, ready: CLI) -> None:
        assert "no relationship called 'Nobody'" in ready.fails(2, "relationship", "stage", "Nobody", "2")

    @pytest.mark.slow
    def test_flow_and_recommended_steps(self, ready: CLI) -> None:
        ready.ok("add", "--template", "flirtatious_remark", "--relationship", "Client K",
                 "--field", "what_happened=x", "--field", "documentation_note=y",
                 "--flow", "patient_remark=yes", "--flow", "prescribing=no")
        [entry] = json.loads(ready.ok("list", "--json"))
        assert entry["flow"] == {"patient_remark": "yes", "prescribing": "no"}
        # A patient's remark met by the book: acknowledge and document, supervision; no transfer of care.
        assert entry["recommended_steps"] == ["acknowledge_restate_document", "consult_supervisor_ethics"]

    @pytest.mark.slow
    def test_an_earlier_versions_answer_is_still_accepted(self, ready: CLI) -> None:
        ready.ok("add", "--template", "flirtatious_remark", "--relationship", "Client K",
                 "--field", "what_happened=x", "--field", "documentation_note=y",
                 "--flow", "romantic_involvement=yes")
        [entry] = json.loads(ready.ok("list", "--json"))
        assert entry["recommended_steps"] == ["consult_supervisor_ethics"]

    @pytest.mark.slow
    def test_listen_after_opens_a_follow_up(self, ready: CLI) -> None:
        ready.ok("add", "--template", "phone_number_request", "--relationship", "Client K",
                 "--occurred", "2026-03-02T17:45", "--listen-after",
                 "--field", "what_happened=x", "--field", "documentation_note=y")
        [action] = json.loads(ready.ok("action", "list", "--json"))
        assert action["due_on"] == "2026-03-09" and "reworded" in action["text"]

    @pytest.mark.slow
    def test_listen_after_on_a_template_without_it_is_refused(self, ready: CLI) -> None:
        error = ready.fails(2, "add", "--template", "gift_offered", "--relationship", "Client K", "--listen-after",
                            "--field", "what_happened=x", "--field", "documentation_note=y")
        assert error.count("\n") <= 1 and "phone_number_request" in error and "late_night_text" in error
        assert json.loads(ready.ok("list", "--json")) == []

    def test_language_check(self, cli: CLI) -> None:
        text = "🙂 She was manipulative and Obviously upset."
        findings = json.loads(cli.ok("language-check", "--text", text, "--json"))
        assert [text[f["start"]:f["end"]] for f in findings] == ["manipulative", "Obviously"]
        assert all(f["suggestion"] and f["word"] for f in findings)
        assert json.loads(cli.ok("language-check", "--text", "Declined; redirected to the portal.", "--json")) == []


class TestWeeklyExerciseAndActions:
    """exercise add / followup / list and action list / done, with a calendar file."""

    @pytest.mark.slow
    def test_week_round_trip(self, ready: CLI, tmp_path: Path) -> None:
        from datetime import date

        today = date.today()
        ics = tmp_path / "step.ics"
        week = ready.ok("exercise", "add", "--relationship", "Client K", "--unease", "She texts me late.",
                        "--move", "redirect_communication", "--on", today.isoformat(), "--at", "09:15",
                        "--ics", str(ics)).strip()
        assert week == f"{today.isocalendar().year}-W{today.isocalendar().week:02d}"
        content = ics.read_bytes()
        assert b"BEGIN:VEVENT" in content and b"VALARM" in content
        assert b"Client K" not in content and b"texts me late" not in content

        listed = json.loads(ready.ok("exercise", "list", "--json"))
        [exercise] = listed["exercises"]
        assert {k: exercise[k] for k in ("week", "relationship", "unease", "move", "on", "outcome", "note")} == {
            "week": week, "relationship": "Client K", "unease": "She texts me late.",
            "move": "redirect_communication", "on": today.isoformat(), "outcome": None, "note": ""}
        assert listed["streak"] == 1

        [action] = json.loads(ready.ok("action", "list", "--json"))
        assert action["origin"] == "exercise" and action["status"] == "due"
        ready.ok("exercise", "followup", week, "--outcome", "not-done", "--note", "ran out of time")
        [exercise] = json.loads(ready.ok("exercise", "list", "--json"))["exercises"]
        assert (exercise["outcome"], exercise["note"]) == ("not_done", "ran out of time")
        [action] = json.loads(ready.ok("action", "list", "--json"))
        assert action["status"] == "done"

    @pytest.mark.slow
    def test_action_done(self, ready: CLI) -> None:
        from datetime import date

        ready.ok("exercise", "add", "--relationship", "K", "--unease", "Grey.", "--move", "talk_to_supervisor",
                 "--on", date.today().isoformat())
        [action] = json.loads(ready.ok("action", "list", "--json"))
        ready.ok("action", "done", str(action["id"]), "--note", "booked")
        [action] = json.loads(ready.ok("action", "list", "--json"))
        assert (action["status"], action["outcome"]) == ("done", "booked")

    @pytest.mark.slow
    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (["exercise", "add", "--relationship", "K", "--unease", "x", "--move", "talk_to_supervisor",
              "--on", "2020-01-01"], "is not in week"),
            (["exercise", "add", "--relationship", "K", "--unease", "One. Two.", "--move", "talk_to_supervisor",
              "--on", "2020-01-01", "--week", "2020-W01"], "one sentence"),
            (["exercise", "add", "--relationship", "K", "--unease", "x", "--move", "dance",
              "--on", "2020-01-01"], "no weekly move 'dance'"),
            (["exercise", "add", "--relationship", "K", "--unease", "x", "--move", "other",
              "--on", "2020-01-01", "--week", "2021-W53"], "no week 53"),
            (["exercise", "add", "--relationship", "K", "--unease", "x", "--move", "talk_to_supervisor",
              "--on", "2020-01-01", "--week", "2020-W01", "--at", "09:00+05:00"], "without an offset"),
            (["exercise", "add", "--relationship", "K", "--unease", "x", "--move", "talk_to_supervisor",
              "--on", "2020-01-01", "--week", "2020-W01", "--at", "09:00Z"], "without an offset"),
            (["exercise", "followup", "2026-W01", "--outcome", "done"], "no exercise for week 2026-W01"),
            (["exercise", "followup", "2026-W01", "--outcome", "maybe"], "invalid choice"),
            (["action", "done", "42"], "no action with id 42"),
        ],
    )
    def test_bad_input_exits_2(self, ready: CLI, args: list[str], message: str) -> None:
        assert message in ready.fails(2, *args)
