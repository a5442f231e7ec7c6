"""Relationships: the clinician's pseudonyms for the patients they write about."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boundary_journal.errors import InvalidInput
from boundary_journal.models import Entry, Relationship
from boundary_journal.services.validation import clean_text, utcnow
from boundary_journal.storage import Journal

MAX_PSEUDONYM_LENGTH = 80


@dataclass(frozen=True)
class RelationshipView:
    id: int
    pseudonym: str
    status: str
    entry_count: int


def clean_pseudonym(raw: str) -> str:
    pseudonym = " ".join(clean_text(raw, "The pseudonym", single_line=True).split())
    if not pseudonym:
        raise InvalidInput("Give the relationship a pseudonym, such as 'Client K'.")
    if len(pseudonym) > MAX_PSEUDONYM_LENGTH:
        raise InvalidInput(f"A pseudonym can have at most {MAX_PSEUDONYM_LENGTH} characters.")
    return pseudonym


def get_or_create_relationship(session: Session, raw_pseudonym: str) -> Relationship:
    """The relationship with this pseudonym (case-insensitive), created if it is new."""
    pseudonym = clean_pseudonym(raw_pseudonym)
    found = session.scalar(select(Relationship).where(Relationship.pseudonym == pseudonym))
    if found is not None:
        return found
    relationship = Relationship(pseudonym=pseudonym, status="active", created_at=utcnow())
    session.add(relationship)
    session.flush()
    return relationship


def list_relationships(journal: Journal) -> list[RelationshipView]:
    """Every relationship with its number of entries, by pseudonym."""
    statement = (
        select(Relationship, func.count(Entry.id))
        .outerjoin(Entry, Entry.relationship_id == Relationship.id)
        .group_by(Relationship.id)
        .order_by(Relationship.pseudonym)
    )
    with journal.read() as session:
        return [
            RelationshipView(r.id, r.pseudonym, r.status, count)
            for r, count in session.execute(statement).all()
        ]
