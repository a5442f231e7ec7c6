"""The entry list as a Qt table model: one row per entry, catalogue labels instead of ids."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from boundary_journal.catalog import Catalog
from boundary_journal.services.entries import EntryView

WHEN, RELATIONSHIP, CATEGORY, CHANNEL, SUMMARY, SUPERVISION = range(6)
HEADERS = ("When", "Relationship", "Category", "Channel", "Summary", "Supervision")
ENTRY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
WHEN_FORMAT = "%Y-%m-%d %H:%M"
SUMMARY_LENGTH = 140
# The fields whose first line says best what an entry is about, in order of preference.
SUMMARY_FIELDS = ("what_happened", "documentation_note", "my_response")

_Index = QModelIndex | QPersistentModelIndex


def summary_of(entry: EntryView) -> str:
    """The first non-empty line of the most telling field, shortened for one table cell."""
    for key in SUMMARY_FIELDS:
        for line in entry.fields.get(key, "").splitlines():
            line = line.strip()
            if line:
                return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1].rstrip() + "…"
    return ""


class EntryTableModel(QAbstractTableModel):
    """Entries (as returned by the entries service) shown with the catalogue's labels; sortable."""

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[EntryView] = []
        self._category_labels = {c.id: c.label for c in catalog.categories}
        self._channel_labels = {c.id: c.label for c in catalog.channels}
        self._channel_risk = {
            c.id: ("not rated" if c.risk is None else f"risk {c.risk}") for c in catalog.channels
        }
        self._sort_column = WHEN
        self._sort_order = Qt.SortOrder.DescendingOrder

    # --- reading -------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == ENTRY_ID_ROLE:
            return entry.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == SUMMARY:
                return entry.fields.get("what_happened", "")[:1000] or None
            if column == CHANNEL:
                return f"{self.channel_label(entry.channel)} ({self._channel_risk.get(entry.channel, '')})"
            if column == SUPERVISION and entry.supervision:
                return "Marked to bring to supervision"
        return None

    def _display(self, entry: EntryView, column: int) -> str:
        if column == WHEN:
            return entry.occurred.strftime(WHEN_FORMAT)
        if column == RELATIONSHIP:
            return entry.relationship
        if column == CATEGORY:
            return self.category_label(entry.category)
        if column == CHANNEL:
            return self.channel_label(entry.channel)
        if column == SUMMARY:
            return summary_of(entry)
        if column == SUPERVISION:
            return "Yes" if entry.supervision else ""
        return ""

    def category_label(self, category_id: str) -> str:
        return self._category_labels.get(category_id, category_id)

    def channel_label(self, channel_id: str) -> str:
        return self._channel_labels.get(channel_id, channel_id)

    # --- the rows ------------------------------------------------------------------------

    def set_entries(self, entries: Sequence[EntryView]) -> None:
        """Replace every row, keeping the current sort order."""
        self.beginResetModel()
        self._entries = list(entries)
        self._entries.sort(key=self._sort_key(self._sort_column), reverse=self._reversed())
        self.endResetModel()

    def entry(self, row: int) -> EntryView:
        return self._entries[row]

    def entries(self) -> list[EntryView]:
        return list(self._entries)

    def row_of(self, entry_id: int) -> int | None:
        return next((row for row, e in enumerate(self._entries) if e.id == entry_id), None)

    # --- sorting -------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = [e.id for e in self._entries]
        self._sort_column, self._sort_order = column, order
        self._entries.sort(key=self._sort_key(column), reverse=self._reversed())
        new_rows = {e.id: row for row, e in enumerate(self._entries)}
        old_indexes = self.persistentIndexList()
        new_indexes = [
            self.index(new_rows[old_ids[i.row()]], i.column()) if i.isValid() else QModelIndex()
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

    def _sort_key(self, column: int) -> Callable[[EntryView], tuple[Any, ...]]:
        # Ties fall back to time, then id, so equal rows keep a stable, meaningful order.
        if column == WHEN:
            return lambda e: (e.occurred, e.id)
        if column == SUPERVISION:
            return lambda e: (e.supervision, e.occurred, e.id)
        return lambda e: (self._display(e, column).casefold(), e.occurred, e.id)
