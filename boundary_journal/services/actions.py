"""Actions: concrete things the clinician means to do, such as raising a relationship in supervision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from boundary_journal.catalog import Template
from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.models import Action, Entry, Relationship
from boundary_journal.services.validation import clean_text, utcnow
from boundary_journal.store.journal import Journal

ORIGINS = ("self_check", "entry", "exercise", "manual")
MAX_ACTION_LENGTH = 500


@dataclass(frozen=True)
class ActionView:
    id: int
    text: str
    origin: str
    origin_id: int | None
    relationship: str | None
    created: datetime
    due_on: date | None
    done_at: datetime | None
    outcome: str

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    def status(self, today: date) -> str:
        """done, overdue (due before today), due (due today), or open (no date, or later)."""
        if self.done_at is not None:
            return "done"
        if self.due_on is not None and self.due_on < today:
            return "overdue"
        if self.due_on == today:
            return "due"
        return "open"

    def to_json(self, today: date | None = None) -> dict[str, Any]:
        return {
            "id": self.id, "text": self.text, "origin": self.origin, "origin_id": self.origin_id,
            "relationship": self.relationship, "created": self.created.isoformat(timespec="seconds") + "Z",
            "due_on": self.due_on.isoformat() if self.due_on else None,
            "done_at": self.done_at.isoformat(timespec="seconds") + "Z" if self.done_at else None,
            "outcome": self.outcome,
            "status": self.status(today or date.today()),
        }


def _view(action: Action) -> ActionView:
    return ActionView(
        action.id, action.text, action.origin, action.origin_id,
        action.relationship.pseudonym if action.relationship else None,
        action.created_at, action.due_on, action.done_at, action.outcome,
    )


def create_action(
    session: Session, text: str, *, origin: str, origin_id: int | None = None,
    relationship: Relationship | None = None, due_on: date | None = None,
) -> ActionView:
    """Add an open action inside the caller's transaction."""
    if origin not in ORIGINS:
        raise ValueError(f"unknown action origin {origin!r}")
    cleaned = clean_text(text, "The action", limit=MAX_ACTION_LENGTH, field="text").strip()
    if not cleaned:
        raise InvalidInput("Say what the action is.", field="text")
    action = Action(
        text=cleaned, origin=origin, origin_id=origin_id, relationship=relationship, created_at=utcnow(),
        due_on=due_on, outcome="",
    )
    session.add(action)
    session.flush()
    return _view(action)


def list_actions(journal: Journal, *, open_only: bool = False) -> list[ActionView]:
    """Actions, open ones first, then by when they were created."""
    statement = select(Action).options(joinedload(Action.relationship))
    if open_only:
        statement = statement.where(Action.done_at.is_(None))
    statement = statement.order_by(Action.done_at.is_not(None), Action.created_at, Action.id)
    with journal.read() as session:
        return [_view(action) for action in session.scalars(statement)]


def complete_action(journal: Journal, action_id: int, outcome: str = "") -> ActionView:
    """Mark an action done, with what came of it."""
    cleaned = clean_text(outcome, "The outcome", field="outcome").strip()
    with journal.transaction() as session:
        action = session.get(Action, action_id, options=[joinedload(Action.relationship)])
        if action is None:
            raise NotFound(f"There is no action with id {action_id}.")
        action.done_at = utcnow()
        action.outcome = cleaned
        session.flush()
        return _view(action)


def action_from_entry(journal: Journal, entry_id: int, *, due_on: date | None = None) -> ActionView:
    """Turn an entry's "next step" into an open action."""
    with journal.transaction() as session:
        entry = session.get(Entry, entry_id, options=[joinedload(Entry.relationship)])
        if entry is None:
            raise NotFound(f"There is no entry with id {entry_id}.")
        next_step = " ".join(entry.fields.get("next_step", "").split())
        if not next_step:
            raise InvalidInput("This entry has no next step to turn into an action; write one first.")
        if len(next_step) > MAX_ACTION_LENGTH:
            next_step = next_step[: MAX_ACTION_LENGTH - 1] + "…"
        return create_action(session, next_step, origin="entry", origin_id=entry.id,
                             relationship=entry.relationship, due_on=due_on)


def listen_after_hold(session: Session, template: Template | None, entry: Entry) -> ActionView | None:
    """For a held request (a template with `listen_after`), the follow-up seed 002 asks for: an open action,
    due some days after the entry, asking whether the request came back reworded and whether the patient
    used the rehearsed route. Inside the caller's transaction; None for other templates."""
    if template is None or not template.listen_after or template.listen_after_days is None:
        return None
    due_on = entry.occurred.date() + timedelta(days=template.listen_after_days)
    return create_action(session, template.listen_after, origin="entry", origin_id=entry.id,
                         relationship=entry.relationship, due_on=due_on)
