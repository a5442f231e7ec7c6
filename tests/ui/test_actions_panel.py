"""The Actions tab on its own: every action by status, Mark done with an outcome, the weekly history and streak."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import actions, weekly
from boundary_journal.services.weekly import ExerciseDraft, ExerciseView, IsoWeek
from boundary_journal.store.journal import Journal
from ui.action_model import OUTCOME, STATUS
from ui.actions_panel import ROWS_SIZED_TO_TEXT, ActionsPanel, table
from ui.exercise_model import OUTCOME as HISTORY_OUTCOME

if TYPE_CHECKING:
    from tests.ui.conftest import SetClock

MONDAY_W49 = datetime(2026, 11, 30, 10, 0)


def save_week(journal: Journal, catalog: Catalog, week: str, move: str = "talk_to_supervisor") -> ExerciseView:
    iso = IsoWeek.parse(week)
    draft = ExerciseDraft("Client K", "I answer her late texts.", move, on=iso.monday + timedelta(days=3), week=iso)
    return weekly.save_exercise(journal, catalog, draft, today=iso.monday)


@pytest.fixture
def make_panel(qtbot: QtBot, journal: Journal, catalog: Catalog, clock: SetClock) -> Callable[[], ActionsPanel]:
    def make() -> ActionsPanel:
        panel = ActionsPanel(journal, catalog, clock)
        panel.errors: list[str] = []  # type: ignore[misc]
        panel.show_error = lambda error: panel.errors.append(str(error))  # type: ignore[method-assign,attr-defined]
        panel.outcomes: list[str | None] = []  # type: ignore[misc]
        panel.ask_outcome = lambda action: panel.outcomes.pop(0)  # type: ignore[method-assign,attr-defined]
        qtbot.addWidget(panel)
        panel.resize(700, 700)
        panel.show()
        qtbot.waitExposed(panel)
        return panel

    return make


def click_row(qtbot: QtBot, panel: ActionsPanel, row: int, history: bool = False) -> None:
    view = panel.history_table if history else panel.table
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


class TestActions:
    """All actions, most pressing first; Mark done asks what came of it and closes the selected one."""

    def test_empty(self, make_panel) -> None:
        panel = make_panel()
        assert panel.model.rowCount() == 0 and not panel.done_button.isEnabled()
        assert panel.counts_label.text().startswith("No actions yet")
        assert panel.streak_label.text() == "No weeks in a row yet"
        assert panel.exercise_button.text() == "Do this week's exercise…"

    def test_mark_done(
        self, qtbot: QtBot, make_panel, journal: Journal, catalog: Catalog, clock: SetClock
    ) -> None:
        save_week(journal, catalog, "2026-W48")
        clock.set(MONDAY_W49)
        panel = make_panel()
        assert [panel.model.index(0, STATUS).data()] == ["Overdue"]
        assert panel.counts_label.text() == "1 overdue"
        assert panel.selected_action() is not None and panel.done_button.isEnabled()  # the pressing one, ready

        panel.outcomes.append(None)  # type: ignore[attr-defined]  # cancelled: nothing changes
        qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
        assert actions.list_actions(journal, open_only=True)

        panel.outcomes.append("Talked it through on Thursday")  # type: ignore[attr-defined]
        with qtbot.waitSignal(panel.journal_changed):
            qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
        (action,) = actions.list_actions(journal)
        assert not action.is_open and action.outcome == "Talked it through on Thursday"
        assert panel.model.index(0, STATUS).data() == "Done"
        assert panel.model.index(0, OUTCOME).data() == "Talked it through on Thursday"
        assert panel.counts_label.text() == "1 done"
        assert not panel.done_button.isEnabled()  # done already

    def test_keeps_the_selection_across_a_refresh(
        self, qtbot: QtBot, make_panel, journal: Journal, catalog: Catalog, stored
    ) -> None:
        save_week(journal, catalog, "2026-W48")
        entry = stored(fields={"what_happened": "x", "documentation_note": "y", "next_step": "Call the team"})
        from_entry = actions.action_from_entry(journal, entry.id)
        panel = make_panel()
        row = panel.model.row_of(from_entry.id)
        assert row is not None
        click_row(qtbot, panel, row)
        assert panel.selected_action().id == from_entry.id
        panel.refresh()
        assert panel.selected_action().id == from_entry.id


class TestHistory:
    """The weeks, newest first, with the streak; a week without an answer can be answered from here."""

    def test_weeks_and_streak(self, qtbot: QtBot, make_panel, journal: Journal, catalog: Catalog,
                              clock: SetClock) -> None:
        for week in ("2026-W46", "2026-W47", "2026-W48"):
            save_week(journal, catalog, week)
        weekly.record_followup(journal, IsoWeek.parse("2026-W47"), "done", "Raised it")
        clock.set(MONDAY_W49)
        panel = make_panel()
        assert panel.streak_label.text() == "3 weeks in a row"
        assert panel.this_week_label.text() == "· this week's is not done yet."
        model = panel.history_model
        assert [str(model.exercise(r).week) for r in range(3)] == ["2026-W48", "2026-W47", "2026-W46"]
        assert model.index(1, HISTORY_OUTCOME).data() == "Done: Raised it"

        assert not panel.outcome_button.isEnabled()
        click_row(qtbot, panel, 1, history=True)  # answered already
        assert not panel.outcome_button.isEnabled()
        click_row(qtbot, panel, 0, history=True)
        assert panel.outcome_button.isEnabled()
        with qtbot.waitSignal(panel.outcome_requested) as asked:
            qtbot.mouseClick(panel.outcome_button, Qt.MouseButton.LeftButton)
        assert asked.args[0].week == IsoWeek.parse("2026-W48")

    def test_this_week_done(self, make_panel, journal: Journal, catalog: Catalog, clock: SetClock) -> None:
        save_week(journal, catalog, "2026-W48")
        panel = make_panel()
        assert panel.this_week_label.text() == "· this week's is done."
        assert panel.exercise_button.text() == "Change this week's exercise…"
        assert panel.streak_label.text() == "1 week in a row"
        assert clock.today() == date(2026, 11, 25)


def test_every_control_is_named(make_panel) -> None:
    panel = make_panel()
    for widget in (panel.table, panel.history_table, panel.done_button, panel.exercise_button,
                   panel.outcome_button, panel.streak_label, panel.counts_label):
        assert widget.accessibleName()


def test_long_histories_get_fixed_row_heights(qtbot: QtBot) -> None:
    model = QStandardItemModel(5, 3)
    view = table(model, "Actions", 1, 2)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    assert view.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents
    model.beginResetModel()
    model.setRowCount(ROWS_SIZED_TO_TEXT + 1)
    model.endResetModel()
    # Thousands of rows sized to their wrapped text would measure every cell on each refresh.
    assert view.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert view.verticalHeader().defaultSectionSize() >= 2 * view.fontMetrics().lineSpacing()
    model.beginResetModel()
    model.setRowCount(3)
    model.endResetModel()
    assert view.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents
