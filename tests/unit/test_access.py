"""Who can open the journal: changing the passphrase, recovery codes, and a crash in the middle of a change."""

from __future__ import annotations

import hashlib
import random
import signal
import time
from pathlib import Path

import pytest

from boundary_journal import keys
from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, WrongPassphrase, WrongRecoveryCode
from boundary_journal.paths import journal_path
from boundary_journal.services import access, entries
from boundary_journal.storage import Journal, create_journal, file_integrity_problems, integrity_problems, open_journal
from tests.conftest import PASSPHRASE
from tests.unit.journal_files import entry_draft, folder_state, start_library

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
    """Only the key file is rewritten; the journal keeps its key, its bytes and its recovery code."""

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

    def test_the_journal_file_is_not_rewritten(self, with_code: Journal) -> None:
        before = digest(with_code.path)
        access.change_passphrase(with_code, NEW_PASSPHRASE)
        assert digest(with_code.path) == before
        with_code.close()
        assert digest(with_code.path) == before

    def test_the_open_journal_keeps_working(self, with_code: Journal, catalog: Catalog) -> None:
        access.change_passphrase(with_code, NEW_PASSPHRASE)
        entries.add_entry(with_code, catalog, entry_draft("after the change"))
        assert entries.count_entries(with_code) == 2

    def test_only_the_key_file_changes(self, with_code: Journal, data_dir: Path) -> None:
        with_code.close()
        reopened = open_journal(with_code.path, PASSPHRASE)
        before = folder_state(data_dir)
        access.change_passphrase(reopened, NEW_PASSPHRASE)
        after = folder_state(data_dir)
        reopened.close()
        assert {name for name in before if before[name] != after.get(name)} == {"journal.key"}
        assert set(after) == set(before)
        assert (data_dir / "journal.key").stat().st_mode & 0o777 == 0o600

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

    def test_a_new_code_needs_the_passphrase_when_given(self, with_code: Journal, code: str,
                                                        data_dir: Path) -> None:
        before = folder_state(data_dir)
        with pytest.raises(WrongPassphrase):
            access.new_recovery_code(with_code, passphrase="not the passphrase")
        assert folder_state(data_dir) == before
        fresh = access.new_recovery_code(with_code, passphrase=PASSPHRASE)
        keyfile = keys.read_key_file(with_code.key_path)
        assert keys.unlock_with_recovery_code(keyfile, fresh) == with_code.key
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


class TestRecoveryCode:
    """A code made at set-up or later opens the journal when the passphrase is lost."""

    def test_journal_made_without_a_code(self, journal: Journal) -> None:
        assert not access.has_recovery_code(journal)

    def test_new_code_replaces_the_old(self, with_code: Journal, code: str) -> None:
        assert access.has_recovery_code(with_code)
        fresh = access.new_recovery_code(with_code)
        assert fresh != code and len(fresh.replace("-", "")) == 24
        keyfile = keys.read_key_file(with_code.key_path)
        with pytest.raises(WrongRecoveryCode):
            keys.unlock_with_recovery_code(keyfile, code)
        assert keys.unlock_with_recovery_code(keyfile, fresh) == with_code.key
        with_code.close()
        assert opens_with(with_code.path, PASSPHRASE)

    def test_first_code_for_a_journal_made_without_one(self, journal: Journal) -> None:
        fresh = access.new_recovery_code(journal)
        assert access.has_recovery_code(journal)
        path = journal.path
        journal.close()
        access.open_with_recovery_code(path, fresh, NEW_PASSPHRASE).close()

    def test_open_with_the_code_sets_the_new_passphrase(self, with_code: Journal, code: str) -> None:
        path = with_code.path
        with_code.close()
        opened = access.open_with_recovery_code(path, code.lower().replace("-", " "), NEW_PASSPHRASE)
        try:
            assert entries.count_entries(opened) == 1
        finally:
            opened.close()
        assert not opens_with(path, PASSPHRASE)
        assert opens_with(path, NEW_PASSPHRASE)
        # The code itself keeps working until a new one is made.
        access.open_with_recovery_code(path, code, "a third passphrase").close()
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


CHANGE_FOREVER = """
from boundary_journal.services import access
from boundary_journal.storage import open_journal
journal = open_journal(Path(sys.argv[1]), sys.argv[2])
current, other = sys.argv[2], sys.argv[3]
print("ready", flush=True)
while True:
    access.change_passphrase(journal, other)
    current, other = other, current
"""


def test_a_kill_in_the_middle_of_a_change_leaves_one_passphrase_that_works(
    with_code: Journal, code: str
) -> None:
    """SIGKILL while the passphrase flips back and forth: the journal opens with the old or the new one."""
    path = with_code.path
    with_code.close()
    chance = random.Random()
    current, other = PASSPHRASE, NEW_PASSPHRASE
    for _ in range(6):
        child = start_library(CHANGE_FOREVER, str(path), current, other)
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
            time.sleep(chance.uniform(0.0, 0.3))  # a random moment in the loop, not a timing assertion
        finally:
            child.send_signal(signal.SIGKILL)
            child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL

        works = [p for p in (PASSPHRASE, NEW_PASSPHRASE) if opens_with(path, p)]
        assert len(works) == 1
        keyfile = keys.read_key_file(keys.key_path_for(path))
        key = keys.unlock(keyfile, works[0])
        assert keys.unlock_with_recovery_code(keyfile, code) == key
        assert file_integrity_problems(path, key) == []
        reopened = open_journal(path, works[0])
        try:
            assert integrity_problems(reopened) == []
            assert entries.count_entries(reopened) == 1
        finally:
            reopened.close()
        current, other = (PASSPHRASE, NEW_PASSPHRASE) if works == [PASSPHRASE] else (NEW_PASSPHRASE, PASSPHRASE)
