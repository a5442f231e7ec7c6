"""Locking: Ctrl+L, idle time and the system hiding the app lock the window; the passphrase brings the user
back where they were. While locked nothing of the journal is on screen or in the window, and the journal is
closed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import NOTE_FIELD, Catalog
from boundary_journal.services import drafts, entries, settings
from boundary_journal.services.entries import EntryView
from boundary_journal.store.journal import Journal
from boundary_journal.store.storage import open_journal
from tests.conftest import PASSPHRASE
from tests.ui.conftest import Prompts
from ui.changes import Change
from ui.lock_screen import EMPTY_PASSPHRASE, LOCKED_TITLE, JournalLocked
from ui.lock_settings_dialog import LockSettingsDialog
from ui.main_window import MainWindow
from ui.messages import UnsavedChoice
from ui.trends_panel import TrendsPanel
from ui.unlock_dialog import WRONG_PASSPHRASE

CTRL = Qt.KeyboardModifier.ControlModifier
# Words that appear nowhere in the app's own text, so finding them anywhere means the journal leaked.
CANARY_TEXT = "zebra-canary-8812 asked for my number"
CANARY_NAME = "Bed quokka 7"
UNSAVED = "unsaved-canary-5521"
Typist = Callable[[QWidget, str], None]


def _model_texts(model: QAbstractItemModel) -> list[str]:
    texts = []
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                value = model.index(row, col).data(role)
                if value is not None:
                    texts.append(str(value))
    return texts


def texts_in(root: QWidget) -> list[str]:
    """Every text a widget under `root` holds, shown or not: labels, fields, buttons, lists, tooltips."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription(), widget.windowTitle()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.toPlainText())
        if isinstance(widget, QComboBox):
            texts += [widget.currentText(), *(widget.itemText(i) for i in range(widget.count()))]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += _model_texts(widget.model())
    return texts


def leaked(window: MainWindow) -> list[str]:
    """Canary words found in the window or in any visible top-level window of the app."""
    roots = [window, *(w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window)]
    found = []
    for root in roots:
        found += [t for t in texts_in(root) if any(c in t for c in (CANARY_TEXT, CANARY_NAME, UNSAVED))]
    return found


@pytest.fixture
def entry(stored) -> EntryView:
    return stored(
        relationship=CANARY_NAME,
        fields={"what_happened": CANARY_TEXT, "documentation_note": "Declined; offered the clinic line."},
    )


@pytest.fixture
def closes_reopened(window: MainWindow) -> Iterator[None]:
    """A journal the window opens on unlocking is closed after the test."""
    yield
    window.close_journal()


