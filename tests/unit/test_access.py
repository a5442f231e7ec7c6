"""Who can open the journal: changing the passphrase, recovery codes, and a crash in the middle of a change."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, JournalDamaged, WrongPassphrase, WrongRecoveryCode
from boundary_journal.services import access, entries
from boundary_journal.store import backups, journal_files, keys
from boundary_journal.store.journal import Journal, integrity_problems
from boundary_journal.store.paths import journal_path
from boundary_journal.store.sqlcipher import file_integrity_problems
from boundary_journal.store.storage import create_journal, open_journal
from tests.conftest import PASSPHRASE
from tests.unit.journal_files import entry_draft, folder_state, kill_when

NEW_PASSPHRASE = "a brand new passphrase"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def opens_with(path: Path, passphrase: str) -> bool:
    try:
        open_journal(path, passphrase).close()
    except WrongPassphrase:
        return False
    return True


@pytest.fixture
def code() -> str:
    return keys.make_recovery_code()


@pytest.fixture
def with_code(data_dir: Path, code: str, catalog: Catalog) -> Journal:
    """An open journal with a recovery code and one entry, its write-ahead log already folded in."""
    path = journal_path(data_dir)
    created = create_journal(path, PASSPHRASE, code)
    entries.add_entry(created, catalog, entry_draft("kept through every change"))
    created.close()
    return open_journal(path, PASSPHRASE)


class TestChangePassphrase:
    """A change gives the journal a new key: the old secrets, and copies of the old key file, open nothing new."""

    @pytest.mark.slow
    def test_old_stops_new_works_code_still_works(self, with_code: Journal, code: str) -> None:
        access.change_passphrase(with_code, NEW_PASSPHRASE)
        with_code.close()
        assert not opens_with(with_code.path, PASSPHRASE)
        reopened = open_journal(with_code.path, NEW_PASSPHRASE)
        try:
            [entry] = entries.list_entries(reopened)
            assert entry.fields["what_happened"] == "kept through every change"
        finally:
            reopened.close()
        keyfile = keys.read_key_file(with_code.key_path)
        assert keys.unlock_with_recovery_code(keyfile, code) == keys.unlock(keyfile, NEW_PASSPHRASE)

    @pytest.mark.slow
    @pytest.mark.parametrize("secret", ["passphrase", "recovery code"])
    def test_an_old_key_file_opens_nothing_written_after_the_change(
        self, with_code: Journal, code: str, catalog: Catalog, secret: str
    ) -> None:
        """The attack of issue 12: keep a copy of the key file, learn its secret, put it back after the change."""
        old_key_file, old_key = with_code.key_path.read_bytes(), with_code.key
        if secret == "passphrase":
            access.change_passphrase(with_code, NEW_PASSPHRASE)
        else:
            access.new_recovery_code(with_code, passphrase=PASSPHRASE)
        assert with_code.key != old_key
        entries.add_entry(with_code, catalog, entry_draft("written after the change"))
        with_code.close()
        with_code.key_path.write_bytes(old_key_file)
        restored_old = keys.read_key_file(with_code.key_path)
        unwrapped = (keys.unlock(restored_old, PASSPHRASE) if secret == "passphrase"
                     else keys.unlock_with_recovery_code(restored_old, code))
        assert unwrapped == old_key  # the old file still gives the old key…
        assert not storage_opens_with(with_code.path, old_key)  # …which opens nothing of the journal now
        with pytest.raises(JournalDamaged):
            open_journal(with_code.path, PASSPHRASE)
        assert b"written after the change" not in with_code.path.read_bytes()

    @pytest.mark.slow
    def test_the_journal_file_is_encrypted_anew(self, with_code: Journal) -> None:
        before = digest(with_code.path)
        access.change_passphrase(with_code, NEW_PASSPHRASE)
        with_code.close()
        assert digest(with_code.path) != before
        assert file_integrity_problems(with_code.path, keys.unlock(keys.read_key_file(with_code.key_path),
                                                                   NEW_PASSPHRASE)) == []

    def test_the_open_journal_keeps_working(self, with_code: Journal, catalog: Catalog) -> None:
        access.change_passphrase(with_code, NEW_PASSPHRASE)
        entries.add_entry(with_code, catalog, entry_draft("after the change"))
        assert entries.count_entries(with_code) == 2
        assert [view.id for view in entries.search_entries(with_code, "after")] != []

    def test_no_file_is_left_behind(self, with_code: Journal, data_dir: Path) -> None:
        with_code.close()
        reopened = open_journal(with_code.path, PASSPHRASE)
        before = folder_state(data_dir)
        access.change_passphrase(reopened, NEW_PASSPHRASE)
        reopened.close()
        after = folder_state(data_dir)
        assert set(after) == set(before)
        assert {name for name in before if before[name] != after[name]} == {"journal.db", "journal.key"}
        assert (data_dir / "journal.key").stat().st_mode & 0o777 == 0o600
        assert (data_dir / "journal.db").stat().st_mode & 0o777 == 0o600

    def test_short_new_passphrase_is_refused_and_nothing_changes(self, with_code: Journal, data_dir: Path) -> None:
        before = folder_state(data_dir)
        with pytest.raises(InvalidInput, match="at least 8"):
            access.change_passphrase(with_code, "short")
        assert folder_state(data_dir) == before

    def test_the_current_passphrase_is_checked_when_given(self, with_code: Journal, data_dir: Path) -> None:
        before = folder_state(data_dir)
        with pytest.raises(WrongPassphrase):
            access.change_passphrase(with_code, "a new passphrase", current="not the passphrase")
        assert folder_state(data_dir) == before
        access.change_passphrase(with_code, "a new passphrase", current=PASSPHRASE)
        keys.unlock(keys.read_key_file(with_code.key_path), "a new passphrase")

    def test_a_new_code_needs_the_passphrase(self, with_code: Journal, code: str, data_dir: Path) -> None:
        before = folder_state(data_dir)
        with pytest.raises(WrongPassphrase):
            access.new_recovery_code(with_code, passphrase="not the passphrase")
        assert folder_state(data_dir) == before
        fresh = access.new_recovery_code(with_code, passphrase=PASSPHRASE).recovery_code
        assert fresh is not None
        keyfile = keys.read_key_file(with_code.key_path)
        assert keys.unlock_with_recovery_code(keyfile, fresh) == with_code.key == keys.unlock(keyfile, PASSPHRASE)
        with pytest.raises(WrongRecoveryCode):
            keys.unlock_with_recovery_code(keyfile, code)

    def test_a_closed_journal_cannot_change_its_passphrase(self, with_code: Journal, data_dir: Path) -> None:
        # The closed journal has dropped its key; wrapping an empty key would lock everyone out.
        with_code.close()
        before = folder_state(data_dir)
        with pytest.raises(ValueError):
            access.change_passphrase(with_code, NEW_PASSPHRASE)
        assert folder_state(data_dir) == before
        assert opens_with(with_code.path, PASSPHRASE)

    def test_changing_twice(self, with_code: Journal) -> None:
        access.change_passphrase(with_code, NEW_PASSPHRASE)
        access.change_passphrase(with_code, "and yet another one")
        with_code.close()
        assert not opens_with(with_code.path, NEW_PASSPHRASE)
        assert opens_with(with_code.path, "and yet another one")

    def test_a_recovery_code_of_the_first_key_file_version_is_dropped_and_said(
        self, with_code: Journal, code: str
    ) -> None:
        """Version 1 wrapped the key by the code itself: a new key cannot reach it, so the change says so."""
        key = with_code.key
        first_version = keys.KeyFile(keys.read_key_file(with_code.key_path).journal_id, "", {})
        first_version = keys.KeyFile(first_version.journal_id, "", {
            keys.PASSPHRASE_SLOT: keys._wrap(key, PASSPHRASE, first_version.journal_id, keys.PASSPHRASE_SLOT,
                                             keys.DEFAULT_KDF),
            keys.RECOVERY_SLOT: keys._wrap(key, keys.normalise_recovery_code(code), first_version.journal_id,
                                           keys.RECOVERY_SLOT, keys.DEFAULT_KDF),
        })
        keys.write_key_file(with_code.key_path, first_version)
        change = access.change_passphrase(with_code, NEW_PASSPHRASE)
        assert change.recovery_dropped and not access.has_recovery_code(with_code)


class TestAPlantedRecoveryCode:
    """Review of issue 12: whoever had the old passphrase and could write the key file could add a recovery code of
    their own, which a plain change carries over; replacing the code in the same step shuts it out."""

    def plant(self, journal: Journal) -> str:
        attacker_code = keys.make_recovery_code()
        keyfile = keys.read_key_file(journal.key_path)
        key = keys.unlock(keyfile, PASSPHRASE)  # all the attacker needs: the old passphrase
        keys.write_key_file(journal.key_path, keys.rekeyed(keyfile, key, key, PASSPHRASE,
                                                            recovery_code=attacker_code).keyfile)
        return attacker_code

    def test_a_change_with_a_new_code_shuts_the_planted_one_out(self, journal: Journal) -> None:
        attacker_code = self.plant(journal)
        change = access.change_passphrase(journal, NEW_PASSPHRASE, current=PASSPHRASE, new_recovery_code=True)
        assert change.recovery_code is not None
        keyfile = keys.read_key_file(journal.key_path)
        with pytest.raises(WrongRecoveryCode):
            keys.unlock_with_recovery_code(keyfile, attacker_code)
        assert keys.unlock_with_recovery_code(keyfile, change.recovery_code) == journal.key

    def test_the_same_passphrase_again_is_refused(self, journal: Journal, data_dir: Path) -> None:
        before = folder_state(data_dir)
        with pytest.raises(InvalidInput, match="same as the current one"):
            access.change_passphrase(journal, PASSPHRASE, current=PASSPHRASE)
        assert folder_state(data_dir) == before


class TestBackupsOfTheOldKey:
    """Backups in the backups folder keep the key file of their day, until re-encrypted or removed."""

    @pytest.mark.slow
    def test_reencrypted_backups_open_with_the_new_passphrase_only(
        self, with_code: Journal, code: str, data_dir: Path
    ) -> None:
        made = backups.make_backup(with_code, reason=backups.Reason.AUTOMATIC)
        change = access.change_passphrase(with_code, NEW_PASSPHRASE)
        assert access.backups_of_older_keys(with_code) == [made.path]
        result = access.reencrypt_backups(with_code, change.previous_key)
        assert result.done == (made.path,) and result.left == ()
        assert access.backups_of_older_keys(with_code) == []
        info = backups.read_info(made.path)
        assert (info.created_at, info.reason, info.content_sha256) == (made.created_at, made.reason,
                                                                        made.content_sha256)
        assert info.opens_with(with_code.key)
        key_file = keys.parse_key_file(tar_member(made.path, "journal.key"), "backup")
        with pytest.raises(WrongPassphrase):
            keys.unlock(key_file, PASSPHRASE)
        assert keys.unlock(key_file, NEW_PASSPHRASE) == with_code.key
        assert keys.unlock_with_recovery_code(key_file, code) == with_code.key

    @pytest.mark.slow
    def test_backups_of_keys_before_the_last_are_left_and_listed(self, with_code: Journal) -> None:
        oldest = backups.make_backup(with_code, reason=backups.Reason.MANUAL, out=with_code.folder / "b.bjbackup")
        access.change_passphrase(with_code, NEW_PASSPHRASE)
        (backups.backup_folder(with_code.folder)).mkdir(exist_ok=True)
        moved = backups.backup_folder(with_code.folder) / oldest.path.name
        oldest.path.rename(moved)
        middle = backups.make_backup(with_code, reason=backups.Reason.AUTOMATIC)
        change = access.change_passphrase(with_code, "and yet another one")
        result = access.reencrypt_backups(with_code, change.previous_key)
        assert result.done == (middle.path,) and result.left == (moved,)
        assert access.backups_of_older_keys(with_code) == [moved]

    @pytest.mark.slow
    def test_removing_them(self, with_code: Journal) -> None:
        made = backups.make_backup(with_code, reason=backups.Reason.AUTOMATIC)
        access.change_passphrase(with_code, NEW_PASSPHRASE)
        after = backups.make_backup(with_code, reason=backups.Reason.MANUAL)
        result = access.remove_backups_of_older_keys(with_code)
        assert result.done == (made.path,) and not made.path.exists() and after.path.exists()


class TestSettlingTheOldBackups:
    """settle_old_backups: the one step after a change of secret, as `--old-backups` and the window choose it."""

    @pytest.mark.parametrize(("choice", "done", "left"), [
        (access.OldBackups.REENCRYPT, True, False), (access.OldBackups.REMOVE, True, False),
        (access.OldBackups.KEEP, False, True),
    ])
    def test_each_choice(self, with_code: Journal, choice: access.OldBackups, done: bool, left: bool) -> None:
        made = backups.make_backup(with_code, reason=backups.Reason.AUTOMATIC)
        change = access.change_passphrase(with_code, NEW_PASSPHRASE)
        result = access.settle_old_backups(with_code, change.previous_key, choice)
        assert result.done == ((made.path,) if done else ())
        assert result.left == ((made.path,) if left else ())
        assert made.path.exists() is (choice is not access.OldBackups.REMOVE)
        assert access.backups_of_older_keys(with_code) == list(result.left)


def storage_opens_with(path: Path, key: bytes) -> bool:
    from boundary_journal.store.sqlcipher import opens_with as first_page_opens

    return first_page_opens(path, key)


def tar_member(path: Path, name: str) -> bytes:
    import tarfile

    with tarfile.open(path) as tar:
        handle = tar.extractfile(name)
        assert handle is not None
        return handle.read()


class TestRecoveryCode:
    """A code made at set-up or later opens the journal when the passphrase is lost."""

    def test_journal_made_without_a_code(self, journal: Journal) -> None:
        assert not access.has_recovery_code(journal)

    def test_new_code_replaces_the_old(self, with_code: Journal, code: str) -> None:
        assert access.has_recovery_code(with_code)
        fresh = access.new_recovery_code(with_code, passphrase=PASSPHRASE).recovery_code
        assert fresh is not None and fresh != code and len(fresh.replace("-", "")) == 24
        keyfile = keys.read_key_file(with_code.key_path)
        with pytest.raises(WrongRecoveryCode):
            keys.unlock_with_recovery_code(keyfile, code)
        assert keys.unlock_with_recovery_code(keyfile, fresh) == with_code.key
        with_code.close()
        assert opens_with(with_code.path, PASSPHRASE)

    def test_first_code_for_a_journal_made_without_one(self, journal: Journal) -> None:
        fresh = access.new_recovery_code(journal, passphrase=PASSPHRASE).recovery_code
        assert fresh is not None and access.has_recovery_code(journal)
        path = journal.path
        journal.close()
        access.open_with_recovery_code(path, fresh, NEW_PASSPHRASE)[0].close()

    @pytest.mark.slow
    def test_open_with_the_code_sets_the_new_passphrase_and_a_new_key(self, with_code: Journal, code: str) -> None:
        path, old_key = with_code.path, with_code.key
        with_code.close()
        opened, change = access.open_with_recovery_code(path, code.lower().replace("-", " "), NEW_PASSPHRASE)
        try:
            assert entries.count_entries(opened) == 1
            assert change.previous_key == old_key != opened.key
        finally:
            opened.close()
        assert not opens_with(path, PASSPHRASE)
        assert opens_with(path, NEW_PASSPHRASE)
        # The code itself keeps working until a new one is made.
        access.open_with_recovery_code(path, code, "a third passphrase")[0].close()
        assert opens_with(path, "a third passphrase")

    def test_wrong_code_changes_nothing(self, with_code: Journal, data_dir: Path) -> None:
        with_code.close()
        before = folder_state(data_dir)
        with pytest.raises(WrongRecoveryCode, match="does not open"):
            access.open_with_recovery_code(with_code.path, keys.make_recovery_code(), NEW_PASSPHRASE)
        assert folder_state(data_dir) == before

    def test_short_new_passphrase_is_refused_before_anything(self, with_code: Journal, code: str,
                                                            data_dir: Path) -> None:
        with_code.close()
        before = folder_state(data_dir)
        with pytest.raises(InvalidInput, match="at least 8"):
            access.open_with_recovery_code(with_code.path, code, "short")
        assert folder_state(data_dir) == before

    def test_journal_without_its_key_file(self, with_code: Journal, code: str, data_dir: Path) -> None:
        with_code.close()
        with_code.key_path.unlink()
        before = folder_state(data_dir)
        with pytest.raises(WrongRecoveryCode, match=r"journal\.key"):
            access.open_with_recovery_code(with_code.path, code, NEW_PASSPHRASE)
        assert folder_state(data_dir) == before


@pytest.mark.slow
@pytest.mark.parametrize("renamed", [False, True], ids=["before-the-renames", "between-the-renames"])
def test_a_reader_after_an_install_cut_short_agrees_with_the_next_holder(
    with_code: Journal, monkeypatch: pytest.MonkeyPatch, renamed: bool
) -> None:
    """Review of issue 12: with the new pair complete but not yet in place, a reader opened the old pair with the
    old passphrase, while the next writer finished the install and refused it."""
    path = with_code.path
    real_replace = journal_files.os.replace

    def cut(source: object, target: object) -> None:
        if Path(str(target)) == path.with_suffix(".key") or (not renamed and Path(str(target)) == path):
            raise KeyboardInterrupt("cut short")  # as a kill would, with the pair complete
        real_replace(source, target)

    monkeypatch.setattr(journal_files.os, "replace", cut)
    with pytest.raises(KeyboardInterrupt):
        access.change_passphrase(with_code, NEW_PASSPHRASE)
    monkeypatch.setattr(journal_files.os, "replace", real_replace)
    with_code.close()
    assert journal_files.pending_key_file(path).exists()
    assert opens_with(path, NEW_PASSPHRASE) and not opens_with(path, PASSPHRASE)  # a reader, holding nothing
    journal_files.tidy(path)
    assert opens_with(path, NEW_PASSPHRASE) and not opens_with(path, PASSPHRASE)  # the next holder
    assert journal_files.leftovers(path) == [] and not journal_files.pending_key_file(path).exists()


CHANGE_FOREVER = """
from boundary_journal.services import access
from boundary_journal.store.storage import open_journal
journal = open_journal(Path(sys.argv[1]), sys.argv[2])
current, other = sys.argv[2], sys.argv[3]
print("ready", flush=True)
while True:
    access.change_passphrase(journal, other)
    current, other = other, current
