"""The main window: construction and wiring. The filtered entry list beside the entry editor, the Trends and
Actions tabs, the banners, menus, shortcuts and status bar.

Each concern is a controller (`ui.controllers`): the entry list with its search and filters, the editor's
actions, its drafts, the weekly clock and reminder, locking. They read the journal from one
`JournalSession` and tell each other what changed through one signal (`ui.changes`): whoever saves,
deletes or restores says which kinds of data changed, and each panel re-reads only what it shows.
Non-blocking dialogs go through one `DialogRegistry`. Prompts go through the window's `confirm_*` and
`show_error`, which tests replace on the instance. "Today" comes from the `Clock` the window is given.
"""

from __future__ import annotations

import contextlib
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent, QTextCursor
from PySide6.QtWidgets import QDialog, QMainWindow, QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from boundary_journal import APP_NAME
from boundary_journal.catalog import NOTE_FIELD, Catalog
from boundary_journal.errors import JournalDamaged, UserError
from boundary_journal.services import demo, drafts, drift, entries, settings
from boundary_journal.services.drafts import StoredDraft
from boundary_journal.store.journal import Journal
from ui import messages
from ui.automatic_backup import AutomaticBackups, BackupNotice
from ui.changes import Change, ChangeNotifier
from ui.clipboard import ClipboardGuard
from ui.clock import Clock
from ui.controllers.drafts import Drafts
from ui.controllers.editing import EntryEditing
from ui.controllers.entry_list import EntryList
from ui.controllers.lock import Lock, LockedPlace
from ui.controllers.panels import JournalPanels
from ui.controllers.session import JournalSession
from ui.controllers.warnings import DriftWarnings
from ui.controllers.weekly import WeeklyClock
from ui.dialog_registry import DialogRegistry
from ui.entry_editor import EntryEditor
from ui.lock_screen import AwayWatcher, LockScreen
from ui.menus import ACTIONS_SHORTCUT, LOCK_SHORTCUT, MenuSlots, WindowMenus
from ui.messages import DraftChoice, UnsavedChoice
from ui.sample_journal import SAMPLE_TITLE, SampleNotice
from ui.security_menu import SecurityMenu
from ui.selfcheck_dialog import SelfCheckDialog
from ui.warning_banner import WarningBanner
from ui.weekly_banner import WeeklyBanner

STATUS_TIMEOUT_MS = 10_000
# Below this many average characters of width, the window starts without the guidance panel.
WIDE_ENOUGH_FOR_GUIDANCE = 170


