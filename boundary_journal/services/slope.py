"""The slope of seed 004 §2 per relationship: the stage the clinician sets, and the stage the evidence suggests."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session, selectinload

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


def stage_histories(journal: Journal) -> dict[str, list[StageChangeView]]:
    """`stage_history` of every relationship that has one, by pseudonym, read in one query."""
    statement = (
        select(Relationship.pseudonym, StageChange.stage, StageChange.set_at, StageChange.note)
        .join(StageChange.relationship)
        .order_by(StageChange.relationship_id, StageChange.set_at, StageChange.id)
    )
    histories: dict[str, list[StageChangeView]] = {}
    with journal.read() as session:
        for pseudonym, stage, set_at, note in session.execute(statement):
            histories.setdefault(pseudonym, []).append(StageChangeView(stage, set_at, note))
    return histories


def _matches(evidence: StageEvidence, category: str, channel: str, hour: int) -> bool:
    if evidence.kind == "category":
        return category in evidence.values
    if evidence.kind == "channel":
        return channel in evidence.values
    if evidence.kind == "after_hours" and evidence.from_hour is not None and evidence.to_hour is not None:
        if evidence.from_hour > evidence.to_hour:  # wraps past midnight, e.g. 20:00 to 07:00
            return hour >= evidence.from_hour or hour < evidence.to_hour
        return evidence.from_hour <= hour < evidence.to_hour
    return False


# Look entries up by relationship when the relationships asked about are at most this share of all of them.
_LOOK_UP_SHARE = 0.25


def _suggestions(session: Session, catalog: Catalog, ids: Collection[int] | None) -> dict[int, StageSuggestion]:
    """The suggestion for each relationship id (every relationship when `ids` is None), in a few queries.

    The entries are read as counts per category, channel and hour: all that the evidence looks at. A few
    relationships' entries are looked up by relationship; for many (or all), one pass over every entry is
    quicker: grouped by category first, so SQLite reads the narrowest index that holds these columns, if any,
    instead of the pages that hold entry text.
    """
    hour = cast(func.strftime("%H", Entry.occurred), Integer)
    counted = (
        select(Entry.relationship_id, Entry.category, Entry.channel, hour, func.count())
        .group_by(Entry.category, Entry.channel, hour, Entry.relationship_id)
    )
    ranked = select(
        SelfCheck.relationship_id, SelfCheck.answers,
        func.row_number().over(
            partition_by=SelfCheck.relationship_id, order_by=(SelfCheck.taken_at.desc(), SelfCheck.id.desc())
        ).label("newest"),
    ).where(SelfCheck.relationship_id.is_not(None))
    wanted = None if ids is None else set(ids)
    if wanted is not None:
        ranked = ranked.where(SelfCheck.relationship_id.in_(wanted))
        if len(wanted) <= _LOOK_UP_SHARE * (session.scalar(select(func.count(Relationship.id))) or 0):
            counted = counted.where(Entry.relationship_id.in_(wanted))
    latest = ranked.subquery()

    evidence = [(stage.number, e) for stage in catalog.slope_stages for e in stage.evidence]
    counts: dict[int, list[int]] = {}
    matching: dict[tuple[str, str, int], list[int]] = {}  # which evidence a kind of entry matches
    for relationship_id, category, channel, at_hour, n in session.execute(counted):
        if wanted is not None and relationship_id not in wanted:
            continue
        key = (category, channel, at_hour)
        found = matching.get(key)
        if found is None:
            found = matching[key] = [i for i, (_, e) in enumerate(evidence) if _matches(e, *key)]
        row = counts.setdefault(relationship_id, [0] * len(evidence))
        for index in found:
            row[index] += n
    ticked: dict[int, set[str]] = {}
    for relationship_id, answers in session.execute(
        select(latest.c.relationship_id, latest.c.answers).where(latest.c.newest == 1)
    ):
        ticked[relationship_id] = {item for item, level in (answers or {}).items() if level > 0}

    suggestions: dict[int, StageSuggestion] = {}
    for relationship_id in (wanted if wanted is not None else counts.keys() | ticked.keys()):
        entry_counts = counts.get(relationship_id, [0] * len(evidence))
        flags = ticked.get(relationship_id, set())
        reasons: list[StageReason] = []
        for index, (stage, item) in enumerate(evidence):
            count = len(flags & set(item.values)) if item.kind == "red_flag" else entry_counts[index]
            if count:
                reasons.append(StageReason(stage, item.reason, count))
        suggested = max((r.stage for r in reasons), default=None)
        suggestions[relationship_id] = StageSuggestion(suggested, tuple(sorted(reasons, key=lambda r: -r.stage)))
    return suggestions


_NO_SUGGESTION = StageSuggestion(None, ())


def suggest_stage(journal: Journal, catalog: Catalog, pseudonym: str) -> StageSuggestion:
    """The highest stage whose evidence is present in the relationship's entries and latest check-in, and why."""
    with journal.read() as session:
        relationship = find_relationship(session, pseudonym)
        return _suggestions(session, catalog, [relationship.id])[relationship.id]


def suggest_stages(journal: Journal, catalog: Catalog, pseudonyms: Iterable[str]) -> dict[str, StageSuggestion]:
    """`suggest_stage` for several relationships at once, by pseudonym as stored, in pseudonym order.

    Pseudonyms that name no relationship are left out.
    """
    wanted = list(dict.fromkeys(pseudonyms))
    if not wanted:
        return {}
    found_statement = select(Relationship.id, Relationship.pseudonym).where(Relationship.pseudonym.in_(wanted))
    with journal.read() as session:
        found = session.execute(found_statement.order_by(Relationship.pseudonym)).all()
        suggestions = _suggestions(session, catalog, [relationship_id for relationship_id, _ in found])
        return {pseudonym: suggestions[relationship_id] for relationship_id, pseudonym in found}


def relationship_statuses(journal: Journal, catalog: Catalog) -> list[RelationshipStatus]:
    """Every relationship with its entry count, current stage and suggested stage."""
    counts = (
        select(Entry.relationship_id, func.count(Entry.id).label("n")).group_by(Entry.relationship_id).subquery()
    )
    statement = (
        select(Relationship, func.coalesce(counts.c.n, 0))
        .options(selectinload(Relationship.stage_changes))
        .outerjoin(counts, counts.c.relationship_id == Relationship.id)
        .order_by(Relationship.pseudonym)
    )
    with journal.read() as session:
        suggestions = _suggestions(session, catalog, None)
        statuses = []
        for relationship, count in session.execute(statement).all():
            history = relationship.stage_changes
            statuses.append(RelationshipStatus(
                relationship.pseudonym, relationship.status, count, history[-1].stage if history else None,
                suggestions.get(relationship.id, _NO_SUGGESTION),
            ))
        return statuses
