"""The decision flow of seed 004 §6 (plus seed 002's acute-risk question): answers in, steps out.

Stored entries keep answers to questions of earlier versions (the catalogue's retired rules): they stay
readable, can be saved again, and recommend only the steps their retired rule names.
"""

from __future__ import annotations

from collections.abc import Mapping

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput

ANSWERS = ("yes", "no")


def known_question(catalog: Catalog, rule_id: str) -> bool:
    """A question of the flow, or of an earlier version whose answers are still kept."""
    return catalog.rule(rule_id) is not None or catalog.retired_rule(rule_id) is not None


def clean_flow(catalog: Catalog, flow: Mapping[str, str]) -> dict[str, str]:
    """Check decision-flow answers: known question ids, each answered yes or no."""
    cleaned: dict[str, str] = {}
    for rule_id, answer in flow.items():
        if not known_question(catalog, rule_id):
            known = ", ".join(r.id for r in catalog.escalation)
            raise InvalidInput(f"There is no decision-flow question '{rule_id}'; the questions are: {known}.",
                               field="flow")
        normalised = str(answer).strip().casefold()
        if normalised not in ANSWERS:
            raise InvalidInput(f"Answer the question '{rule_id}' with yes or no, not '{answer}'.", field="flow")
        cleaned[rule_id] = normalised
    return cleaned


def answered_questions(catalog: Catalog, flow: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(rule id, question as shown, answer) for every stored answer: the flow's questions in order, then
    those of earlier versions, then any id the catalogue no longer knows (shown as it is)."""
    rows = [(r.id, r.question, flow[r.id]) for r in catalog.escalation if r.id in flow]
    rows += [(k, catalog.question(k), v) for k, v in flow.items() if catalog.rule(k) is None]
    return rows


def recommended_steps(catalog: Catalog, flow: Mapping[str, str]) -> list[str]:
    """Step ids recommended by the yes answers, in the flow's order, each followed by its `then` steps."""
    steps: list[str] = []
    follow_ups: list[str] = []
    for rule in catalog.escalation:
        if flow.get(rule.id) != "yes":
            continue
        if rule.step_id not in steps:
            steps.append(rule.step_id)
        follow_ups.extend(rule.then)
    for retired in catalog.retired_rules:
        if flow.get(retired.id) == "yes":
            follow_ups.extend(retired.then)
    for rule_id in follow_ups:
        rule = catalog.rule(rule_id)
        if rule is not None and rule.step_id not in steps:
            steps.append(rule.step_id)
    return steps


def step_text(catalog: Catalog, step_id: str) -> str:
    rule = next((r for r in catalog.escalation if r.step_id == step_id), None)
    return rule.step if rule else step_id
