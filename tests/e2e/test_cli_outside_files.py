"""Files that come from outside the app (key files, backups, imports), hostile or odd, through the installed
command line: each ends in one line on stderr with its exit status, never a traceback, and one bad backup
in the backups folder never stops a command."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from boundary_journal.store import keys
from tests.e2e.test_cli import CLI, digest
from tests.e2e.test_cli_security import ENTRY
from tests.unit.test_backups import members, pack, with_sparse_db

pytestmark = pytest.mark.e2e

NESTED = b"[" * 30_000 + b"]" * 30_000
LONG_NUMBER = b"9" * 5000


def backup_with_manifest(cli: CLI, out: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """A backup of the journal whose manifest bytes are `edit(bytes)`; the other members stay as made."""
    made = cli.data / "made.bjbackup"
    cli.ok("backup", "--out", str(made))
    parts = members(made)
    made.unlink()
    parts["manifest.json"] = edit(json.dumps(json.loads(parts["manifest.json"]), indent=2).encode())
    return pack(out, list(parts.items()))


class TestHostileJson:
    """Deep nesting and numbers of thousands of digits are refused as damage (exit 5), or for an import as a
    bad file (exit 2), in one line."""

    @pytest.mark.slow
    @pytest.mark.parametrize("edit", [
        pytest.param(lambda raw: NESTED, id="nested"),
        pytest.param(lambda raw: raw.replace(f'"version": {keys.KEY_VERSION}'.encode(), b'"version": ' + LONG_NUMBER),
                     id="long number"),
    ])
    def test_key_file(self, ready: CLI, edit) -> None:  # type: ignore[no-untyped-def]
        key_path = keys.key_path_for(ready.journal)
        key_path.write_bytes(edit(key_path.read_bytes()))
        before = digest(ready.journal)
        assert "key file" in ready.fails(5, "list")
        assert "key file" in ready.fails(5, "backup")
        assert digest(ready.journal) == before

    @pytest.mark.slow
    @pytest.mark.parametrize("edit", [
        pytest.param(lambda raw: NESTED, id="nested"),
        pytest.param(lambda raw: raw.replace(b'"version": 1', b'"version": ' + LONG_NUMBER), id="long number"),
    ])
    def test_backup_manifest(self, ready: CLI, tmp_path: Path, edit) -> None:  # type: ignore[no-untyped-def]
        bad = backup_with_manifest(ready, tmp_path / "hostile.bjbackup", edit)
        before = digest(ready.journal)
        assert "not a usable Boundary Journal backup" in ready.fails(5, "restore", str(bad))
        assert digest(ready.journal) == before

    @pytest.mark.slow
    @pytest.mark.parametrize("raw", [
        pytest.param(NESTED, id="nested"),
        pytest.param(b'{"format": "boundary-journal-export", "version": ' + LONG_NUMBER + b"}", id="long number"),
    ])
    def test_import(self, cli: CLI, tmp_path: Path, raw: bytes) -> None:
        source = tmp_path / "import.json"
        source.write_bytes(raw)
        cli.fails(2, "import", "json", str(source))
        assert not cli.journal.exists()


class TestKeyDerivationBounds:
    @pytest.mark.slow
    def test_a_key_file_asking_for_4_gib_is_damage_before_any_derivation(self, ready: CLI) -> None:
        key_path = keys.key_path_for(ready.journal)
        data = json.loads(key_path.read_bytes())
        data["slots"]["passphrase"]["kdf"].update(memory_kib=4 * 1024 * 1024, iterations=64)
        key_path.write_text(json.dumps(data), encoding="utf-8")
        started = time.perf_counter()
        assert "key file" in ready.fails(5, "list")
        assert time.perf_counter() - started < 30  # deriving with 4 GiB and 64 passes would take minutes


class TestOneOddBackupInTheFolder:
    """A copied-in backup whose date has a UTC offset, or a file that is no backup at all, in backups/."""

    @pytest.fixture
    def odd_folder(self, ready: CLI) -> CLI:
        ready.ok(*ENTRY)
        ready.ok("backup")
        folder = ready.data / "backups"
        copied = backup_with_manifest(ready, folder / "from-the-laptop.bjbackup", lambda raw: raw.replace(
            b'"created_at": "', b'"created_at": "2026-11-22T10:00:00+05:00", "was": "'))
        assert b"+05:00" in members(copied)["manifest.json"]
        (folder / "junk.bjbackup").write_bytes(b"junk" * 100)
        return ready

    @pytest.mark.slow
    def test_backup_list_lists_the_others_and_says_what_it_skipped(self, odd_folder: CLI) -> None:
        result = odd_folder.run("backup", "--list", "--json")
        assert result.returncode == 0, result.stderr
        listed = {Path(b["path"]).name: b for b in json.loads(result.stdout)}
        assert "from-the-laptop.bjbackup" in listed and len(listed) == 2
        assert "+" not in listed["from-the-laptop.bjbackup"]["created_at"]  # shown as local time
        assert "junk.bjbackup" in result.stderr and "skipped" in result.stderr
        assert "from-the-laptop.bjbackup" in odd_folder.ok("backup", "--list")

    @pytest.mark.slow
    def test_backup_and_check_go_on(self, odd_folder: CLI) -> None:
        assert "Wrote a verified backup" in odd_folder.ok("backup")
        odd_folder.ok(*ENTRY)
        data = bytearray(odd_folder.journal.read_bytes())
        data[len(data) // 2] ^= 0x01
        odd_folder.journal.write_bytes(bytes(data))
        line = odd_folder.fails(5, "check")
        assert "damaged" in line and "newest backup is" in line


class TestSparseBackup:
    @pytest.mark.slow
    def test_restore_refuses_a_small_file_that_unpacks_to_gigabytes(self, ready: CLI, tmp_path: Path) -> None:
        ready.ok(*ENTRY)
        made = tmp_path / "made.bjbackup"
        ready.ok("backup", "--out", str(made))
        bad = with_sparse_db(made, tmp_path / "tiny.bjbackup", 4 * 2**30)
        assert bad.stat().st_size < 20_000
        before = digest(ready.journal)
        started = time.perf_counter()
        assert "stored as a sparse file" in ready.fails(5, "restore", str(bad))
        assert time.perf_counter() - started < 30
        assert digest(ready.journal) == before
        assert sorted(p.name for p in ready.data.iterdir()) == ["journal.db", "journal.key", "journal.lock"]


def patched(patch: str) -> list[str]:
    """The command line in a Python where `patch` ran first (to make the disk look full)."""
    return [sys.executable, "-c", f"import errno, os, sys\n{patch}\nfrom boundary_journal.cli import main\n"
            "sys.exit(main())"]


NO_SPACE = "raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))"
TINY_JOURNAL = """
from boundary_journal.store import journal
real = journal._configured_connect
def capped(path, key):
    conn = real(path, key)
    (pages,) = conn.execute("PRAGMA page_count").fetchone()
    conn.execute(f"PRAGMA max_page_count = {pages}")
    return conn
