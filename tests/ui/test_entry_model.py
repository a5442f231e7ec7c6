"""EntryTableModel without any widget: columns, catalogue labels, roles, sorting."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from boundary_journal.catalog import Catalog
from boundary_journal.services.entries import EntryRow, EntryView
from ui.entry_model import (
    CATEGORY,
    CHANNEL,
    ENTRY_ID_ROLE,
    HEADERS,
    PAGE_SIZE,
    RELATIONSHIP,
    SUMMARY,
    SUMMARY_LENGTH,
    SUPERVISION,
    WHEN,
    EntryTableModel,
)

HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"


def view(entry_id: int, **overrides: object) -> EntryView:
    base = EntryView(
        id=entry_id,
        occurred=datetime(2026, 3, entry_id, 9, 30),
        relationship="Client K",
        category="personal_contact",
        channel="in_person",
        template="phone_number_request",
        fields={"what_happened": f"Entry {entry_id}", "documentation_note": "Declined."},
        tags=(),
        supervision=False,
        created=datetime(2026, 3, 1),
        updated=datetime(2026, 3, 1),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def column(model: EntryTableModel, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> list[object]:
    return [model.index(row, col).data(role) for row in range(model.rowCount())]


@pytest.fixture
def model(catalog: Catalog) -> EntryTableModel:
    return EntryTableModel(catalog)


class TestShape:
    """Six named columns, one row per entry, and a well-behaved Qt model."""

    def test_headers_follow_the_column_constants(self, model: EntryTableModel) -> None:
        headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        assert headers == ["When", "Relationship", "Category", "Channel", "Summary", "Supervision"]
        assert HEADERS[WHEN] == "When" and HEADERS[SUPERVISION] == "Supervision"

    def test_passes_the_qt_model_tester(self, model: EntryTableModel, qtmodeltester) -> None:
        model.set_entries([view(1), view(2, supervision=True), view(3, relationship="Bed 4")])
        qtmodeltester.check(model)

    def test_the_entry_id_role_names_the_entry(self, model: EntryTableModel) -> None:
        model.set_entries([view(7), view(3)])
        assert column(model, SUMMARY, ENTRY_ID_ROLE) == [7, 3]
        assert model.row_of(3) == 1
        assert model.row_of(99) is None


class TestLabels:
    """Cells show the catalogue's words, never internal ids."""

    def test_category_and_channel_show_catalogue_labels(self, model: EntryTableModel, catalog: Catalog) -> None:
        model.set_entries([view(1, category="social_media", channel="text_message")])
        assert column(model, CATEGORY) == [catalog.category("social_media").label]
        assert column(model, CHANNEL) == [catalog.channel("text_message").label]
        assert "illustrative rank 85/100" in model.index(0, CHANNEL).data(Qt.ItemDataRole.ToolTipRole)

    def test_own_channels_are_not_rated(self, model: EntryTableModel) -> None:
        model.set_entries([view(1, channel="in_person")])
        assert "not ranked" in model.index(0, CHANNEL).data(Qt.ItemDataRole.ToolTipRole)

    def test_unknown_ids_are_shown_as_they_are(self, model: EntryTableModel) -> None:
        model.set_entries([view(1, category="retired_category")])
        assert column(model, CATEGORY) == ["retired_category"]

    def test_when_relationship_and_supervision(self, model: EntryTableModel) -> None:
        model.set_entries([view(2, supervision=True, relationship="Bed 4 in March")])
        assert column(model, WHEN) == ["2026-03-02 09:30"]
        assert column(model, RELATIONSHIP) == ["Bed 4 in March"]
        assert column(model, SUPERVISION) == ["Yes"]

    def test_summary_is_the_first_line_of_what_happened_shortened(self, model: EntryTableModel) -> None:
        long_line = "word " * 100
        model.set_entries(
            [
                view(1, fields={"what_happened": "\n  First line  \nsecond line"}),
                view(2, fields={"what_happened": long_line}),
                view(3, fields={"documentation_note": "Only a note."}),
            ]
        )
        first, long, note_only = (model.index(model.row_of(i), SUMMARY).data() for i in (1, 2, 3))
        assert first == "First line"
        assert len(long) == SUMMARY_LENGTH and long.endswith("…")
        assert note_only == "Only a note."

    def test_user_text_is_passed_on_verbatim(self, model: EntryTableModel) -> None:
        model.set_entries([view(1, relationship=HOSTILE, fields={"what_happened": HOSTILE})])
        assert column(model, RELATIONSHIP) == [HOSTILE]
        assert column(model, SUMMARY) == [HOSTILE]


