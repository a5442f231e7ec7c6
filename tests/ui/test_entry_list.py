"""The entry list controller on its own (no main window): rows, search, filters, selection, forgetting."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services.entries import EntryView
from boundary_journal.store.journal import Journal
from ui.changes import Change
from ui.controllers.entry_list import EntryList, ListPlace
from ui.controllers.session import JournalSession
from ui.entry_model import SUMMARY


class Host:
    """What the list is given: the entry to keep selected, and where problems and status lines go."""

    def __init__(self) -> None:
        self.editing: int | None = None
        self.errors: list[str] = []
        self.statuses: list[str] = []


@pytest.fixture
def host() -> Host:
    return Host()


@pytest.fixture
def listed(qtbot: QtBot, journal: Journal, catalog: Catalog, host: Host) -> EntryList:
    entry_list = EntryList(catalog, JournalSession(journal), keep_selected=lambda: host.editing,
                           show_error=lambda error: host.errors.append(str(error)),
                           status=lambda text, _timeout=0: host.statuses.append(text))
    qtbot.addWidget(entry_list.pane)
    entry_list.pane.resize(900, 500)
    entry_list.pane.show()
    qtbot.waitExposed(entry_list.pane)
    return entry_list


def ids(entry_list: EntryList) -> list[int]:
    return [entry.id for entry in entry_list.model.entries()]


class TestEntryList:
    """Rows for the filters and search, re-read when entries or relationships change."""

    def test_a_change_of_entries_re_reads_the_rows_and_the_count(
        self, listed: EntryList, stored: Callable[..., EntryView]
    ) -> None:
        first = stored()
        listed.on_change(Change.SETTINGS)  # not a kind the list shows
        assert ids(listed) == []
        listed.on_change(Change.ENTRIES)
        assert ids(listed) == [first.id] and listed.count_label.text() == "1 entry"

    def test_relationships_fill_the_filter_and_are_announced(
        self, listed: EntryList, stored: Callable[..., EntryView]
    ) -> None:
        stored(relationship="Client K")
        kept = stored(relationship="Bed 4")
        announced: list[list[str]] = []
        listed.pseudonyms_changed.connect(announced.append)
        listed.on_change(Change.RELATIONSHIPS)
        assert ids(listed) == []  # the filter is re-read, the rows only for a change of entries
        assert sorted(listed.pseudonyms()) == ["Bed 4", "Client K"] and sorted(announced[0]) == ["Bed 4", "Client K"]
        listed.relationship_filter.setCurrentIndex(listed.relationship_filter.findData("Bed 4"))
        assert ids(listed) == [kept.id]

    def test_search_narrows_and_an_unsearchable_query_gives_a_hint(
        self, qtbot: QtBot, listed: EntryList, stored: Callable[..., EntryView]
    ) -> None:
        zebra = stored(fields={"what_happened": "A zebra at the door.", "documentation_note": "Noted."})
        other = stored()
        qtbot.keyClicks(listed.search_edit, "zebra")
        qtbot.waitUntil(lambda: ids(listed) == [zebra.id] and not listed.search_timer.isActive())
        listed.search_edit.setText("(")
        listed.reload()
        assert listed.search_hint.isVisible() and sorted(ids(listed)) == sorted([zebra.id, other.id])

    def test_only_the_users_choice_of_row_is_announced(
        self, qtbot: QtBot, listed: EntryList, host: Host, stored: Callable[..., EntryView]
    ) -> None:
        older, newer = stored(), stored()
        listed.reload()
        chosen: list[int] = []
        listed.entry_chosen.connect(chosen.append)
        listed.select_entry(older.id)
        assert chosen == []
        row = listed.model.row_of(newer.id)
        rect = listed.table.visualRect(listed.model.index(row, SUMMARY))
        qtbot.mouseClick(listed.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert chosen == [newer.id]

    def test_forgetting_empties_everything_read_and_a_locked_session_reads_nothing(
        self, listed: EntryList, stored: Callable[..., EntryView]
    ) -> None:
        stored()
        listed.on_change(Change.ALL)
        listed.search_edit.setText("door")
        listed.forget()
        assert ids(listed) == [] and listed.count_label.text() == "" and listed.search_edit.text() == ""
        assert listed.pseudonyms() == []
        journal = listed.session.take()
        try:
            listed.on_change(Change.ALL)
            assert ids(listed) == []
        finally:
            listed.session.journal = journal

    def test_its_place_survives_forgetting_and_comes_back(
        self, listed: EntryList, stored: Callable[..., EntryView]
    ) -> None:
        zebra = stored(fields={"what_happened": "A zebra at the door.", "documentation_note": "Declined."})
        stored(relationship="Client Q")
        listed.on_change(Change.ALL)
        listed.relationship_filter.setCurrentIndex(listed.relationship_filter.findData("Client K"))
        listed.search_edit.setText("zebra")
        listed.reload()
        place = listed.place()
        assert place == ListPlace(search="zebra", relationship="Client K")
        listed.forget()
        listed.on_change(Change.ALL)  # the journal read again, as after unlocking
        assert listed.place() == ListPlace(search="", relationship=None) and len(ids(listed)) == 2
        listed.restore(place)
        assert listed.place() == place and ids(listed) == [zebra.id]
        assert not listed.search_timer.isActive()

    def test_stop_ends_a_pending_search(self, listed: EntryList) -> None:
        listed.search_edit.setText("door")
        assert listed.search_timer.isActive()
        listed.stop()
        assert not listed.search_timer.isActive()
