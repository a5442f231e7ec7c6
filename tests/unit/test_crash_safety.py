"""Crash safety (issue 6): writers killed with SIGKILL at random points lose nothing they acknowledged.

The writers are real processes (see tests/crash_writer.py): the library adding, editing and deleting
entries, the command line's `add`, the installed `boundary-journal add`, and backups. After each kill
the journal must open, pass SQLCipher's and SQLite's integrity checks, hold exactly what was
acknowledged (give or take the one change that was in flight) and find it, and only it, by search.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.services import entries
from boundary_journal.services.validation import utcnow
from boundary_journal.store import backups, journal_files
from boundary_journal.store.journal import Journal, integrity_problems
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import create_journal, open_journal
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL and fork are POSIX")

ROOT = Path(__file__).resolve().parents[2]
WRITER = ROOT / "tests" / "crash_writer.py"
TIMEOUT = 30.0


def installed_command() -> list[str]:
    script = Path(sys.executable).with_name("boundary-journal")
    found = str(script) if script.exists() else shutil.which("boundary-journal")
    if found is None:
        pytest.fail("the boundary-journal command is not installed; run pip install -e '.[test]'")
    return [found]


class WriterServer:
    """The fork server of tests/crash_writer.py, spoken to one line at a time (with timeouts, never hanging)."""

    def __init__(self, tmp_path: Path) -> None:
        self.errors = tmp_path / "writer-server.stderr"
        with self.errors.open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, str(WRITER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                bufsize=0, cwd=ROOT,
            )
        self._pending = b""

    def _send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode("utf-8") + b"\n")

    def _answer(self) -> int:
        assert self.process.stdout is not None
        deadline = time.monotonic() + TIMEOUT
        while b"\n" not in self._pending:
            ready, _, _ = select.select([self.process.stdout], [], [], max(0.0, deadline - time.monotonic()))
            chunk = self.process.stdout.read(4096) if ready else b""
            if not chunk:
                pytest.fail(f"the writer server stopped answering: {self.errors.read_text(errors='replace')}")
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return int(line)

    def start(self, **request: Any) -> int:
        self._send(json.dumps(request))
        return self._answer()

    def reap(self) -> int:
        self._send("reap")
        return self._answer()

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def writers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WriterServer]:
    server = WriterServer(tmp_path_factory.mktemp("writers"))
    try:
        yield server
    finally:
        server.close()


def read_log(log: Path) -> list[dict[str, Any]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def wait_for(log: Path, pid: int, state: str) -> float:
    """Until the writer logs `state` (or fails); returns when that was, by time.monotonic()."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        records = read_log(log)
        if any(r["state"] in (state, "error") for r in records):
            return time.monotonic()
        time.sleep(0.002)
    os.kill(pid, signal.SIGKILL)
    pytest.fail(f"the writer never logged '{state}'")


def kill_writer(server: WriterServer, pid: int, log: Path, delay: float) -> list[dict[str, Any]]:
    """SIGKILL the writer after `delay` seconds; returns its log, failing if it ended any other way."""
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    status = server.reap()
    records = read_log(log)
    errors = [r["traceback"] for r in records if r["state"] == "error"]
    assert not errors, errors[0]
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"the writer ended with {status}"
    return records


@dataclass
class ExpectedJournal:
    """What the journal must hold: entry id -> the token its text starts with."""

    entries: dict[int, str] = field(default_factory=dict)
    gone: set[str] = field(default_factory=set)  # tokens edited away or deleted: search must not find them

    def check_after_kill(self, journal: Journal, records: list[dict[str, Any]]) -> None:
        """The journal holds every acknowledged change, and at most the one change in flight besides."""
        acknowledged = dict(self.entries)
        for record in (r for r in records if r["state"] == "ack"):
            if record["op"] == "delete":
                self.gone.add(acknowledged.pop(record["id"]))
            else:
                if record["op"] == "edit":
                    self.gone.add(acknowledged[record["id"]])
                acknowledged[record["id"]] = record["token"]
        changes = [r for r in records if r["state"] in ("intent", "ack")]
        in_flight = changes[-1] if changes and changes[-1]["state"] == "intent" else None

        actual = {view.id: view.fields["what_happened"].split()[0] for view in entries.list_entries(journal)}
        if actual != acknowledged:
            assert in_flight is not None, f"nothing was in flight, yet {diff(acknowledged, actual)}"
            assert actual == with_change(acknowledged, in_flight, actual), (
                f"besides the change in flight ({in_flight}), {diff(acknowledged, actual)}"
            )
            if in_flight["op"] in ("edit", "delete"):
                self.gone.add(acknowledged[in_flight["id"]])
        elif in_flight is not None and in_flight["op"] != "delete":
            self.gone.add(in_flight["token"])  # it was rolled back, so search must not find it
        self.entries = actual
        self.check_search(journal, records)

    def check_search(self, journal: Journal, records: list[dict[str, Any]]) -> None:
        """Search finds each entry written in this round, and a sample of older ones, by its token alone."""
        written = {r["id"] for r in records if r["state"] == "ack" and r["op"] != "delete"}
        older = sorted(set(self.entries) - written)
        older_sample = random.Random(len(self.entries)).sample(older, min(3, len(older)))
        sample = [i for i in written if i in self.entries] + older_sample
        for entry_id in sample:
            word = self.entries[entry_id]
            assert [v.id for v in entries.search_entries(journal, word)] == [entry_id], word
        for word in sorted(self.gone)[-5:]:
            assert entries.search_entries(journal, word) == [], word


