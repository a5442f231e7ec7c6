"""What the release before issue 12 wrote still opens: its journal, key file (version 1) and backups.

The files in tests/data/first-version were made by that release (see its README); each test works on a copy.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from boundary_journal.services import access, entries
from boundary_journal.store import backups, keys
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import open_journal

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "first-version"
PASSPHRASE = "a passphrase of the first version"
CODE = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"
TEXT = "written by version 0.1 before issue 12"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE / "data", tmp_path / "data")
    return tmp_path / "data"


def texts(path: Path, passphrase: str) -> list[str]:
    journal = open_journal(path, passphrase)
    try:
        return [view.fields["what_happened"] for view in entries.list_entries(journal)]
    finally:
        journal.close()


def test_the_journal_opens_with_its_passphrase(data: Path) -> None:
    assert keys.read_key_file(keys.key_path_for(journal_path(data))).to_json()["version"] == keys.KEY_VERSION
    assert '"version": 1' in keys.key_path_for(journal_path(data)).read_text()
    assert texts(journal_path(data), PASSPHRASE) == [TEXT]


def test_its_recovery_code_sets_a_new_passphrase_and_keeps_working(data: Path) -> None:
    journal, _change = access.open_with_recovery_code(journal_path(data), CODE, "a new long passphrase")
    journal.close()
    assert texts(journal_path(data), "a new long passphrase") == [TEXT]
    # The code was typed, so its slot was made anew in the new form: it follows later changes of key.
    keyfile = keys.read_key_file(keys.key_path_for(journal_path(data)))
    assert keys.unlock_with_recovery_code(keyfile, CODE) == keys.unlock(keyfile, "a new long passphrase")


def test_a_passphrase_change_says_the_code_of_the_first_version_stopped(data: Path) -> None:
    journal = open_journal(journal_path(data), PASSPHRASE)
    try:
        change = access.change_passphrase(journal, "a new long passphrase")
    finally:
        journal.close()
    assert change.recovery_dropped
    assert texts(journal_path(data), "a new long passphrase") == [TEXT]


def test_its_backup_restores(tmp_path: Path) -> None:
    fresh = journal_path(tmp_path / "new")
    fresh.parent.mkdir()
    backups.restore_backup(fresh, FIXTURE / "first-version.bjbackup", PASSPHRASE)
    assert texts(fresh, PASSPHRASE) == [TEXT]


def test_its_backup_restores_over_a_journal_of_today_with_both_passphrases(data: Path, tmp_path: Path) -> None:
    journal = open_journal(journal_path(data), PASSPHRASE)
    try:
        access.change_passphrase(journal, "a new long passphrase")
    finally:
        journal.close()
    restored = backups.restore_backup(journal_path(data), FIXTURE / "first-version.bjbackup",
                                      "a new long passphrase", backup_secret=PASSPHRASE)
    assert restored.rekeyed
    assert texts(journal_path(data), "a new long passphrase") == [TEXT]
