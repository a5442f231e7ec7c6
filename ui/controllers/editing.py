"""The editor's user actions: new, open, save, delete and undo, drafts offered back, the identifier hint,
and an action made from the entry's next step. Every change is announced on the change signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound, UserError
from boundary_journal.services import actions, drafts, entries, relationships, settings
from boundary_journal.services.actions import ActionView
from boundary_journal.services.drafts import StoredDraft
from boundary_journal.services.entries import DeletedEntry, EntryView
from boundary_journal.store.journal import Journal
from ui.changes import Change, ChangeNotifier
from ui.controllers.drafts import STATUS_TIMEOUT_MS, Drafts
from ui.controllers.entry_list import shortcut_text
from ui.controllers.session import JournalSession, Status
from ui.entry_editor import EntryEditor
from ui.messages import DraftChoice, UnsavedChoice


class EditingPrompts(Protocol):
    """The questions the editor side asks (the window's, which tests replace on the instance)."""

    def confirm_unsaved_changes(self) -> UnsavedChoice: ...
    def confirm_pseudonym(self, pseudonym: str, why: str) -> bool: ...
    def confirm_restore_draft(self, stored: StoredDraft) -> DraftChoice: ...
    def show_error(self, error: BaseException | str) -> None: ...


class EntryEditing(QObject):
    """What the user does to entries through the editor; the list is moved through `select_entry`."""

    undo_available = Signal(bool)
    action_made = Signal(object)  # the ActionView made from the entry's next step

    def __init__(
        self,
        editor: EntryEditor,
        catalog: Catalog,
        session: JournalSession,
        drafts_: Drafts,
        changes: ChangeNotifier,
        prompts: EditingPrompts,
        *,
        select_entry: Callable[[int | None], None],
        status: Status,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor, self.catalog, self.session, self.drafts = editor, catalog, session, drafts_
        self.changes, self.prompts = changes, prompts
        self._select_entry, self._status = select_entry, status
        self.deleted: list[DeletedEntry] = []  # the undo list
        self._pending_entry: int | None = None
        self._hint_view: EntryView | None = None

    @property
    def journal(self) -> Journal:
        """Read at each use, never kept across a lock."""
        return self.session.journal

    # --- moving between entries -------------------------------------------------------------------

    def resolve_unsaved(self) -> bool:
        """True when the editor may be replaced: nothing unsaved, or saved, or discarded (and its draft gone)."""
        if not self.editor.is_dirty():
            self.drafts.forget()
            return True
        choice = self.prompts.confirm_unsaved_changes()
        if choice is UnsavedChoice.SAVE:
            return self.save()
        if choice is UnsavedChoice.DISCARD:
            self.drafts.forget()
            return True
        return False

    def new_entry(self) -> None:
        if not self.resolve_unsaved():
            return
        self.editor.new_entry()
        self._select_entry(None)
        self.editor.template_combo.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def choose_entry(self, entry_id: int) -> None:
        """The user moved the list to `entry_id`: open it, asking first about unsaved changes."""
        if not self.editor.is_dirty():
            self.open_entry(entry_id)
            return
        # Ask after the click or key press has finished, so Cancel can put the selection back cleanly.
        self._pending_entry = entry_id
        QTimer.singleShot(0, self._switch_to_pending_entry)

    def _switch_to_pending_entry(self) -> None:
        entry_id, self._pending_entry = self._pending_entry, None
        if entry_id is None or self.session.is_locked:
            return
        if not self.resolve_unsaved():
            self._select_entry(self.editor.entry_id())
            return
        self.open_entry(entry_id)

    def open_entry(self, entry_id: int) -> None:
        try:
            view = entries.get_entry(self.journal, entry_id)
        except UserError as error:
            self.prompts.show_error(error)
            return
        self.editor.load_entry(view)
        self._select_entry(entry_id)

    def go_to_editor(self) -> None:
        """Enter on a row goes to the editor, keyboard-first."""
        target = self.editor.field_edit("what_happened") or self.editor.template_combo
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- saving, deleting, undoing ----------------------------------------------------------------

    def save(self) -> bool:
        """Store the editor's entry (new or edited); problems are shown inline in the editor."""
        entry_id = self.editor.entry_id()
        try:
            draft = self.editor.draft()
            if entry_id is None:
                view = entries.add_entry(self.journal, self.catalog, draft)
            else:
                view = entries.update_entry(self.journal, self.catalog, entry_id, draft)
        except relationships.PseudonymLooksIdentifying as error:
            if error.confirmable and self.prompts.confirm_pseudonym(error.pseudonym, str(error)):
                relationships.confirm_pseudonym(self.journal, error.pseudonym)
                return self.save()
            self.editor.show_error(error)
            return False
        except InvalidInput as error:
            self.editor.show_error(error)
            return False
        except UserError as error:
            self.prompts.show_error(error)
            return False
        self.drafts.forget(drafts.slot_for(entry_id))
        self.editor.load_entry(view)
        self._show_identifier_hint(view)
        # A new entry held with "listen back later" made its follow-up action (entries.add_entry).
        made_action = entry_id is None and draft.listen_after
        kinds = Change.ENTRIES | Change.RELATIONSHIPS
        self.changes.did_change(kinds | Change.ACTIONS if made_action else kinds)
        self._status("Saved", STATUS_TIMEOUT_MS)
        return True

    def delete_entry(self) -> None:
        """Delete the entry open in the editor; Ctrl+Z brings it back."""
        entry_id = self.editor.entry_id()
        if entry_id is None:
            self._status("Select an entry in the list to delete it.", STATUS_TIMEOUT_MS)
            return
        if not self.resolve_unsaved():
            return
        try:
            deleted = entries.delete_entry(self.journal, entry_id)
        except UserError as error:
            self.prompts.show_error(error)
            return
        self.deleted.append(deleted)
        self.undo_available.emit(True)
        self.editor.new_entry()
        self.changes.did_change(Change.ENTRIES)
        undo = shortcut_text(QKeySequence.StandardKey.Undo)
        self._status(f"Deleted — {undo} to undo", STATUS_TIMEOUT_MS)

    def undo_delete(self) -> None:
        """Put the most recently deleted entry back."""
        if not self.deleted:
            return
        try:
            view = entries.restore_entry(self.journal, self.deleted[-1])
        except InvalidInput as error:  # it is back already: nothing left to undo for it
            self.deleted.pop()
            self.undo_available.emit(bool(self.deleted))
            self._status(str(error), STATUS_TIMEOUT_MS)
            return
        except UserError as error:
            self.prompts.show_error(error)
            return
        self.deleted.pop()
        self.undo_available.emit(bool(self.deleted))
        if not self.editor.is_dirty():
            self.editor.load_entry(view)
        self.changes.did_change(Change.ENTRIES | Change.RELATIONSHIPS)
        self._status("Entry restored", STATUS_TIMEOUT_MS)

    def forget_undo(self) -> None:
        """The deleted entries may not exist any more (a restore), or must not be kept (a lock)."""
        self.deleted.clear()
        self.undo_available.emit(False)

    # --- the identifier hint and the next step -------------------------------------------------------

    def _show_identifier_hint(self, view: EntryView) -> None:
        """What the identifier check recognises in the entry just saved, shown under its heading (non-blocking)."""
        from boundary_journal.services import exports

        self._hint_view = view
        self.editor.identifier_hint.show_findings(exports.entry_findings(self.journal, self.catalog, view))

    def confirm_not_identifying(self, text: str) -> None:
        """The clinician says a finding of the identifier hint identifies nobody: remember it and check again."""
        try:
            settings.remember_not_identifying(self.journal, text)
        except UserError as error:
            self.prompts.show_error(error)
            return
        view = self._hint_view
        if view is not None and self.editor.entry_id() == view.id:
            self._show_identifier_hint(view)
        self._status(f"“{text}” confirmed as not identifying", STATUS_TIMEOUT_MS)

    def make_next_step_action(self) -> ActionView | None:
        """Turn the saved entry's next step into an open action; a missing next step is said in the editor."""
        entry_id = self.editor.entry_id()
        if entry_id is None or self.editor.is_dirty():
            self.editor.show_problem("Save the entry first: the action is made from its saved next step.")
            return None
        try:
            action = actions.action_from_entry(self.journal, entry_id)
        except InvalidInput as error:
            self.editor.show_problem(str(error))
            return None
        except UserError as error:
            self.prompts.show_error(error)
            return None
        self.editor.clear_error()
        self.changes.did_change(Change.ACTIONS)
        self.action_made.emit(action)
        self._status(f"Action added: {action.text}", STATUS_TIMEOUT_MS)
        return action

    # --- drafts offered back ------------------------------------------------------------------------

    def offer_drafts(self) -> None:
        """Offer back each draft left in the journal (by a crash, or by quitting while locked), newest first."""
        if self.session.is_locked:
            return
        try:
            found = self.drafts.stored()
        except UserError as error:
            self.prompts.show_error(error)
            return
        for stored in found:
            choice = self.prompts.confirm_restore_draft(stored)
            if self.session.is_locked or choice is DraftChoice.LATER:
                return  # unanswered (the window locked over the question): it is offered again next start
            if choice is DraftChoice.DISCARD:
                try:
                    self.drafts.discard(stored.slot)
                except UserError as error:
                    self.prompts.show_error(error)
                    return
            elif not self.restore_draft(stored):
                return

    def restore_draft(self, stored: StoredDraft) -> bool:
        """Put `stored` in the editor, after the editor's own unsaved changes are saved or discarded."""
        if not self.resolve_unsaved():
            return False
        return self.put_draft_back(stored)

    def put_draft_back(self, stored: StoredDraft) -> bool:
        draft = stored.draft
        view: EntryView | None = None
        if draft.entry_id is not None:
            try:
                view = entries.get_entry(self.journal, draft.entry_id)
            except NotFound:
                view = None  # deleted since: the words come back as a new entry
            except UserError as error:
                self.prompts.show_error(error)
                return False
        self.editor.restore_draft(draft, view)
        self.drafts.slots.add(stored.slot)
        if view is None and stored.slot != drafts.NEW_ENTRY_SLOT:
            self.drafts.save_now()  # kept as the new entry's draft from now on
            self.drafts.forget(stored.slot)
        self._select_entry(self.editor.entry_id())
        return True
