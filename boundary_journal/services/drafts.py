"""Drafts of the entry editor: what it holds and has not saved, kept inside the encrypted journal.

The window saves a draft a few seconds after typing stops and before the journal locks, and deletes it
when the entry is saved or its changes are discarded; a draft still there at the next start was left by a
crash and is offered back. One row per editor slot: "new" for an entry not saved yet, "entry-<id>" for
changes to a stored entry. A draft is written to the journal and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from boundary_journal.errors import InvalidInput
from boundary_journal.models import Draft
from boundary_journal.moments import local_naive
from boundary_journal.store.journal import Journal

NEW_ENTRY_SLOT = "new"
ENTRY_SLOT_PREFIX = "entry-"
FORMAT_VERSION = 1
# Far more than an entry may hold (see validation.MAX_TEXT_LENGTH): a draft keeps even what cannot be saved.
MAX_DRAFT_CHARACTERS = 16_000_000


def slot_for(entry_id: int | None) -> str:
    """The editor slot of a new entry (None) or of changes to the stored entry `entry_id`."""
    return NEW_ENTRY_SLOT if entry_id is None else f"{ENTRY_SLOT_PREFIX}{int(entry_id)}"


@dataclass(frozen=True)
class EditorDraft:
    """Everything the entry editor holds, as typed: nothing is checked, since a draft is not an entry yet."""

    entry_id: int | None = None
    template: str | None = None
    relationship: str = ""
    channel: str | None = None  # None: the template's default channel, as the editor offers it
    occurred: datetime | None = None
    fields: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    supervision: bool = False
    flow: dict[str, str] = field(default_factory=dict)
    response_review: dict[str, bool] = field(default_factory=dict)

    @property
    def slot(self) -> str:
        return slot_for(self.entry_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "entry_id": self.entry_id,
            "template": self.template,
            "relationship": self.relationship,
            "channel": self.channel,
            "occurred": self.occurred.isoformat(timespec="minutes") if self.occurred else None,
            "fields": dict(self.fields),
            "tags": list(self.tags),
            "supervision": self.supervision,
            "flow": dict(self.flow),
            "response_review": dict(self.response_review),
        }

    @classmethod
    def from_json(cls, data: Any) -> EditorDraft:
        """Read a stored draft leniently: a value of the wrong kind is left out rather than losing the rest."""
        if not isinstance(data, Mapping):
            return cls()
        entry_id = data.get("entry_id")
        occurred = None
        if isinstance(data.get("occurred"), str):
            try:
                occurred = datetime.fromisoformat(data["occurred"])
            except ValueError:
                occurred = None
        return cls(
            entry_id=entry_id if isinstance(entry_id, int) and not isinstance(entry_id, bool) else None,
            template=_text_or_none(data.get("template")),
            relationship=_text(data.get("relationship")),
            channel=_text_or_none(data.get("channel")),
            occurred=occurred,
            fields=_text_mapping(data.get("fields")),
            tags=_texts(data.get("tags")),
            supervision=data.get("supervision") is True,
            flow=_text_mapping(data.get("flow")),
            response_review=_ticks(data.get("response_review")),
        )

    def characters(self) -> int:
        texts = [self.relationship, *self.fields.values(), *self.tags]
        return sum(len(t) for t in texts)


@dataclass(frozen=True)
class StoredDraft:
    slot: str
    draft: EditorDraft
    saved_at: datetime  # local wall-clock time, as the offer shows it


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _texts(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _ticks(value: Any) -> dict[str, bool]:
    if not isinstance(value, Mapping):
        return {}
    return {k: True for k, v in value.items() if isinstance(k, str) and v is True}


def _text_mapping(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}


def save_draft(journal: Journal, draft: EditorDraft, *, now: datetime | None = None) -> StoredDraft:
    """Keep `draft` as its slot's draft, replacing the one saved before."""
    if draft.characters() > MAX_DRAFT_CHARACTERS:
        raise InvalidInput(
            f"This entry holds more than {MAX_DRAFT_CHARACTERS:,} characters; it is too large to keep as a draft."
        )
    saved_at = local_naive(now or datetime.now()).replace(microsecond=0)
    content = draft.to_json()
    with journal.transaction() as session:
        stored = session.get(Draft, draft.slot)
        if stored is None:
            session.add(Draft(slot=draft.slot, content=content, saved_at=saved_at))
        else:
            stored.content = content
            stored.saved_at = saved_at
    return StoredDraft(draft.slot, draft, saved_at)


def load_drafts(journal: Journal) -> list[StoredDraft]:
    """Every draft in the journal, newest first."""
    with journal.read() as session:
        rows = session.scalars(select(Draft).order_by(Draft.saved_at.desc(), Draft.slot)).all()
        return [StoredDraft(row.slot, EditorDraft.from_json(row.content), row.saved_at) for row in rows]


def discard_draft(journal: Journal, slot: str) -> bool:
    """Delete the draft of `slot`; True when there was one."""
    with journal.transaction() as session:
        stored = session.get(Draft, slot)
        if stored is None:
            return False
        session.delete(stored)
        return True
