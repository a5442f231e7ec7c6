"""The journal the window shows, or none while it is locked: what every controller reads it from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from boundary_journal.store.journal import Journal
from ui.lock_screen import JournalLocked

Status = Callable[..., None]  # status(text, timeout_ms=0): a line in the status bar
ShowError = Callable[[BaseException | str], None]


class JournalSession:
    """Holds the open journal. While locked, `journal` raises JournalLocked: nothing may read it then."""

    def __init__(self, journal: Journal) -> None:
        self._journal: Journal | None = journal
        self.path: Path = journal.path
        self.opened_here = False  # a journal opened on unlocking (or handed over later) is the window's to close

    @property
    def journal(self) -> Journal:
        if self._journal is None:
            raise JournalLocked("The journal is locked; nothing may read it until it is unlocked.")
        return self._journal

    @journal.setter
    def journal(self, journal: Journal) -> None:
        self._journal = journal

    @property
    def is_locked(self) -> bool:
        return self._journal is None

    def is_open(self) -> bool:
        """Not locked, and not closed under the window either (a restore or delete-everything closes it first)."""
        return self._journal is not None and self._journal.is_open

    def take(self) -> Journal | None:
        """Lock: hand back the journal (for closing) and hold none from now on."""
        journal, self._journal = self._journal, None
        return journal

    def held(self) -> Journal | None:
        """The journal held, open or closed, or None while locked (for closing it)."""
        return self._journal
