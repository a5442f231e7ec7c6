"""The slope of seed 004 §2 per relationship: the stage the clinician sets, and the stage the clinician's own
recent conduct suggests (the rule is the catalogue's `[rule]` in slope_stages.toml, the app's own)."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from boundary_journal.catalog import Catalog, StageEvidence
from boundary_journal.errors import InvalidInput
from boundary_journal.models import Entry, Relationship, SelfCheck, StageChange
from boundary_journal.services.relationships import find_relationship
from boundary_journal.services.validation import clean_text
from boundary_journal.store.journal import Journal


@dataclass(frozen=True)
class StageChangeView:
    stage: int
    set_at: datetime
    note: str

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "set": self.set_at.isoformat(timespec="minutes"), "note": self.note}


@dataclass(frozen=True)
class StageReason:
    """Why a stage is suggested: one piece of the clinician's own conduct, how often it was seen in the
    window and when last."""

    stage: int
    reason: str
    count: int  # entries, or (kind red_flag) items ticked at the latest check-in
    last: datetime | None = None
    kind: str = ""  # the catalogue's evidence kind

    def to_json(self) -> dict[str, Any]:
        last = self.last.isoformat(timespec="minutes") if self.last else None
        return {"stage": self.stage, "reason": self.reason, "count": self.count, "last": last, "kind": self.kind}

    def text(self, *, author: bool = False) -> str:
        """'Stage 3: You replied … (2 times, last 2026-11-30)'; a check-in's: '(2 items at the check-in of …)'.

        `author`: in the author's voice ('The author replied …'), for documents others read (the PDFs)."""
        reason = in_authors_voice(self.reason) if author else self.reason
        if self.kind == "red_flag":
            items = "1 item" if self.count == 1 else f"{self.count} items"
            when = f" of {self.last:%Y-%m-%d}" if self.last else ""
            return f"Stage {self.stage}: {reason} ({items} at the check-in{when})"
        times = "once" if self.count == 1 else f"{self.count} times"
        last = f", last {self.last:%Y-%m-%d}" if self.last else ""
        return f"Stage {self.stage}: {reason} ({times}{last})"


_VOICE = {"you": "they", "your": "their", "yourself": "themselves", "yours": "theirs"}


def in_authors_voice(text: str) -> str:
    """A catalogue reason ('You replied from your personal phone') in the author's voice, for a document others
    read: 'The author replied from their personal phone'. The reasons are written so this reads well (a
    test checks every one)."""
    text = re.sub(r"^You\b", "The author", text)
    return re.sub(r"\b(you|your|yourself|yours)\b", lambda m: _VOICE[m.group(1).casefold()], text,
                  flags=re.IGNORECASE)


@dataclass(frozen=True)
class StageSuggestion:
    """The stage the clinician's own recent conduct suggests (None: nothing points to one), with its reasons.

    Only evidence from the `window_days` up to `as_of` counts; `held` is how many of the patient's crossings
    in that window were met with a documented response (in the clinician's favour; it never raises the stage).
    """

    stage: int | None
    reasons: tuple[StageReason, ...]
    window_days: int = 90
    as_of: datetime | None = None
    held: int = 0
    owned: int = 0  # entries about one's own feelings met with the documented response (transfer): in favour

    @property
    def basis(self) -> str:
        """'based on the last 90 days' (to the day the window ends when that is not today)."""
        text = f"based on the last {self.window_days} days"
        if self.as_of is not None and self.as_of.date() != datetime.now().date():
            text += f" to {self.as_of:%Y-%m-%d}"
        return text

    def held_text(self, *, author: bool = False) -> str:
        if not self.held:
            return ""
        what = "request, remark or gift" if self.held == 1 else "requests, remarks or gifts"
        whose = "the author's" if author else "your"
        return f"In {whose} favour: {self.held} {what} from the patient met with a documented professional response"

    def owned_text(self, *, author: bool = False) -> str:
        if not self.owned:
            return ""
        whose, own = ("the author's", "their") if author else ("your", "your")
        times = "once" if self.owned == 1 else f"{self.owned} times"
        return (f"In {whose} favour: feelings of {own} own toward this patient noted and met with the "
                f"documented professional response, a transfer of care ({times})")

    def reason_lines(self, *, author: bool = False) -> list[str]:
        """Every reason as one line, then the line in the clinician's favour, if any; `author`: in the author's
        voice, for the PDFs."""
        favour = [text for text in (self.owned_text(author=author), self.held_text(author=author)) if text]
        return [r.text(author=author) for r in self.reasons] + favour

    def to_json(self) -> dict[str, Any]:
        return {
            "suggested_stage": self.stage, "suggestion_window_days": self.window_days,
            "suggestion_as_of": self.as_of.isoformat(timespec="minutes") if self.as_of else None,
            "suggestion_reasons": [r.to_json() for r in self.reasons], "suggestion_held": self.held,
            "suggestion_owned": self.owned,
        }


