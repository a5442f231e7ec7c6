"""The editor's drafts: unsaved work kept in the journal a moment after typing stops, dropped once saved.

A draft lives in a slot (one per entry, one for a new entry). This controller only keeps and drops
them; offering them back is the editor side's (`EntryEditing.offer_drafts`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from boundary_journal.errors import UserError
from boundary_journal.services import drafts
from boundary_journal.services.drafts import StoredDraft
from ui.clock import Clock
from ui.controllers.session import JournalSession, Status
from ui.entry_editor import EntryEditor

DRAFT_DELAY_MS = 2_000  # the editor's draft is saved this long after typing stops
STATUS_TIMEOUT_MS = 10_000


class Drafts(QObject):
    """Keeps `editor`'s unsaved work as a draft in the session's journal."""

    def __init__(
        self, editor: EntryEditor, session: JournalSession, clock: Clock, *, status: Status,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor, self.session, self.clock, self._status = editor, session, clock, status
        self.slots: set[str] = set()  # editor slots known to have a draft in the journal
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DRAFT_DELAY_MS)
        self.timer.timeout.connect(self.save_now)

    def editor_changed(self) -> None:
        self.timer.start()  # restarted by every change: saved once typing stops

    def stop(self) -> None:
        """No draft is saved by the timer after this (the window locks or closes); `save_now` still saves."""
        self.timer.stop()

    def save_now(self) -> bool:
        """Keep the editor's unsaved work as its slot's draft, or drop that draft once nothing is unsaved.

        It runs while the user types, so a failure is said in the status bar, not in a box; False then.
        """
        self.timer.stop()
        if not self.session.is_open():
            return False
        slot = drafts.slot_for(self.editor.entry_id())
        try:
            if self.editor.is_dirty():
                drafts.save_draft(self.session.journal, self.editor.unsaved_draft(), now=self.clock.now())
                self.slots.add(slot)
            elif slot in self.slots:
                drafts.discard_draft(self.session.journal, slot)
                self.slots.discard(slot)
        except UserError as error:
            self._status(f"The draft of this entry could not be kept: {error}", STATUS_TIMEOUT_MS)
            return False
        return True

    def forget(self, slot: str | None = None) -> None:
        """The entry was saved or its changes discarded: its draft (default: the editor's slot's) goes."""
        self.timer.stop()
        if slot is None:
            slot = drafts.slot_for(self.editor.entry_id())
        if slot not in self.slots or not self.session.is_open():
            return
        try:
            drafts.discard_draft(self.session.journal, slot)
        except UserError as error:
            self._status(f"An old draft could not be deleted: {error}", STATUS_TIMEOUT_MS)
            return
        self.slots.discard(slot)

    def stored(self) -> list[StoredDraft]:
        """The drafts left in the journal, newest first (UserError when it cannot be read)."""
        return drafts.load_drafts(self.session.journal)

    def find(self, slot: str) -> StoredDraft | None:
        return next((d for d in self.stored() if d.slot == slot), None)

    def discard(self, slot: str) -> None:
        drafts.discard_draft(self.session.journal, slot)
        self.slots.discard(slot)
