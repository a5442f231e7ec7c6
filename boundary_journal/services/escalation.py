"""The decision flow of seed 004 §6 (plus seed 002's acute-risk question): answers in, steps out."""

from __future__ import annotations

from collections.abc import Mapping

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput

ANSWERS = ("yes", "no")


def clean_flow(catalog: Catalog, flow: Mapping[str, str]) -> dict[str, str]:
    """Check decision-flow answers: known question ids, each answered yes or no."""
    cleaned: dict[str, str] = {}
    for rule_id, answer in flow.items():
        if catalog.rule(rule_id) is None:
            known = ", ".join(r.id for r in catalog.escalation)
            raise InvalidInput(f"There is no decision-flow question '{rule_id}'; the questions are: {known}.")
        normalised = str(answer).strip().casefold()
        if normalised not in ANSWERS:
            raise InvalidInput(f"Answer the question '{rule_id}' with yes or no, not '{answer}'.")
        cleaned[rule_id] = normalised
    return cleaned


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
    for rule_id in follow_ups:
        rule = catalog.rule(rule_id)
        if rule is not None and rule.step_id not in steps:
            steps.append(rule.step_id)
    return steps


def step_text(catalog: Catalog, step_id: str) -> str:
    rule = next((r for r in catalog.escalation if r.step_id == step_id), None)
    return rule.step if rule else step_id
