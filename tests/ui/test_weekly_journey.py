"""The weekly exercise from the window, with a clock the test moves: write it, see the banner go and its action
appear, redo it, answer the follow-up the next week (once), keep the action lists in step, and the reminder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import actions, settings, weekly
from boundary_journal.services.settings import ReminderSetting
from boundary_journal.services.weekly import ExerciseDraft, IsoWeek
from boundary_journal.store.journal import Journal
from ui.action_model import OUTCOME, STATUS
from ui.changes import Change
from ui.controllers.weekly import REMINDER_TEXT
from ui.entry_editor import EntryEditor
from ui.exercise_model import OUTCOME as HISTORY_OUTCOME
from ui.followup_dialog import FollowupDialog
from ui.main_window import MainWindow
from ui.messages import UnsavedChoice
from ui.weekly_banner import reminder_line
from ui.weekly_dialog import WeeklyDialog

if TYPE_CHECKING:
    from tests.ui.conftest import SetClock

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
WEEK48 = IsoWeek.parse("2026-W48")
SENTENCE = "She texts me late in the evening and I answer."
Typist = Callable[[QWidget, str], None]


def click(qtbot: QtBot, button: QAbstractButton, scroll_owner: WeeklyDialog | EntryEditor | None = None) -> None:
    """Click like a user: laid out and scrolled into view, a check or radio box on its indicator."""
    if scroll_owner is not None and scroll_owner.scroll.widget().isAncestorOf(button):
        qtbot.waitUntil(lambda: button.isVisible() and not button.size().isEmpty())
        scroll_owner.scroll.ensureWidgetVisible(button)
    qtbot.waitUntil(lambda: button.isVisible() and not button.visibleRegion().isEmpty())
    pos = button.rect().center()
    if isinstance(button, QCheckBox) or button.isCheckable():
        pos.setX(button.height() // 2)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=pos)


def open_weekly(qtbot: QtBot, window: MainWindow) -> WeeklyDialog:
    qtbot.waitUntil(lambda: window.weekly.weekly_dialog is not None and window.weekly.weekly_dialog.isVisible())
    dialog = window.weekly.weekly_dialog
    assert dialog is not None
    assert dialog.windowModality() != Qt.WindowModality.NonModal  # over the window, without blocking the test
    dialog.confirm_unsaved_changes = lambda: UnsavedChoice.DISCARD  # type: ignore[method-assign]
    dialog.show_error = lambda error: pytest.fail(f"unexpected message box: {error}")  # type: ignore[method-assign]
    return dialog


def open_followup(qtbot: QtBot, window: MainWindow) -> FollowupDialog:
    qtbot.waitUntil(lambda: window.weekly.followup_dialog is not None and window.weekly.followup_dialog.isVisible())
    dialog = window.weekly.followup_dialog
    assert dialog is not None
    return dialog


def save(qtbot: QtBot, window: MainWindow, dialog: WeeklyDialog | FollowupDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.weekly.weekly_dialog is None and window.weekly.followup_dialog is None)


def action_rows(window: MainWindow) -> list[tuple[str, str, str]]:
    """(status, action, outcome) per row of the Actions tab, looked at (it reads the journal when shown)."""
    window.left_tabs.setCurrentWidget(window.panels.actions_panel)
    model = window.panels.actions_panel.model
    return [(model.index(r, STATUS).data(), model.action(r).text, model.index(r, OUTCOME).data())
            for r in range(model.rowCount())]


def trends_open_actions(window: MainWindow) -> list[str]:
    window.left_tabs.setCurrentWidget(window.panels.trends)  # looked at: the tab reads the journal when shown
    lst = window.panels.trends.actions_list
    return [lst.item(i).text() for i in range(lst.count())] if lst.isVisibleTo(window.panels.trends) else []


class TestWeeklyJourney:
    """From the banner to the follow-up: one week, then the next."""

    def test_write_redo_and_follow_up(
        self, qtbot: QtBot, window: MainWindow, clock: SetClock, journal: Journal, typist: Typist
    ) -> None:
        # Wednesday of 2026-W48: nothing written yet, so the reminder line is up.
        assert window.weekly_banner.isVisible()
        assert window.weekly_banner.text() == reminder_line(0)
        assert window.weekly.followup_dialog is None

        window.entry_list.table.setFocus()
        qtbot.keyClick(window.entry_list.table, Qt.Key.Key_W, CTRL | SHIFT)
        dialog = open_weekly(qtbot, window)
        assert dialog.week == WEEK48 and dialog.heading.text() == "Week 48 of 2026"
        typist(dialog.relationship_combo.lineEdit(), "Client K")
        # A paragraph is refused where it is typed, and Save stores nothing.
        typist(dialog.unease_edit, "She texts me late. I answer every time.")
        assert dialog.unease_error.isVisible() and "one sentence" in dialog.unease_error.text()
        click(qtbot, dialog.move_buttons["talk_to_supervisor"], dialog)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and weekly.list_exercises(journal) == []
        assert window.weekly_banner.isVisible()

        qtbot.keyClick(dialog.unease_edit, Qt.Key.Key_A, CTRL)
        typist(dialog.unease_edit, SENTENCE)
        assert not dialog.unease_error.isVisible()
        assert dialog.counter_label.text() == f"{len(SENTENCE)} / 240"
        assert dialog.day_edit.date().toPython() == date(2026, 11, 26)  # Thursday, the next working day
        dialog.day_edit.setFocus()
        qtbot.keyClick(dialog.day_edit, Qt.Key.Key_Up)
        click(qtbot, dialog.time_check, dialog)
        save(qtbot, window, dialog)

        (exercise,) = weekly.list_exercises(journal)
        assert (exercise.week, exercise.relationship, exercise.unease) == (WEEK48, "Client K", SENTENCE)
        assert (exercise.move, exercise.on, exercise.at) == ("talk_to_supervisor", date(2026, 11, 27), time(9, 0))
        # The banner has gone; the step is on the actions list and among the trends' open actions.
        assert not window.weekly_banner.isVisible()
        assert action_rows(window) == [("Open", "Weekly step for Client K: Talk to a supervisor", "")]
        assert trends_open_actions(window) == ["Weekly step for Client K: Talk to a supervisor (Client K, from an "
                                               "exercise)"]
        assert "2026-W48" in window.statusBar().currentMessage()
        assert "Client K" in window.entry_list.pseudonyms()

        # Redo from the menu: the same week, pre-filled, edited in place.
        window.menus.weekly_action.trigger()
        dialog = open_weekly(qtbot, window)
        assert dialog.editing_note.isVisible()
        assert dialog.unease_edit.text() == SENTENCE and dialog.chosen_move() == "talk_to_supervisor"
        assert dialog.day_edit.date().toPython() == date(2026, 11, 27)
        click(qtbot, dialog.move_buttons["redirect_communication"], dialog)
        save(qtbot, window, dialog)
        (exercise,) = weekly.list_exercises(journal)
        assert exercise.move == "redirect_communication" and len(actions.list_actions(journal)) == 1
        assert action_rows(window) == [("Open", "Weekly step for Client K: Redirect communication", "")]

        # Monday of the next week: the step is overdue, the banner is back, and last week's follow-up is asked.
        clock.set(datetime(2026, 11, 30, 8, 30))
        window.weekly.check_clock()
        assert window.weekly_banner.isVisible()
        assert window.weekly_banner.text() == reminder_line(1)
        assert action_rows(window)[0][0] == "Overdue"
        followup = open_followup(qtbot, window)
        assert followup.question_label.accessibleName() == (
            "Last week you planned: Redirect communication for Client K on Friday 27 November 2026 at 09:00. "
            "Did it happen?"
        )
        click(qtbot, followup.outcome_buttons["done"])
        typist(followup.note_edit, "Moved her texts to the portal.")
        save(qtbot, window, followup)

        answered = weekly.get_exercise(journal, WEEK48)
        assert (answered.outcome, answered.outcome_note) == ("done", "Moved her texts to the portal.")
        history = window.panels.actions_panel.history_model
        assert history.index(0, HISTORY_OUTCOME).data() == "Done: Moved her texts to the portal."
        assert window.panels.actions_panel.streak_label.text() == "1 week in a row"
        assert action_rows(window) == [("Done", "Weekly step for Client K: Redirect communication",
                                        "Done: Moved her texts to the portal.")]
        assert trends_open_actions(window) == []

        # Asked once: not again today, tomorrow, or by a window opened later.
        window.weekly.check_clock()
        clock.advance(days=1)
        window.weekly.check_clock()
        assert window.weekly.followup_dialog is None and window.weekly.offer_followup() is None


class TestFollowupOnce:
    """Opening the app in the new week asks once; skipping it is final, and the history can still answer."""

    @pytest.fixture
    def last_week(self, journal: Journal, catalog: Catalog, clock: SetClock) -> Iterator[None]:
        weekly.save_exercise(journal, catalog, ExerciseDraft("Client K", SENTENCE, "transfer_care", week=WEEK48),
                             today=date(2026, 11, 24))
        clock.set(datetime(2026, 12, 1, 9, 0))  # Tuesday of 2026-W49
        yield

    @pytest.mark.slow
    def test_asked_at_start_and_skipped_for_good(
        self, qtbot: QtBot, last_week: None, journal: Journal, catalog: Catalog, clock: SetClock
    ) -> None:
        first = MainWindow(journal, catalog, clock=clock)
        qtbot.addWidget(first)
        first.show()
        followup = open_followup(qtbot, first)  # the window opens it itself, once it is up
        qtbot.keyClick(followup, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: first.weekly.followup_dialog is None)
        assert weekly.get_exercise(journal, WEEK48).outcome is None
        first.close()

        second = MainWindow(journal, catalog, clock=clock)
        qtbot.addWidget(second)
        second.show()
        qtbot.waitExposed(second)
        qtbot.wait(50)
        assert second.weekly.followup_dialog is None

        # The history answers it later: select the week, Record outcome…
        second.panels.show_actions()
        panel = second.panels.actions_panel
        rect = panel.history_table.visualRect(panel.history_model.index(0, 0))
        qtbot.mouseClick(panel.history_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        click(qtbot, panel.outcome_button)
        followup = open_followup(qtbot, second)
        click(qtbot, followup.outcome_buttons["not_done"])
        save(qtbot, second, followup)
        assert weekly.get_exercise(journal, WEEK48).outcome == "not_done"
        assert panel.history_model.index(0, HISTORY_OUTCOME).data() == "Not done"
        assert not panel.outcome_button.isEnabled()
        second.close()


class TestActionsInStep:
    """An action marked done in one list is done in the other; an entry's next step becomes an action."""

    def test_done_from_the_actions_tab(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, catalog: Catalog
    ) -> None:
        weekly.save_exercise(journal, catalog, ExerciseDraft("Client K", SENTENCE, "talk_to_supervisor"),
                             today=date(2026, 11, 25))
        window.changes.did_change(Change.EXERCISES | Change.ACTIONS)
        assert len(trends_open_actions(window)) == 1
        window.entry_list.table.setFocus()
        qtbot.keyClick(window.entry_list.table, Qt.Key.Key_J, CTRL)
        assert window.left_tabs.currentWidget() is window.panels.actions_panel
        panel = window.panels.actions_panel
        panel.ask_outcome = lambda action: "Booked for Thursday"  # type: ignore[method-assign]
        click(qtbot, panel.done_button)
        assert action_rows(window) == [("Done", "Weekly step for Client K: Talk to a supervisor",
                                        "Booked for Thursday")]
        assert trends_open_actions(window) == []

    def test_done_from_the_trends(self, qtbot: QtBot, window: MainWindow, journal: Journal, stored) -> None:
        entry = stored(fields={"what_happened": "x", "documentation_note": "y", "next_step": "Call the team"})
        actions.action_from_entry(journal, entry.id)
        window.changes.did_change(Change.ACTIONS)
        window.panels.show_trends(None)
        window.panels.trends.ask_outcome = lambda action: "Called"  # type: ignore[method-assign]
        click(qtbot, window.panels.trends.done_button)
        assert action_rows(window) == [("Done", "Call the team", "Called")]

    def test_next_step_becomes_an_action(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, stored, typist: Typist
    ) -> None:
        entry = stored(fields={"what_happened": "x", "documentation_note": "y"})
        window.changes.did_change(Change.ENTRIES | Change.RELATIONSHIPS)
        window.editing.open_entry(entry.id)
        button = window.editor.next_step_button
        assert button.isEnabled()
        click(qtbot, button, window.editor)  # no next step written: said in the editor, nothing added
        assert window.editor.error_label.isVisible()
        assert "no next step" in window.editor.error_label.text()
        assert actions.list_actions(journal) == []

        typist(window.editor.field_edit("next_step"), "Open the next session with the fear behind the request")
        assert not button.isEnabled()  # not saved yet: the action is made from the saved text
        assert window.editing.save()
        click(qtbot, button, window.editor)
        (action,) = actions.list_actions(journal)
        assert (action.text, action.origin, action.relationship) == (
            "Open the next session with the fear behind the request", "entry", "Client K")
        assert not window.editor.error_label.isVisible()
        assert action_rows(window) == [("Open", action.text, "")]
        assert window.panels.actions_panel.selected_action().id == action.id
        assert action.text in window.statusBar().currentMessage()