def suggestion_headline(catalog: Catalog, suggestion: StageSuggestion) -> str:
    """'Suggested: 3 · Personal channel shift, based on the last 90 days' or why there is none."""
    if suggestion.stage is None:
        return f"No stage suggested, {suggestion.basis}: nothing you did in that time points to one."
    stage = catalog.stage(suggestion.stage)
    label = f" · {stage.label}" if stage else ""
    return f"Suggested: {suggestion.stage}{label}, {suggestion.basis}"


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
            **self.suggestion.to_json(),
        }


def set_stage(journal: Journal, pseudonym: str, stage: int, *, note: str = "", when: datetime | None = None) -> None:
    """Record the clinician's judgement of where on the slope a relationship is now."""
    if isinstance(stage, bool) or not isinstance(stage, int) or not 1 <= stage <= 5:
        raise InvalidInput(f"The slope stage must be a number from 1 to 5, not '{stage}'.", field="stage")
    cleaned = clean_text(note, "The note", limit=5_000, field="note").strip()
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


def _in_hours(evidence: StageEvidence, hour: int) -> bool:
    if evidence.from_hour is None or evidence.to_hour is None:
        return False
    if evidence.from_hour > evidence.to_hour:  # wraps past midnight, e.g. 20:00 to 07:00
        return hour >= evidence.from_hour or hour < evidence.to_hour
    return evidence.from_hour <= hour < evidence.to_hour


def _owned(evidence: StageEvidence, flow: Mapping[str, str], has_note: bool) -> bool:
    """Whether an entry of this evidence's template documents the professional response instead (for one's own
    feelings: the decision-flow question about one's own involvement answered yes, and the transfer noted)."""
    return evidence.unless_flow is not None and has_note and flow.get(evidence.unless_flow) == "yes"


def _matches(
    evidence: StageEvidence, template: str, ticked: Collection[str], hour: int,
    flow: Mapping[str, str] | None = None, has_note: bool = False,
) -> bool:
    """Whether one entry is this evidence of the clinician's own conduct."""
    if evidence.kind == "template":
        return template in evidence.values and not _owned(evidence, flow or {}, has_note)
    if evidence.kind == "conduct":
        return any(value in ticked for value in evidence.values)
    if evidence.kind == "after_hours":
        return _in_hours(evidence, hour) and any(value in ticked for value in evidence.values)
    return False


def _worse_or_own(catalog: Catalog) -> frozenset[str]:
    return frozenset(m.id for m in catalog.response_moves if m.kind in ("worsens", "conduct"))


def conduct_ticked(catalog: Catalog, review: Mapping[str, bool] | None) -> set[str]:
    """The moves ticked on an entry that can count as conduct: every move ticked, except the rule's redirect
    move (`personal_channel`) when a move that tends to work is ticked with it, which is the one redirecting
    reply on the personal line where the message arrived, the advised response (seed 004 §3)."""
    ticked = {move for move, on in (review or {}).items() if on}
    redirect = catalog.slope_rule.redirect_move
    if redirect in ticked and any(m.kind == "works" and m.id in ticked for m in catalog.response_moves):
        ticked.discard(redirect)
    return ticked


# Look entries up by relationship when the relationships asked about are at most this share of all of them.
_LOOK_UP_SHARE = 0.25


def _window(catalog: Catalog, as_of: datetime | None) -> tuple[datetime, datetime]:
    end = (as_of or datetime.now()).replace(microsecond=0, tzinfo=None)
    return end - timedelta(days=catalog.slope_rule.window_days), end


