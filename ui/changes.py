"""What kind of data changed: one signal every panel listens to (Anki's OpChanges + operation_did_execute).

Whoever saves, deletes, imports or restores says so once: `changes.did_change(Change.ENTRIES | ...)`.
Each panel subscribes to `changes.changed` and re-reads only when a kind it shows is in the set.
"""

from __future__ import annotations

from enum import Flag, auto

from PySide6.QtCore import QObject, Signal


class Change(Flag):
    """Kinds of journal data; a change is any combination (a frozen value, like Anki's OpChanges)."""

    NONE = 0
    ENTRIES = auto()  # an entry saved, deleted, restored or edited at its source
    RELATIONSHIPS = auto()  # a relationship added (by an entry or an exercise), or its stage set
    ACTIONS = auto()  # an action added or done
    EXERCISES = auto()  # a weekly exercise saved, or its follow-up answered
    SELF_CHECKS = auto()
    SETTINGS = auto()
    WARNINGS = auto()  # a drift warning acknowledged
    # A journal replaced, reopened or restored: everything shown is re-read.
    ALL = ENTRIES | RELATIONSHIPS | ACTIONS | EXERCISES | SELF_CHECKS | SETTINGS | WARNINGS


class ChangeNotifier(QObject):
    """The window's one change signal; `changed` carries a `Change`."""

    changed = Signal(object)

    def did_change(self, kinds: Change) -> None:
        """Tell every subscriber that `kinds` of data changed (nothing is sent for Change.NONE)."""
        if kinds:
            self.changed.emit(kinds)


def touches(kinds: Change, shown: Change) -> bool:
    """Whether a change of `kinds` concerns a panel that shows `shown`."""
    return bool(kinds & shown)
