"""The actions as a table: status, due day, what to do, relationship, outcome; what needs doing first."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from boundary_journal.services.actions import ActionView
from ui.notices import rich_tooltip, warning_palette

STATUS, DUE, ACTION, RELATIONSHIP, OUTCOME = range(5)
HEADERS = ("Status", "Due", "Action", "Relationship", "Outcome")
ACTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2  # open, due, overdue or done
STATUS_TEXT = {"overdue": "Overdue", "due": "Due today", "open": "Open", "done": "Done"}
# What needs doing first comes first: overdue, due today, open, then what is done.
STATUS_ORDER = {"overdue": 0, "due": 1, "open": 2, "done": 3}
ORIGIN_TEXT = {
    "self_check": "From a self-check", "entry": "From an entry's next step",
    "exercise": "From a weekly exercise", "manual": "Added by hand",
}

Index = QModelIndex | QPersistentModelIndex


def day_text(day: date | None, today: date | None = None) -> str:
    """'Thu 19 Nov' (with the year when it is not this year's), or '—' for no day."""
    if day is None:
        return "—"
    text = f"{day:%a} {day.day} {day:%b}"
    return text if today is not None and day.year == today.year else f"{text} {day.year}"


def sorted_actions(found: Sequence[ActionView], today: date) -> list[ActionView]:
    """Overdue, due today, open (by due day, undated last), then done (most recent first)."""

    def key(action: ActionView) -> tuple[Any, ...]:
        status = action.status(today)
        if status == "done":
            assert action.done_at is not None
            return (STATUS_ORDER[status], -action.done_at.timestamp(), action.id)
        return (STATUS_ORDER[status], action.due_on is None, action.due_on or date.max, action.created, action.id)

    return sorted(found, key=key)


class ActionTableModel(QAbstractTableModel):
    """Read-only rows of `ActionView`, sorted for the day given to `set_actions`."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._actions: list[ActionView] = []
        self._today = date.today()

    def set_actions(self, found: Sequence[ActionView], today: date) -> None:
        self.beginResetModel()
        self._today = today
        self._actions = sorted_actions(found, today)
        self.endResetModel()

    def action(self, row: int) -> ActionView:
        return self._actions[row]

    def row_of(self, action_id: int) -> int | None:
        return next((row for row, a in enumerate(self._actions) if a.id == action_id), None)

    def status(self, row: int) -> str:
        return self._actions[row].status(self._today)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._actions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        action = self._actions[index.row()]
        status = action.status(self._today)
        column = index.column()
        if role == ACTION_ID_ROLE:
            return action.id
        if role == STATUS_ROLE:
            return status
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(action, status, column, self._today)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [action.text, ORIGIN_TEXT.get(action.origin, "")]
            if action.due_on:
                lines.append(f"Due {action.due_on:%A %Y-%m-%d}")
            if action.done_at:
                lines.append(f"Done {action.done_at:%Y-%m-%d}" + (f": {action.outcome}" if action.outcome else ""))
            return rich_tooltip(*(line for line in lines if line))
        if role == Qt.ItemDataRole.FontRole and column in (STATUS, DUE) and status in ("overdue", "due"):
            font = QFont(QApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and column == STATUS and status == "overdue":
            return warning_palette(QApplication.palette()).window()
        return None

    @staticmethod
    def _text(action: ActionView, status: str, column: int, today: date) -> str:
        if column == STATUS:
            return STATUS_TEXT[status]
        if column == DUE:
            return day_text(action.due_on, today)
        if column == ACTION:
            return action.text
        if column == RELATIONSHIP:
            return action.relationship or "—"
        return action.outcome[:1].upper() + action.outcome[1:]