def _suggestions(
    session: Session, catalog: Catalog, ids: Collection[int] | None, as_of: datetime | None = None
) -> dict[int, StageSuggestion]:
    """The suggestion for each relationship id (every relationship with recent evidence when `ids` is None).

    The rule is the catalogue's (`[rule]` in slope_stages.toml): only the clinician's own conduct in the
    window counts, the moves ticked on an entry (less the one redirecting reply, see `conduct_ticked`), entries
    written with a template about the clinician's own feelings or contact, and the red flags of the latest
    check-in in the window. An entry of a template in `held_templates` (a patient's crossing) with a
    documentation note and no move ticked that worsens or is one's own conduct is in the clinician's favour
    (`held`); so is an entry about one's own feelings answered with the documented transfer (`owned`).
    """
    since, end = _window(catalog, as_of)
    note = func.coalesce(func.json_extract(Entry.fields, "$.documentation_note"), "")
    recent = select(
        Entry.relationship_id, Entry.template, Entry.response_review, Entry.occurred, func.length(note) > 0,
        Entry.flow,
    ).where(Entry.occurred >= since, Entry.occurred <= end)
    ranked = select(
        SelfCheck.relationship_id, SelfCheck.answers, SelfCheck.taken_at,
        func.row_number().over(
            partition_by=SelfCheck.relationship_id, order_by=(SelfCheck.taken_at.desc(), SelfCheck.id.desc())
        ).label("newest"),
    ).where(SelfCheck.relationship_id.is_not(None), SelfCheck.taken_at <= end)
    wanted = None if ids is None else set(ids)
    if wanted is not None:
        ranked = ranked.where(SelfCheck.relationship_id.in_(wanted))
        if len(wanted) <= _LOOK_UP_SHARE * (session.scalar(select(func.count(Relationship.id))) or 0):
            recent = recent.where(Entry.relationship_id.in_(wanted))
    latest = ranked.subquery()

    evidence = [(stage.number, e) for stage in catalog.slope_stages for e in stage.evidence]
    owning = [e for _, e in evidence if e.unless_flow is not None]
    worse_or_own = _worse_or_own(catalog)
    seen: dict[int, list[tuple[int, datetime | None]]] = {}  # per relationship: (count, last) per evidence
    held: dict[int, int] = {}
    owned: dict[int, int] = {}
    for relationship_id, template, review, occurred, has_note, flow in session.execute(recent):
        if wanted is not None and relationship_id not in wanted:
            continue
        ticked = conduct_ticked(catalog, review)
        row = seen.setdefault(relationship_id, [(0, None)] * len(evidence))
        matched = False
        for index, (_, item) in enumerate(evidence):
            if _matches(item, template, ticked, occurred.hour, flow or {}, has_note):
                count, last = row[index]
                row[index] = (count + 1, occurred if last is None or occurred > last else last)
                matched = True
        if matched or not has_note or ticked & worse_or_own:
            continue
        if template in catalog.slope_rule.held_templates:
            held[relationship_id] = held.get(relationship_id, 0) + 1
        elif any(template in e.values and _owned(e, flow or {}, has_note) for e in owning):
            owned[relationship_id] = owned.get(relationship_id, 0) + 1
    flagged: dict[int, tuple[set[str], datetime]] = {}
    for relationship_id, answers, taken_at in session.execute(
        select(latest.c.relationship_id, latest.c.answers, latest.c.taken_at).where(latest.c.newest == 1)
    ):
        if taken_at >= since:
            flagged[relationship_id] = ({item for item, level in (answers or {}).items() if level > 0}, taken_at)

    window = catalog.slope_rule.window_days
    suggestions: dict[int, StageSuggestion] = {}
    for relationship_id in (wanted if wanted is not None else seen.keys() | flagged.keys()):
        row = seen.get(relationship_id, [(0, None)] * len(evidence))
        flags, taken_at = flagged.get(relationship_id, (set(), None))
        reasons: list[StageReason] = []
        for index, (stage, item) in enumerate(evidence):
            count, last = (len(flags & set(item.values)), taken_at) if item.kind == "red_flag" else row[index]
            if count:
                reasons.append(StageReason(stage, item.reason, count, last, item.kind))
        suggested = max((r.stage for r in reasons), default=None)
        suggestions[relationship_id] = StageSuggestion(
            suggested, tuple(sorted(reasons, key=lambda r: -r.stage)), window, end, held.get(relationship_id, 0),
            owned.get(relationship_id, 0),
        )
    return suggestions


def suggest_stage(
    journal: Journal, catalog: Catalog, pseudonym: str, *, as_of: datetime | None = None
) -> StageSuggestion:
    """The highest stage the clinician's own conduct in the window before `as_of` (default now) points to,
    and why."""
    with journal.read() as session:
        relationship = find_relationship(session, pseudonym)
        return _suggestions(session, catalog, [relationship.id], as_of)[relationship.id]


def suggest_stages(
    journal: Journal, catalog: Catalog, pseudonyms: Iterable[str], *, as_of: datetime | None = None
) -> dict[str, StageSuggestion]:
    """`suggest_stage` for several relationships at once, by pseudonym as stored, in pseudonym order.

    Pseudonyms that name no relationship are left out.
    """
    wanted = list(dict.fromkeys(pseudonyms))
    if not wanted:
        return {}
    found_statement = select(Relationship.id, Relationship.pseudonym).where(Relationship.pseudonym.in_(wanted))
    with journal.read() as session:
        found = session.execute(found_statement.order_by(Relationship.pseudonym)).all()
        suggestions = _suggestions(session, catalog, [relationship_id for relationship_id, _ in found], as_of)
        return {pseudonym: suggestions[relationship_id] for relationship_id, pseudonym in found}


def relationship_statuses(
    journal: Journal, catalog: Catalog, *, as_of: datetime | None = None
) -> list[RelationshipStatus]:
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
        suggestions = _suggestions(session, catalog, None, as_of)
        quiet = StageSuggestion(None, (), catalog.slope_rule.window_days, _window(catalog, as_of)[1])
        statuses = []
        for relationship, count in session.execute(statement).all():
            history = relationship.stage_changes
            statuses.append(RelationshipStatus(
                relationship.pseudonym, relationship.status, count, history[-1].stage if history else None,
                suggestions.get(relationship.id, quiet),
            ))
        return statuses
