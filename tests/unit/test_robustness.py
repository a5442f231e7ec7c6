"""What the review found: id reuse and undo, concurrent writers, damaged files, deleted words, odd input."""

from __future__ import annotations

import hashlib
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from boundary_journal.catalog import Catalog, shipped_catalog
from boundary_journal.errors import InvalidInput, JournalDamaged, WrongPassphrase
from boundary_journal.services import actions, entries, language
from boundary_journal.services.entries import EntryDraft
from boundary_journal.store.storage import open_journal
from tests.conftest import PASSPHRASE


def draft(text: str = "x", **overrides) -> EntryDraft:
    values = {"template": "gift_offered", "relationship": "Client K", "occurred": datetime(2026, 3, 2, 10, 0),
              "fields": {"what_happened": text, "documentation_note": "y", "next_step": "ask"}}
    values.update(overrides)
    return EntryDraft(**values)


class TestUndoAfterIdReuse:
    def test_restore_gets_a_new_id_when_the_old_one_was_taken(self, journal, catalog: Catalog) -> None:
        first = entries.add_entry(journal, catalog, draft("first"))
        action = actions.action_from_entry(journal, first.id)
        deleted = entries.delete_entry(journal, first.id)
        second = entries.add_entry(journal, catalog, draft("second"))
        assert second.id == first.id  # SQLite hands the freed id out again
        restored = entries.restore_entry(journal, deleted)
        assert restored.id != second.id and restored.fields["what_happened"] == "first"
        assert {e.fields["what_happened"] for e in entries.list_entries(journal)} == {"first", "second"}
        [kept] = actions.list_actions(journal)
        assert kept.id == action.id and kept.origin_id is None  # no longer points at the new entry


def _add_many(folder: str, worker: int, count: int) -> int:
    journal = open_journal(Path(folder) / "journal.db", PASSPHRASE)
    catalog = shipped_catalog()
    try:
        for index in range(count):
            entries.add_entry(journal, catalog, draft(f"worker{worker} entry{index}"))
    finally:
        journal.close()
    return count


@pytest.mark.slow
def test_concurrent_writers_wait_for_each_other(journal, data_dir: Path) -> None:
    journal.close()
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        results = pool.starmap(_add_many, [(str(data_dir), worker, 15) for worker in range(3)])
    assert results == [15, 15, 15]
    reopened = open_journal(journal.path, PASSPHRASE)
    try:
        assert entries.count_entries(reopened) == 45
    finally:
        reopened.close()


class TestDamagedJournal:
    @pytest.fixture
    def damaged(self, journal, catalog: Catalog) -> Path:
        for index in range(40):
            entries.add_entry(journal, catalog, draft(f"entry {index} " + "text " * 200))
        journal.close()
        data = bytearray(journal.path.read_bytes())
        data[4096 + 2000] ^= 0xFF  # one flipped byte in page 2
        journal.path.write_bytes(bytes(data))
        return journal.path

    def test_reported_as_damaged_or_refused_never_changed(self, damaged: Path) -> None:
        before = hashlib.sha256(damaged.read_bytes()).hexdigest()
        with pytest.raises((JournalDamaged, WrongPassphrase)):
            opened = open_journal(damaged, PASSPHRASE)
            try:
                entries.list_entries(opened)
            finally:
                opened.close()
        assert hashlib.sha256(damaged.read_bytes()).hexdigest() == before


def test_deleted_words_leave_the_search_index(journal, catalog: Catalog) -> None:
    view = entries.add_entry(journal, catalog, draft("zyxwvutsrq unique"))
    entries.delete_entry(journal, view.id)
    with journal.engine.connect() as conn:
        conn.exec_driver_sql("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, entries_fts, 'row')")
        terms = {row[0] for row in conn.exec_driver_sql("SELECT term FROM temp.vocab")}
    assert "zyxwvutsrq" not in terms


def test_timezone_aware_moments_are_stored_as_local_time(journal, catalog: Catalog) -> None:
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    view = entries.add_entry(journal, catalog, draft(occurred=moment))
    assert view.occurred == moment.astimezone().replace(tzinfo=None)


def test_relationship_filter_normalises_spaces(journal, catalog: Catalog) -> None:
    entries.add_entry(journal, catalog, draft(relationship="Client Z"))
    assert len(entries.list_entries(journal, entries.EntryFilter(relationship=" client  z "))) == 1


@pytest.mark.parametrize("text", ["He is İnsane", "ınsane", "CRAZY İ ı"])
def test_language_check_survives_special_case_folding(catalog: Catalog, text: str) -> None:
    language.check_language(catalog, text)  # no KeyError, whatever the case folding


def test_underscores_are_not_words_to_search(journal) -> None:
    with pytest.raises(InvalidInput, match="at least one word"):
        entries.search_entries(journal, "___")


def test_nul_in_passphrase(journal) -> None:
    journal.close()
    with pytest.raises(InvalidInput, match="NUL"):
        open_journal(journal.path, "abc\x00def")
