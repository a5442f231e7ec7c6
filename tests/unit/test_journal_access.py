"""The use cases about the journal as a whole, as the command line and the window both call them: hold the data
folder, create, unlock, back up, restore (which opens the restored journal, upgrading an older one)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest

from boundary_journal.errors import (
    BackupSecretNeeded,
    InvalidInput,
    JournalExists,
    JournalInUse,
    NotAJournal,
    WrongPassphrase,
)
from boundary_journal.services import access, journal_access, relationships
from boundary_journal.store import keys, migrations
from boundary_journal.store.backups import Reason
from boundary_journal.store.journal import Journal, integrity_problems
from tests.conftest import PASSPHRASE
from tests.unit.test_backups import _journal_at_revision

NEW_PASSPHRASE = "a brand new passphrase"


def pseudonyms(journal: Journal) -> list[str]:
    return [relationship.pseudonym for relationship in relationships.list_relationships(journal)]


def add_relationship(journal: Journal, pseudonym: str) -> None:
    with journal.transaction() as session:
        relationships.get_or_create_relationship(session, pseudonym)


class TestHold:
    """One program at a time holds a data folder, and whoever holds it first clears away interrupted work."""

    def test_a_second_holder_is_refused_until_the_first_lets_go(self, data_dir: Path) -> None:
        held = journal_access.hold(data_dir)
        try:
            with pytest.raises(JournalInUse):
                journal_access.hold(data_dir)
        finally:
            held.release()
        journal_access.hold(data_dir).release()

    def test_leftovers_of_an_interrupted_set_up_are_swept(self, data_dir: Path) -> None:
        leftover = data_dir / ".journal.db.x1.creating"
        leftover.write_bytes(b"half a journal")
        old = datetime(2020, 1, 1).timestamp()
        os.utime(leftover, (old, old))
        journal_access.hold(data_dir).release()
        assert not leftover.exists()


class TestCreate:
    def test_with_a_recovery_code_it_is_returned_once_and_opens_the_journal(self, data_dir: Path) -> None:
        path = journal_access.journal_file(data_dir)
        created = journal_access.create(path, PASSPHRASE, recovery_code=True)
        created.journal.close()
        assert created.recovery_code is not None
        assert journal_access.has_recovery_code(path)
        journal, _change = access.open_with_recovery_code(path, created.recovery_code, NEW_PASSPHRASE)
        journal.close()

    def test_without_a_recovery_code(self, data_dir: Path) -> None:
        path = journal_access.journal_file(data_dir)
        created = journal_access.create(path, PASSPHRASE, recovery_code=False)
        assert created.journal.is_open
        created.journal.close()
        assert created.recovery_code is None
        assert not journal_access.has_recovery_code(path)

    def test_never_over_an_existing_journal(self, journal: Journal) -> None:
        with pytest.raises(JournalExists):
            journal_access.ensure_absent(journal.path)
        with pytest.raises(JournalExists):
            journal_access.create(journal.path, PASSPHRASE, recovery_code=False)

    def test_a_short_passphrase_names_its_field_and_creates_nothing(self, data_dir: Path) -> None:
        path = journal_access.journal_file(data_dir)
        with pytest.raises(InvalidInput) as refused:
            journal_access.create(path, "short", recovery_code=True)
        assert refused.value.field == "passphrase"
        assert f"{journal_access.MIN_PASSPHRASE_LENGTH} characters" in str(refused.value)
        assert not path.exists() and not keys.key_path_for(path).exists()


class TestUnlock:
    def test_the_passphrase_opens_it(self, journal: Journal) -> None:
        journal.close()
        opened = journal_access.unlock(journal.path, PASSPHRASE)
        try:
            assert integrity_problems(opened) == []
        finally:
            opened.close()

    def test_a_wrong_passphrase(self, journal: Journal) -> None:
        journal.close()
        with pytest.raises(WrongPassphrase):
            journal_access.unlock(journal.path, "not the passphrase")

    def test_the_key_derivation_started_early_is_used(self, journal: Journal) -> None:
        journal.close()
        pending = journal_access.start_unlock(journal.path, PASSPHRASE)
        assert pending is not None
        journal_access.unlock(journal.path, PASSPHRASE, pending=pending).close()
        wrong = journal_access.start_unlock(journal.path, "not the passphrase")
        with pytest.raises(WrongPassphrase):
            journal_access.unlock(journal.path, "not the passphrase", pending=wrong)

    def test_nothing_is_started_without_a_key_file(self, data_dir: Path) -> None:
        assert journal_access.start_unlock(journal_access.journal_file(data_dir), PASSPHRASE) is None

    def test_reopen_with_the_key_it_had(self, journal: Journal) -> None:
        key = journal.key
        journal.close()
        journal_access.reopen(journal.path, key).close()

    def test_its_identity_is_the_one_its_backups_carry(self, journal: Journal) -> None:
        info = journal_access.make_backup(journal)
        assert journal_access.journal_id(journal) == info.journal_id
        journal.key_path.unlink()
        assert journal_access.journal_id(journal) is None


class TestBackups:
    def test_back_up_now_into_the_backups_folder(self, journal: Journal, data_dir: Path) -> None:
        info = journal_access.make_backup(journal)
        assert info.path.parent == journal_access.backup_folder(data_dir)
        assert info.reason == Reason.MANUAL
        assert journal_access.list_backups(data_dir) == [info]
        assert journal_access.read_backup(info.path) == info

    def test_back_up_now_to_a_file_chosen(self, journal: Journal, tmp_path: Path) -> None:
        out = tmp_path / f"copy{journal_access.BACKUP_SUFFIX}"
        journal_access.check_backup_path(out)
        assert journal_access.make_backup(journal, out).path == out

    def test_a_backup_file_name_must_end_in_its_suffix(self, tmp_path: Path) -> None:
        with pytest.raises(InvalidInput, match=journal_access.BACKUP_SUFFIX):
            journal_access.check_backup_path(tmp_path / "copy.txt")

    def test_files_that_are_not_backups_are_skipped_and_said(self, journal: Journal, data_dir: Path) -> None:
        info = journal_access.make_backup(journal)
        stranger = journal_access.backup_folder(data_dir) / f"stranger{journal_access.BACKUP_SUFFIX}"
        stranger.write_bytes(b"not a backup")
        scan = journal_access.scan_backups(data_dir)
        assert scan.found == [info]
        assert [path for path, _why in scan.skipped] == [stranger]
        with pytest.raises(NotAJournal):
            journal_access.read_backup(stranger)

    def test_one_automatic_backup_a_day(self, journal: Journal) -> None:
        morning, evening = datetime(2026, 11, 25, 9), datetime(2026, 11, 25, 18)
        first = journal_access.automatic_backup(journal, morning)
        assert first is not None and first.reason == Reason.AUTOMATIC
        assert journal_access.automatic_backup(journal, evening) is None


class TestRestore:
    def test_the_restored_journal_is_open_and_holds_the_backup(self, journal: Journal, data_dir: Path) -> None:
        add_relationship(journal, "Client Before")
        backup = journal_access.make_backup(journal)
        add_relationship(journal, "Client After")  # a change after the backup
        journal.close()
        restored = journal_access.restore(journal.path, backup.path, PASSPHRASE)
        try:
            assert restored.journal.is_open
            assert restored.backup == backup
            assert not restored.rekeyed
            assert pseudonyms(restored.journal) == ["Client Before"]
        finally:
            restored.journal.close()
        assert restored.previous is not None and restored.previous.exists()
        assert Reason.BEFORE_RESTORE in {info.reason for info in journal_access.list_backups(data_dir)}

    def test_a_wrong_passphrase_changes_nothing(self, journal: Journal) -> None:
        backup = journal_access.make_backup(journal)
        journal.close()
        before = journal.path.read_bytes()
        with pytest.raises(WrongPassphrase):
            journal_access.restore(journal.path, backup.path, "not the passphrase")
        assert journal.path.read_bytes() == before

    def test_a_backup_of_an_earlier_key_needs_the_secret_of_its_day(self, journal: Journal) -> None:
        backup = journal_access.make_backup(journal)
        access.change_passphrase(journal, NEW_PASSPHRASE, current=PASSPHRASE)
        journal.close()
        with pytest.raises(BackupSecretNeeded):
            journal_access.restore(journal.path, backup.path, NEW_PASSPHRASE)
        restored = journal_access.restore(journal.path, backup.path, NEW_PASSPHRASE, backup_secret=PASSPHRASE)
        restored.journal.close()
        assert restored.rekeyed

    def test_a_backup_of_an_older_version_is_upgraded(self, journal: Journal, data_dir: Path, tmp_path: Path) -> None:
        old = _journal_at_revision(tmp_path / "old", "0003_weekly_exercise")
        try:
            old_backup = journal_access.make_backup(old, tmp_path / f"old{journal_access.BACKUP_SUFFIX}")
        finally:
            old.close()
        journal.close()
        restored = journal_access.restore(journal.path, old_backup.path, PASSPHRASE)
        try:
            with restored.journal.engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == migrations.head()
        finally:
            restored.journal.close()
        assert Reason.BEFORE_UPGRADE in {info.reason for info in journal_access.list_backups(data_dir)}
