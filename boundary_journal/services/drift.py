"""Warnings that a relationship is drifting: rising red-flag scores, a stage moving up, items that need input."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from boundary_journal.catalog import Catalog
from boundary_journal.models import StageChange
from boundary_journal.services.selfchecks import SelfCheckView, list_self_checks
from boundary_journal.storage import Journal


@dataclass(frozen=True)
class DriftWarning:
    kind: str  # score_rising | stage_up | higher_input (the catalogue's warning ids)
    relationship: str | None  # None: the overall check-ins
    title: str
    message: str
    detail: str
    since: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "relationship": self.relationship, "title": self.title, "message": self.message,
            "detail": self.detail, "since": self.since.isoformat(timespec="minutes"),
        }


def _rising(catalog: Catalog, checks: list[SelfCheckView]) -> DriftWarning | None:
    rule = catalog.warning("score_rising")
    rises = rule.consecutive_rises or 1
    if len(checks) < rises + 1:
        return None
    recent = checks[-(rises + 1):]
    if all(later.score.points > earlier.score.points for earlier, later in itertools.pairwise(recent)):
        detail = " → ".join(str(check.score.percent) for check in recent)
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


def active_warnings(journal: Journal, catalog: Catalog) -> list[DriftWarning]:
    """Every warning that holds now, computed from the stored check-ins and stage changes."""
    by_scope: dict[str | None, list[SelfCheckView]] = defaultdict(list)
    for check in list_self_checks(journal, catalog):
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
        for change in session.scalars(statement):
            stages[change.relationship.pseudonym].append(change)
    for pseudonym, changes in stages.items():
        if len(changes) >= 2 and changes[-1].stage > changes[-2].stage:
            labels = {s.number: s.label for s in catalog.slope_stages}
            detail = f"Stage {changes[-2].stage} ({labels.get(changes[-2].stage)}) → {changes[-1].stage} " \
                     f"({labels.get(changes[-1].stage)})"
            warnings.append(DriftWarning(rule.id, pseudonym, rule.title, rule.message, detail, changes[-1].set_at))
    order = {"higher_input": 0, "stage_up": 1, "score_rising": 2}
    return sorted(warnings, key=lambda w: (order[w.kind], w.relationship or ""))