class MainWindow(QMainWindow):
    """The journal window. It locks by closing its journal (see `Lock`); the journal it was given is otherwise
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
        self.catalog = catalog
        self.clock = clock or Clock()
        self.session = JournalSession(journal)
        self.changes = ChangeNotifier(self)
        self.dialogs = DialogRegistry(self)
        self._sample = False  # the journal is a sample journal (made-up entries); see _show_whose
        self.setWindowTitle(f"{APP_NAME}[*]")
        self.setAccessibleName(APP_NAME)
        self.journal_checked.connect(self._journal_check_finished)
        self._check_journal(journal)

        self.editor = EntryEditor(catalog)
        self.entry_list = EntryList(catalog, self.session, keep_selected=self.editor.entry_id,
                                    show_error=self._show_error, status=self._status, parent=self)
        self.drafts = Drafts(self.editor, self.session, self.clock, status=self._status, parent=self)
        self.editing = EntryEditing(self.editor, catalog, self.session, self.drafts, self.changes, self,
                                    select_entry=self.entry_list.select_entry, status=self._status, parent=self)
        self.entry_list.entry_chosen.connect(self.editing.choose_entry)
        self.entry_list.row_activated.connect(self.editing.go_to_editor)
        self.entry_list.new_button.clicked.connect(self.editing.new_entry)
        self.entry_list.pseudonyms_changed.connect(self._pseudonyms_changed)
        self.editor.changed.connect(self._editor_changed)
        self.editor.save_requested.connect(self.editing.save)
        self.editor.identifier_hint.confirmed.connect(self.editing.confirm_not_identifying)
        self.editor.action_requested.connect(self.editing.make_next_step_action)
        self.editing.action_made.connect(lambda action: self.panels.select_action(action.id))

        # Trends and actions share the left side with the list, so writing an entry keeps its room.
        self.left_tabs = QTabWidget()
        self.left_tabs.setAccessibleName("Entries, trends and actions")
        self.left_tabs.setDocumentMode(True)
        self.left_tabs.addTab(self.entry_list.pane, "Entries")
        self.left_tabs.setTabToolTip(0, "The entry list (Ctrl+F searches it)")
        self.panels = JournalPanels(self.left_tabs, self.session, catalog, self.clock, self.changes, self.dialogs, self,
                                    pseudonyms=self.entry_list.pseudonyms,
                                    exercise_requested=lambda: self.weekly.weekly_exercise(),
                                    outcome_requested=lambda exercise: self.weekly.record_outcome(exercise),
                                    status=self._status, actions_shortcut=ACTIONS_SHORTCUT)
        self.panels.build(journal)

        self.banner = WarningBanner()
        self.banner.show_trend.connect(self.panels.show_trends)
        self.warnings = DriftWarnings(self.session, catalog, self.clock, self.banner, self.changes,
                                      ask_note=lambda warning: self.ask_acknowledgement(warning),
                                      show_error=self._show_error, status=self._status, parent=self)
        self.weekly_banner = WeeklyBanner()
        self.weekly = WeeklyClock(self.session, catalog, self.clock, self.weekly_banner, self.dialogs, self.changes,
                                  self, pseudonyms=self.entry_list.pseudonyms, status=self._status,
                                  show_error=self._show_error)
        self.weekly.new_day.connect(self.panels.day_turned)  # not a data change, so not on the change signal

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
        self.lock_screen.quit_requested.connect(self.close)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.content)
        self.pages.addWidget(self.lock_screen)
        self.setCentralWidget(self.pages)
        self._sized = False
        self.statusBar().addPermanentWidget(self.entry_list.count_label)

        security = settings.get_security(journal)
        self.clipboard_guard = ClipboardGuard(self, clear_after_ms=security.clear_clipboard_seconds * 1000)
        self.clipboard_guard.marked.connect(self._copied)
        self.away_watcher = AwayWatcher(security.lock_after_minutes * 60_000, self, lock_keys=LOCK_SHORTCUT)
        self.backups = AutomaticBackups(self.session, self.clock, self.backup_notice, enabled=automatic_backups,
                                        status=self._status, parent=self)
        self.menus = WindowMenus(self, MenuSlots(
            new_entry=self.editing.new_entry, save=self.editing.save, export=self.export_pdf, brief=self.export_brief,
            quit=self.close, explore_sample=self.explore_sample_journal, undo_delete=self.editing.undo_delete,
            delete_entry=self.editing.delete_entry, find=self.focus_search, copy_note=self.copy_documentation_note,
            self_check=self.panels.self_check, trends=self.panels.show_trends_tab, actions=self.panels.show_actions,
            weekly=self.weekly.weekly_exercise, reminder_settings=self.weekly.reminder_settings,
            sources=self.show_sources,
        ), entry_table=self.entry_list.table, guidance=self.editor.guidance,
            guidance_button=self.editor.guidance_button)
        self.security = SecurityMenu(self, self, self.menuBar(), self.statusBar(), self.dialogs)
        self.menus.add_help_menu()
        self.locking = Lock(self.session, self, self, self.pages, self.content, self.lock_screen, self.away_watcher,
                            self.clipboard_guard, self.dialogs, self.changes, keep_enabled=[self.menus.quit_action],
                            title=self._title, status=self._status)
        self.menus.lock_action.triggered.connect(self.locking.lock)
        self.menus.lock_settings_action.triggered.connect(self.locking.lock_settings)

        # The change signal: each view re-reads what it shows (the panels, warnings and weekly clock subscribe
        # themselves); no view relies on another having re-read first.
        self.changes.changed.connect(self.entry_list.on_change)
        self.changes.changed.connect(self.warnings.on_change)
        self.editing.undo_available.connect(self.menus.undo_action.setEnabled)

        self._show_whose(journal)
        self.changes.did_change(Change.ALL)
        self.weekly.start()
        self.away_watcher.start()
        self.editor.new_entry()
        fm = self.fontMetrics()
        width, height = fm.averageCharWidth() * 170, fm.lineSpacing() * 44
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width, height = min(width, screen.width() * 9 // 10), min(height, screen.height() * 9 // 10)
        self.resize(width, height)

    # --- the change signal ---------------------------------------------------------------

    def _pseudonyms_changed(self, pseudonyms: list[str]) -> None:
        self.editor.set_pseudonyms(pseudonyms)
        self.panels.set_pseudonyms(pseudonyms)

    def _editor_changed(self) -> None:
        if self.is_locked:
            return
        self.setWindowModified(self.editor.is_dirty())
        self.drafts.editor_changed()

    # --- the journal, locked, open or replaced -------------------------------------------------

    @property
    def journal(self) -> Journal:
        """The open journal. Asking for it while the window is locked is a bug: nothing may read it then."""
        return self.session.journal

    @property
    def is_locked(self) -> bool:
        return self.session.is_locked

    def today(self) -> date:
        return self.clock.today()

    def settle_unsaved_changes(self) -> bool:
        """Before the journal is closed under the window: save or discard the editor's changes; False to go back."""
        return self.editing.resolve_unsaved()

    def discard_editor(self) -> None:
        """The editor empties without asking (the journal under it is about to go)."""
        self.editor.new_entry()

    def replace_journal(self, journal: Journal, *, reset: bool = True) -> None:
        """Show `journal` in place of the window's closed one and re-read everything shown from it.

        After a restore, `reset` empties the editor and forgets Undo (its entries may not exist any more);
        reopening the same journal (after unlocking) passes reset=False to keep the user's place. A journal
        handed over after construction is the window's to close.
        """
        self.session.journal = journal
        self.session.opened_here = True
        self._check_journal(journal)
        self.panels.set_journal(journal)
        if reset:
            self.editing.forget_undo()
            self.editor.new_entry()
        self._show_whose(journal)
        self.changes.did_change(Change.ALL)

    def _title(self) -> str:
        return f"{APP_NAME} — {SAMPLE_TITLE}[*]" if self._sample else f"{APP_NAME}[*]"

    def _show_whose(self, journal: Journal) -> None:
        """Mark a sample journal (made-up entries) in the title and above the list; nothing for a real one."""
        try:
            self._sample = demo.is_sample(journal)
        except UserError:
            self._sample = False
        self.sample_notice.setVisible(self._sample)
        self.menus.explore_sample_action.setEnabled(not self._sample)
        self.setWindowTitle(self._title())

    def _check_journal(self, journal: Journal) -> None:
        """Read every page of `journal` in the background (SQLite's quick_check); writes wait for it."""

        def done(damage: JournalDamaged | None) -> None:  # runs in the checking thread
            with contextlib.suppress(RuntimeError):  # the window is gone already
                self.journal_checked.emit(journal, damage)

        journal.check_in_background(done)

    def _journal_check_finished(self, journal: Journal, damage: JournalDamaged | None) -> None:
        if damage is None or journal is not self.session.held():
            return
        self.statusBar().showMessage("The journal is damaged: nothing more is saved to it.")
        self.show_error(
            f"{damage}\n\nNothing more is saved to it; what is shown can still be read and copied. "
            "Restoring a backup (Security ▸ Restore from Backup…, offered next) keeps the damaged file."
        )
        if journal is self.session.held():  # not locked or replaced while the message was up
            self.security.restore_from_backup()

    # --- locking (the Lock controller's host) ---------------------------------------------------

    def where_we_are(self) -> LockedPlace:
        kept = self.drafts.save_now() if self.session.is_open() else False
        dirty = self.editor.is_dirty()
        return LockedPlace(
            entry_id=self.editor.entry_id(),
            editor_cleared=kept or not dirty,
            draft_slot=drafts.slot_for(self.editor.entry_id()) if kept and dirty else None,
            focused_field=self.editor.focused_field(),
            entries=self.entry_list.place(),
            panels=self.panels.place(),
        )

    def forget_shown(self, place: LockedPlace) -> None:
        """Empty every view of what was read from the journal (the undo list too: it holds deleted entries)."""
        self.drafts.stop()
        self.weekly.stop()
        self.entry_list.forget()
        if place.editor_cleared:
            self.editor.new_entry()
            self.editor.set_pseudonyms([])
        self.editing.forget_undo()
        self.banner.show_warnings([])
        self.weekly_banner.hide()
        self.backup_notice.hide()
        self.panels.remove()
        self.statusBar().clearMessage()

    def wait_for_jobs(self) -> None:
        self.backups.wait()
        self.security.wait_for_backup()

    def come_back(self, journal: Journal, place: LockedPlace | None) -> None:
        self.panels.build(journal)
        self.replace_journal(journal, reset=False)  # re-reads the relationships, the list and the panels
        if place is not None:
            self._go_back_to(place)
        self.weekly.start()
        self.backups.start()
        QTimer.singleShot(0, self.weekly.check_clock)  # a day or a week may have passed while locked

    def _go_back_to(self, place: LockedPlace) -> None:
        self.entry_list.restore(place.entries)
        if place.draft_slot is not None:
            try:
                stored = self.drafts.find(place.draft_slot)
            except UserError as error:
                self.show_error(error)
                stored = None
            if stored is not None:
                self.editing.put_draft_back(stored)
        elif place.editor_cleared and place.entry_id is not None:
            self.editing.open_entry(place.entry_id)
        else:
            self.entry_list.select_entry(self.editor.entry_id())
        self.panels.restore(place.panels)
        edit = self.editor.field_edit(place.focused_field) if place.focused_field else None
        if edit is not None:
            edit.setFocus(Qt.FocusReason.OtherFocusReason)
            edit.moveCursor(QTextCursor.MoveOperation.End)

    # --- prompts (replaced in tests) -----------------------------------------------------

    def confirm_unsaved_changes(self) -> UnsavedChoice:
        return messages.ask_unsaved_changes(self)

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def _show_error(self, error: BaseException | str) -> None:
        self.show_error(error)  # late-bound: tests replace show_error on the instance

    def _status(self, text: str, timeout_ms: int = 0) -> None:
        self.statusBar().showMessage(text, timeout_ms)

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

    def ask_acknowledgement(self, warning: drift.DriftWarning) -> str | None:
        """The note for acknowledging `warning`; None when the clinician cancels (replaced in tests)."""
        scope = warning.relationship or "your overall check-ins"
        return messages.ask_text(
            self, "Acknowledge the warning",
            f"{warning.title} ({scope}).\n\nWhat did you make of it or do about it? The warning stays quiet "
            "until new evidence arrives.",
        )

    # --- menu actions that open a view or a dialog ------------------------------------------------

    def focus_search(self) -> None:
        self.left_tabs.setCurrentWidget(self.entry_list.pane)
        self.entry_list.focus_search()

    def export_pdf(self, *, mode: str = "summary") -> None:
        """The export dialog: a supervision summary (or, with `mode` "brief", an ethics-consult brief)."""
        from ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.journal, self.catalog, self.entry_list.pseudonyms(), self, now=self.clock.now(),
                              mode=mode)
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
            self.changes.did_change(Change.ENTRIES)

    def export_brief(self) -> None:
        self.export_pdf(mode="brief")

    def show_sources(self) -> QDialog:
        """Help ▸ Sources: the five articles, their full titles and what the app takes from each."""
        from ui.sources_dialog import SourcesDialog

        return self.dialogs.open(SourcesDialog, lambda: SourcesDialog(self.catalog, self))

    def explore_sample_journal(self) -> None:
        """File ▸ Explore a Sample Journal…: make it beside the data folder if needed, open it in a new window."""
        from ui import sample_journal

        if sample_journal.explore(self.session.path.parent, lambda: self.catalog,
                                  confirm=self.confirm_sample_journal, launch=self.launch_sample_window,
                                  show_error=self.show_error):
            self.statusBar().showMessage("The sample journal opens in a new window.", STATUS_TIMEOUT_MS)

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

    # --- showing and closing -----------------------------------------------------------------

    def _after_first_show(self) -> None:
        if not self.session.is_open():  # closed (or locked) before the event loop came round
            return
        self.backups.start()
        self.editing.offer_drafts()
        self.weekly.check_clock()

    def _closing(self) -> None:
        """The window is closing: no more locking, backups done, our copy off the clipboard, and a journal the
        window opened itself closed."""
        self.away_watcher.stop()
        self.drafts.stop()
        self.entry_list.stop()
        self.weekly.stop()
        self.backups.wait()
        self.clipboard_guard.clear_if_ours()
        self.clipboard_guard.stop()
        journal = self.session.held()
        if self.session.opened_here and journal is not None:
            journal.close()

    def wait_for_backups(self) -> None:
        """Until no automatic backup is reading the journal (before it is re-encrypted, replaced or closed)."""
        self.backups.wait()

    def close_journal(self) -> None:
        """When the app ends: whatever journal the window holds is closed (app.run calls this)."""
        self.wait_for_backups()
        self.clipboard_guard.clear_if_ours()
        journal = self.session.held()
        if journal is not None:
            journal.close()

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
            self.menus.guidance_action.setChecked(False)
            self.splitter.setSizes([width * 45 // 100, width - width * 45 // 100])
        else:
            self.splitter.setSizes([width // 2, width - width // 2])
            inner = width - width // 2
            self.editor.splitter.setSizes([inner * 60 // 100, inner * 40 // 100])
        self.entry_list.share_columns(self.splitter.sizes()[0])

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_locked:  # nothing to ask: the editor's draft is in the journal, and the journal is closed
            self._closing()
            event.accept()
            return
        # An open check-in or exercise asks about its own answers first (QDialog.close routes to its reject).
        for dialog in (self.dialogs.current(SelfCheckDialog), self.weekly.weekly_dialog):
            if dialog is not None and not dialog.close():
                event.ignore()
                return
        if self.editing.resolve_unsaved():
            self._closing()
            event.accept()
        else:
            event.ignore()
