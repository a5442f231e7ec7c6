"""A full disk (ENOSPC, EDQUOT, SQLite's SQLITE_FULL) is said as such, with exit status 8, wherever it can happen:
writing a file the user asked for, a backup, a restore, a save. Nothing is half-written, and the message says
to free some space; it is never reported as damage or as a backup that cannot be read."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import pytest
import sqlcipher3
from sqlalchemy import event

from boundary_journal import ics
from boundary_journal.catalog import Catalog
from boundary_journal.errors import CannotWrite, DiskFull, disk_full
from boundary_journal.services import entries, portability, weekly
from boundary_journal.store import backups, files, sqlcipher
from boundary_journal.store.journal import Journal
from tests.conftest import PASSPHRASE
from tests.unit.journal_files import entry_draft, folder_state

FULL_CODES = [errno.ENOSPC, errno.EDQUOT]


def full(code: int = errno.ENOSPC) -> Callable[..., Any]:
    def refuse(*_args: object, **_kwargs: object) -> Any:
        raise OSError(code, os.strerror(code))

    return refuse


def says_disk_full(error: BaseException) -> None:
    assert isinstance(error, DiskFull) and isinstance(error, CannotWrite) and error.exit_code == 8
    text = str(error)
    assert text.startswith("The disk is full") and "free some space" in text
    assert "damaged" not in text and "cannot read" not in text.lower()


class TestRecognised:
    @pytest.mark.parametrize("code", FULL_CODES)
    def test_os_errors(self, code: int) -> None:
        found = disk_full(OSError(code, os.strerror(code)), "the file could not be written")
        assert found is not None
        says_disk_full(found)
        assert disk_full(OSError(errno.EACCES, "Permission denied"), "x") is None
        assert disk_full(ValueError("no"), "x") is None

    def test_sqlite_full_and_what_wraps_it(self, tmp_path: Path) -> None:
        conn = sqlcipher3.connect(str(tmp_path / "tiny.db"))
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(sqlcipher3.OperationalError) as raised:
            conn.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
        conn.close()
        assert disk_full(raised.value, "x") is not None
        try:
            raise RuntimeError("wrapped") from raised.value
        except RuntimeError as wrapper:
            assert disk_full(wrapper, "x") is not None
        assert disk_full(sqlcipher3.OperationalError("database is locked"), "x") is None


class TestFilesTheUserAskedFor:
    """Exports, calendar files and the key file are written whole or not at all; a full disk says so."""

    @pytest.mark.parametrize("code", FULL_CODES)
    @pytest.mark.parametrize("where", ["write", "fsync"])
    def test_atomic_write(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, where: str) -> None:
        out = tmp_path / "summary.pdf"
        out.write_bytes(b"the earlier file")

        def write(handle: IO[bytes]) -> None:
            handle.write(b"x" * 10_000)
            if where == "write":
                full(code)()

        if where == "fsync":
            monkeypatch.setattr(os, "fsync", full(code))
        with pytest.raises(DiskFull) as refused:
            files.atomic_write(out, write, what="export")
        says_disk_full(refused.value)
        assert str(out) in str(refused.value)
        assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"] and out.read_bytes() == b"the earlier file"

    def test_other_write_errors_stay_what_they_were(self, tmp_path: Path) -> None:
        def write(_handle: IO[bytes]) -> None:
            raise OSError(errno.EIO, os.strerror(errno.EIO))

        with pytest.raises(CannotWrite) as refused:
            files.atomic_write(tmp_path / "x.pdf", write, what="export")
        assert not isinstance(refused.value, DiskFull) and refused.value.exit_code == 1

    def test_json_export(self, journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(os, "fsync", full())
        with pytest.raises(DiskFull) as refused:
            portability.write_json_export(journal, tmp_path / "everything.json")
        says_disk_full(refused.value)
        assert list(tmp_path.iterdir()) == [journal.folder]

    def test_calendar_file(self, journal: Journal, catalog: Catalog, tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
        today = date(2026, 11, 23)
        draft = weekly.ExerciseDraft(relationship="Client K", unease="It feels grey.", move="talk_to_supervisor",
                                     on=today)
        view = weekly.save_exercise(journal, catalog, draft, today=today)
        monkeypatch.setattr(os, "fsync", full())
        with pytest.raises(DiskFull):
            ics.write_exercise_calendar(tmp_path / "step.ics", catalog, view)
        assert not list(tmp_path.glob("*.ics*"))


def cap_journal_size(journal: Journal, spare_pages: int = 0) -> None:
    """From now on, SQLite reports the disk full when the journal would grow past its current size."""
    journal.engine.dispose()

    @event.listens_for(journal.engine, "connect")
    def _cap(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        (pages,) = dbapi_connection.execute("PRAGMA page_count").fetchone()
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + spare_pages}")


class TestSaving:
    """A save that meets a full disk is rolled back whole and said as a full disk, not as damage."""

    def test_adding_an_entry(self, journal: Journal, catalog: Catalog) -> None:
        entries.add_entry(journal, catalog, entry_draft("before the disk filled up"))
        cap_journal_size(journal)
        with pytest.raises(DiskFull) as refused:
            entries.add_entry(journal, catalog, entry_draft("a long entry " * 20_000))
        says_disk_full(refused.value)
        assert "journal" in str(refused.value) and "as it was before" in str(refused.value)
        assert [e.fields["what_happened"] for e in entries.list_entries(journal)] == ["before the disk filled up"]


class TestBackups:
    def test_snapshot_meets_a_full_disk(self, journal: Journal, catalog: Catalog,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
        entries.add_entry(journal, catalog, entry_draft("some text " * 5000))
        real = sqlcipher.connect

        def tiny_copy(path: Path, key: bytes, *, create: bool = False, **kwargs: Any) -> sqlcipher3.Connection:
            conn = real(path, key, create=create, **kwargs)
            if create:
                conn.execute("PRAGMA max_page_count = 2")
            return conn

        monkeypatch.setattr(sqlcipher, "connect", tiny_copy)
        before = folder_state(journal.folder)
        with pytest.raises(DiskFull) as refused:
            backups.make_backup(journal, now=datetime(2026, 11, 23, 9, 0))
        says_disk_full(refused.value)
        assert "unchanged" in str(refused.value)
        assert {k: v for k, v in folder_state(journal.folder).items() if not k.endswith("-shm")} == {
            k: v for k, v in before.items() if not k.endswith("-shm")}

    @pytest.mark.parametrize("code", FULL_CODES)
    def test_writing_the_archive(self, journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 code: int) -> None:
        monkeypatch.setattr(backups.tarfile, "copyfileobj", full(code))
        with pytest.raises(DiskFull):
            backups.make_backup(journal, out=tmp_path / "copy.bjbackup")
        assert not (tmp_path / "copy.bjbackup").exists()


class TestRestore:
    """A restore that does not fit is refused before anything is unpacked, or stopped cleanly mid-way; it is
    never reported as a backup that cannot be read."""

    @pytest.fixture
    def saved(self, journal: Journal, catalog: Catalog, tmp_path: Path) -> Path:
        entries.add_entry(journal, catalog, entry_draft("in the backup"))
        out = backups.make_backup(journal, out=tmp_path / "saved.bjbackup").path
        journal.close()
        return out

    def test_not_enough_free_space_is_found_before_unpacking(self, journal: Journal, saved: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
        real = shutil.disk_usage

        def nearly_full(path: Any) -> Any:
            usage = real(path)
            return usage._replace(free=1000)

        def copy(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("unpacked although it could not fit")

        monkeypatch.setattr(shutil, "disk_usage", nearly_full)
        monkeypatch.setattr(shutil, "copyfileobj", copy)
        before = folder_state(journal.folder)
        with pytest.raises(DiskFull) as refused:
            backups.restore_backup(journal.path, saved, PASSPHRASE)
        says_disk_full(refused.value)
        assert folder_state(journal.folder) == before

    @pytest.mark.parametrize("code", FULL_CODES)
    def test_disk_full_while_unpacking(self, journal: Journal, saved: Path, monkeypatch: pytest.MonkeyPatch,
                                       code: int) -> None:
        monkeypatch.setattr(shutil, "copyfileobj", full(code))
        before = folder_state(journal.folder)
        with pytest.raises(DiskFull) as refused:
            backups.restore_backup(journal.path, saved, PASSPHRASE)
        says_disk_full(refused.value)
        assert folder_state(journal.folder) == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Any:
    """A 2 MiB file system of its own (tmpfs, as root), filled on demand; skipped where none can be mounted."""
    import subprocess

    folder = tmp_path / "small-disk"
    folder.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=2m", "none", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("needs a small file system of its own (tmpfs, mounted as root)")

    def fill(leave: int = 0) -> None:
        fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        if leave:
            os.truncate(folder / "filler", max(0, (folder / "filler").stat().st_size - leave))

    try:
        yield folder, fill
    finally:
        subprocess.run(["umount", str(folder)], check=False)


class TestOnARealFullDisk:
    """Found in review of issue 12: a full disk at open, or during a change of passphrase, was said as damage."""

    def test_opening_on_a_full_disk_says_so(self, small_disk: Any) -> None:
        from boundary_journal.store.storage import create_journal, open_journal

        folder, fill = small_disk
        create_journal(folder / "journal.db", PASSPHRASE).close()
        fill()
        with pytest.raises(DiskFull) as caught:
            open_journal(folder / "journal.db", PASSPHRASE)
        says_disk_full(caught.value)

    def test_a_change_of_passphrase_without_room_changes_nothing(self, small_disk: Any, catalog: Catalog) -> None:
        from boundary_journal.services import access
        from boundary_journal.store import keys
        from boundary_journal.store.storage import create_journal, open_journal

        folder, fill = small_disk
        journal = create_journal(folder / "journal.db", PASSPHRASE)
        for number in range(40):
            entries.add_entry(journal, catalog, entry_draft(f"entry {number} " + "words " * 500))
        fill(leave=48 * 1024)  # room for the log, not for a whole copy of the journal
        try:
            with pytest.raises(DiskFull) as caught:
                access.change_passphrase(journal, "a brand new passphrase")
            says_disk_full(caught.value)
            assert entries.count_entries(journal) == 40
        finally:
            journal.close()
        (folder / "filler").unlink()
        keys.unlock(keys.read_key_file(folder / "journal.key"), PASSPHRASE)
        open_journal(folder / "journal.db", PASSPHRASE).close()
