"""The weekly history model, without a view: newest week first, the move in the clinician's words, outcomes."""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import Qt

from boundary_journal.catalog import Catalog
from boundary_journal.services.weekly import ExerciseView, IsoWeek
from ui.exercise_model import (
    DAY,
    HEADERS,
    MOVE,
    NO_OUTCOME,
    OUTCOME,
    RELATIONSHIP,
    WEEK,
    WEEK_ROLE,
    ExerciseTableModel,
    streak_text,
)

HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"


def exercise(week: str, *, move: str = "talk_to_supervisor", other: str = "", outcome: str | None = None,
             note: str = "", at: time | None = None, who: str = "Client K", unease: str = "I answer late texts."
             ) -> ExerciseView:
    iso = IsoWeek.parse(week)
    return ExerciseView(1, iso, who, unease, move, other, iso.monday, at, outcome, note, None, datetime(2026, 1, 1))


def column(model: ExerciseTableModel, col: int) -> list[str]:
    return [model.index(row, col).data() for row in range(model.rowCount())]


def test_newest_week_first_across_the_year_end(catalog: Catalog) -> None:
    model = ExerciseTableModel(catalog)
    model.set_exercises([exercise("2026-W52"), exercise("2027-W01"), exercise("2026-W53")])
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)] == list(HEADERS)
    assert column(model, WEEK) == ["2027-W01", "2026-W53", "2026-W52"]
    assert model.index(0, 0).data(WEEK_ROLE) == IsoWeek.parse("2027-W01")


def test_cells(catalog: Catalog) -> None:
    model = ExerciseTableModel(catalog)
    model.set_exercises([
        exercise("2026-W48", outcome="done", note="Talked it through", at=time(9, 30)),
        exercise("2026-W47", move="other", other="Ask the team", outcome="not_done"),
        exercise("2026-W46", outcome="partly"),
        exercise("2026-W45"),
    ])
    assert column(model, RELATIONSHIP) == ["Client K"] * 4
    assert column(model, MOVE) == ["Talk to a supervisor", "Ask the team", "Talk to a supervisor",
                                   "Talk to a supervisor"]
    assert column(model, DAY) == ["Mon 23 Nov 09:30", "Mon 16 Nov", "Mon 9 Nov", "Mon 2 Nov"]
    assert column(model, OUTCOME) == ["Done: Talked it through", "Not done", "Partly", NO_OUTCOME]


def test_tooltip_shows_markup_as_text(catalog: Catalog) -> None:
    model = ExerciseTableModel(catalog)
    model.set_exercises([exercise("2026-W48", who=HOSTILE, unease=HOSTILE)])
    assert model.index(0, RELATIONSHIP).data() == HOSTILE
    tooltip = model.index(0, WEEK).data(Qt.ItemDataRole.ToolTipRole)
    assert HOSTILE not in tooltip and "&lt;b&gt;" in tooltip


def test_streak_text() -> None:
    assert [streak_text(n) for n in (0, 1, 3)] == ["No weeks in a row yet", "1 week in a row", "3 weeks in a row"]