journal._configured_connect = capped
"""


class TestDiskFull:
    """A full disk is exit status 8 and one line that says so and to free some space; nothing is changed."""

    def says_disk_full(self, line: str) -> None:
        assert line.startswith("boundary-journal: The disk is full") and "free some space" in line

    @pytest.mark.slow
    def test_export(self, ready: CLI, tmp_path: Path) -> None:
        ready.ok(*ENTRY)
        out = tmp_path / "everything.json"
        command = patched(f"def fsync(fd): {NO_SPACE}\nos.fsync = fsync")
        self.says_disk_full(ready.fails(8, "export", "json", "--out", str(out), command=command))
        assert list(tmp_path.glob("*.json*")) == []

    @pytest.mark.slow
    def test_saving_an_entry(self, ready: CLI) -> None:
        ready.ok(*ENTRY)
        before = ready.ok("list", "--json")
        big = [*ENTRY[:-1], "documentation_note=" + "Declined with thanks. " * 5000]
        line = ready.fails(8, *big, command=patched(TINY_JOURNAL))
        self.says_disk_full(line)
        assert "damaged" not in line
        assert ready.ok("list", "--json") == before

    @pytest.mark.slow
    @pytest.mark.parametrize("patch", [
        pytest.param("import tempfile\ndef mkstemp(*args, **kwargs): " + NO_SPACE + "\ntempfile.mkstemp = mkstemp",
                     id="no room for a file"),
        pytest.param("from boundary_journal.store import sqlcipher\nreal = sqlcipher.connect\n"
                     "def tiny(path, key, *, create=False, **kwargs):\n"
                     "    conn = real(path, key, create=create, **kwargs)\n"
                     "    conn.execute('PRAGMA max_page_count = 1')\n"
                     "    return conn\n"
                     "sqlcipher.connect = tiny", id="no room in SQLite"),
    ])
    def test_creating_a_journal(self, cli: CLI, patch: str) -> None:
        self.says_disk_full(cli.fails(8, "init", command=patched(patch)))
        assert not cli.journal.exists()

    @pytest.mark.slow
    def test_restore(self, ready: CLI, tmp_path: Path) -> None:
        ready.ok(*ENTRY)
        out = tmp_path / "saved.bjbackup"
        ready.ok("backup", "--out", str(out))
        before = digest(ready.journal)
        patch = ("import shutil\nreal = shutil.disk_usage\n"
                 "shutil.disk_usage = lambda path: real(path)._replace(free=1000)")
        line = ready.fails(8, "restore", str(out), command=patched(patch))
        self.says_disk_full(line)
        assert "cannot read" not in line.lower()
        assert digest(ready.journal) == before
