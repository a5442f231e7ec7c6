"""Warnings that a relationship is drifting: rising red-flag scores, a stage moving up, items that need input,
and a stage suggested by recent conduct above the one the clinician set.

A warning lasts as long as its evidence (the check-in or stage change it rests on) is inside the slope
rule's window (`[rule] window_days`, 90 days as shipped): a relationship with nothing new for that long
stops warning. The clinician can acknowledge a warning with a note (`acknowledge_warning`); it then stays
quiet until newer evidence of the same kind arrives for the same relationship.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from boundary_journal.catalog import WARNING_IDS, Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.models import StageChange, WarningAck
from boundary_journal.services import slope
from boundary_journal.services.relationships import clean_pseudonym, find_relationship
from boundary_journal.services.selfchecks import SelfCheckView, list_self_checks
from boundary_journal.services.validation import clean_text
from boundary_journal.store.journal import Journal


@dataclass(frozen=True)
class DriftWarning:
    kind: str  # score_rising | stage_up | higher_input | suggested_above (the catalogue's warning ids)
    relationship: str | None  # None: the overall check-ins
    title: str
    message: str
    detail: str
    since: datetime  # the moment of the evidence it rests on
    expires: datetime | None = None  # when that evidence leaves the window, if nothing newer comes
    ack_note: str | None = None  # None: not acknowledged
    acked_at: datetime | None = None

    @property
    def acknowledged(self) -> bool:
        return self.ack_note is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "relationship": self.relationship, "title": self.title, "message": self.message,
            "detail": self.detail, "since": self.since.isoformat(timespec="minutes"),
            "expires": self.expires.isoformat(timespec="minutes") if self.expires else None,
            "acknowledged": None if self.ack_note is None else {
                "note": self.ack_note, "at": self.acked_at.isoformat(timespec="minutes") if self.acked_at else None,
            },
        }


def _rising(catalog: Catalog, checks: list[SelfCheckView]) -> DriftWarning | None:
    rule = catalog.warning("score_rising")
    rises = rule.consecutive_rises or 1
    if len(checks) < rises + 1:
        return None
    recent = checks[-(rises + 1):]
    if all(later.score.points > earlier.score.points for earlier, later in itertools.pairwise(recent)):
        detail = " → ".join(f"{check.score.percent} %" for check in recent)
        return DriftWarning(rule.id, checks[-1].relationship, rule.title, rule.message, f"Score {detail}",
                            checks[-1].taken_at)
    return None


def _higher_input(catalog: Catalog, checks: list[SelfCheckView]) -> DriftWarning | None:
    rule = catalog.warning("higher_input")
    latest = checks[-1]
    if not latest.higher_input:
        return None
    items = "; ".join(flag.text for item in latest.higher_input if (flag := catalog.red_flag(item)))
    return DriftWarning(rule.id, latest.relationship, rule.title, rule.message, items, latest.taken_at)


def active_warnings(journal: Journal, catalog: Catalog, *, as_of: datetime | None = None) -> list[DriftWarning]:
    """The warnings that hold now and are not acknowledged: what the banner and `warnings list` show."""
    return [w for w in all_warnings(journal, catalog, as_of=as_of) if not w.acknowledged]


def all_warnings(journal: Journal, catalog: Catalog, *, as_of: datetime | None = None) -> list[DriftWarning]:
    """Every warning whose evidence is no older than the window before `as_of` (default now), computed from the
    stored check-ins and stage changes; acknowledged ones carry their note."""
    now = (as_of or datetime.now()).replace(microsecond=0, tzinfo=None)
    window = timedelta(days=catalog.slope_rule.window_days)
    found = [
        replace(w, expires=w.since + window) for w in _computed(journal, catalog, now)
        if now - window <= w.since <= now
    ]
    acks: dict[tuple[str, str | None], tuple[datetime, str, datetime]] = {}
    statement = select(WarningAck).options(joinedload(WarningAck.relationship)).order_by(WarningAck.id)
    with journal.read() as session:
        for ack in session.scalars(statement):
            scope = (ack.kind, ack.relationship.pseudonym if ack.relationship else None)
            if scope not in acks or ack.evidence_at >= acks[scope][0]:
                acks[scope] = (ack.evidence_at, ack.note, ack.acked_at)
    marked = []
    for warning in found:
        ack = acks.get((warning.kind, warning.relationship))
        if ack is not None and ack[0] >= warning.since:
            warning = replace(warning, ack_note=ack[1], acked_at=ack[2])
        marked.append(warning)
    return marked


def find_warning(
    journal: Journal, catalog: Catalog, kind: str, relationship: str | None, *, as_of: datetime | None = None
) -> DriftWarning:
    """The warning of `kind` for `relationship` (None: overall) that holds now; InvalidInput when none does."""
    if kind not in WARNING_IDS:
        raise InvalidInput(f"'{kind}' is not a kind of warning; the kinds are {', '.join(WARNING_IDS)}.", field="kind")
    wanted = clean_pseudonym(relationship).casefold() if relationship else ""
    for warning in all_warnings(journal, catalog, as_of=as_of):
        if warning.kind == kind and (warning.relationship or "").casefold() == wanted:
            return warning
    raise InvalidInput(f"No '{kind}' warning holds now for {relationship or 'the overall check-ins'}.")


def acknowledge_warning(
    journal: Journal, warning: DriftWarning, note: str, *, when: datetime | None = None
) -> DriftWarning:
    """Record that the clinician has seen `warning` and what they make of it; it stays quiet until newer
    evidence of its kind arrives for its relationship. The note is required: the point is to say why."""
    cleaned = clean_text(note, "The note", limit=5_000, field="note").strip()
    if not cleaned:
        raise InvalidInput("Say in a few words why this warning can rest, for example what you did about it.",
                           field="note")
    at = (when or datetime.now()).replace(microsecond=0, tzinfo=None)
    with journal.transaction() as session:
        relationship = find_relationship(session, warning.relationship) if warning.relationship else None
        session.add(WarningAck(
            kind=warning.kind, relationship=relationship, evidence_at=warning.since, note=cleaned, acked_at=at,
        ))
    return replace(warning, ack_note=cleaned, acked_at=at)


def _suggested_above(journal: Journal, catalog: Catalog, now: datetime) -> list[DriftWarning]:
    """Where the stage the clinician's recent conduct suggests is above the stage they set by `now` (or is 2 or
    more when none is set): resting on the newest evidence above that stage, so it leaves with the window."""
    rule = catalog.warning("suggested_above")
    histories = slope.stage_histories(journal)
    warnings = []
    for status in slope.relationship_statuses(journal, catalog, as_of=now):
        suggestion = status.suggestion
        if suggestion.stage is None:
            continue
        set_stage = next((c.stage for c in reversed(histories.get(status.pseudonym, [])) if c.set_at <= now), None)
        if suggestion.stage <= (set_stage or 1):
            continue
        since = max((r.last for r in suggestion.reasons if r.stage > (set_stage or 1) and r.last), default=None)
        if since is None:
            continue
        you_set = f"you set {_stage_name(catalog, set_stage)}" if set_stage else "no stage set"
        detail = f"Suggested {_stage_name(catalog, suggestion.stage)} ({suggestion.basis}); {you_set}"
        warnings.append(DriftWarning(rule.id, status.pseudonym, rule.title, rule.message, detail, since))
    return warnings


def _stage_name(catalog: Catalog, number: int) -> str:
    stage = catalog.stage(number)
    return f"{number} · {stage.label}" if stage else str(number)


def _computed(journal: Journal, catalog: Catalog, now: datetime) -> list[DriftWarning]:
    """Every warning the check-ins and stage changes stored up to `now` give, however old, and the suggestions
    above the stage set as of `now`."""
    by_scope: dict[str | None, list[SelfCheckView]] = defaultdict(list)
    for check in list_self_checks(journal, catalog):
        if check.taken_at <= now:
            by_scope[check.relationship].append(check)
    warnings: list[DriftWarning] = []
    for checks in by_scope.values():
        for found in (_higher_input(catalog, checks), _rising(catalog, checks)):
            if found:
                warnings.append(found)

    rule = catalog.warning("stage_up")
    statement = select(StageChange).options(joinedload(StageChange.relationship)).order_by(
        StageChange.relationship_id, StageChange.set_at, StageChange.id
    )
    with journal.read() as session:
        stages: dict[str, list[StageChange]] = defaultdict(list)
        for change in session.scalars(statement.where(StageChange.set_at <= now)):
            stages[change.relationship.pseudonym].append(change)
    for pseudonym, changes in stages.items():
        if len(changes) >= 2 and changes[-1].stage > changes[-2].stage:
            labels = {s.number: s.label for s in catalog.slope_stages}
            detail = f"Stage {changes[-2].stage} ({labels.get(changes[-2].stage)}) → {changes[-1].stage} " \
                     f"({labels.get(changes[-1].stage)})"
            warnings.append(DriftWarning(rule.id, pseudonym, rule.title, rule.message, detail, changes[-1].set_at))
    warnings += _suggested_above(journal, catalog, now)
    order = {"higher_input": 0, "suggested_above": 1, "stage_up": 2, "score_rising": 3}
    return sorted(warnings, key=lambda w: (order[w.kind], w.relationship or ""))
