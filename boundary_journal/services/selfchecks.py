"""Red-flag self-checks: a short check-in, scored by the catalogue's rules, per relationship or overall."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.models import Relationship, SelfCheck
from boundary_journal.services.actions import ActionView, create_action
from boundary_journal.services.relationships import clean_pseudonym, get_or_create_relationship
from boundary_journal.services.validation import clean_text, plausible_moment, utcnow
from boundary_journal.store.journal import Journal

MAX_NOTE_LENGTH = 20_000


@dataclass(frozen=True)
class SelfCheckDraft:
    """Answers by red-flag id (level value 0, 1 or 2); items left out count as "not at all"."""

    answers: Mapping[str, int]
    relationship: str | None = None
    item_notes: Mapping[str, str] = field(default_factory=dict)
    note: str = ""
    context: str = ""
    taken_at: datetime | None = None


@dataclass(frozen=True)
class Score:
    points: int
    maximum: int

    @property
    def percent(self) -> int:
        return round(100 * self.points / self.maximum) if self.maximum else 0


@dataclass(frozen=True)
class SelfCheckView:
    id: int
    taken_at: datetime
    relationship: str | None
    answers: dict[str, int]
    item_notes: dict[str, str]
    note: str
    context: str
    score: Score
    ticked: tuple[str, ...]
    higher_input: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "taken": self.taken_at.isoformat(timespec="minutes"), "relationship": self.relationship,
            "score": self.score.percent, "points": self.score.points, "maximum": self.score.maximum,
            "ticked": list(self.ticked), "higher_input": list(self.higher_input), "answers": dict(self.answers),
            "item_notes": dict(self.item_notes), "note": self.note, "context": self.context,
        }


def score(catalog: Catalog, answers: Mapping[str, int]) -> Score:
    """Points = sum of level value x the item's group weight; the maximum is every item answered "clearly"."""
    weights = {w.group: w.points for w in catalog.weights}
    top = max(level.value for level in catalog.levels)
    points = sum(answers.get(flag.id, 0) * weights[flag.group] for flag in catalog.red_flags)
    maximum = sum(top * weights[flag.group] for flag in catalog.red_flags)
    return Score(points, maximum)


def _view(catalog: Catalog, check: SelfCheck) -> SelfCheckView:
    answers = dict(check.answers)
    ticked = tuple(flag.id for flag in catalog.red_flags if answers.get(flag.id, 0) > 0)
    higher = tuple(f for f in ticked if (flag := catalog.red_flag(f)) and flag.warrants_higher_input)
    return SelfCheckView(
        check.id, check.taken_at, check.relationship.pseudonym if check.relationship else None, answers,
        dict(check.item_notes), check.note, check.context, score(catalog, answers), ticked, higher,
    )


def clean_answers(catalog: Catalog, answers: Mapping[str, int], item_notes: Mapping[str, str]) -> dict[str, int]:
    values = {level.value for level in catalog.levels}
    cleaned: dict[str, int] = {}
    for item_id, level in answers.items():
        if catalog.red_flag(item_id) is None:
            raise InvalidInput(
                f"There is no red-flag item '{item_id}'; 'boundary-journal catalog --json' lists them under red_flags.",
                field="answers",
            )
        if isinstance(level, bool) or not isinstance(level, int) or level not in values:
            raise InvalidInput(f"Answer '{item_id}' with 0 (not at all), 1 (somewhat) or 2 (clearly), not '{level}'.",
                               field="answers")
        cleaned[item_id] = level
    for item_id in item_notes:
        if catalog.red_flag(item_id) is None:
            raise InvalidInput(f"There is no red-flag item '{item_id}' to attach a note to.", field="item_notes")
    if not cleaned:
        raise InvalidInput("Answer at least one red-flag item.", field="answers")
    return cleaned


def add_self_check(
    journal: Journal, catalog: Catalog, draft: SelfCheckDraft
) -> tuple[SelfCheckView, ActionView | None]:
    """Store a check-in; if it ticks an item that warrants higher-level input, open an action to raise it."""
    answers = clean_answers(catalog, draft.answers, draft.item_notes)
    notes = {k: clean_text(v, "An item note", limit=MAX_NOTE_LENGTH, field="item_notes")
             for k, v in draft.item_notes.items() if v.strip()}
    note = clean_text(draft.note, "The note", limit=MAX_NOTE_LENGTH, field="note").strip()
    context = clean_text(draft.context, "The line on what is going on for you", limit=MAX_NOTE_LENGTH,
                         field="context").strip()
    taken_at = plausible_moment(draft.taken_at or datetime.now(), "the check-in", field="when")
    with journal.transaction() as session:
        relationship = get_or_create_relationship(session, draft.relationship) if draft.relationship else None
        check = SelfCheck(
            taken_at=taken_at, relationship=relationship, answers=answers, item_notes=notes, note=note,
            context=context, created_at=utcnow(),
        )
        session.add(check)
        session.flush()
        view = _view(catalog, check)
        action = None
        if view.higher_input:
            text = higher_input_action_text(catalog, view.relationship)
            action = create_action(session, text, origin="self_check", origin_id=check.id, relationship=relationship)
        return view, action


def higher_input_action_text(catalog: Catalog, pseudonym: str | None) -> str:
    """The action opened by a check-in that ticks an item warranting higher-level input."""
    rule = catalog.warning("higher_input")
    return (rule.action or rule.title).replace("{relationship}", pseudonym or "my overall practice")


def list_self_checks(
    journal: Journal,
    catalog: Catalog,
    *,
    relationship: str | None = None,
    overall: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
) -> list[SelfCheckView]:
    """Check-ins in date order: one relationship's, the overall ones, or (neither given) all of them.

    `date_from` and `date_to` (whole days, both included) narrow them to a period.
    """
    statement = select(SelfCheck).options(joinedload(SelfCheck.relationship))
    if overall:
        statement = statement.where(SelfCheck.relationship_id.is_(None))
    elif relationship is not None:
        statement = statement.join(SelfCheck.relationship).where(
            Relationship.pseudonym == clean_pseudonym(relationship)
        )
    if date_from is not None:
        statement = statement.where(SelfCheck.taken_at >= datetime.combine(date_from, time.min))
    if date_to is not None:
        statement = statement.where(SelfCheck.taken_at <= datetime.combine(date_to, time.max))
    statement = statement.order_by(SelfCheck.taken_at, SelfCheck.id)
    with journal.read() as session:
        return [_view(catalog, check) for check in session.scalars(statement)]