def with_change(before: dict[int, str], change: dict[str, Any], actual: dict[int, str]) -> dict[int, str]:
    after = dict(before)
    if change["op"] == "delete":
        after.pop(change["id"], None)
    elif change["op"] == "edit":
        after[change["id"]] = change["token"]
    else:  # an add: its id was never printed, so take the one new id, if its text is the right one
        new = [i for i in actual if i not in before and actual[i] == change["token"]]
        if len(new) == 1:
            after[new[0]] = change["token"]
    return after


def diff(expected: dict[int, str], actual: dict[int, str]) -> str:
    missing = {i: t for i, t in expected.items() if actual.get(i) != t}
    extra = {i: t for i, t in actual.items() if expected.get(i) != t}
    return f"expected but missing or different: {missing}; present but never acknowledged: {extra}"


def check_integrity(journal: Journal) -> None:
    # FTS5's own index-against-content check is left out: it fails without any crash after a long entry is
    # edited and deleted (see test_model_based.TestSearchIndex); the tokens are checked through search instead.
    assert integrity_problems(journal) == []  # SQLCipher's cipher_integrity_check and SQLite's integrity_check
    with journal.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA quick_check").scalars().all() == ["ok"]


def copy_of_journal(data_dir: Path, into: Path) -> Path:
    """The files a crash left behind, copied as they are (a hot WAL included) to another folder."""
    into.mkdir()
    for source in data_dir.iterdir():
        if source.name.startswith("journal.") and not source.name.endswith("-shm") and source.is_file():
            shutil.copy2(source, into / source.name)
    return journal_path(into)


def verify(path: Path, expected: ExpectedJournal, records: list[dict[str, Any]]) -> None:
    journal = open_journal(path, PASSPHRASE)  # runs the quick check first, refusing a damaged file
    try:
        check_integrity(journal)
        expected.check_after_kill(journal, records)
    finally:
        journal.close()


