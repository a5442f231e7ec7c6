"""The main window: the filtered entry list beside the entry editor, menus, shortcuts, status bar.

Every change to the journal goes through `boundary_journal.services`; prompts go through
`confirm_unsaved_changes` and `show_error`, which tests replace on the instance. "Today" comes from the
`Clock` the window is given, so the weekly exercise, its follow-up and the reminder can be tested by date.

The window locks (Ctrl+L, idle time, the system hiding the app): the editor's draft is saved in the journal,
every dialog closes, the lock screen replaces everything, and the journal is closed. The passphrase reopens
it at the same place. While locked, `journal` raises JournalLocked: nothing may read the closed journal.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QSystemTrayIcon,
    QTableView,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from boundary_journal import APP_NAME
from boundary_journal.catalog import NOTE_FIELD, Catalog
from boundary_journal.errors import InvalidInput, JournalDamaged, NotFound, UserError, WrongPassphrase
from boundary_journal.services import actions, demo, drafts, drift, entries, relationships, settings, weekly
from boundary_journal.services.actions import ActionView
from boundary_journal.services.drafts import StoredDraft
from boundary_journal.services.entries import DeletedEntry, EntryFilter, EntryView
from boundary_journal.services.journal_access import unlock as unlock_journal
from boundary_journal.services.selfchecks import SelfCheckView
from boundary_journal.services.settings import ReminderSetting, SecuritySetting
from boundary_journal.services.weekly import ExerciseView, IsoWeek
from boundary_journal.store.journal import Journal
from ui import messages
from ui.actions_panel import ActionsPanel
from ui.automatic_backup import AutomaticBackupJob, BackupNotice
from ui.clipboard import ClipboardGuard
from ui.clock import Clock
from ui.entry_editor import EntryEditor
from ui.entry_model import CATEGORY, CHANNEL, RELATIONSHIP, SUMMARY, SUPERVISION, WHEN, EntryTableModel
from ui.exercise_model import streak_text
from ui.followup_dialog import FollowupDialog
from ui.lock_screen import LOCKED_TITLE, AwayWatcher, JournalLocked, LockScreen
from ui.lock_settings_dialog import LockSettingsDialog
from ui.messages import DraftChoice, UnsavedChoice
from ui.reminder_dialog import ReminderDialog
from ui.sample_journal import SAMPLE_TITLE, SampleNotice
from ui.selfcheck_dialog import SelfCheckDialog
from ui.sizing import WaitCursor
from ui.trends_panel import TrendsPanel
from ui.unlock_dialog import WRONG_PASSPHRASE
from ui.warning_banner import WarningBanner
from ui.weekly_banner import WeeklyBanner
from ui.weekly_dialog import WeeklyDialog

if TYPE_CHECKING:
    from boundary_journal.store.backups import BackupInfo

STATUS_TIMEOUT_MS = 10_000
SEARCH_DELAY_MS = 200
CLOCK_CHECK_MS = 60_000  # the day, the week and the reminder are looked at once a minute
WEEKLY_SHORTCUT = "Ctrl+Shift+W"
ACTIONS_SHORTCUT = "Ctrl+J"
LOCK_SHORTCUT = "Ctrl+L"  # Qt has no standard key for it; KeePassXC locks with Ctrl+L too
COPY_NOTE_SHORTCUT = "Ctrl+Shift+C"
DRAFT_DELAY_MS = 2_000  # the editor's draft is saved this long after typing stops
REMINDER_TITLE = "Weekly exercise"
# What a notification says: nothing from the journal, since notification centres keep a history in plain files.
REMINDER_TEXT = "Time for this week's grey-relationship exercise: one relationship, one sentence, one move."
# Below this many average characters of width, the window starts without the guidance panel.
WIDE_ENOUGH_FOR_GUIDANCE = 170


def shortcut_text(key: QKeySequence.StandardKey) -> str:
    """A standard shortcut as this platform writes it (Ctrl+Z here, ⌘Z on a Mac)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


@dataclass(frozen=True)
class LockedPlace:
    """Where the user was when the window locked, to go back there after unlocking. Held in memory only;
    the editor's text is not here but in the journal, as its draft."""

    tab: int
    entry_id: int | None
    editor_cleared: bool  # False when the draft could not be saved: the editor kept its text, hidden
    draft_slot: str | None
    focused_field: str | None
    search: str
    relationship: str | None
    trends_scope: str | None


