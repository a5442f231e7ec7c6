"""The entry list with its search and filters: what it shows, and which row is selected.

It re-reads itself when entries or relationships change (`on_change`); a row chosen by the user is
announced as `entry_chosen` (the editor side decides whether the editor may move there).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, UserError
from boundary_journal.services import entries, relationships
from boundary_journal.services.entries import EntryFilter
from ui.changes import Change
from ui.controllers.session import JournalSession, ShowError, Status
from ui.entry_model import CATEGORY, CHANNEL, RELATIONSHIP, SUMMARY, SUPERVISION, WHEN, EntryTableModel

SEARCH_DELAY_MS = 200


@dataclass(frozen=True)
class ListPlace:
    """The search typed and the relationship filtered on (kept in memory over a lock)."""

    search: str
    relationship: str | None


def shortcut_text(key: QKeySequence.StandardKey) -> str:
    """A standard shortcut as this platform writes it (Ctrl+Z here, ⌘Z on a Mac)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class EntryList(QObject):
    """The list pane (`pane`): search, filters, "New entry", the table, and the count (`count_label`)."""

    entry_chosen = Signal(int)  # the user moved the list to another entry than the editor's
    row_activated = Signal()  # Enter or a double click on a row
    pseudonyms_changed = Signal(list)  # the relationships the journal holds, re-read

    def __init__(
        self,
        catalog: Catalog,
        session: JournalSession,
        *,
        keep_selected: Callable[[], int | None],
        show_error: ShowError,
        status: Status,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalog, self.session = catalog, session
        self._keep_selected, self._show_error, self._status = keep_selected, show_error, status
        self._selecting = False  # the list itself is moving the selection: do not announce it
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.reload)
        self._build()

    def _build(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(f"Search words ({shortcut_text(QKeySequence.StandardKey.Find)})")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search entries")
        self.search_edit.setAccessibleDescription("Finds entries containing every word typed")
        self.search_edit.textChanged.connect(lambda _text: self.search_timer.start())
        self.search_edit.returnPressed.connect(self.search_submitted)

        self.search_hint = QLabel()
        self.search_hint.setTextFormat(Qt.TextFormat.PlainText)
        self.search_hint.setWordWrap(True)
        self.search_hint.setAccessibleName("Search hint")
        self.search_hint.hide()

        self.relationship_filter = self._filter_combo("All relationships", "Filter by relationship")
        self.category_filter = self._filter_combo("All categories", "Filter by category")
        for category in self.catalog.categories:
            self.category_filter.addItem(category.label, category.id)
        self.channel_filter = self._filter_combo("All channels", "Filter by channel")
        for channel in self.catalog.channels:
            self.channel_filter.addItem(channel.label, channel.id)
        self.supervision_filter = QCheckBox("For supervision")
        self.supervision_filter.setAccessibleName("Only entries marked for supervision")
        self.supervision_filter.toggled.connect(self.reload)

        self.new_button = QPushButton("New entry")
        self.new_button.setAccessibleName("New entry")
        self.new_button.setToolTip(f"Start a new entry ({shortcut_text(QKeySequence.StandardKey.New)})")

        self.model = EntryTableModel(self.catalog, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Entries")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(WHEN, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SUMMARY, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.table.activated.connect(lambda _index: self.row_activated.emit())

        filters = QGridLayout()
        filters.addWidget(self.search_edit, 0, 0, 1, 3)
        filters.addWidget(self.new_button, 0, 3)
        filters.addWidget(self.relationship_filter, 1, 0)
        filters.addWidget(self.category_filter, 1, 1)
        filters.addWidget(self.channel_filter, 1, 2)
        filters.addWidget(self.supervision_filter, 1, 3)
        for column in range(3):
            filters.setColumnStretch(column, 1)

        self.pane = QWidget()
        layout = QVBoxLayout(self.pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.search_hint)
        layout.addWidget(self.table, 1)

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of entries shown")

    def _filter_combo(self, everything: str, accessible_name: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, None)
        combo.setAccessibleName(accessible_name)
        combo.setToolTip(accessible_name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        combo.currentIndexChanged.connect(self.reload)
        return combo

    # --- reading -------------------------------------------------------------------------------

    def on_change(self, kinds: Change) -> None:
        """Re-read what a change of `kinds` touches: the relationships filter, and the rows."""
        if kinds & Change.RELATIONSHIPS:
            self.refresh_relationships()
        if kinds & Change.ENTRIES:
            self.reload()

    def current_filter(self) -> EntryFilter:
        return EntryFilter(
            relationship=self.relationship_filter.currentData(),
            category=self.category_filter.currentData(),
            channel=self.channel_filter.currentData(),
            supervision=True if self.supervision_filter.isChecked() else None,
        )

    def reload(self) -> None:
        """Re-read the list for the current filters and search, keeping the editor's entry selected."""
        self.search_timer.stop()
        if self.session.is_locked:
            return
        filters = self.current_filter()
        query = self.search_edit.text()
        hint = ""
        journal = self.session.journal
        try:
            if query.strip():
                try:
                    found = entries.list_rows(journal, filters, query)
                except InvalidInput as error:  # nothing searchable typed: say so, list unfiltered
                    hint = str(error)
                    found = entries.list_rows(journal, filters)
            else:
                found = entries.list_rows(journal, filters)
        except UserError as error:
            self._show_error(error)
            return
        self.search_hint.setText(hint)
        self.search_hint.setVisible(bool(hint))
        self.model.set_rows(found, self._entry_fields)
        self.select_entry(self._keep_selected())
        total = len(found)
        self.count_label.setText(f"{total} {'entry' if total == 1 else 'entries'}")

    def refresh_relationships(self) -> None:
        if self.session.is_locked:
            return
        pseudonyms = [r.pseudonym for r in relationships.list_relationships(self.session.journal)]
        current = self.relationship_filter.currentData()
        self.relationship_filter.blockSignals(True)
        try:
            while self.relationship_filter.count() > 1:
                self.relationship_filter.removeItem(1)
            for pseudonym in pseudonyms:
                self.relationship_filter.addItem(pseudonym, pseudonym)
            index = self.relationship_filter.findData(current) if current is not None else 0
            self.relationship_filter.setCurrentIndex(max(index, 0))
        finally:
            self.relationship_filter.blockSignals(False)
        self.pseudonyms_changed.emit(pseudonyms)

    def pseudonyms(self) -> list[str]:
        return [self.relationship_filter.itemData(i) for i in range(1, self.relationship_filter.count())]

    def _entry_fields(self, ids: Sequence[int]) -> dict[int, dict[str, str]]:
        """Text for the rows on screen; none once the journal is closed under the window (the list is
        emptied at lock, but a repaint can come between closing and that)."""
        if not self.session.is_open():
            return {}
        try:
            return entries.entry_fields(self.session.journal, ids)
        except UserError as error:  # asked during a repaint: no box, the rows stay without their text
            self._status(str(error))
            return {}

    # --- the selection -------------------------------------------------------------------------

    def select_entry(self, entry_id: int | None) -> None:
        """Select `entry_id`'s row (none for None) without announcing it."""
        row = self.model.row_of(entry_id) if entry_id is not None else None
        selection = self.table.selectionModel()
        self._selecting = True
        try:
            if row is None:
                selection.clear()
            else:
                index = self.model.index(row, WHEN)
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)
        finally:
            self._selecting = False

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._selecting or not current.isValid():
            return
        entry = self.model.entry(current.row())
        if entry.id != self._keep_selected():
            self.entry_chosen.emit(entry.id)

    def search_submitted(self) -> None:
        self.reload()
        if self.model.rowCount() and not self.search_hint.isVisible():
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if not self.table.selectionModel().currentIndex().isValid():
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(0, WHEN),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # --- locking -------------------------------------------------------------------------------

    def forget(self) -> None:
        """Empty every view of what was read from the journal (the lock)."""
        self.search_timer.stop()
        self.model.set_entries([])
        self.count_label.clear()
        self.search_hint.clear()
        self.search_hint.hide()
        for widget in (self.search_edit, self.relationship_filter):
            widget.blockSignals(True)
        try:
            self.search_edit.setText("")  # not clear(): setText also empties the field's undo history
            while self.relationship_filter.count() > 1:
                self.relationship_filter.removeItem(1)
        finally:
            for widget in (self.search_edit, self.relationship_filter):
                widget.blockSignals(False)

    def place(self) -> ListPlace:
        return ListPlace(search=self.search_edit.text(), relationship=self.relationship_filter.currentData())

    def restore(self, place: ListPlace) -> None:
        """After unlocking (the relationships read again): the search and relationship filter as they were,
        and the rows read for them."""
        for widget in (self.search_edit, self.relationship_filter):
            widget.blockSignals(True)
        try:
            self.search_edit.setText(place.search)
            if place.relationship is not None:
                index = self.relationship_filter.findData(place.relationship)
                if index > 0:
                    self.relationship_filter.setCurrentIndex(index)
        finally:
            for widget in (self.search_edit, self.relationship_filter):
                widget.blockSignals(False)
        self.reload()

    def stop(self) -> None:
        """No search is run after this (the window closes)."""
        self.search_timer.stop()

    def share_columns(self, list_width: int) -> None:
        """Split `list_width` between the columns, in the font's terms (first show)."""
        fm = self.table.fontMetrics()
        header = self.table.horizontalHeader()
        pad = fm.averageCharWidth() * 3
        when = fm.horizontalAdvance("2026-12-31 23:59") + pad
        supervision = fm.horizontalAdvance("Supervision") + pad
        rest = max(0, list_width - when - supervision - self.table.verticalScrollBar().sizeHint().width())
        minimum = fm.averageCharWidth() * 6
        header.resizeSection(WHEN, when)
        header.resizeSection(SUPERVISION, supervision)
        for column, share in ((RELATIONSHIP, 18), (CATEGORY, 22), (CHANNEL, 18)):
            header.resizeSection(column, max(minimum, rest * share // 100))
