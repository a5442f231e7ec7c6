"""The follow-up dialog on its own: the question about a week's step, done / not done / partly, what happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from html import escape

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import actions, relationships, weekly
from boundary_journal.services.weekly import ExerciseDraft, ExerciseView, IsoWeek
from boundary_journal.store.journal import Journal
from ui.followup_dialog import FollowupDialog, question_text

HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"
WEEK48 = IsoWeek.parse("2026-W48")
NEXT_MONDAY = date(2026, 11, 30)  # 2026-W49
Typist = Callable[[QWidget, str], None]


def exercise(journal: Journal, catalog: Catalog, **overrides: object) -> ExerciseView:
    values: dict[str, object] = {
        "relationship": "Client K", "unease": "She texts me late and I answer.", "move": "talk_to_supervisor",
        "on": date(2026, 11, 26), "at": time(9, 0), "week": WEEK48,
    }
    values.update(overrides)
    return weekly.save_exercise(journal, catalog, ExerciseDraft(**values), today=date(2026, 11, 25))  # type: ignore[arg-type]


@pytest.fixture
def make_dialog(qtbot: QtBot, journal: Journal, catalog: Catalog) -> Callable[..., FollowupDialog]:
    def make(view: ExerciseView, today: date = NEXT_MONDAY) -> FollowupDialog:
        dialog = FollowupDialog(journal, catalog, view, today)
        dialog.show_error = lambda error: pytest.fail(f"unexpected message box: {error}")  # type: ignore[method-assign]
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def choose(qtbot: QtBot, dialog: FollowupDialog, outcome: str) -> None:
    button = dialog.outcome_buttons[outcome]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())


class TestQuestion:
    """It names the move, the pseudonym and the day, as text: markup in a pseudonym is shown, not obeyed."""

    def test_last_week(self, make_dialog, journal: Journal, catalog: Catalog) -> None:
        dialog = make_dialog(exercise(journal, catalog))
        expected = ("Last week you planned: Talk to a supervisor for Client K on Thursday 26 November 2026 "
                    "at 09:00. Did it happen?")
        assert question_text(catalog, dialog.exercise, NEXT_MONDAY) == expected
        assert dialog.question_label.accessibleName() == expected
        assert "<b>Talk to a supervisor</b>" in dialog.question_label.text()
        assert "She texts me late and I answer." in dialog.sentence_label.text()

    def test_markup_is_escaped(self, make_dialog, journal: Journal, catalog: Catalog) -> None:
        relationships.confirm_pseudonym(journal, HOSTILE)  # Hebrew in it: the check cannot read that script
        dialog = make_dialog(exercise(journal, catalog, relationship=HOSTILE, unease=HOSTILE, move="other",
                                      move_other=HOSTILE, at=None))
        assert dialog.question_label.textFormat() == Qt.TextFormat.RichText
        assert f"<b>{escape(HOSTILE)}</b> for <b>{escape(HOSTILE)}</b>" in dialog.question_label.text()
        assert escape(HOSTILE) in dialog.sentence_label.text()
        assert HOSTILE not in dialog.question_label.text()

    def test_an_older_week_from_the_history(self, make_dialog, journal: Journal, catalog: Catalog) -> None:
        dialog = make_dialog(exercise(journal, catalog), today=date(2026, 12, 16))
        assert dialog.question_label.accessibleName().startswith("In week 2026-W48 you planned:")


class TestAnswer:
    """Save stays off until done, not done or partly is chosen; the answer closes the week's action."""

    def test_partly_with_a_note(
        self, qtbot: QtBot, make_dialog, journal: Journal, catalog: Catalog, typist: Typist
    ) -> None:
        view = exercise(journal, catalog)
        dialog = make_dialog(view)
        assert not dialog.save_button.isEnabled()
        choose(qtbot, dialog, "partly")
        assert dialog.save_button.isEnabled()
        typist(dialog.note_edit, f"Booked it; {HOSTILE}")
        recorded: list[ExerciseView] = []
        dialog.recorded.connect(recorded.append)
        with qtbot.waitSignal(dialog.finished):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        (answer,) = recorded
        assert (answer.outcome, answer.outcome_note) == ("partly", f"Booked it; {HOSTILE}")
        assert weekly.get_exercise(journal, WEEK48) == answer
        (action,) = actions.list_actions(journal)
        assert not action.is_open and action.outcome == f"partly: Booked it; {HOSTILE}"

    def test_each_outcome_is_stored(self, qtbot: QtBot, make_dialog, journal: Journal, catalog: Catalog) -> None:
        for outcome in ("done", "not_done"):
            dialog = make_dialog(exercise(journal, catalog))
            choose(qtbot, dialog, outcome)
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
            assert weekly.get_exercise(journal, WEEK48).outcome == outcome

    def test_skip_records_nothing(self, qtbot: QtBot, make_dialog, journal: Journal, catalog: Catalog) -> None:
        dialog = make_dialog(exercise(journal, catalog))
        choose(qtbot, dialog, "done")
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()
        assert weekly.get_exercise(journal, WEEK48).outcome is None
        assert actions.list_actions(journal, open_only=True)
