"""Relationships: the clinician's pseudonyms for the patients they write about."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.models import Entry, Relationship
from boundary_journal.services import deidentify, identifier_gate, stored_lists
from boundary_journal.services.record_fields import CONSENT_FIELDS, CONTEXT_FIELDS
from boundary_journal.services.validation import clean_text, utcnow
from boundary_journal.store.journal import Journal

MAX_PSEUDONYM_LENGTH = 80


@dataclass(frozen=True)
class RelationshipView:
    id: int
    pseudonym: str
    status: str
    entry_count: int


# Joiners that scripts and emoji need (Persian, Indic, family emoji): the only invisible characters a name keeps.
_JOINERS = frozenset("\u200c\u200d")
# Direction marks (LRM, RLM, ALM) are dropped from a name, as extra spaces are: the window sets a name's
# direction itself, and "Client K" with a mark must be the same relationship as without.
_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u200f\u061c")


def clean_pseudonym(raw: str) -> str:
    """A pseudonym as it is stored and compared: spaces collapsed and direction marks dropped, and refused when
    it holds another invisible character (a zero-width space, a tag): two pseudonyms that look the same are one."""
    cleaned = clean_text(raw, "The pseudonym", single_line=True, field="pseudonym")
    pseudonym = " ".join(cleaned.translate(_DIRECTION_MARKS).split())
    for index, char in enumerate(pseudonym):
        if unicodedata.category(char) == "Cf" and char not in _JOINERS:
            raise InvalidInput(
                f"The pseudonym holds an invisible character (U+{ord(char):04X}, at position {index + 1}), so it "
                "would look the same as another pseudonym; type it without.", field="pseudonym"
            )
    if not pseudonym:
        raise InvalidInput("Give the relationship a pseudonym, such as 'Client K'.", field="pseudonym")
    if len(pseudonym) > MAX_PSEUDONYM_LENGTH:
        raise InvalidInput(f"A pseudonym can have at most {MAX_PSEUDONYM_LENGTH} characters.", field="pseudonym")
    return pseudonym


class PseudonymLooksIdentifying(InvalidInput):
    """A new pseudonym holds a likely identifier. `confirmable`: it only looks like a name ("Rose" for a ward),
    so the clinician may confirm it (`confirm_pseudonym`); a full name ("Maria Gonzalez"), a title and a name
    ("Mr Okafor"), two name-like words, a phone number, a date or an email never can be."""

    def __init__(self, pseudonym: str, findings: list[deidentify.Finding]) -> None:
        self.pseudonym = pseudonym
        self.findings = findings
        why_not = identifier_gate.why_not_confirmable(pseudonym, findings)
        self.confirmable = why_not is None
        found = "; ".join(f"'{f.text}' ({f.label.lower()})" for f in findings)
        if self.confirmable:
            advice = ("Choose a pseudonym such as 'Client K' or 'Bed 4 in March'; if it only looks like a name "
                      "(a ward called Rose), confirm that it is a pseudonym.")
        elif all(f.kind == "name" for f in findings):
            advice = (f"It cannot be kept as a pseudonym: {why_not}, which identifies a person. Choose a pseudonym "
                      "such as 'Client K' or 'Bed 4 in March'.")
        else:
            advice = "Choose a pseudonym such as 'Client K' or 'Bed 4 in March', without contact details or dates."
        super().__init__(f"The pseudonym '{pseudonym}' may identify someone: {found}. {advice}", field="pseudonym")


CONFIRMED_PSEUDONYMS_KEY = "confirmed_pseudonyms"


def _confirmed(session: Session) -> set[str]:
    return {p.casefold() for p in stored_lists.read(session, CONFIRMED_PSEUDONYMS_KEY, "pseudonyms")}


def confirm_pseudonym(journal: Journal, raw_pseudonym: str) -> str:
    """Record that this pseudonym only looks like a name (the clinician said so); it can then be created, and the
    export check leaves its name-like words alone where it stands whole. Its words are not confirmed elsewhere."""
    pseudonym = clean_pseudonym(raw_pseudonym)
    findings = identifier_gate.pseudonym_findings(pseudonym, "Pseudonym")
    if identifier_gate.why_not_confirmable(pseudonym, findings) is not None:
        raise PseudonymLooksIdentifying(pseudonym, findings)
    if not findings:
        return pseudonym  # nothing to confirm
    with journal.transaction() as session:
        stored_lists.add_once(session, CONFIRMED_PSEUDONYMS_KEY, "pseudonyms", pseudonym)
    return pseudonym


def confirmed_pseudonyms(journal: Journal) -> set[str]:
    """The pseudonyms the clinician confirmed, case-folded."""
    with journal.read() as session:
        return _confirmed(session)


def pseudonym_findings(session: Session, pseudonym: str) -> list[deidentify.Finding]:
    """What the check finds in a pseudonym, without the "not identifying" list (a word allowed in notes does not
    make "Mr Lee" a pseudonym), less the name-like word of one the clinician confirmed."""
    return identifier_gate.pseudonym_findings(pseudonym, f"Relationship · {pseudonym}", confirmed=_confirmed(session))


def check_new_pseudonym(session: Session, pseudonym: str) -> None:
    """Refuse a new pseudonym that holds a likely identifier (PseudonymLooksIdentifying), unless confirmed."""
    findings = pseudonym_findings(session, pseudonym)
    if findings:
        raise PseudonymLooksIdentifying(pseudonym, findings)


def get_or_create_relationship(session: Session, raw_pseudonym: str, *, check: bool = True) -> Relationship:
    """The relationship with this pseudonym (case-insensitive), created if it is new; a new one is checked for
    likely identifiers first (`check`), except when an undo puts back what was there."""
    pseudonym = clean_pseudonym(raw_pseudonym)
    found = session.scalar(select(Relationship).where(Relationship.pseudonym == pseudonym))
    if found is not None:
        return found
    if check:
        check_new_pseudonym(session, pseudonym)
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


MAX_RECORD_LENGTH = 5_000


@dataclass(frozen=True)
class RelationshipDetail:
    pseudonym: str
    status: str
    context: dict[str, str]
    consent: dict[str, str]


def _clean_record(values: dict[str, str], allowed: dict[str, str], what: str) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for key, value in values.items():
        if key not in allowed:
            raise InvalidInput(f"There is no {what} field '{key}'; the fields are: {', '.join(allowed)}.", field=key)
        text = clean_text(value, allowed[key], limit=MAX_RECORD_LENGTH, field=key).strip()
        if text:
            cleaned[key] = text
    return cleaned


def find_relationship(session: Session, pseudonym: str) -> Relationship:
    """The relationship with this pseudonym (any case), or NotFound."""
    found = session.scalar(select(Relationship).where(Relationship.pseudonym == clean_pseudonym(pseudonym)))
    if found is None:
        raise NotFound(f"There is no relationship called '{pseudonym}'.")
    return found


def get_relationship(journal: Journal, pseudonym: str) -> RelationshipDetail:
    with journal.read() as session:
        found = find_relationship(session, pseudonym)
        return RelationshipDetail(found.pseudonym, found.status, dict(found.context or {}), dict(found.consent or {}))


def set_context(journal: Journal, pseudonym: str, context: dict[str, str]) -> RelationshipDetail:
    """Replace the relationship's context notes (seed 001 §6); empty values are dropped."""
    cleaned = _clean_record(context, CONTEXT_FIELDS, "context")
    with journal.transaction() as session:
        found = find_relationship(session, pseudonym)
        found.context = cleaned
        return RelationshipDetail(found.pseudonym, found.status, dict(found.context), dict(found.consent or {}))


def set_consent(journal: Journal, pseudonym: str, consent: dict[str, str]) -> RelationshipDetail:
    """Replace the consent record of a sanctioned exception (seed 001 §8); empty values are dropped."""
    cleaned = _clean_record(consent, CONSENT_FIELDS, "consent")
    with journal.transaction() as session:
        found = find_relationship(session, pseudonym)
        found.consent = cleaned
        return RelationshipDetail(found.pseudonym, found.status, dict(found.context or {}), dict(found.consent))