class TestReminder:
    """Journal ▸ Reminder Settings…; at the chosen weekday and time, once a week, never when the week is done."""

    def test_settings_round_trip_and_firing(
        self, qtbot: QtBot, window: MainWindow, journal: Journal, catalog: Catalog, clock: SetClock
    ) -> None:
        window.menus.reminder_action.trigger()
        qtbot.waitUntil(lambda: window.weekly.reminder_dialog is not None and window.weekly.reminder_dialog.isVisible())
        dialog = window.weekly.reminder_dialog
        click(qtbot, dialog.enabled_check)
        dialog.weekday_combo.setFocus()
        qtbot.keyClicks(dialog.weekday_combo, "Thursday")
        dialog.time_edit.setTime(QTime(9, 0))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.weekly.reminder_dialog is None)
        assert settings.get_reminder(journal) == ReminderSetting(True, 3, time(9, 0))
        assert window.statusBar().currentMessage() == "Reminder set: Thursdays at 09:00"

        clock.set(datetime(2026, 11, 26, 8, 59))  # Thursday, a minute early
        window.statusBar().clearMessage()
        window.weekly.check_clock()
        assert window.statusBar().currentMessage() == ""
        clock.advance(minutes=1)
        window.weekly.check_clock()  # there is no system tray offscreen: the status bar says it
        assert window.statusBar().currentMessage() == REMINDER_TEXT
        assert "Client" not in REMINDER_TEXT

        window.statusBar().clearMessage()
        clock.advance(minutes=30)
        window.weekly.check_clock()
        assert window.statusBar().currentMessage() == ""  # once a week

        # The next Thursday, with the week's exercise done: never.
        weekly.save_exercise(journal, catalog, ExerciseDraft("Client K", SENTENCE, "talk_to_supervisor"),
                             today=date(2026, 12, 1))
        clock.set(datetime(2026, 12, 3, 9, 0))
        window.weekly.check_clock()
        assert window.statusBar().currentMessage() == ""


def test_every_new_control_has_an_accessible_name(
    qtbot: QtBot, window: MainWindow, journal: Journal, catalog: Catalog
) -> None:
    weekly.save_exercise(journal, catalog, ExerciseDraft("Client K", SENTENCE, "other", move_other="Ask"),
                         today=date(2026, 11, 18))  # last week, so the follow-up opens too
    kinds = (QLineEdit, QComboBox, QPlainTextEdit, QAbstractButton, QTableView, QAbstractSpinBox)
    window.weekly.offer_followup()
    dialogs = [window.weekly.weekly_exercise(), window.weekly.followup_dialog, window.weekly.reminder_settings()]

    def internal(widget: QWidget) -> bool:
        parent = widget.parentWidget()
        return isinstance(parent, QComboBox | QAbstractSpinBox | QLineEdit | QTableView) or (
            widget.objectName().startswith("qt_")
        )

    for dialog in dialogs:
        assert dialog is not None and dialog.accessibleName()
        unnamed = [f"{type(w).__name__} in {type(dialog).__name__}" for w in dialog.findChildren(QWidget)
                   if isinstance(w, kinds) and not internal(w) and not w.accessibleName()]
        assert unnamed == []
        dialog.done(0)
