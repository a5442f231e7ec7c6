"""The actions table model, without a view: named columns, status text, what needs doing first."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont

from boundary_journal.services.actions import ActionView
from ui.action_model import (
    ACTION,
    ACTION_ID_ROLE,
    DUE,
    HEADERS,
    OUTCOME,
    RELATIONSHIP,
    STATUS,
    STATUS_ROLE,
    ActionTableModel,
    day_text,
)

TODAY = date(2026, 11, 30)
HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"


def action(number: int, *, due: date | None = None, done: datetime | None = None, outcome: str = "",
           text: str = "", who: str | None = "Client K", origin: str = "exercise") -> ActionView:
    return ActionView(number, text or f"Action {number}", origin, None, who, datetime(2026, 11, number % 28 + 1),
                      due, done, outcome)


def model_of(*found: ActionView) -> ActionTableModel:
    model = ActionTableModel()
    model.set_actions(list(found), TODAY)
    return model


def column(model: ActionTableModel, col: int) -> list[str]:
    return [model.index(row, col).data() for row in range(model.rowCount())]


def test_named_columns() -> None:
    model = model_of()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == list(HEADERS)
    assert (STATUS, DUE, ACTION, RELATIONSHIP, OUTCOME) == (0, 1, 2, 3, 4)
    assert HEADERS == ("Status", "Due", "Action", "Relationship", "Outcome")


def test_overdue_then_due_then_open_then_done() -> None:
    model = model_of(
        action(1, done=datetime(2026, 11, 20, 9), outcome="done: talked it through"),
        action(2),  # open, no day
        action(3, due=date(2026, 12, 3)),
        action(4, due=TODAY),
        action(5, due=date(2026, 11, 27)),
        action(6, done=datetime(2026, 11, 28, 9), outcome=""),
    )
    assert [model.action(r).id for r in range(model.rowCount())] == [5, 4, 3, 2, 6, 1]
    assert column(model, STATUS) == ["Overdue", "Due today", "Open", "Open", "Done", "Done"]
    assert [model.index(r, 0).data(STATUS_ROLE) for r in range(6)] == ["overdue", "due", "open", "open", "done",
                                                                      "done"]
    assert column(model, DUE) == ["Fri 27 Nov", "Mon 30 Nov", "Thu 3 Dec", "—", "—", "—"]
    assert column(model, OUTCOME)[-1] == "Done: talked it through"  # the note as written, capitalised
    assert model.index(0, 0).data(ACTION_ID_ROLE) == 5 and model.row_of(1) == 5 and model.row_of(99) is None


def test_overdue_is_said_in_words_and_stands_out() -> None:
    model = model_of(action(1, due=date(2026, 11, 2)), action(2, due=date(2026, 12, 2)))
    overdue, later = model.index(0, STATUS), model.index(1, STATUS)
    assert overdue.data() == "Overdue" and overdue.data(Qt.ItemDataRole.AccessibleTextRole) == "Overdue"
    font = overdue.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert isinstance(overdue.data(Qt.ItemDataRole.BackgroundRole), QBrush)
    assert later.data(Qt.ItemDataRole.FontRole) is None and later.data(Qt.ItemDataRole.BackgroundRole) is None


def test_text_is_text() -> None:
    model = model_of(action(1, text=HOSTILE, who=HOSTILE, done=datetime(2026, 11, 29), outcome=HOSTILE))
    assert column(model, ACTION) == [HOSTILE] and column(model, RELATIONSHIP) == [HOSTILE]
    tooltip = model.index(0, ACTION).data(Qt.ItemDataRole.ToolTipRole)
    assert HOSTILE not in tooltip and "&lt;b&gt;" in tooltip
    assert model_of(action(2, who=None)).index(0, RELATIONSHIP).data() == "—"


def test_day_text_names_another_year() -> None:
    assert day_text(date(2026, 12, 31), TODAY) == "Thu 31 Dec"
    assert day_text(date(2027, 1, 1), TODAY) == "Fri 1 Jan 2027"
    assert day_text(None, TODAY) == "—"