class TestSorting:
    """Sorting orders by what the user sees (labels, case-insensitively), ties by time."""

    def test_by_when_both_ways(self, model: EntryTableModel) -> None:
        model.set_entries([view(2), view(5), view(1)])
        assert column(model, SUMMARY, ENTRY_ID_ROLE) == [5, 2, 1]  # newest first by default
        model.sort(WHEN, Qt.SortOrder.AscendingOrder)
        assert column(model, SUMMARY, ENTRY_ID_ROLE) == [1, 2, 5]

    def test_by_category_label_not_id(self, model: EntryTableModel, catalog: Catalog) -> None:
        # "messaging" < "social_media" as ids, but "Social media" < "Texts, DMs…" as labels.
        model.set_entries([view(1, category="messaging"), view(2, category="social_media")])
        model.sort(CATEGORY, Qt.SortOrder.AscendingOrder)
        assert column(model, CATEGORY) == [
            catalog.category("social_media").label,
            catalog.category("messaging").label,
        ]

    def test_by_channel_label_not_id(self, model: EntryTableModel) -> None:
        # "other" < "personal_phone_call" as ids, but "Call to my personal phone" < "Other" as labels.
        model.set_entries([view(1, channel="other"), view(2, channel="personal_phone_call")])
        model.sort(CHANNEL, Qt.SortOrder.AscendingOrder)
        assert column(model, SUMMARY, ENTRY_ID_ROLE) == [2, 1]

    def test_by_relationship_ignores_case(self, model: EntryTableModel) -> None:
        model.set_entries([view(1, relationship="client b"), view(2, relationship="Client A")])
        model.sort(RELATIONSHIP, Qt.SortOrder.AscendingOrder)
        assert column(model, RELATIONSHIP) == ["Client A", "client b"]
        model.sort(RELATIONSHIP, Qt.SortOrder.DescendingOrder)
        assert column(model, RELATIONSHIP) == ["client b", "Client A"]

    def test_by_supervision(self, model: EntryTableModel) -> None:
        model.set_entries([view(1, supervision=True), view(2), view(3, supervision=True)])
        model.sort(SUPERVISION, Qt.SortOrder.DescendingOrder)
        assert column(model, SUMMARY, ENTRY_ID_ROLE) == [3, 1, 2]

    def test_new_rows_keep_the_chosen_order(self, model: EntryTableModel) -> None:
        model.sort(WHEN, Qt.SortOrder.AscendingOrder)
        model.set_entries([view(3), view(1), view(2)])
        assert column(model, SUMMARY, ENTRY_ID_ROLE) == [1, 2, 3]
        assert model.sort_column() == WHEN and model.sort_order() == Qt.SortOrder.AscendingOrder

    def test_selection_follows_its_row(self, model: EntryTableModel) -> None:
        model.set_entries([view(1), view(2), view(3)])
        held = QPersistentModelIndex(model.index(model.row_of(2), SUMMARY))
        model.sort(WHEN, Qt.SortOrder.AscendingOrder)
        assert held.row() == model.row_of(2)
        assert held.data(ENTRY_ID_ROLE) == 2


class TestOnDemand:
    """With set_rows, text is fetched a page at a time for the rows shown, and never more."""

    @staticmethod
    def rows(count: int) -> list[EntryRow]:
        start = datetime(2020, 1, 1)
        lines = [EntryRow(i, start + timedelta(hours=i), f"Client {i % 7}", "personal_contact", "in_person", i % 3 == 0)
                 for i in range(1, count + 1)]
        return sorted(lines, key=lambda r: (r.occurred, r.id), reverse=True)

    def test_only_the_pages_shown_are_fetched(self, model: EntryTableModel) -> None:
        asked: list[list[int]] = []

        def fetch(ids: Sequence[int]) -> dict[int, dict[str, str]]:
            asked.append(list(ids))
            return {i: {"what_happened": f"Text of {i}"} for i in ids}

        model.set_rows(self.rows(5 * PAGE_SIZE), fetch)
        assert model.rowCount() == 5 * PAGE_SIZE and asked == []  # filling reads no text
        last = model.rowCount() - 1
        assert model.index(last, SUMMARY).data() == f"Text of {model.entry(last).id}"  # scrolled to the end
        assert model.index(last - 1, SUMMARY).data() == f"Text of {model.entry(last - 1).id}"
        assert len(asked) == 1 and len(asked[0]) == PAGE_SIZE
        assert model.index(0, SUMMARY).data() == f"Text of {model.entry(0).id}"
        assert len(asked) == 2
        assert model.index(last, WHEN).data(ENTRY_ID_ROLE) == 1  # newest first: the oldest entry is last

    def test_sorting_and_row_lookup_follow_the_rows(self, model: EntryTableModel) -> None:
        model.set_rows(self.rows(3 * PAGE_SIZE), lambda ids: {i: {"what_happened": f"{i:05d}"} for i in ids})
        model.sort(SUMMARY, Qt.SortOrder.AscendingOrder)
        assert column(model, SUMMARY)[:3] == ["00001", "00002", "00003"]
        assert model.row_of(1) == 0 and model.entry(model.row_of(42)).id == 42  # type: ignore[arg-type]
        model.sort(SUPERVISION, Qt.SortOrder.DescendingOrder)
        flags = column(model, SUPERVISION)
        assert flags[: PAGE_SIZE] == ["Yes"] * PAGE_SIZE and flags[-1] == ""
        for row in (0, PAGE_SIZE + 3, 3 * PAGE_SIZE - 1):
            entry_id = model.index(row, WHEN).data(ENTRY_ID_ROLE)
            assert model.index(row, SUMMARY).data() == f"{entry_id:05d}"