@pytest.fixture
def passphrase_file(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


@pytest.fixture
def data(data_dir: Path) -> Path:
    """A new, empty journal, made here with the cheap key derivation its key file then asks every writer for."""
    create_journal(journal_path(data_dir), PASSPHRASE).close()
    return data_dir


def kill_writers(
    writers: WriterServer, data: Path, passphrase_file: Path, tmp_path: Path,
    *, mode: str, rounds: int, longest: float, seed: int,
) -> ExpectedJournal:
    rng = random.Random(seed)
    expected = ExpectedJournal()
    for round_ in range(rounds):
        log = tmp_path / f"{mode}-{round_}.log"
        pid = writers.start(
            mode=mode, round=round_, seed=rng.random(), log=str(log), data_dir=str(data),
            passphrase=PASSPHRASE, passphrase_file=str(passphrase_file),
        )
        if rng.random() < 0.2:
            delay = rng.uniform(0.0, 0.05)  # while it opens the journal (and recovers the last crash's WAL)
        else:
            wait_for(log, pid, "open")
            delay = rng.uniform(0.0, longest)
        records = kill_writer(writers, pid, log, delay)
        # Every other time, check a copy and leave the crashed files for the next writer to recover.
        path = copy_of_journal(data, tmp_path / f"copy-{mode}-{round_}") if round_ % 2 else journal_path(data)
        verify(path, expected, records)
    return expected


class TestKilledWriters:
    """After a SIGKILL anywhere in a write, the journal opens, is intact and holds every acknowledged change."""

    @pytest.mark.slow
    def test_library_writer_adding_editing_and_deleting(
        self, writers: WriterServer, data: Path, passphrase_file: Path, tmp_path: Path
    ) -> None:
        expected = kill_writers(
            writers, data, passphrase_file, tmp_path, mode="library", rounds=30, longest=0.25, seed=6
        )
        assert len(expected.entries) > 30, "the writers were killed before they wrote much"

    @pytest.mark.slow
    def test_command_line_add_in_a_loop(
        self, writers: WriterServer, data: Path, passphrase_file: Path, tmp_path: Path
    ) -> None:
        expected = kill_writers(writers, data, passphrase_file, tmp_path, mode="cli", rounds=12, longest=0.6, seed=7)
        assert len(expected.entries) > 5, "the writers were killed before they wrote much"

    @pytest.mark.slow
    def test_installed_command(self, data: Path, passphrase_file: Path, tmp_path: Path) -> None:
        """The real `boundary-journal add`, killed while it has the journal open (seen in /proc on Linux)."""
        rng = random.Random(8)
        expected = ExpectedJournal()
        for round_ in range(4):
            word = f"cmd{round_:03d}"
            command = [
                *installed_command(), "--data-dir", str(data), "--passphrase-file", str(passphrase_file),
                "add", "--template", "late_night_text", "--relationship", "Client K",
                "--field", f"what_happened={word} texted at night", "--field", "documentation_note=Redirected.",
            ]
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
            if round_ > 0:  # the first one runs to the end
                wait_for_open_journal(process, journal_path(data))
                time.sleep(rng.uniform(0.0, 0.05))
                process.send_signal(signal.SIGKILL)
            out, err = process.communicate(timeout=TIMEOUT)
            assert "Traceback" not in err, err
            if round_ == 0:
                assert process.returncode == 0, err
            records: list[dict[str, Any]] = [{"state": "intent", "op": "add", "token": word}]
            if out.strip().isdigit():  # printed after the commit: acknowledged
                records.append({"state": "ack", "op": "add", "id": int(out), "token": word})
            verify(journal_path(data), expected, records)
        assert expected.entries, "no entry was written"


def wait_for_open_journal(process: subprocess.Popen[str], path: Path) -> None:
    """Until the process has the journal file open, or a good guess of when that is where /proc is missing."""
    fds = Path(f"/proc/{process.pid}/fd")
    if not fds.parent.exists():
        time.sleep(1.0)
        return
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if any(os.readlink(fd).startswith(str(path)) for fd in fds.iterdir()):
                return
        except PermissionError:
            # The app makes itself not dumpable (boundary_journal.hardening), which hides its descriptors from
            # other processes of the same user; only root still sees them. Guess, as where /proc is missing.
            time.sleep(0.3)
            return
        except OSError:
            pass  # a descriptor closed while we looked
        time.sleep(0.001)


def fill(journal: Journal, catalog: Catalog, count: int) -> dict[int, dict[str, str]]:
    words = ["boundary", "supervision", "portal", "message", "gift", "evening", "weekend"]
    rng = random.Random(count)
    stored = {}
    for n in range(count):
        text = f"entry{n} " + " ".join(rng.choice(words) for _ in range(8_000))
        draft = entries.EntryDraft(
            template="gift_offered", relationship="Bed 4", occurred=utcnow(),
            fields={"what_happened": text, "documentation_note": "Declined."},
        )
        stored[entries.add_entry(journal, catalog, draft).id] = text
    return stored


def contents(journal: Journal) -> dict[int, dict[str, str]]:
    return {view.id: view.fields for view in entries.list_entries(journal)}


class TestKilledBackup:
    """A backup killed halfway leaves the journal as it was and no backup file under a final name but whole ones."""

    @pytest.mark.slow
    def test_backup_killed_at_random_points(
        self, writers: WriterServer, data: Path, passphrase_file: Path, tmp_path: Path, catalog: Catalog
    ) -> None:
        path = journal_path(data)
        journal = open_journal(path, PASSPHRASE)
        try:
            fill(journal, catalog, 20)
            before = contents(journal)
        finally:
            journal.close()
        rng = random.Random(9)
        acknowledged: list[Path] = []
        verified: set[Path] = set()
        duration = 0.0  # of one backup, measured in the first round
        for round_ in range(8):
            log = tmp_path / f"backup-{round_}.log"
            pid = writers.start(mode="backup", round=round_, seed=0, log=str(log), data_dir=str(data),
                                passphrase=PASSPHRASE, passphrase_file=str(passphrase_file))
            opened = wait_for(log, pid, "open")
            if round_ == 0:
                duration = wait_for(log, pid, "ack") - opened
            records = kill_writer(writers, pid, log, rng.uniform(0.0, 2.5 * duration))
            acknowledged += [Path(r["path"]) for r in records if r["state"] == "ack"]

            journal = open_journal(path, PASSPHRASE)
            try:
                check_integrity(journal)
                assert contents(journal) == before
            finally:
                journal.close()
            folder = backups.backup_folder(data)
            finished = set(folder.glob(f"*{backups.BACKUP_SUFFIX}"))
            assert set(acknowledged) <= finished
            for backup in sorted(finished - verified):
                backups.read_info(backup, verify=True)  # raises if it is partial or damaged
            verified |= finished
            # A kill can leave a scratch folder behind (never a final name), which the next holder sweeps.
            leftovers = {p for p in folder.iterdir()} - finished
            assert leftovers <= set(journal_files.leftovers(path)), leftovers
            journal_files.tidy(path)
            assert set(folder.iterdir()) == finished
        assert acknowledged, "no backup finished before its writer was killed"

        restored = backups.restore_backup(path, acknowledged[-1], PASSPHRASE)
        journal = open_journal(path, PASSPHRASE)
        try:
            assert restored.previous is not None
            check_integrity(journal)
            assert contents(journal) == before
        finally:
            journal.close()