class MainWindow(QMainWindow):
    """The journal window. It locks by closing its journal (see `lock`); the journal it was given is otherwise
    closed by its maker (app.run calls `close_journal`), and one it opened itself on unlocking, it closes."""

    # The journal's background check finished (from its thread): the journal checked, and what it found.
    journal_checked = Signal(object, object)

    def __init__(
        self,
        journal: Journal,
        catalog: Catalog,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
        automatic_backups: bool = False,
    ) -> None:
        super().__init__(parent)
        self._journal: Journal | None = journal
        self._journal_path = journal.path
        self._opened_here = False  # a journal opened on unlocking is the window's to close
        self._place: LockedPlace | None = None
        self._action_states: dict[QAction, bool] = {}
        self._draft_slots: set[str] = set()  # editor slots this window knows have a draft in the journal
        self._automatic_backups = automatic_backups  # app.run asks for them; tests that are not about them do not
        self.catalog = catalog
        self.clock = clock or Clock()
        self._deleted: list[DeletedEntry] = []
        self._selecting = False  # the window itself is moving the selection: do not react
        self._pending_entry: int | None = None

        self._sample = False  # the journal is a sample journal (made-up entries); see _show_whose
        self.setWindowTitle(f"{APP_NAME}[*]")
        self.setAccessibleName(APP_NAME)
        self.journal_checked.connect(self._journal_check_finished)
        self._check_journal(journal)
        self._build_list_pane()
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.save_draft_now)
        self.editor = EntryEditor(catalog)
        self.editor.changed.connect(self._editor_changed)
        self.editor.save_requested.connect(self.save)
        self.editor.identifier_hint.confirmed.connect(self.confirm_not_identifying)
        self.editor.action_requested.connect(self.make_next_step_action)

        # Trends and actions share the left side with the list, so writing an entry keeps its room.
        self.left_tabs = QTabWidget()
        self.left_tabs.setAccessibleName("Entries, trends and actions")
        self.left_tabs.setDocumentMode(True)
        self.left_tabs.addTab(self.list_pane, "Entries")
        self.left_tabs.setTabToolTip(0, "The entry list (Ctrl+F searches it)")
        self._add_panels(journal)

        self.banner = WarningBanner()
        self.banner.show_trend.connect(self.show_trends)
        self.banner.acknowledge.connect(self.acknowledge_warning)
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
        self.sample_notice = SampleNotice()
        central_layout.addWidget(self.sample_notice)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(self.weekly_banner)
        self.backup_notice = BackupNotice()
        central_layout.addWidget(self.backup_notice)
        central_layout.addWidget(self.splitter, 1)
        # Locking swaps the journal's page for the lock screen; nothing of the first is shown or kept then.
        self.content = central
        self.lock_screen = LockScreen()
        self.lock_screen.unlock_requested.connect(self.unlock)
        self.lock_screen.quit_requested.connect(self.close)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.content)
        self.pages.addWidget(self.lock_screen)
        self.setCentralWidget(self.pages)
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
        security = settings.get_security(journal)
        self.clipboard_guard = ClipboardGuard(self, clear_after_ms=security.clear_clipboard_seconds * 1000)
        self.clipboard_guard.marked.connect(self._copied)
        self.away_watcher = AwayWatcher(security.lock_after_minutes * 60_000, self, lock_keys=LOCK_SHORTCUT)
        self.away_watcher.away.connect(self.lock)
        self.away_watcher.start()
        self._backup_pool = QThreadPool(self)
        self._backup_job: AutomaticBackupJob | None = None
        self.lock_settings_dialog: LockSettingsDialog | None = None

        self._show_whose(journal)
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
        self.explore_sample_action = self._action("Explore a Sa&mple Journal…", None, self.explore_sample_journal)
        self.explore_sample_action.setToolTip("Years of made-up entries in a second window, apart from your journal")
        self.undo_action = self._action("&Undo Delete", QKeySequence.StandardKey.Undo, self.undo_delete)
        self.undo_action.setEnabled(False)
        # Delete only acts from the list (and the menu), so the Del key keeps working in text fields.
        self.delete_action = self._action("&Delete Entry", QKeySequence.StandardKey.Delete, self.delete_entry)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.delete_action)
        self.find_action = self._action("&Find", QKeySequence.StandardKey.Find, self.focus_search)
        self.lock_action = self._action("&Lock", LOCK_SHORTCUT, self.lock)
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # dialogs: see AwayWatcher
        self.lock_action.setToolTip("Close the journal and hide it until the passphrase is typed again")
        self.lock_settings_action = self._action("Lock and &Clipboard Settings…", None, self.lock_settings)
        self.copy_note_action = self._action(
            "&Copy Documentation Note", COPY_NOTE_SHORTCUT, self.copy_documentation_note
        )
        self.copy_note_action.setToolTip("Copy the entry's neutral note for the chart; it is cleared after a while")

        file_menu = self.menuBar().addMenu("&File")
        for action in (self.new_action, self.save_action, self.export_action, self.brief_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.lock_settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.explore_sample_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.delete_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.copy_note_action)
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
        from ui.security_menu import add_security_menu  # it needs the window's menus built first

        self.security = add_security_menu(self)
        self.sources_action = self._action("&Sources", None, self.show_sources)
        self.sources_action.setToolTip("The articles the catalogue is written from, with their full titles")
        self.menuBar().addMenu("&Help").addAction(self.sources_action)

    def settle_unsaved_changes(self) -> bool:
        """Before the journal is closed under the window: save or discard the editor's changes; False to go back."""
        return self._resolve_unsaved()

    def replace_journal(self, journal: Journal, *, reset: bool = True) -> None:
        """Show `journal` in place of the window's closed one and re-read everything shown from it.

        After a restore, `reset` empties the editor and forgets Undo (its entries may not exist any more);
        reopening the same journal (after unlocking) passes reset=False to keep the user's place. A journal
        handed over after construction is the window's to close.
        """
        self.journal = journal
        self._opened_here = True
        self._check_journal(journal)
        self.trends.journal = journal
        self.actions_panel.journal = journal
        if reset:
            self._deleted.clear()
            self.undo_action.setEnabled(False)
            self.editor.new_entry()
        self._reminder = settings.get_reminder(journal)
        self._show_whose(journal)
        self._refresh_relationships()
        self.reload()
        self.refresh_after_change()

    def _title(self) -> str:
        return f"{APP_NAME} — {SAMPLE_TITLE}[*]" if self._sample else f"{APP_NAME}[*]"

    def _show_whose(self, journal: Journal) -> None:
        """Mark a sample journal (made-up entries) in the title and above the list; nothing for a real one."""
        try:
            self._sample = demo.is_sample(journal)
        except UserError:
            self._sample = False
        self.sample_notice.setVisible(self._sample)
        self.explore_sample_action.setEnabled(not self._sample)
        self.setWindowTitle(self._title())

    def explore_sample_journal(self) -> None:
        """File ▸ Explore a Sample Journal…: make it beside the data folder if needed, open it in a new window."""
        from ui import sample_journal

        if sample_journal.explore(self._journal_path.parent, lambda: self.catalog,
                                  confirm=self.confirm_sample_journal, launch=self.launch_sample_window,
                                  show_error=self.show_error):
            self.statusBar().showMessage("The sample journal opens in a new window.", STATUS_TIMEOUT_MS)

    def _check_journal(self, journal: Journal) -> None:
        """Read every page of `journal` in the background (SQLite's quick_check); writes wait for it."""

        def done(damage: JournalDamaged | None) -> None:  # runs in the checking thread
            with contextlib.suppress(RuntimeError):  # the window is gone already
                self.journal_checked.emit(journal, damage)

        journal.check_in_background(done)

    def _journal_check_finished(self, journal: Journal, damage: JournalDamaged | None) -> None:
        if damage is None or journal is not self._journal:
            return
        self.statusBar().showMessage("The journal is damaged: nothing more is saved to it.")
        self.show_error(
            f"{damage}\n\nNothing more is saved to it; what is shown can still be read and copied. "
            "Restoring a backup (Security ▸ Restore from Backup…, offered next) keeps the damaged file."
        )
        if journal is self._journal:  # not locked or replaced while the message was up
            self.security.restore_from_backup()

    # --- prompts (replaced in tests) -----------------------------------------------------

    def confirm_unsaved_changes(self) -> UnsavedChoice:
        return messages.ask_unsaved_changes(self)

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def confirm_pseudonym(self, pseudonym: str, why: str) -> bool:
        """Keep a new pseudonym that only looks like a name? (Tests replace this on the instance.)"""
        return messages.ask_confirm_pseudonym(self, pseudonym, why)

    def confirm_sample_journal(self, text: str) -> bool:
        return messages.ask_open_sample_journal(self, text)

    def launch_sample_window(self, folder: Path) -> bool:
        from ui.sample_journal import launch_window

        return launch_window(folder)

    def confirm_restore_draft(self, stored: StoredDraft) -> DraftChoice:
        draft = stored.draft
        if draft.entry_id is None:
            what = "a new entry"
        elif draft.occurred is not None:
            what = f"a change to the entry of {draft.occurred:%Y-%m-%d %H:%M}"
        else:
            what = "a change to a saved entry"
        return messages.ask_restore_draft(self, f"{stored.saved_at:%Y-%m-%d %H:%M}", what)

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
        if self.is_locked:
            return
        filters = self.current_filter()
        query = self.search_edit.text()
        hint = ""
        journal = self.journal
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
            self.show_error(error)
            return
        self.search_hint.setText(hint)
        self.search_hint.setVisible(bool(hint))
        self.model.set_rows(found, self._entry_fields)
        self._select_entry_row(self.editor.entry_id())
        total = len(found)
        self.count_label.setText(f"{total} {'entry' if total == 1 else 'entries'}")

    def _refresh_relationships(self) -> None:
        if self.is_locked:
            return
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
            self._open_entry(entry.id)
            return
        # Ask after the click or key press has finished, so Cancel can put the selection back cleanly.
        self._pending_entry = entry.id
        QTimer.singleShot(0, self._switch_to_pending_entry)

    def _switch_to_pending_entry(self) -> None:
        entry_id, self._pending_entry = self._pending_entry, None
        if entry_id is None or self.is_locked:
            return
        if not self._resolve_unsaved():
            self._select_entry_row(self.editor.entry_id())
            return
        self._open_entry(entry_id)

    def _open_entry(self, entry_id: int) -> None:
        try:
            view = entries.get_entry(self.journal, entry_id)
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
        if self.is_locked:
            return
        self.setWindowModified(self.editor.is_dirty())
        self.draft_timer.start()  # restarted by every change: saved once typing stops

    # --- user actions --------------------------------------------------------------------

    def _resolve_unsaved(self) -> bool:
        """True when the editor may be replaced: nothing unsaved, or saved, or discarded (and its draft gone)."""
        if not self.editor.is_dirty():
            self._forget_draft()
            return True
        choice = self.confirm_unsaved_changes()
        if choice is UnsavedChoice.SAVE:
            return self.save()
        if choice is UnsavedChoice.DISCARD:
            self._forget_draft()
            return True
        return False

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
        except relationships.PseudonymLooksIdentifying as error:
            if error.confirmable and self.confirm_pseudonym(error.pseudonym, str(error)):
                relationships.confirm_pseudonym(self.journal, error.pseudonym)
                return self.save()
            self.editor.show_error(error)
            return False
        except InvalidInput as error:
            self.editor.show_error(error)
            return False
        except UserError as error:
            self.show_error(error)
            return False
        self._forget_draft(drafts.slot_for(entry_id))
        self._after_save(view)
        return True

    def _after_save(self, view: EntryView) -> None:
        self.editor.load_entry(view)
        self._show_identifier_hint(view)
        self._refresh_relationships()
        self.reload()
        self.refresh_warnings()
        self.statusBar().showMessage("Saved", STATUS_TIMEOUT_MS)

    def _show_identifier_hint(self, view: EntryView) -> None:
        """What the identifier check recognises in the entry just saved, shown under its heading (non-blocking)."""
        from boundary_journal.services import exports

        self._hint_view = view
        self.editor.identifier_hint.show_findings(exports.entry_findings(self.journal, self.catalog, view))

    def confirm_not_identifying(self, text: str) -> None:
        """The clinician says a finding of the identifier hint identifies nobody: remember it and check again."""
        try:
            settings.remember_not_identifying(self.journal, text)
        except UserError as error:
            self.show_error(error)
            return
        view = getattr(self, "_hint_view", None)
        if view is not None and self.editor.entry_id() == view.id:
            self._show_identifier_hint(view)
        self.statusBar().showMessage(f"“{text}” confirmed as not identifying", STATUS_TIMEOUT_MS)

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
        if self.is_locked:  # it locked while the dialog was open, and closed it: nothing more to show
            return
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
        if self.is_locked:
            return
        try:
            every = drift.all_warnings(self.journal, self.catalog, as_of=self.clock.now())
        except UserError as error:
            self.show_error(error)
            return
        self.banner.show_warnings([w for w in every if not w.acknowledged], [w for w in every if w.acknowledged])
        self.trends.refresh()

    def ask_acknowledgement(self, warning: drift.DriftWarning) -> str | None:
        """The note for acknowledging `warning`; None when the clinician cancels (replaced in tests)."""
        scope = warning.relationship or "your overall check-ins"
        return messages.ask_text(
            self, "Acknowledge the warning",
            f"{warning.title} ({scope}).\n\nWhat did you make of it or do about it? The warning stays quiet "
            "until new evidence arrives.",
        )

    def acknowledge_warning(self, warning: drift.DriftWarning) -> None:
        note = self.ask_acknowledgement(warning)
        if note is None:
            return
        try:
            drift.acknowledge_warning(self.journal, warning, note, when=self.clock.now())
        except UserError as error:
            self.show_error(error)
            return
        self.refresh_warnings()
        self.statusBar().showMessage(f"Warning acknowledged: {warning.title}", STATUS_TIMEOUT_MS)

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
        dialog = SelfCheckDialog(self.journal, self.catalog, self.pseudonyms(), self.trends.scope(), self,
                                 now=self.clock.now)
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
        if self.is_locked:
            return
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

    def show_sources(self) -> QDialog:
        """Help ▸ Sources: the five articles, their full titles and what the app takes from each."""
        from ui.sources_dialog import SourcesDialog

        dialog = SourcesDialog(self.catalog, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

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
        if not self._journal_open():  # locked, or closed under the window (restore, or the app ending)
            return
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
        if not self.is_locked:
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

    # --- the journal, locked or open ---------------------------------------------------------

    @property
    def journal(self) -> Journal:
        """The open journal. Asking for it while the window is locked is a bug: nothing may read it then."""
        if self._journal is None:
            raise JournalLocked("The journal is locked; nothing may read it until it is unlocked.")
        return self._journal

    @journal.setter
    def journal(self, journal: Journal) -> None:
        self._journal = journal

    @property
    def is_locked(self) -> bool:
        return self._journal is None

    def _entry_fields(self, ids: Sequence[int]) -> dict[int, dict[str, str]]:
        """Text for the list's rows on screen; none once the journal is closed under the window (the list
        is emptied at lock, but a repaint can come between closing and that)."""
        if not self._journal_open():
            return {}
        try:
            return entries.entry_fields(self._journal, ids)  # type: ignore[arg-type]
        except UserError as error:  # asked during a repaint: no box, the rows stay without their text
            self.statusBar().showMessage(str(error))
            return {}

    def _journal_open(self) -> bool:
        # Not locked, and not closed under the window either (a restore or delete-everything closes it first).
        return self._journal is not None and self._journal.is_open

    def _add_panels(self, journal: Journal) -> None:
        """The Trends and Actions tabs, read from `journal`. They are built anew at each unlock, so a locked
        window keeps nothing they showed."""
        self.trends = TrendsPanel(journal, self.catalog)
        self.trends.now = self.clock.now
        self.trends.self_check_requested.connect(self.self_check)
        self.trends.journal_changed.connect(self.refresh_after_change)
        self.actions_panel = ActionsPanel(journal, self.catalog, self.clock)
        self.actions_panel.journal_changed.connect(self.refresh_after_change)
        self.actions_panel.exercise_requested.connect(self.weekly_exercise)
        self.actions_panel.outcome_requested.connect(self.record_outcome)
        self.left_tabs.insertTab(1, self.trends, "Trends")
        self.left_tabs.insertTab(2, self.actions_panel, "Actions")
        self.left_tabs.setTabToolTip(1, "Scores over time, slope stage and open actions (Ctrl+T)")
        self.left_tabs.setTabToolTip(2, f"Every action by status, and the weekly history ({ACTIONS_SHORTCUT})")

    def _remove_panels(self) -> None:
        for panel in (self.trends, self.actions_panel):
            self.left_tabs.removeTab(self.left_tabs.indexOf(panel))
            panel.hide()
            panel.deleteLater()  # not at once: the lock may have come from inside one of their slots

    # --- drafts --------------------------------------------------------------------------------

    def save_draft_now(self) -> bool:
        """Keep the editor's unsaved work as its slot's draft, or drop that draft once nothing is unsaved.

        It runs while the user types, so a failure is said in the status bar, not in a box; False then.
        """
        self.draft_timer.stop()
        if not self._journal_open():
            return False
        slot = drafts.slot_for(self.editor.entry_id())
        try:
            if self.editor.is_dirty():
                drafts.save_draft(self.journal, self.editor.unsaved_draft(), now=self.clock.now())
                self._draft_slots.add(slot)
            elif slot in self._draft_slots:
                drafts.discard_draft(self.journal, slot)
                self._draft_slots.discard(slot)
        except UserError as error:
            self.statusBar().showMessage(f"The draft of this entry could not be kept: {error}", STATUS_TIMEOUT_MS)
            return False
        return True

    def _forget_draft(self, slot: str | None = None) -> None:
        """The entry was saved or its changes discarded: its draft (default: the editor's slot's) goes."""
        self.draft_timer.stop()
        if slot is None:
            slot = drafts.slot_for(self.editor.entry_id())
        if slot not in self._draft_slots or not self._journal_open():
            return
        try:
            drafts.discard_draft(self.journal, slot)
        except UserError as error:
            self.statusBar().showMessage(f"An old draft could not be deleted: {error}", STATUS_TIMEOUT_MS)
            return
        self._draft_slots.discard(slot)

    def offer_drafts(self) -> None:
        """Offer back each draft left in the journal (by a crash, or by quitting while locked), newest first."""
        if self.is_locked:
            return
        try:
            found = drafts.load_drafts(self.journal)
        except UserError as error:
            self.show_error(error)
            return
        for stored in found:
            choice = self.confirm_restore_draft(stored)
            if self.is_locked or choice is DraftChoice.LATER:
                return  # unanswered (the window locked over the question): it is offered again next start
            if choice is DraftChoice.DISCARD:
                try:
                    drafts.discard_draft(self.journal, stored.slot)
                except UserError as error:
                    self.show_error(error)
                    return
            elif not self.restore_draft(stored):
                return

    def restore_draft(self, stored: StoredDraft) -> bool:
        """Put `stored` in the editor, after the editor's own unsaved changes are saved or discarded."""
        if not self._resolve_unsaved():
            return False
        return self._put_draft_back(stored)

    def _put_draft_back(self, stored: StoredDraft) -> bool:
        draft = stored.draft
        view: EntryView | None = None
        if draft.entry_id is not None:
            try:
                view = entries.get_entry(self.journal, draft.entry_id)
            except NotFound:
                view = None  # deleted since: the words come back as a new entry
            except UserError as error:
                self.show_error(error)
                return False
        self.editor.restore_draft(draft, view)
        self._draft_slots.add(stored.slot)
        if view is None and stored.slot != drafts.NEW_ENTRY_SLOT:
            self.save_draft_now()  # kept as the new entry's draft from now on
            self._forget_draft(stored.slot)
        self._select_entry_row(self.editor.entry_id())
        return True

    # --- locking -------------------------------------------------------------------------------

    def lock(self) -> None:
        """Lock now: save the editor's draft, close the window's dialogs, show only the lock screen, forget
        what the window read from the journal, and close the journal (its key goes with it)."""
        if self.is_locked:
            return
        kept = self.save_draft_now() if self._journal_open() else False
        dirty = self.editor.is_dirty()
        self._place = LockedPlace(
            tab=self.left_tabs.currentIndex(),
            entry_id=self.editor.entry_id(),
            editor_cleared=kept or not dirty,
            draft_slot=drafts.slot_for(self.editor.entry_id()) if kept and dirty else None,
            focused_field=self.editor.focused_field(),
            search=self.search_edit.text(),
            relationship=self.relationship_filter.currentData(),
            trends_scope=self.trends.scope(),
        )
        journal, self._journal = self._journal, None  # from here on nothing may read it (see `journal`)
        try:
            self._close_windows()
            for timer in (self.draft_timer, self._search_timer, self._clock_timer):
                timer.stop()
            self.away_watcher.stop()
            self.clipboard_guard.clear_if_ours()
            self.clipboard_guard.clear_selection_if_ours()
            self._forget_shown(clear_editor=self._place.editor_cleared)
            self._show_lock_screen()
        finally:
            # A backup reads the journal with its key until it is done: let it finish before the key goes.
            self._backup_pool.waitForDone()
            self.security.wait_for_backup()
            if journal is not None:
                journal.close()

    def _close_windows(self) -> None:
        """Every menu, tooltip and dialog goes, without asking: what was typed in a dialog is lost."""
        for _ in range(10):  # a popup that will not close must not hang the lock
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        QToolTip.hideText()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                # done(), not reject(): a dialog's reject may ask about its answers, and nobody is there to answer.
                widget.done(QDialog.DialogCode.Rejected)

    def _forget_shown(self, *, clear_editor: bool) -> None:
        """Empty every view of what was read from the journal (the undo list too: it holds deleted entries)."""
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
        if clear_editor:
            self.editor.new_entry()
            self.editor.set_pseudonyms([])
        self._deleted.clear()
        self.banner.show_warnings([])
        self.weekly_banner.hide()
        self.backup_notice.hide()
        self._remove_panels()
        self.statusBar().clearMessage()

    def _show_lock_screen(self) -> None:
        self._action_states = {
            child: child.isEnabled()
            for child in self.children()
            if isinstance(child, QAction) and child is not self.quit_action
        }
        for action in self._action_states:
            action.setEnabled(False)
        self.menuBar().hide()
        self.statusBar().hide()
        self.pages.setCurrentWidget(self.lock_screen)
        self.setWindowModified(False)
        self.setWindowTitle(LOCKED_TITLE)
        self.lock_screen.reset()

    def unlock(self, passphrase: str) -> bool:
        """Open the journal again and go back to where the user was; a wrong passphrase is said on the lock
        screen, which stays."""
        if not self.is_locked:
            return True
        with WaitCursor():
            try:
                journal = unlock_journal(self._journal_path, passphrase)
            except WrongPassphrase:
                self.lock_screen.show_problem(WRONG_PASSPHRASE)
                return False
            except UserError as error:  # damaged, missing: the unlock dialog at the next start offers a backup
                self.lock_screen.show_problem(str(error))
                return False
        self._opened_here = True
        self._back_where_we_were(journal)
        return True

    def _back_where_we_were(self, journal: Journal) -> None:
        place, self._place = self._place, None
        self._journal = journal
        self._add_panels(journal)
        for action, enabled in self._action_states.items():
            action.setEnabled(enabled)
        self._action_states = {}
        self.menuBar().show()
        self.statusBar().show()
        self.setWindowTitle(self._title())
        self.pages.setCurrentWidget(self.content)
        self.lock_screen.reset()
        if place is not None:
            self.search_edit.blockSignals(True)
            self.search_edit.setText(place.search)
            self.search_edit.blockSignals(False)
        self.replace_journal(journal, reset=False)  # re-reads the relationships, the list and the panels
        if place is not None:
            self._go_back_to(place)
        self._clock_timer.start()
        self.away_watcher.start()
        self.start_automatic_backup()
        QTimer.singleShot(0, self.check_clock)  # a day or a week may have passed while locked

    def _go_back_to(self, place: LockedPlace) -> None:
        if place.relationship is not None:
            index = self.relationship_filter.findData(place.relationship)
            if index > 0:
                self.relationship_filter.setCurrentIndex(index)  # reloads the list
        if place.draft_slot is not None:
            try:
                stored = next((d for d in drafts.load_drafts(self.journal) if d.slot == place.draft_slot), None)
            except UserError as error:
                self.show_error(error)
                stored = None
            if stored is not None:
                self._put_draft_back(stored)
        elif place.editor_cleared and place.entry_id is not None:
            self._open_entry(place.entry_id)
        else:
            self._select_entry_row(self.editor.entry_id())
        self.trends.set_scope(place.trends_scope)
        self.left_tabs.setCurrentIndex(place.tab)
        edit = self.editor.field_edit(place.focused_field) if place.focused_field else None
        if edit is not None:
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
            edit.moveCursor(QTextCursor.MoveOperation.End)

    def lock_settings(self) -> LockSettingsDialog:
        """File ▸ Lock and Clipboard Settings; window-modal, not blocking."""
        if self.lock_settings_dialog is not None:
            self.lock_settings_dialog.raise_()
            return self.lock_settings_dialog
        dialog = LockSettingsDialog(self.journal, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._security_saved)
        dialog.finished.connect(self._lock_settings_closed)
        self.lock_settings_dialog = dialog
        dialog.open()
        return dialog

    def _security_saved(self, security: SecuritySetting) -> None:
        self.away_watcher.set_limit_ms(security.lock_after_minutes * 60_000)
        self.clipboard_guard.set_clear_after_ms(security.clear_clipboard_seconds * 1000)
        self.statusBar().showMessage(
            f"Locks after {security.lock_after_minutes} min without input; copied text is cleared after "
            f"{security.clear_clipboard_seconds} s",
            STATUS_TIMEOUT_MS,
        )

    def _lock_settings_closed(self, _result: int) -> None:
        self.lock_settings_dialog = None

    # --- the clipboard ------------------------------------------------------------------------

    def copy_documentation_note(self) -> None:
        """Edit ▸ Copy Documentation Note: the note as typed, to paste into a chart; marked and cleared later."""
        edit = self.editor.field_edit(NOTE_FIELD)
        text = edit.toPlainText().strip() if edit is not None else ""
        if not text:
            self.statusBar().showMessage("There is no documentation note to copy yet.", STATUS_TIMEOUT_MS)
            return
        self.clipboard_guard.copy_text(text)

    def _copied(self) -> None:
        if not self.is_locked:
            seconds = -(-self.clipboard_guard.clear_after_ms // 1000)  # rounded up
            self.statusBar().showMessage(f"Copied; it is cleared from the clipboard in {seconds} s", STATUS_TIMEOUT_MS)

    # --- automatic backups and closing ---------------------------------------------------------

    def start_automatic_backup(self) -> None:
        """Today's automatic backup, off the UI thread, if this window makes them and none is running."""
        if not self._automatic_backups or not self._journal_open() or self._backup_pool.activeThreadCount():
            return
        job = AutomaticBackupJob(self.journal, self.clock.now())
        job.setAutoDelete(False)
        job.signals.done.connect(self._backup_done)
        job.signals.failed.connect(self._backup_failed)
        self._backup_job = job  # kept until its signals have arrived
        self._backup_pool.start(job)

    def _backup_done(self, info: BackupInfo | None) -> None:
        self._backup_job = None
        if info is not None and not self.is_locked:
            self.backup_notice.hide()
            self.statusBar().showMessage("Today's automatic backup is made and checked", STATUS_TIMEOUT_MS)

    def _backup_failed(self, error: BaseException) -> None:
        self._backup_job = None
        self.backup_notice.show_failure(error)

    def _after_first_show(self) -> None:
        if not self._journal_open():  # closed (or locked) before the event loop came round
            return
        self.start_automatic_backup()
        self.offer_drafts()
        self.check_clock()

    def _closing(self) -> None:
        """The window is closing: no more locking, backups done, our copy off the clipboard, and a journal the
        window opened itself closed."""
        self.away_watcher.stop()
        for timer in (self.draft_timer, self._search_timer, self._clock_timer):
            timer.stop()
        self._backup_pool.waitForDone()
        self.clipboard_guard.clear_if_ours()
        self.clipboard_guard.stop()
        if self._opened_here and self._journal is not None:
            self._journal.close()

    def wait_for_backups(self) -> None:
        """Until no automatic backup is reading the journal (before it is re-encrypted, replaced or closed)."""
        self._backup_pool.waitForDone()

    def close_journal(self) -> None:
        """When the app ends: whatever journal the window holds is closed (app.run calls this)."""
        self.wait_for_backups()
        self.clipboard_guard.clear_if_ours()
        if self._journal is not None:
            self._journal.close()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self._share_width()
            # After the window is up: a draft left by a crash is offered, then last week's follow-up, if any.
            QTimer.singleShot(0, self._after_first_show)

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
        if self.is_locked:  # nothing to ask: the editor's draft is in the journal, and the journal is closed
            self._closing()
            event.accept()
            return
        # An open check-in or exercise asks about its own answers first (QDialog.close routes to its reject).
        for dialog in (self._self_check_dialog, self.weekly_dialog):
            if dialog is not None and not dialog.close():
                event.ignore()
                return
        if self._resolve_unsaved():
            self._closing()
            event.accept()
        else:
            event.ignore()
