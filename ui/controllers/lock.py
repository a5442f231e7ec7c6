"""Locking: the journal is closed and hidden behind the lock screen until the passphrase is typed again.

Locking saves nothing itself: the host (the window) says where the user was (`where_we_are`, after
keeping the editor's draft), empties what it showed (`forget_shown`), and waits for its jobs; then the
journal is closed. Unlocking reopens it and hands it back with that place (`come_back`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QStackedWidget, QToolTip, QWidget

from boundary_journal.errors import UserError, WrongPassphrase
from boundary_journal.services import settings
from boundary_journal.services.journal_access import unlock as unlock_journal
from boundary_journal.services.settings import SecuritySetting
from boundary_journal.store.journal import Journal
from ui.changes import Change, ChangeNotifier
from ui.clipboard import ClipboardGuard
from ui.controllers.entry_list import ListPlace
from ui.controllers.panels import PanelsPlace
from ui.controllers.session import JournalSession, Status
from ui.dialog_registry import DialogRegistry
from ui.lock_screen import LOCKED_TITLE, AwayWatcher, LockScreen
from ui.lock_settings_dialog import LockSettingsDialog
from ui.sizing import WaitCursor
from ui.unlock_dialog import WRONG_PASSPHRASE

STATUS_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class LockedPlace:
    """Where the user was when the window locked, to go back there after unlocking. Held in memory only;
    the editor's text is not here but in the journal, as its draft."""

    entry_id: int | None
    editor_cleared: bool  # False when the draft could not be saved: the editor kept its text, hidden
    draft_slot: str | None
    focused_field: str | None
    entries: ListPlace  # the list's search and relationship filter
    panels: PanelsPlace  # the tab shown and the trends' scope


class LockHost(Protocol):
    """What locking needs of the window it locks."""

    def where_we_are(self) -> LockedPlace: ...
    def forget_shown(self, place: LockedPlace) -> None: ...
    def wait_for_jobs(self) -> None: ...
    def come_back(self, journal: Journal, place: LockedPlace | None) -> None: ...


class Lock(QObject):
    """Locks `window` (Ctrl+L, idle time, the system hiding the app) and unlocks it with the passphrase."""

    def __init__(
        self,
        session: JournalSession,
        host: LockHost,
        window: QMainWindow,
        pages: QStackedWidget,
        content: QWidget,
        lock_screen: LockScreen,
        away_watcher: AwayWatcher,
        clipboard_guard: ClipboardGuard,
        dialogs: DialogRegistry,
        changes: ChangeNotifier,
        *,
        keep_enabled: Sequence[QAction],
        title: Callable[[], str],
        status: Status,
        open_journal: Callable[[Path, str], Journal] = unlock_journal,
    ) -> None:
        super().__init__(window)
        self.session, self.host, self.window, self.pages, self.content = session, host, window, pages, content
        self.lock_screen, self.away_watcher, self.clipboard_guard = lock_screen, away_watcher, clipboard_guard
        self.dialogs, self._keep_enabled, self._title, self._status = dialogs, keep_enabled, title, status
        self._open_journal, self.changes = open_journal, changes
        self.place: LockedPlace | None = None
        self._action_states: dict[QAction, bool] = {}
        lock_screen.unlock_requested.connect(self.unlock)
        away_watcher.away.connect(self.lock)
        changes.changed.connect(self.on_change)

    def lock(self) -> None:
        """Lock now: the host keeps the draft and says where the user was, every dialog closes, only the lock
        screen shows, and the journal is closed (its key goes with it)."""
        if self.session.is_locked:
            return
        self.place = self.host.where_we_are()
        journal = self.session.take()  # from here on nothing may read it
        try:
            close_windows()
            self.away_watcher.stop()
            self.clipboard_guard.clear_if_ours()
            self.clipboard_guard.clear_selection_if_ours()
            self.host.forget_shown(self.place)
            self._show_lock_screen()
        finally:
            # A backup reads the journal with its key until it is done: let it finish before the key goes.
            self.host.wait_for_jobs()
            if journal is not None:
                journal.close()

    def _show_lock_screen(self) -> None:
        self._action_states = {
            child: child.isEnabled()
            for child in self.window.children()
            if isinstance(child, QAction) and child not in self._keep_enabled
        }
        for action in self._action_states:
            action.setEnabled(False)
        self.window.menuBar().hide()
        self.window.statusBar().hide()
        self.pages.setCurrentWidget(self.lock_screen)
        self.window.setWindowModified(False)
        self.window.setWindowTitle(LOCKED_TITLE)
        self.lock_screen.reset()

    def unlock(self, passphrase: str) -> bool:
        """Open the journal again and go back to where the user was; a wrong passphrase is said on the lock
        screen, which stays."""
        if not self.session.is_locked:
            return True
        with WaitCursor():
            try:
                journal = self._open_journal(self.session.path, passphrase)
            except WrongPassphrase:
                self.lock_screen.show_problem(WRONG_PASSPHRASE)
                return False
            except UserError as error:  # damaged, missing: the unlock dialog at the next start offers a backup
                self.lock_screen.show_problem(str(error))
                return False
        self.session.opened_here = True
        place, self.place = self.place, None
        self.session.journal = journal
        for action, enabled in self._action_states.items():
            action.setEnabled(enabled)
        self._action_states = {}
        self.window.menuBar().show()
        self.window.statusBar().show()
        self.window.setWindowTitle(self._title())
        self.pages.setCurrentWidget(self.content)
        self.lock_screen.reset()
        self.host.come_back(journal, place)
        self.away_watcher.start()
        return True

    # --- the settings ------------------------------------------------------------------------------

    def lock_settings(self) -> LockSettingsDialog:
        """File ▸ Lock and Clipboard Settings; window-modal, not blocking."""

        def make() -> LockSettingsDialog:
            dialog = LockSettingsDialog(self.session.journal, self.window)
            dialog.saved.connect(self._security_saved)
            return dialog

        return self.dialogs.open(LockSettingsDialog, make)

    def on_change(self, kinds: Change) -> None:
        """The settings changed (saved, or a journal put in place): idle time and clipboard follow them."""
        if kinds & Change.SETTINGS and not self.session.is_locked:
            try:
                security = settings.get_security(self.session.journal)
            except UserError:
                return  # the limits already set stay; whoever re-read the journal says what went wrong
            self.away_watcher.set_limit_ms(security.lock_after_minutes * 60_000)
            self.clipboard_guard.set_clear_after_ms(security.clear_clipboard_seconds * 1000)

    def _security_saved(self, security: SecuritySetting) -> None:
        self.changes.did_change(Change.SETTINGS)
        self._status(
            f"Locks after {security.lock_after_minutes} min without input; copied text is cleared after "
            f"{security.clear_clipboard_seconds} s",
            STATUS_TIMEOUT_MS,
        )


def close_windows() -> None:
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
