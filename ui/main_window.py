"""The main window: the filtered entry list beside the entry editor, menus, shortcuts, status bar.

Every change to the journal goes through `boundary_journal.services`; prompts go through
`confirm_unsaved_changes` and `show_error`, which tests replace on the instance. "Today" comes from the
`Clock` the window is given, so the weekly exercise, its follow-up and the reminder can be tested by date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStyle,
    QSystemTrayIcon,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from boundary_journal import APP_NAME
from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, UserError
from boundary_journal.services import actions, drift, entries, relationships, settings, weekly
from boundary_journal.services.actions import ActionView
from boundary_journal.services.entries import DeletedEntry, EntryFilter, EntryView
from boundary_journal.services.selfchecks import SelfCheckView
from boundary_journal.services.settings import ReminderSetting
from boundary_journal.services.weekly import ExerciseView, IsoWeek
from boundary_journal.storage import Journal
from ui import messages
from ui.actions_panel import ActionsPanel
from ui.clock import Clock
from ui.entry_editor import EntryEditor
from ui.entry_model import CATEGORY, CHANNEL, RELATIONSHIP, SUMMARY, SUPERVISION, WHEN, EntryTableModel
from ui.exercise_model import streak_text
from ui.followup_dialog import FollowupDialog
from ui.messages import UnsavedChoice
from ui.reminder_dialog import ReminderDialog
from ui.selfcheck_dialog import SelfCheckDialog
from ui.trends_panel import TrendsPanel
from ui.warning_banner import WarningBanner
from ui.weekly_banner import WeeklyBanner
from ui.weekly_dialog import WeeklyDialog

STATUS_TIMEOUT_MS = 10_000
SEARCH_DELAY_MS = 200
CLOCK_CHECK_MS = 60_000  # the day, the week and the reminder are looked at once a minute
WEEKLY_SHORTCUT = "Ctrl+Shift+W"
ACTIONS_SHORTCUT = "Ctrl+J"
REMINDER_TITLE = "Weekly exercise"
# What a notification says: nothing from the journal, since notification centres keep a history in plain files.
REMINDER_TEXT = "Time for this week's grey-relationship exercise: one relationship, one sentence, one move."
# Below this many average characters of width, the window starts without the guidance panel.
WIDE_ENOUGH_FOR_GUIDANCE = 170


def shortcut_text(key: QKeySequence.StandardKey) -> str:
    """A standard shortcut as this platform writes it (Ctrl+Z here, ⌘Z on a Mac)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


