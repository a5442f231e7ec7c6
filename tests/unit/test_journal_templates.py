"""The tests' session template journal (tests/conftest.py): a copy is the journal create_journal makes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import JournalExists
from boundary_journal.services import entries
from boundary_journal.store import keys, migrations, sqlcipher
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import create_journal, open_journal
from tests.conftest import PASSPHRASE, TEST_KDF, JournalTemplates
from tests.unit.journal_files import entry_draft


def _tables(path: Path, key: bytes) -> list[str]:
    conn = sqlcipher.connect(path, key)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM sqlite_master ORDER BY name")]
    finally:
        conn.close()


def test_a_copy_is_what_create_journal_makes(journal: Journal, tmp_path: Path) -> None:
    made = create_journal(journal_path(tmp_path / "made"), PASSPHRASE)
    made_key = made.key
    made.close()
    assert _tables(journal.path, journal.key) == _tables(made.path, made_key)
    assert sqlcipher.verify(journal.path, journal.key, check=True) == migrations.head()
    assert stat.S_IMODE(journal.path.stat().st_mode) == stat.S_IMODE(made.path.stat().st_mode) == 0o600
    stored = keys.read_key_file(journal.key_path)
    assert stored.slots[keys.PASSPHRASE_SLOT].kdf == TEST_KDF
    assert keys.unlock(stored, PASSPHRASE) == journal.key
    assert entries.list_entries(journal) == []


def test_copies_are_separate_files(journal_templates: JournalTemplates, catalog: Catalog, tmp_path: Path) -> None:
    first = journal_templates.open(journal_path(tmp_path / "first"), PASSPHRASE)
    second = journal_templates.open(journal_path(tmp_path / "second"), PASSPHRASE)
    try:
        entries.add_entry(first, catalog, entry_draft("only in the first"))
        assert entries.list_entries(second) == []
    finally:
        first.close()
        second.close()
    reopened = open_journal(second.path, PASSPHRASE)
    try:
        assert entries.list_entries(reopened) == []
    finally:
        reopened.close()


def test_never_replaces_a_journal(journal: Journal, journal_templates: JournalTemplates) -> None:
    with pytest.raises(JournalExists):
        journal_templates.copy(journal.path, PASSPHRASE)