"""


@pytest.mark.slow
@pytest.mark.parametrize("tidy_first", [True, False], ids=["next-holder", "reader"])
def test_a_kill_in_the_middle_of_a_change_leaves_one_passphrase_that_works(
    with_code: Journal, code: str, tidy_first: bool
) -> None:
    """SIGKILL while the passphrase flips back and forth, re-keying the journal each time: the journal opens with
    the old or the new passphrase, its key file and recovery code match it, and it holds its entry. The next
    holder of the data folder finishes or drops the interrupted install (tidy); a reader that holds nothing
    opens the matching pair as it is."""
    path = with_code.path
    with_code.close()
    chance = random.Random()
    current, other = PASSPHRASE, NEW_PASSPHRASE
    for _ in range(8):
        kill_when("ready", CHANGE_FOREVER, str(path), current, other, after=chance.uniform(0.0, 0.4))

        if tidy_first:
            journal_files.tidy(path)
        works = [p for p in (PASSPHRASE, NEW_PASSPHRASE) if opens_with(path, p)]
        assert len(works) == 1
        if not tidy_first:  # a reader and the next holder of the folder agree on which passphrase it is
            shutil.copytree(path.parent, path.parent.with_name("tidied"), dirs_exist_ok=False)
            tidied = path.parent.with_name("tidied") / path.name
            journal_files.tidy(tidied)
            assert [p for p in (PASSPHRASE, NEW_PASSPHRASE) if opens_with(tidied, p)] == works
            shutil.rmtree(tidied.parent)
        reopened = open_journal(path, works[0])
        try:
            assert integrity_problems(reopened) == []
            assert entries.count_entries(reopened) == 1
            key = reopened.key
        finally:
            reopened.close()
        journal_files.tidy(path)
        keyfile = keys.read_key_file(keys.key_path_for(path))
        assert keys.unlock(keyfile, works[0]) == key
        assert keys.unlock_with_recovery_code(keyfile, code) == key
        assert file_integrity_problems(path, key) == []
        assert not any(journal_files.leftovers(path)), journal_files.leftovers(path)
        current, other = (PASSPHRASE, NEW_PASSPHRASE) if works == [PASSPHRASE] else (NEW_PASSPHRASE, PASSPHRASE)
