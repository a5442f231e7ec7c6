"""The weekly exercise's history as a table: week, relationship, move, day, outcome; newest week first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from boundary_journal.catalog import Catalog
from boundary_journal.services.weekly import ExerciseView
from ui.notices import rich_tooltip

WEEK, RELATIONSHIP, MOVE, DAY, OUTCOME = range(5)
HEADERS = ("Week", "Relationship", "Move", "Day", "Outcome")
WEEK_ROLE = Qt.ItemDataRole.UserRole + 1  # the IsoWeek
OUTCOME_TEXT = {"done": "Done", "not_done": "Not done", "partly": "Partly"}
NO_OUTCOME = "Not answered"

Index = QModelIndex | QPersistentModelIndex


def move_text(catalog: Catalog, exercise: ExerciseView) -> str:
    """The move as the clinician chose it: the catalogue's label, or their own words for "other"."""
    if exercise.move == "other" and exercise.move_other:
        return exercise.move_other
    move = catalog.weekly_move(exercise.move)
    return move.label if move else exercise.move


def outcome_text(exercise: ExerciseView) -> str:
    if exercise.outcome is None:
        return NO_OUTCOME
    text = OUTCOME_TEXT.get(exercise.outcome, exercise.outcome)
    return f"{text}: {exercise.outcome_note}" if exercise.outcome_note else text


def day_text(exercise: ExerciseView) -> str:
    """'Thu 19 Nov' or 'Thu 19 Nov 09:30'; the week column says the year."""
    day = f"{exercise.on:%a} {exercise.on.day} {exercise.on:%b}"
    return f"{day} {exercise.at:%H:%M}" if exercise.at else day


class ExerciseTableModel(QAbstractTableModel):
    """Read-only rows of `ExerciseView`, the newest week first."""

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._exercises: list[ExerciseView] = []

    def set_exercises(self, exercises: Sequence[ExerciseView]) -> None:
        self.beginResetModel()
        self._exercises = sorted(exercises, key=lambda e: e.week, reverse=True)
        self.endResetModel()

    def exercise(self, row: int) -> ExerciseView:
        return self._exercises[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._exercises)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        exercise = self._exercises[index.row()]
        column = index.column()
        if role == WEEK_ROLE:
            return exercise.week
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(exercise, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{exercise.relationship}: {exercise.unease}", f"Move: {move_text(self._catalog, exercise)}"]
            lines.append(f"Outcome: {outcome_text(exercise)}")
            return rich_tooltip(*lines)
        return None

    def _text(self, exercise: ExerciseView, column: int) -> str:
        if column == WEEK:
            return str(exercise.week)
        if column == RELATIONSHIP:
            return exercise.relationship
        if column == MOVE:
            return move_text(self._catalog, exercise)
        if column == DAY:
            return day_text(exercise)
        return outcome_text(exercise)


def streak_text(weeks: int) -> str:
    """'3 weeks in a row', for the banner, the status bar and the history."""
    if weeks <= 0:
        return "No weeks in a row yet"
    return "1 week in a row" if weeks == 1 else f"{weeks} weeks in a row"