def open_entry(qtbot: QtBot, window: MainWindow, entry: EntryView) -> None:
    window.changes.did_change(Change.ENTRIES | Change.RELATIONSHIPS)
    row = window.entry_list.model.row_of(entry.id)
    assert row is not None
    rect = window.entry_list.table.visualRect(window.entry_list.model.index(row, 0))
    qtbot.mouseClick(window.entry_list.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor.entry_id() == entry.id


def lock_by_key(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    assert window.is_locked
    qtbot.wait(20)  # widgets the lock let go of are deleted on the next pass of the event loop


def unlock(qtbot: QtBot, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    qtbot.keyClicks(window.lock_screen.passphrase_edit, passphrase)
    qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)


class TestLockByKey:
    """Ctrl+L: the journal is closed and nothing of it is left in the window."""

    def test_nothing_of_the_journal_remains(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, entry: EntryView, typist: Typist
    ) -> None:
        open_entry(qtbot, window, entry)
        typist(window.editor.field_edit("reflection"), UNSAVED)
        window.copy_documentation_note()
        assert leaked(window)  # the walk finds the words while they are shown

        lock_by_key(qtbot, window)

        assert leaked(window) == []
        assert not journal.is_open
        with pytest.raises(JournalLocked):
            _ = window.journal
        assert window.pages.currentWidget() is window.lock_screen and window.lock_screen.isVisible()
        assert window.windowTitle() == LOCKED_TITLE and not window.isWindowModified()
        assert not window.menuBar().isVisible() and not window.statusBar().isVisible()
        assert window.entry_list.model.rowCount() == 0 and window.findChildren(TrendsPanel) == []
        assert not window.editor.is_dirty()
        assert QApplication.clipboard().text() == ""  # our copy went with the lock
        assert window.lock_screen.passphrase_edit.hasFocus()
        # Every window action is off but Quit: no shortcut reaches the closed journal.
        assert [a for a in window.actions() if a.isEnabled()] == [window.menus.quit_action]

    def test_the_menu_names_the_shortcut(self, window: MainWindow) -> None:
        assert window.menus.lock_action.shortcut().toString() == "Ctrl+L"
        file_menu = window.menuBar().actions()[0].menu()
        assert window.menus.lock_action in file_menu.actions()

    def test_dialogs_are_closed_without_asking(
        self, qtbot: QtBot, window: MainWindow, entry: EntryView, typist: Typist, prompts: Prompts
    ) -> None:
        dialog = window.weekly.weekly_exercise()
        qtbot.waitExposed(dialog)
        typist(dialog.unease_edit, UNSAVED)
        dialog.confirm_unsaved_changes = prompts.confirm_unsaved_changes  # type: ignore[method-assign]
        window.locking.lock()
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert prompts.unsaved_asked == 0
        assert [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()] == []
        assert window.weekly.weekly_dialog is None


    @pytest.mark.usefixtures("closes_reopened")
    def test_ctrl_l_in_a_dialog(self, qtbot: QtBot, window: MainWindow) -> None:
        # Qt keeps the window's shortcuts from a window behind a modal dialog; the lock keys still work.
        dialog = window.weekly.weekly_exercise()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        qtbot.keyClick(dialog.unease_edit, Qt.Key.Key_L, CTRL)
        assert window.is_locked and not dialog.isVisible()
        assert dialog.unease_edit.text() == ""  # the key press went to the lock, not into the field


class TestUnlock:
    """The passphrase reopens the journal at the same tab, entry and unsaved text."""

    @pytest.mark.slow
    @pytest.mark.usefixtures("closes_reopened")
    def test_back_where_the_user_was(
        self,
        qtbot: QtBot,
        window: MainWindow,
        journal: Journal,
        entry: EntryView,
        stored,
        typist: Typist,
    ) -> None:
        other = stored(relationship="Client K", occurred=datetime(2026, 3, 3, 9, 0))
        open_entry(qtbot, window, entry)
        reflection = window.editor.field_edit("reflection")
        typist(reflection, UNSAVED)
        window.left_tabs.setCurrentIndex(2)  # the Actions tab
        lock_by_key(qtbot, window)

        unlock(qtbot, window)

        assert not window.is_locked and window.journal.is_open and window.journal is not journal
        assert window.pages.currentWidget() is window.content and window.menuBar().isVisible()
        assert window.windowTitle() == "Boundary Journal[*]" and window.isWindowModified()
        assert window.left_tabs.currentIndex() == 2 and window.left_tabs.count() == 3
        assert window.editor.entry_id() == entry.id
        assert window.editor.field_edit("what_happened").toPlainText() == CANARY_TEXT
        assert window.editor.field_edit("reflection").toPlainText() == UNSAVED
        assert window.editor.is_dirty()
        current = window.entry_list.table.selectionModel().currentIndex()
        assert window.entry_list.model.entry(current.row()).id == entry.id
        assert {e.id for e in window.entry_list.model.entries()} == {entry.id, other.id}
        assert window.lock_screen.passphrase_edit.text() == ""

        # Saving the entry stores the text typed before the lock and lets go of its draft.
        qtbot.keyClick(window.editor.field_edit("reflection"), Qt.Key.Key_S, CTRL)
        assert entries.get_entry(window.journal, entry.id).fields["reflection"] == UNSAVED
        assert drafts.load_drafts(window.journal) == []

    @pytest.mark.usefixtures("closes_reopened")
    def test_filters_and_search_come_back(
        self, qtbot: QtBot, window: MainWindow, entry: EntryView, stored, typist: Typist
    ) -> None:
        stored(relationship="Client K")
        window.changes.did_change(Change.ENTRIES | Change.RELATIONSHIPS)
        window.entry_list.relationship_filter.setCurrentIndex(window.entry_list.relationship_filter.findData(CANARY_NAME))
        typist(window.entry_list.search_edit, "zebra")
        window.entry_list.reload()
        assert [e.id for e in window.entry_list.model.entries()] == [entry.id]
        lock_by_key(qtbot, window)
        assert window.entry_list.relationship_filter.count() == 1 and window.entry_list.search_edit.text() == ""

        unlock(qtbot, window)
        assert window.entry_list.relationship_filter.currentData() == CANARY_NAME
        assert window.entry_list.search_edit.text() == "zebra"
        assert [e.id for e in window.entry_list.model.entries()] == [entry.id]

    @pytest.mark.usefixtures("closes_reopened")
    def test_a_wrong_passphrase_stays_locked(
        self, qtbot: QtBot, window: MainWindow, entry: EntryView
    ) -> None:
        window.locking.lock()
        qtbot.mouseClick(window.lock_screen.unlock_button, Qt.MouseButton.LeftButton)
        assert window.lock_screen.error_label.isVisible()
        assert window.lock_screen.error_label.text() == EMPTY_PASSPHRASE

        unlock(qtbot, window, "not the passphrase")
        assert window.is_locked and window.pages.currentWidget() is window.lock_screen
        assert window.lock_screen.error_label.isVisible()
        assert window.lock_screen.error_label.text() == WRONG_PASSPHRASE
        assert window.lock_screen.passphrase_edit.selectedText() == "not the passphrase"
        qtbot.wait(20)
        assert leaked(window) == []

        window.lock_screen.passphrase_edit.clear()
        unlock(qtbot, window)
        assert not window.is_locked and not window.lock_screen.error_label.isVisible()

    def test_quit_from_the_lock_screen_keeps_the_draft(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, entry: EntryView, typist: Typist, prompts: Prompts
    ) -> None:
        open_entry(qtbot, window, entry)
        typist(window.editor.field_edit("reflection"), UNSAVED)
        window.locking.lock()
        qtbot.mouseClick(window.lock_screen.quit_button, Qt.MouseButton.LeftButton)
        assert not window.isVisible() and prompts.unsaved_asked == 0
        again = open_journal(journal.path, PASSPHRASE)
        try:
            [kept] = drafts.load_drafts(again)
            assert kept.slot == f"entry-{entry.id}" and kept.draft.fields["reflection"] == UNSAVED
        finally:
            again.close()


class TestAwayLock:
    """No input for the chosen time, or the system hiding the app, locks it."""

    @pytest.mark.slow
    @pytest.mark.usefixtures("closes_reopened")
    def test_idle_locks(self, qtbot: QtBot, window: MainWindow, journal: Journal) -> None:
        assert window.away_watcher.limit_ms == 5 * 60_000  # the default
        window.away_watcher.set_limit_ms(300)
        window.away_watcher.reset()
        qtbot.waitUntil(lambda: window.is_locked, timeout=3_000)
        assert not journal.is_open
        unlock(qtbot, window)
        assert not window.is_locked  # and it watches again: the next idle spell locks too
        # Unlocking re-reads the journal's settings (Change.ALL): the limit set by hand above is set again.
        assert window.away_watcher.limit_ms == 5 * 60_000
        window.away_watcher.set_limit_ms(300)
        qtbot.waitUntil(lambda: window.is_locked, timeout=3_000)

    @pytest.mark.slow
    @pytest.mark.usefixtures("closes_reopened")
    def test_typing_keeps_it_open(self, qtbot: QtBot, window: MainWindow) -> None:
        window.away_watcher.set_limit_ms(600)
        window.away_watcher.reset()
        for _ in range(12):
            qtbot.keyClick(window.entry_list.search_edit, Qt.Key.Key_A)
            qtbot.wait(100)
        assert not window.is_locked
        qtbot.waitUntil(lambda: window.is_locked, timeout=3_000)

    @pytest.mark.parametrize(
        ("state", "locks"),
        [
            (Qt.ApplicationState.ApplicationHidden, True),
            (Qt.ApplicationState.ApplicationSuspended, True),
            (Qt.ApplicationState.ApplicationInactive, False),  # another window has the focus: not away
        ],
    )
    @pytest.mark.usefixtures("closes_reopened")
    def test_the_system_hiding_the_app(
        self, window: MainWindow, state: Qt.ApplicationState, locks: bool
    ) -> None:
        window.away_watcher.application_state_changed(state)
        assert window.is_locked is locks

    def test_the_time_is_a_setting(self, qtbot: QtBot, window: MainWindow, journal: Journal) -> None:
        window.menus.lock_settings_action.trigger()
        dialog = window.dialogs.current(LockSettingsDialog)
        assert isinstance(dialog, LockSettingsDialog)
        qtbot.waitExposed(dialog)
        assert (dialog.lock_spin.value(), dialog.clipboard_spin.value()) == (5, 30)
        dialog.lock_spin.selectAll()
        qtbot.keyClicks(dialog.lock_spin, "12")
        dialog.clipboard_spin.selectAll()
        qtbot.keyClicks(dialog.clipboard_spin, "45")
        with qtbot.waitSignal(dialog.finished):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert settings.get_security(journal) == settings.SecuritySetting(12, 45)
        assert window.away_watcher.limit_ms == 12 * 60_000
        assert window.clipboard_guard.clear_after_ms == 45_000


class TestDrafts:
    """The editor's unsaved work is kept in the journal a moment after typing stops, and offered back."""

    def test_saved_after_typing_stops_and_gone_once_saved(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, catalog: Catalog, typist: Typist
    ) -> None:
        window.drafts.timer.setInterval(100)
        editor = window.editor
        editor.select_template("phone_number_request")
        typist(editor.relationship_combo.lineEdit(), "Client K")
        typist(editor.field_edit("what_happened"), UNSAVED)
        assert drafts.load_drafts(journal) == []  # not while typing: a moment after
        qtbot.waitUntil(lambda: len(drafts.load_drafts(journal)) == 1, timeout=3_000)
        [kept] = drafts.load_drafts(journal)
        assert kept.slot == "new"
        assert kept.draft.fields["what_happened"] == UNSAVED and kept.draft.relationship == "Client K"
        assert kept.saved_at == datetime(2026, 11, 25, 10, 0)  # the window's clock

        typist(editor.field_edit(NOTE_FIELD), "Declined.")
        qtbot.keyClick(editor.field_edit(NOTE_FIELD), Qt.Key.Key_S, CTRL)
        assert window.statusBar().currentMessage() == "Saved"
        assert drafts.load_drafts(journal) == []
        qtbot.wait(200)  # the editor's reload after saving must not bring a draft back
        assert drafts.load_drafts(journal) == []

    def test_discarding_the_changes_deletes_the_draft(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, entry: EntryView, typist: Typist, prompts: Prompts
    ) -> None:
        window.drafts.timer.setInterval(50)
        open_entry(qtbot, window, entry)
        typist(window.editor.field_edit("reflection"), UNSAVED)
        qtbot.waitUntil(lambda: [d.slot for d in drafts.load_drafts(journal)] == [f"entry-{entry.id}"])
        prompts.answer = UnsavedChoice.DISCARD
        qtbot.mouseClick(window.entry_list.new_button, Qt.MouseButton.LeftButton)
        assert prompts.unsaved_asked == 1
        assert drafts.load_drafts(journal) == []


def start_window(qtbot: QtBot, journal: Journal, catalog: Catalog, clock, answer: str) -> tuple[MainWindow, list[str]]:
    """A window as at the next start, with the real Restore / Discard box answered by clicking `answer`.

    The box runs its own event loop, so a timer answers it from inside, as a user's click would."""
    shown: list[str] = []

    def click_when_asked() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, click_when_asked)
            return
        shown.append(box.text())
        [button] = [b for b in box.findChildren(QAbstractButton) if b.text().replace("&", "") == answer]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    window = MainWindow(journal, catalog, clock=clock)
    qtbot.addWidget(window)
    QTimer.singleShot(0, click_when_asked)
    window.show()
    qtbot.waitUntil(lambda: bool(shown) and QApplication.activeModalWidget() is None)
    return window, shown


class TestOfferedAfterACrash:
    """A draft still in the journal at the next start (the app was killed) is offered back."""

    def _left_by_a_crash(self, journal: Journal, entry: EntryView) -> None:
        draft = drafts.EditorDraft(
            entry_id=entry.id,
            template=entry.template,
            relationship=entry.relationship,
            channel=entry.channel,
            occurred=entry.occurred,
            fields={**entry.fields, "reflection": UNSAVED},
        )
        drafts.save_draft(journal, draft, now=datetime(2026, 11, 24, 18, 5))

    def test_restore(self, qtbot: QtBot, journal: Journal, catalog: Catalog, clock, entry: EntryView) -> None:
        self._left_by_a_crash(journal, entry)
        window, shown = start_window(qtbot, journal, catalog, clock, "Restore it")
        assert shown == ["A draft from 2026-11-24 18:05 was not saved."]
        qtbot.waitUntil(lambda: window.editor.entry_id() == entry.id)
        assert window.editor.field_edit("reflection").toPlainText() == UNSAVED
        assert window.editor.is_dirty() and window.isWindowModified()
        listed = window.entry_list
        assert listed.model.entry(listed.table.selectionModel().currentIndex().row()).id == entry.id
        assert len(drafts.load_drafts(journal)) == 1  # still unsaved work: kept until saved or discarded
        window.editor.new_entry()  # nothing to ask at teardown
        window.close()

    def test_discard(self, qtbot: QtBot, journal: Journal, catalog: Catalog, clock, entry: EntryView) -> None:
        self._left_by_a_crash(journal, entry)
        window, _shown = start_window(qtbot, journal, catalog, clock, "Discard")
        qtbot.waitUntil(lambda: drafts.load_drafts(journal) == [])
        assert window.editor.entry_id() is None and not window.editor.is_dirty()
        window.close()

    def test_a_draft_of_a_deleted_entry_comes_back_as_a_new_entry(
        self, qtbot: QtBot, journal: Journal, catalog: Catalog, clock, entry: EntryView
    ) -> None:
        self._left_by_a_crash(journal, entry)
        entries.delete_entry(journal, entry.id)
        window, _shown = start_window(qtbot, journal, catalog, clock, "Restore it")
        qtbot.waitUntil(lambda: window.editor.field_edit("reflection") is not None)
        assert window.editor.entry_id() is None
        assert window.editor.field_edit("reflection").toPlainText() == UNSAVED
        assert [d.slot for d in drafts.load_drafts(journal)] == ["new"]
        window.editor.new_entry()
        window.close()
