"""The entry list as a Qt table model: one row per entry, catalogue labels instead of ids.

The model holds a narrow line per entry (id, time, pseudonym, category, channel, supervision) and
fetches the text of the rows the view actually shows, a page at a time, so a list of years of entries
fills at once and holds little memory.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from boundary_journal.catalog import Catalog
from boundary_journal.services.entries import EntryRow, EntryView

WHEN, RELATIONSHIP, CATEGORY, CHANNEL, SUMMARY, SUPERVISION = range(6)
HEADERS = ("When", "Relationship", "Category", "Channel", "Summary", "Supervision")
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
WHEN_FORMAT = "%Y-%m-%d %H:%M"
SUMMARY_LENGTH = 140
# The fields whose first line says best what an entry is about, in order of preference.
SUMMARY_FIELDS = ("what_happened", "documentation_note", "my_response")

_Index = QModelIndex | QPersistentModelIndex


PAGE_SIZE = 200  # rows fetched together when the view first shows one of them
CACHE_PAGES = 20  # pages of text kept; the rest is fetched again if scrolled back to

Fields = dict[str, str]
FetchFields = Callable[[Sequence[int]], dict[int, Fields]]


def summary_of(entry: EntryView) -> str:
    """The first non-empty line of the most telling field, shortened for one table cell."""
    return summary_of_fields(entry.fields)


def summary_of_fields(fields: Fields) -> str:
    for key in SUMMARY_FIELDS:
        for line in fields.get(key, "").splitlines():
            line = line.strip()
            if line:
                return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1].rstrip() + "…"
    return ""


class EntryTableModel(QAbstractTableModel):
    """Entries shown with the catalogue's labels; sortable; text fetched for the rows in view."""

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[EntryRow] = []
        self._row_of: dict[int, int] = {}
        self._fetch: FetchFields | None = None
        self._pages: OrderedDict[int, dict[int, Fields]] = OrderedDict()  # page number -> id -> fields
        self._known: dict[int, Fields] = {}  # text handed in with set_entries (no fetching needed)
        self._category_labels = {c.id: c.label for c in catalog.categories}
        self._channel_labels = {c.id: c.label for c in catalog.channels}
        self._channel_risk = {c.id: catalog.channel_rank(c) for c in catalog.channels}
        self._sort_column = WHEN
        self._sort_order = Qt.SortOrder.DescendingOrder

    # --- reading -------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = index.row()
        entry = self._rows[row]
        column = index.column()
        if role == ENTRY_ID_ROLE:
            return entry.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == SUMMARY:
                return summary_of_fields(self.fields(row))
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == SUMMARY:
                return self.fields(row).get("what_happened", "")[:1000] or None
            if column == CHANNEL:
                return f"{self.channel_label(entry.channel)} ({self._channel_risk.get(entry.channel, '')})"
            if column == SUPERVISION and entry.supervision:
                return "Marked to bring to supervision"
        return None

    def _display(self, entry: EntryRow, column: int) -> str:
        if column == WHEN:
            return entry.occurred.strftime(WHEN_FORMAT)
        if column == RELATIONSHIP:
            return entry.relationship
        if column == CATEGORY:
            return self.category_label(entry.category)
        if column == CHANNEL:
            return self.channel_label(entry.channel)
        if column == SUPERVISION:
            return "Yes" if entry.supervision else ""
        return ""

    def category_label(self, category_id: str) -> str:
        return self._category_labels.get(category_id, category_id)

    def channel_label(self, channel_id: str) -> str:
        return self._channel_labels.get(channel_id, channel_id)

    def fields(self, row: int) -> Fields:
        """The text of the entry on `row`, fetched with the rest of its page the first time."""
        entry_id = self._rows[row].id
        known = self._known.get(entry_id)
        if known is not None or self._fetch is None:
            return known or {}
        page = row // PAGE_SIZE
        cached = self._pages.get(page)
        if cached is None or entry_id not in cached:
            ids = [r.id for r in self._rows[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]]
            cached = self._fetch(ids)
            self._pages[page] = cached
            while len(self._pages) > CACHE_PAGES:
                self._pages.popitem(last=False)
        self._pages.move_to_end(page)
        return cached.get(entry_id, {})

    # --- the rows ------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[EntryRow], fetch: FetchFields) -> None:
        """Replace every row with `rows` (newest first); their text comes from `fetch` when shown."""
        self._replace(rows, fetch, {}, newest_first=True)

    def set_entries(self, entries: Sequence[EntryView]) -> None:
        """Replace every row with entries whose text is already at hand."""
        rows = [EntryRow(e.id, e.occurred, e.relationship, e.category, e.channel, e.supervision) for e in entries]
        self._replace(rows, None, {e.id: e.fields for e in entries}, newest_first=False)

    def _replace(
        self, rows: Sequence[EntryRow], fetch: FetchFields | None, known: dict[int, Fields], *, newest_first: bool
    ) -> None:
        self.beginResetModel()
        self._fetch, self._known = fetch, known
        self._pages.clear()
        self._rows = list(rows)
        if not newest_first or (self._sort_column, self._sort_order) != (WHEN, Qt.SortOrder.DescendingOrder):
            self._rows.sort(key=self._sort_key(self._sort_column), reverse=self._reversed())
        self._index_rows()
        self.endResetModel()

    def _index_rows(self) -> None:
        self._row_of = {entry.id: row for row, entry in enumerate(self._rows)}

    def entry(self, row: int) -> EntryRow:
        return self._rows[row]

    def entries(self) -> list[EntryRow]:
        return list(self._rows)

    def row_of(self, entry_id: int) -> int | None:
        return self._row_of.get(entry_id)

    # --- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = [e.id for e in self._rows]
        self._sort_column, self._sort_order = column, order
        self._rows.sort(key=self._sort_key(column), reverse=self._reversed())
        self._index_rows()
        self._pages.clear()  # pages are by position, which just changed
        old_indexes = self.persistentIndexList()
        new_indexes = [
            self.index(self._row_of[old_ids[i.row()]], i.column()) if i.isValid() else QModelIndex()
            for i in old_indexes
        ]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def sort_column(self) -> int:
        return self._sort_column

    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def _reversed(self) -> bool:
        return self._sort_order == Qt.SortOrder.DescendingOrder

    def _sort_key(self, column: int) -> Callable[[EntryRow], tuple[Any, ...]]:
        # Ties fall back to time, then id, so equal rows keep a stable, meaningful order.
        if column == WHEN:
            return lambda e: (e.occurred, e.id)
        if column == SUPERVISION:
            return lambda e: (e.supervision, e.occurred, e.id)
        if column == SUMMARY:
            # The one sort that needs every entry's text: fetched once, in pages, for this sort only.
            texts = dict(self._known)
            if self._fetch is not None:
                missing = [e.id for e in self._rows if e.id not in texts]
                for start in range(0, len(missing), 5000):
                    texts.update(self._fetch(missing[start:start + 5000]))
            summaries = {entry_id: summary_of_fields(fields).casefold() for entry_id, fields in texts.items()}
            return lambda e: (summaries.get(e.id, ""), e.occurred, e.id)
        return lambda e: (self._display(e, column).casefold(), e.occurred, e.id)
