"""The slope of seed 004 §2 per relationship: the stage the clinician sets, and the stage the evidence suggests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from boundary_journal.catalog import Catalog, StageEvidence
from boundary_journal.errors import InvalidInput
from boundary_journal.models import Entry, Relationship, SelfCheck, StageChange
from boundary_journal.services.relationships import find_relationship
from boundary_journal.services.validation import clean_text
from boundary_journal.storage import Journal


@dataclass(frozen=True)
class StageChangeView:
    stage: int
    set_at: datetime
    note: str

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "set": self.set_at.isoformat(timespec="minutes"), "note": self.note}


@dataclass(frozen=True)
class StageReason:
    """Why a stage is suggested: one piece of evidence and how often it was seen."""

    stage: int
    reason: str
    count: int

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "reason": self.reason, "count": self.count}


@dataclass(frozen=True)
class StageSuggestion:
    stage: int | None
    reasons: tuple[StageReason, ...]


@dataclass(frozen=True)
class RelationshipStatus:
    pseudonym: str
    status: str
    entry_count: int
    stage: int | None
    suggestion: StageSuggestion

    def to_json(self) -> dict[str, Any]:
        return {
            "pseudonym": self.pseudonym, "status": self.status, "entries": self.entry_count, "stage": self.stage,
            "suggested_stage": self.suggestion.stage,
            "suggestion_reasons": [r.to_json() for r in self.suggestion.reasons],
        }


def set_stage(journal: Journal, pseudonym: str, stage: int, *, note: str = "", when: datetime | None = None) -> None:
    """Record the clinician's judgement of where on the slope a relationship is now."""
    if isinstance(stage, bool) or not isinstance(stage, int) or not 1 <= stage <= 5:
        raise InvalidInput(f"The slope stage must be a number from 1 to 5, not '{stage}'.")
    cleaned = clean_text(note, "The note", limit=5_000).strip()
    with journal.transaction() as session:
        relationship = find_relationship(session, pseudonym)
        session.add(StageChange(
            relationship=relationship, stage=stage, note=cleaned,
            set_at=(when or datetime.now()).replace(microsecond=0, tzinfo=None),
        ))


def stage_history(journal: Journal, pseudonym: str) -> list[StageChangeView]:
    """Every stage the clinician set for the relationship, oldest first."""
    with journal.read() as session:
        relationship = find_relationship(session, pseudonym)
        return [StageChangeView(c.stage, c.set_at, c.note) for c in relationship.stage_changes]


def _matches(evidence: StageEvidence, entry: tuple[str, str, datetime]) -> bool:
    category, channel, occurred = entry
    if evidence.kind == "category":
        return category in evidence.values
    if evidence.kind == "channel":
        return channel in evidence.values
    if evidence.kind == "after_hours" and evidence.from_hour is not None and evidence.to_hour is not None:
        hour = occurred.hour
        if evidence.from_hour > evidence.to_hour:  # wraps past midnight, e.g. 20:00 to 07:00
            return hour >= evidence.from_hour or hour < evidence.to_hour
        return evidence.from_hour <= hour < evidence.to_hour
    return False


def _suggest(session: Session, catalog: Catalog, relationship: Relationship) -> StageSuggestion:
    entries = session.execute(
        select(Entry.category, Entry.channel, Entry.occurred).where(Entry.relationship_id == relationship.id)
    ).all()
    latest = session.scalar(
        select(SelfCheck).where(SelfCheck.relationship_id == relationship.id)
        .order_by(SelfCheck.taken_at.desc(), SelfCheck.id.desc()).limit(1)
    )
    ticked = {item for item, level in (latest.answers if latest else {}).items() if level > 0}
    reasons: list[StageReason] = []
    for stage in catalog.slope_stages:
        for evidence in stage.evidence:
            if evidence.kind == "red_flag":
                count = len(ticked & set(evidence.values))
            else:
                count = sum(1 for entry in entries if _matches(evidence, tuple(entry)))
            if count:
                reasons.append(StageReason(stage.number, evidence.reason, count))
    suggested = max((r.stage for r in reasons), default=None)
    return StageSuggestion(suggested, tuple(sorted(reasons, key=lambda r: -r.stage)))


def suggest_stage(journal: Journal, catalog: Catalog, pseudonym: str) -> StageSuggestion:
    """The highest stage whose evidence is present in the relationship's entries and latest check-in, and why."""
    with journal.read() as session:
        return _suggest(session, catalog, find_relationship(session, pseudonym))


def relationship_statuses(journal: Journal, catalog: Catalog) -> list[RelationshipStatus]:
    """Every relationship with its entry count, current stage and suggested stage."""
    counts = (
        select(Entry.relationship_id, func.count(Entry.id).label("n")).group_by(Entry.relationship_id).subquery()
    )
    statement = (
        select(Relationship, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.relationship_id == Relationship.id)
        .order_by(Relationship.pseudonym)
    )
    with journal.read() as session:
        statuses = []
        for relationship, count in session.execute(statement).all():
            history = relationship.stage_changes
            statuses.append(RelationshipStatus(
                relationship.pseudonym, relationship.status, count, history[-1].stage if history else None,
                _suggest(session, catalog, relationship),
            ))
        return statuses
