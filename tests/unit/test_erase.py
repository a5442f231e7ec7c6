"""Delete everything: the journal, its key and its backups go; the held lock and unrelated files stay."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from boundary_journal.errors import CannotWrite, JournalInUse
from boundary_journal.services import erase
from boundary_journal.store import backups, instance, keys
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import create_journal, open_journal


@pytest.fixture
def full_folder(journal: Journal, data_dir: Path) -> Path:
    """A data folder as a few days of use leave it: a journal, its key, a WAL, two backups, leftovers."""
    backups.make_backup(journal, reason=backups.Reason.AUTOMATIC)
    backups.make_backup(journal, reason=backups.Reason.MANUAL)
    journal.close()
    path = journal_path(data_dir)
    Path(f"{path}-wal").write_bytes(b"stale")
    Path(f"{path}-shm").write_bytes(b"stale")
    (data_dir / f".{path.name}.x1y2.creating").write_bytes(b"half a set-up")
    (data_dir / f".{path.name}.upgrading").write_bytes(b"half an upgrade")
    (data_dir / ".boundary-journal-backup-abc").mkdir()
    (data_dir / "boundary-journal-zz.key.tmp").write_bytes(b"half a key file")
    return data_dir


class TestDeletes:
    """Everything the app keeps about the journal in its data folder is removed."""

    def test_removes_journal_key_backups_and_leftovers(self, full_folder: Path) -> None:
        path = journal_path(full_folder)
        expected = set(erase.what_would_be_deleted(path))
        assert backups.backup_folder(full_folder) in expected and keys.key_path_for(path) in expected

        removed = erase.delete_everything(path)

        assert set(removed) == expected
        assert sorted(p.name for p in full_folder.iterdir()) == []

    def test_a_new_journal_can_be_made_in_the_same_place(self, full_folder: Path) -> None:
        path = journal_path(full_folder)
        erase.delete_everything(path)
        create_journal(path, "a brand new passphrase").close()
        open_journal(path, "a brand new passphrase").close()
        assert backups.list_backups(backups.backup_folder(full_folder)) == []

    def test_deleting_twice_is_harmless(self, full_folder: Path) -> None:
        path = journal_path(full_folder)
        erase.delete_everything(path)
        assert erase.delete_everything(path) == []
        assert erase.what_would_be_deleted(path) == []

    def test_key_file_is_overwritten_before_it_is_unlinked(self, full_folder: Path) -> None:
        key_path = keys.key_path_for(journal_path(full_folder))
        before = key_path.read_bytes()
        other_name = full_folder.parent / "same-inode.key"
        os.link(key_path, other_name)  # a second name sees what happens to the file's own blocks

        erase.delete_everything(journal_path(full_folder))

        after = other_name.read_bytes()
        assert len(after) == len(before) and after != before
        assert b"passphrase" not in after and b"journal_id" not in after


class TestLeavesAlone:
    """What is not the journal's, and the lock that keeps a second start out, are left in place."""

    def test_unrelated_files_stay(self, full_folder: Path) -> None:
        (full_folder / "notes.txt").write_text("mine")
        (full_folder / "journal.db.old").write_text("mine too")
        erase.delete_everything(journal_path(full_folder))
        assert sorted(p.name for p in full_folder.iterdir()) == ["journal.db.old", "notes.txt"]

    def test_held_lock_file_stays_and_still_locks(self, full_folder: Path) -> None:
        held = instance.acquire(full_folder)
        try:
            erase.delete_everything(journal_path(full_folder))
            assert (full_folder / instance.LOCK_FILENAME).exists()
            with pytest.raises(JournalInUse):
                instance.acquire(full_folder)
        finally:
            held.release()

    def test_a_linked_backups_folder_is_unlinked_not_emptied(self, journal: Journal, data_dir: Path,
                                                            tmp_path: Path) -> None:
        journal.close()
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "keep.bjbackup").write_bytes(b"not ours to delete")
        backups.backup_folder(data_dir).symlink_to(elsewhere, target_is_directory=True)

        erase.delete_everything(journal_path(data_dir))

        assert not backups.backup_folder(data_dir).exists()
        assert (elsewhere / "keep.bjbackup").read_bytes() == b"not ours to delete"


class TestFailure:
    """When something cannot be deleted, the rest still goes, and the error names what is left."""

    def test_names_what_is_left(self, full_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(path: Path) -> None:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))

        monkeypatch.setattr(shutil, "rmtree", refuse)
        path = journal_path(full_folder)
        with pytest.raises(CannotWrite, match="backups") as raised:
            erase.delete_everything(path)
        assert "Permission denied" in str(raised.value)
        assert not path.exists() and not keys.key_path_for(path).exists()
        assert backups.backup_folder(full_folder).exists()