class MainWindow(QMainWindow):
    """The journal window for one open journal; it does not close the journal itself."""

    def __init__(
        self, journal: Journal, catalog: Catalog, parent: QWidget | None = None, *, clock: Clock | None = None
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.catalog = catalog
        self.clock = clock or Clock()
        self._deleted: list[DeletedEntry] = []
        self._selecting = False  # the window itself is moving the selection: do not react
        self._pending_entry: int | None = None

        self.setWindowTitle(f"{APP_NAME}[*]")
        self.setAccessibleName(APP_NAME)
        self._build_list_pane()
        self.editor = EntryEditor(catalog)
        self.editor.changed.connect(self._editor_changed)
        self.editor.save_requested.connect(self.save)
        self.editor.action_requested.connect(self.make_next_step_action)

        self.trends = TrendsPanel(journal, catalog)
        self.trends.self_check_requested.connect(self.self_check)
        self.trends.journal_changed.connect(self.refresh_after_change)
        self.actions_panel = ActionsPanel(journal, catalog, self.clock)
        self.actions_panel.journal_changed.connect(self.refresh_after_change)
        self.actions_panel.exercise_requested.connect(self.weekly_exercise)
        self.actions_panel.outcome_requested.connect(self.record_outcome)
        # Trends and actions share the left side with the list, so writing an entry keeps its room.
        self.left_tabs = QTabWidget()
        self.left_tabs.setAccessibleName("Entries, trends and actions")
        self.left_tabs.setDocumentMode(True)
        self.left_tabs.addTab(self.list_pane, "Entries")
        self.left_tabs.addTab(self.trends, "Trends")
        self.left_tabs.addTab(self.actions_panel, "Actions")
        self.left_tabs.setTabToolTip(0, "The entry list (Ctrl+F searches it)")
        self.left_tabs.setTabToolTip(1, "Scores over time, slope stage and open actions (Ctrl+T)")
        self.left_tabs.setTabToolTip(2, f"Every action by status, and the weekly history ({ACTIONS_SHORTCUT})")

        self.banner = WarningBanner()
        self.banner.show_trend.connect(self.show_trends)
        self.weekly_banner = WeeklyBanner()
        self.weekly_banner.exercise_requested.connect(self.weekly_exercise)
        self._self_check_dialog: SelfCheckDialog | None = None
        self.weekly_dialog: WeeklyDialog | None = None
        self.followup_dialog: FollowupDialog | None = None
        self.reminder_dialog: ReminderDialog | None = None
        self._tray: QSystemTrayIcon | None = None
        self._checked_day: date | None = None
        self._reminded_week: IsoWeek | None = None
        self._reminder = settings.get_reminder(journal)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left_tabs)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(self.weekly_banner)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._sized = False

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of entries shown")
        self.statusBar().addPermanentWidget(self.count_label)
        self._build_actions()

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.reload)
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(CLOCK_CHECK_MS)
        self._clock_timer.timeout.connect(self.check_clock)
        self._clock_timer.start()

        self._refresh_relationships()
        self.reload()
        self.refresh_warnings()
        self.refresh_weekly()
        self.editor.new_entry()
        fm = self.fontMetrics()
        width, height = fm.averageCharWidth() * 170, fm.lineSpacing() * 44
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width, height = min(width, screen.width() * 9 // 10), min(height, screen.height() * 9 // 10)
        self.resize(width, height)

    # --- construction --------------------------------------------------------------------

    def _build_list_pane(self) -> None:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(f"Search words ({shortcut_text(QKeySequence.StandardKey.Find)})")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search entries")
        self.search_edit.setAccessibleDescription("Finds entries containing every word typed")
        self.search_edit.textChanged.connect(self._search_changed)
        self.search_edit.returnPressed.connect(self._search_submitted)

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
        self.new_button.clicked.connect(self.new_entry)

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
        self.table.activated.connect(self._row_activated)

        filters = QGridLayout()
        filters.addWidget(self.search_edit, 0, 0, 1, 3)
        filters.addWidget(self.new_button, 0, 3)
        filters.addWidget(self.relationship_filter, 1, 0)
        filters.addWidget(self.category_filter, 1, 1)
        filters.addWidget(self.channel_filter, 1, 2)
        filters.addWidget(self.supervision_filter, 1, 3)
        for column in range(3):
            filters.setColumnStretch(column, 1)

        self.list_pane = QWidget()
        layout = QVBoxLayout(self.list_pane)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.search_hint)
        layout.addWidget(self.table, 1)

    def _filter_combo(self, everything: str, accessible_name: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(everything, None)
        combo.setAccessibleName(accessible_name)
        combo.setToolTip(accessible_name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        combo.currentIndexChanged.connect(self.reload)
        return combo

    def _action(
        self, text: str, shortcut: QKeySequence.StandardKey | str | None, slot: Callable[[], object]
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("&New Entry", QKeySequence.StandardKey.New, self.new_entry)
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, self.save)
        self.export_action = self._action("&Export PDF…", "Ctrl+E", self.export_pdf)
        self.brief_action = self._action("Ethics-consult &brief…", None, self.export_brief)
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.undo_action = self._action("&Undo Delete", QKeySequence.StandardKey.Undo, self.undo_delete)
        self.undo_action.setEnabled(False)
        # Delete only acts from the list (and the menu), so the Del key keeps working in text fields.
        self.delete_action = self._action("&Delete Entry", QKeySequence.StandardKey.Delete, self.delete_entry)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.delete_action)
        self.find_action = self._action("&Find", QKeySequence.StandardKey.Find, self.focus_search)

        file_menu = self.menuBar().addMenu("&File")
        for action in (self.new_action, self.save_action, self.export_action, self.brief_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.delete_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        self.guidance_action = QAction("&Guidance Panel", self)
        self.guidance_action.setCheckable(True)
        self.guidance_action.setChecked(True)
        self.guidance_action.setIconText("Guidance")
        self.guidance_action.setToolTip("Show or hide the template's scripts, red flags and source")
        self.guidance_action.toggled.connect(self.editor.guidance.setVisible)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.guidance_action)

        self.self_check_action = self._action("&Self-check…", "Ctrl+K", self.self_check)
        self.self_check_action.setToolTip("A red-flag check-in for one relationship or overall")
        self.trends_action = self._action("&Trends", "Ctrl+T", lambda: self.show_trends(self.trends.scope()))
        self.trends_action.setToolTip("Scores over time, slope stage and open actions")
        self.actions_action = self._action("&Actions", ACTIONS_SHORTCUT, self.show_actions)
        self.actions_action.setToolTip("Every action by status, and the weekly exercise's history")
        self.weekly_action = self._action("&Weekly Exercise…", WEEKLY_SHORTCUT, self.weekly_exercise)
        self.weekly_action.setToolTip("One grey relationship, one sentence, one move for this week")
        self.reminder_action = self._action("&Reminder Settings…", None, self.reminder_settings)
        self.reminder_action.setToolTip("A weekly notification while this week's exercise is not done")
        journal_menu = self.menuBar().addMenu("&Journal")
        journal_menu.addAction(self.self_check_action)
        journal_menu.addAction(self.trends_action)
        journal_menu.addAction(self.actions_action)
        journal_menu.addSeparator()
        journal_menu.addAction(self.weekly_action)
        journal_menu.addAction(self.reminder_action)
        self.editor.guidance_button.setDefaultAction(self.guidance_action)

    # --- prompts (replaced in tests) -----------------------------------------------------

    def confirm_unsaved_changes(self) -> UnsavedChoice:
        return messages.ask_unsaved_changes(self)

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    # --- the list ------------------------------------------------------------------------

    def current_filter(self) -> EntryFilter:
        return EntryFilter(
            relationship=self.relationship_filter.currentData(),
            category=self.category_filter.currentData(),
            channel=self.channel_filter.currentData(),
            supervision=True if self.supervision_filter.isChecked() else None,
        )

    def reload(self) -> None:
        """Re-read the list for the current filters and search, keeping the editor's entry selected."""
        self._search_timer.stop()
        filters = self.current_filter()
        query = self.search_edit.text()
        hint = ""
        try:
            if query.strip():
                try:
                    found = entries.search_entries(self.journal, query, filters)
                except InvalidInput as error:  # nothing searchable typed: say so, list unfiltered
                    hint = str(error)
                    found = entries.list_entries(self.journal, filters)
            else:
                found = entries.list_entries(self.journal, filters)
        except UserError as error:
            self.show_error(error)
            return
        self.search_hint.setText(hint)
        self.search_hint.setVisible(bool(hint))
        self.model.set_entries(found)
        self._select_entry_row(self.editor.entry_id())
        total = len(found)
        self.count_label.setText(f"{total} {'entry' if total == 1 else 'entries'}")

    def _refresh_relationships(self) -> None:
        pseudonyms = [r.pseudonym for r in relationships.list_relationships(self.journal)]
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
        self.editor.set_pseudonyms(pseudonyms)
        self.trends.set_pseudonyms(pseudonyms)

    def pseudonyms(self) -> list[str]:
        return [self.relationship_filter.itemData(i) for i in range(1, self.relationship_filter.count())]

    def _select_entry_row(self, entry_id: int | None) -> None:
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
        if entry.id == self.editor.entry_id():
            return
        if not self.editor.is_dirty():
            self.editor.load_entry(entry)
            return
        # Ask after the click or key press has finished, so Cancel can put the selection back cleanly.
        self._pending_entry = entry.id
        QTimer.singleShot(0, self._switch_to_pending_entry)

    def _switch_to_pending_entry(self) -> None:
        entry_id, self._pending_entry = self._pending_entry, None
        if entry_id is None:
            return
        if not self._resolve_unsaved():
            self._select_entry_row(self.editor.entry_id())
            return
        self._open_entry(entry_id)

    def _open_entry(self, entry_id: int) -> None:
        row = self.model.row_of(entry_id)
        try:
            view = self.model.entry(row) if row is not None else entries.get_entry(self.journal, entry_id)
        except UserError as error:
            self.show_error(error)
            return
        self.editor.load_entry(view)
        self._select_entry_row(entry_id)

    def _row_activated(self, _index: QModelIndex) -> None:
        # Enter on a row goes to the editor, keyboard-first.
        target = self.editor.field_edit("what_happened") or self.editor.template_combo
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _search_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _search_submitted(self) -> None:
        self.reload()
        if self.model.rowCount() and not self.search_hint.isVisible():
            self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)
            if not self.table.selectionModel().currentIndex().isValid():
                self.table.selectionModel().setCurrentIndex(
                    self.model.index(0, WHEN),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )

    def _editor_changed(self) -> None:
        self.setWindowModified(self.editor.is_dirty())

    # --- user actions --------------------------------------------------------------------

    def _resolve_unsaved(self) -> bool:
        """True when the editor may be replaced: nothing unsaved, or saved, or discarded."""
        if not self.editor.is_dirty():
            return True
        choice = self.confirm_unsaved_changes()
        if choice is UnsavedChoice.SAVE:
            return self.save()
        return choice is UnsavedChoice.DISCARD

    def new_entry(self) -> None:
        if not self._resolve_unsaved():
            return
        self.editor.new_entry()
        self._select_entry_row(None)
        self.editor.template_combo.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save(self) -> bool:
        """Store the editor's entry (new or edited); problems are shown inline in the editor."""
        entry_id = self.editor.entry_id()
        try:
            draft = self.editor.draft()
            if entry_id is None:
                view = entries.add_entry(self.journal, self.catalog, draft)
            else:
                view = entries.update_entry(self.journal, self.catalog, entry_id, draft)
        except InvalidInput as error:
            self.editor.show_error(str(error))
            return False
        except UserError as error:
            self.show_error(error)
            return False
        self._after_save(view)
        return True

    def _after_save(self, view: EntryView) -> None:
        self.editor.load_entry(view)
        self._refresh_relationships()
        self.reload()
        self.refresh_warnings()
        self.statusBar().showMessage("Saved", STATUS_TIMEOUT_MS)

    def delete_entry(self) -> None:
        """Delete the entry open in the editor; Ctrl+Z brings it back."""
        entry_id = self.editor.entry_id()
        if entry_id is None:
            self.statusBar().showMessage("Select an entry in the list to delete it.", STATUS_TIMEOUT_MS)
            return
        if not self._resolve_unsaved():
            return
        try:
            deleted = entries.delete_entry(self.journal, entry_id)
        except UserError as error:
            self.show_error(error)
            return
        self._deleted.append(deleted)
        self.undo_action.setEnabled(True)
        self.editor.new_entry()
        self.reload()
        self.trends.refresh()  # the suggested stage follows the entries
        undo = shortcut_text(QKeySequence.StandardKey.Undo)
        self.statusBar().showMessage(f"Deleted — {undo} to undo", STATUS_TIMEOUT_MS)

    def undo_delete(self) -> None:
        """Put the most recently deleted entry back."""
        if not self._deleted:
            return
        try:
            view = entries.restore_entry(self.journal, self._deleted[-1])
        except InvalidInput as error:  # it is back already: nothing left to undo for it
            self._deleted.pop()
            self.undo_action.setEnabled(bool(self._deleted))
            self.statusBar().showMessage(str(error), STATUS_TIMEOUT_MS)
            return
        except UserError as error:
            self.show_error(error)
            return
        self._deleted.pop()
        self.undo_action.setEnabled(bool(self._deleted))
        self._refresh_relationships()
        if not self.editor.is_dirty():
            self.editor.load_entry(view)
        self.reload()
        self.trends.refresh()
        self.statusBar().showMessage("Entry restored", STATUS_TIMEOUT_MS)

    def focus_search(self) -> None:
        self.left_tabs.setCurrentWidget(self.list_pane)
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def export_pdf(self, *, mode: str = "summary") -> None:
        """The export dialog: a supervision summary (or, with `mode` "brief", an ethics-consult brief)."""
        from ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.journal, self.catalog, self.pseudonyms(), self, now=self.clock.now(), mode=mode)
        dialog.exec()
        if dialog.result_message:
            self.statusBar().showMessage(dialog.result_message, STATUS_TIMEOUT_MS)
        if dialog.edited_entries:
            # Entries fixed at their source from the check: show the new text unless the editor holds changes.
            editing = self.editor.entry_id()
            if editing in dialog.edited_entries and not self.editor.is_dirty():
                self.editor.load_entry(entries.get_entry(self.journal, editing))
            self.reload()

    def export_brief(self) -> None:
        self.export_pdf(mode="brief")

    # --- check-ins, trends and warnings --------------------------------------------------

    def refresh_warnings(self) -> None:
        """Re-read the drift warnings and the trends after anything that can change them."""
        try:
            warnings = drift.active_warnings(self.journal, self.catalog)
        except UserError as error:
            self.show_error(error)
            return
        self.banner.show_warnings(warnings)
        self.trends.refresh()

    def show_trends(self, pseudonym: str | None) -> None:
        self.trends.set_scope(pseudonym)
        self.left_tabs.setCurrentWidget(self.trends)
        self.trends.scope_combo.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def self_check(self) -> None:
        """Open the self-check for the relationship the trends show (or overall); window-modal, not blocking."""
        if self._self_check_dialog is not None:
            self._self_check_dialog.raise_()
            self._self_check_dialog.activateWindow()
            return
        dialog = SelfCheckDialog(self.journal, self.catalog, self.pseudonyms(), self.trends.scope(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._after_self_check)
        dialog.finished.connect(self._self_check_closed)
        self._self_check_dialog = dialog
        dialog.open()

    def _self_check_closed(self, _result: int) -> None:
        self._self_check_dialog = None

    def _after_self_check(self, view: SelfCheckView, action: ActionView | None) -> None:
        self.refresh_after_change()
        self.show_trends(view.relationship)
        message = "Check-in saved"
        if action is not None:
            message += f"; action added: {action.text}"
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)

    # --- actions, the weekly exercise, its follow-up and the reminder ----------------------

    def refresh_after_change(self) -> None:
        """After a change that can touch actions: warnings and trends, the actions tab and the banner."""
        self.refresh_warnings()
        self.refresh_weekly()

    def refresh_weekly(self) -> None:
        """Re-read whether this week's exercise is done, the streak, the actions and the history."""
        today = self.clock.today()
        try:
            done = weekly.is_done_this_week(self.journal, today)
            weeks = weekly.streak(self.journal, today)
        except UserError as error:
            self.show_error(error)
            return
        self.weekly_banner.show_state(done=done, streak=weeks)
        self.actions_panel.refresh()

    def show_actions(self) -> None:
        self.left_tabs.setCurrentWidget(self.actions_panel)
        self.actions_panel.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def weekly_exercise(self) -> WeeklyDialog:
        """Open this week's exercise (pre-filled if it is written already); window-modal, not blocking."""
        if self.weekly_dialog is not None:
            self.weekly_dialog.raise_()
            self.weekly_dialog.activateWindow()
            return self.weekly_dialog
        dialog = WeeklyDialog(self.journal, self.catalog, self.pseudonyms(), self.clock.today(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._after_exercise)
        dialog.finished.connect(self._weekly_closed)
        self.weekly_dialog = dialog
        dialog.open()
        return dialog

    def _after_exercise(self, view: ExerciseView) -> None:
        self._refresh_relationships()
        self.refresh_after_change()
        weeks = weekly.streak(self.journal, self.clock.today())
        self.statusBar().showMessage(
            f"Exercise for week {view.week} saved; the step is on the actions list — {streak_text(weeks)}",
            STATUS_TIMEOUT_MS,
        )

    def _weekly_closed(self, _result: int) -> None:
        dialog, self.weekly_dialog = self.weekly_dialog, None
        if dialog is not None and dialog.calendar_written is not None:
            self.statusBar().showMessage(f"Calendar file saved to {dialog.calendar_written}", STATUS_TIMEOUT_MS)

    def offer_followup(self) -> FollowupDialog | None:
        """Ask once whether last week's step happened, if it has no answer yet; None when there is nothing to ask."""
        if self.followup_dialog is not None:
            return None
        today = self.clock.today()
        try:
            pending = weekly.pending_followup(self.journal, today)
            if pending is None:
                return None
            # Remembered before it is shown: closing it, or the app, must not bring it back at every start.
            weekly.mark_followup_offered(self.journal, pending.week, today)
        except UserError as error:
            self.show_error(error)
            return None
        return self.record_outcome(pending)

    def record_outcome(self, exercise: ExerciseView) -> FollowupDialog | None:
        """Open the follow-up for `exercise` (from the offer, or from the weekly history); window-modal."""
        if self.followup_dialog is not None:
            self.followup_dialog.raise_()
            return self.followup_dialog
        dialog = FollowupDialog(self.journal, self.catalog, exercise, self.clock.today(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.recorded.connect(self._after_followup)
        dialog.finished.connect(self._followup_closed)
        self.followup_dialog = dialog
        dialog.open()
        return dialog

    def _after_followup(self, view: ExerciseView) -> None:
        self.refresh_after_change()
        self.statusBar().showMessage(f"Week {view.week}: answer saved and its action closed", STATUS_TIMEOUT_MS)

    def _followup_closed(self, _result: int) -> None:
        self.followup_dialog = None

    def reminder_settings(self) -> ReminderDialog:
        if self.reminder_dialog is not None:
            self.reminder_dialog.raise_()
            return self.reminder_dialog
        dialog = ReminderDialog(self.journal, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._reminder_saved)
        dialog.finished.connect(self._reminder_closed)
        self.reminder_dialog = dialog
        dialog.open()
        return dialog

    def _reminder_saved(self, reminder: ReminderSetting) -> None:
        self._reminder = reminder
        self._reminded_week = None  # a new time this week may fire again
        if reminder.enabled:
            text = f"Reminder set: {settings.WEEKDAYS[reminder.weekday]}s at {reminder.at:%H:%M}"
        else:
            text = "Reminder turned off"
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)
        self.check_clock()

    def _reminder_closed(self, _result: int) -> None:
        self.reminder_dialog = None

    def check_clock(self) -> None:
        """Once a minute (and at start): a new day refreshes statuses, a new week asks last week's follow-up;
        then the reminder, if it is due."""
        today = self.clock.today()
        if today != self._checked_day:
            self._checked_day = today
            self.refresh_weekly()
            self.offer_followup()
        self._remind_if_due()

    def _remind_if_due(self) -> None:
        now = self.clock.now()
        if not self._reminder.enabled:
            return
        try:
            done = weekly.is_done_this_week(self.journal, now.date())
        except UserError:
            return  # a reminder is not worth a message box; the next minute tries again
        if settings.reminder_due(self._reminder, now, done_this_week=done, last_fired_week=self._reminded_week):
            self._reminded_week = IsoWeek.of(now.date())
            self.notify(REMINDER_TEXT)

    def notify(self, text: str) -> None:
        """A system notification while the app runs, or the status bar where there is no system tray."""
        if QSystemTrayIcon.isSystemTrayAvailable():
            if self._tray is None:
                icon = self.windowIcon()
                if icon.isNull():
                    icon = QIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation))
                self._tray = QSystemTrayIcon(icon, self)
                self._tray.setToolTip(APP_NAME)
                self._tray.messageClicked.connect(self._notification_clicked)
                self._tray.show()
            self._tray.showMessage(REMINDER_TITLE, text, QSystemTrayIcon.MessageIcon.Information)
        self.statusBar().showMessage(text)

    def _notification_clicked(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()
        self.weekly_exercise()

    def make_next_step_action(self) -> None:
        """Turn the saved entry's next step into an open action; a missing next step is said in the editor."""
        entry_id = self.editor.entry_id()
        if entry_id is None or self.editor.is_dirty():
            self.editor.show_problem("Save the entry first: the action is made from its saved next step.")
            return
        try:
            action = actions.action_from_entry(self.journal, entry_id)
        except InvalidInput as error:
            self.editor.show_problem(str(error))
            return
        except UserError as error:
            self.show_error(error)
            return
        self.editor.clear_error()
        self.refresh_after_change()
        self.actions_panel.select_action(action.id)
        self.statusBar().showMessage(f"Action added: {action.text}", STATUS_TIMEOUT_MS)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self._share_width()
            # After the window is up: last week's follow-up, if any, opens over it.
            QTimer.singleShot(0, self.check_clock)

    def _share_width(self) -> None:
        """First show: split the width between list, editor and guidance, in the font's terms.

        A narrow window (small screen, or large text scaling) starts without the guidance panel;
        View ▸ Guidance Panel or the editor's Guidance button brings it back.
        """
        width = self.splitter.width()
        chars = width // max(1, self.fontMetrics().averageCharWidth())
        if chars < WIDE_ENOUGH_FOR_GUIDANCE:
            self.guidance_action.setChecked(False)
            self.splitter.setSizes([width * 45 // 100, width - width * 45 // 100])
        else:
            self.splitter.setSizes([width // 2, width - width // 2])
            inner = width - width // 2
            self.editor.splitter.setSizes([inner * 60 // 100, inner * 40 // 100])
        self._share_columns(self.splitter.sizes()[0])

    def _share_columns(self, list_width: int) -> None:
        fm = self.fontMetrics()
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

    def closeEvent(self, event: QCloseEvent) -> None:
        # An open check-in or exercise asks about its own answers first (QDialog.close routes to its reject).
        for dialog in (self._self_check_dialog, self.weekly_dialog):
            if dialog is not None and not dialog.close():
                event.ignore()
                return
        if self._resolve_unsaved():
            event.accept()
        else:
            event.ignore()
