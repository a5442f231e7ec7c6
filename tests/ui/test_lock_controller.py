"""The lock controller on its own (no main window): it asks its host where the user was, hides everything
behind the lock screen, closes the journal, and hands a reopened journal back on the right passphrase."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QStackedWidget
from pytestqt.qtbot import QtBot

from boundary_journal.services import settings
from boundary_journal.services.settings import SecuritySetting
from boundary_journal.store.journal import Journal
from tests.conftest import PASSPHRASE
from ui.changes import Change, ChangeNotifier
from ui.clipboard import ClipboardGuard
from ui.controllers.entry_list import ListPlace
from ui.controllers.lock import Lock, LockedPlace
from ui.controllers.panels import PanelsPlace
from ui.controllers.session import JournalSession
from ui.dialog_registry import DialogRegistry
from ui.lock_screen import LOCKED_TITLE, AwayWatcher, LockScreen
from ui.lock_settings_dialog import LockSettingsDialog

PLACE = LockedPlace(entry_id=None, editor_cleared=True, draft_slot=None, focused_field=None,
                    entries=ListPlace(search="zebra", relationship=None), panels=PanelsPlace(tab=1, trends_scope=None))


@dataclass
class Host:
    """Records what locking asked of the window."""

    calls: list[str] = field(default_factory=list)
    back: list[tuple[Journal, LockedPlace | None]] = field(default_factory=list)

    def where_we_are(self) -> LockedPlace:
        self.calls.append("where_we_are")
        return PLACE

    def forget_shown(self, place: LockedPlace) -> None:
        self.calls.append("forget_shown")

    def wait_for_jobs(self) -> None:
        self.calls.append("wait_for_jobs")

    def come_back(self, journal: Journal, place: LockedPlace | None) -> None:
        self.calls.append("come_back")
        self.back.append((journal, place))


@dataclass
class Locked:
    lock: Lock
    window: QMainWindow
    host: Host
    session: JournalSession
    content: QLabel
    other: QAction
    quit: QAction


@pytest.fixture
def locked(qtbot: QtBot, journal: Journal) -> Locked:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("&File")
    pages, content, screen = QStackedWidget(), QLabel("the journal"), LockScreen()
    pages.addWidget(content)
    pages.addWidget(screen)
    window.setCentralWidget(pages)
    other, quit_ = QAction("Other", window), QAction("Quit", window)
    host, session = Host(), JournalSession(journal)
    lock = Lock(session, host, window, pages, content, screen, AwayWatcher(60_000, window),
                ClipboardGuard(window, clear_after_ms=30_000), DialogRegistry(window), ChangeNotifier(window),
                keep_enabled=[quit_], title=lambda: "Boundary Journal[*]", status=lambda *_args: None)
    window.show()
    qtbot.waitExposed(window)
    return Locked(lock, window, host, session, content, other, quit_)


class TestLock:
    """Locking and unlocking, with the window's part left to its host."""

    def test_locking_closes_the_journal_and_shows_only_the_lock_screen(
        self, qtbot: QtBot, locked: Locked, journal: Journal
    ) -> None:
        dialog = QDialog(locked.window)
        dialog.show()
        locked.lock.lock()
        assert locked.host.calls == ["where_we_are", "forget_shown", "wait_for_jobs"]
        assert locked.session.is_locked and not journal.is_open and not dialog.isVisible()
        assert locked.window.windowTitle() == LOCKED_TITLE and locked.window.menuBar().isHidden()
        assert locked.lock.pages.currentWidget() is locked.lock.lock_screen
        assert not locked.other.isEnabled() and locked.quit.isEnabled()
        locked.lock.lock()  # locked already: nothing more happens
        assert locked.host.calls.count("where_we_are") == 1

    def test_a_wrong_passphrase_stays_on_the_lock_screen(self, locked: Locked) -> None:
        locked.lock.lock()
        assert not locked.lock.unlock("not the passphrase")
        assert locked.session.is_locked and locked.lock.lock_screen.error_label.text()
        assert "come_back" not in locked.host.calls

    def test_the_passphrase_hands_the_reopened_journal_back_with_the_place(self, locked: Locked) -> None:
        locked.lock.lock()
        assert locked.lock.unlock(PASSPHRASE)
        try:
            [(journal, place)] = locked.host.back
            assert journal.is_open and place == PLACE and locked.session.journal is journal
            assert locked.session.opened_here and locked.other.isEnabled()
            assert locked.lock.pages.currentWidget() is locked.content
            assert locked.window.windowTitle() == "Boundary Journal[*]"
        finally:
            locked.session.journal.close()

    def test_one_lock_settings_dialog_at_a_time(self, locked: Locked) -> None:
        dialog = locked.lock.lock_settings()
        assert isinstance(dialog, LockSettingsDialog) and locked.lock.lock_settings() is dialog
        dialog.done(0)


class TestLockSettings:
    """The lock's limits follow the journal's settings, announced as Change.SETTINGS."""

    def test_saving_the_lock_settings_announces_settings_and_applies_them(
        self, locked: Locked, journal: Journal
    ) -> None:
        heard: list[Change] = []
        locked.lock.changes.changed.connect(heard.append)
        dialog = locked.lock.lock_settings()
        settings.set_security(journal, SecuritySetting(lock_after_minutes=7, clear_clipboard_seconds=45))
        dialog.saved.emit(settings.get_security(journal))  # as the dialog does on saving
        assert heard == [Change.SETTINGS]
        assert locked.lock.away_watcher.limit_ms == 7 * 60_000
        assert locked.lock.clipboard_guard.clear_after_ms == 45_000
        dialog.done(0)

    def test_a_change_of_settings_from_elsewhere_is_applied_but_not_while_locked(
        self, locked: Locked, journal: Journal
    ) -> None:
        settings.set_security(journal, SecuritySetting(lock_after_minutes=9, clear_clipboard_seconds=20))
        locked.lock.changes.did_change(Change.ENTRIES)  # not a kind the lock follows
        assert locked.lock.away_watcher.limit_ms == 60_000
        locked.lock.changes.did_change(Change.ALL)  # a journal put in place
        assert locked.lock.away_watcher.limit_ms == 9 * 60_000
        assert locked.lock.clipboard_guard.clear_after_ms == 20_000
        locked.lock.lock()
        locked.lock.changes.did_change(Change.SETTINGS)  # nothing may read the closed journal
        assert locked.lock.away_watcher.limit_ms == 9 * 60_000
