"""The decision flow: answers stored with an entry, steps derived from them by the catalogue."""

from __future__ import annotations

from datetime import datetime

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.services import entries, escalation
from boundary_journal.services.entries import EntryDraft


@pytest.mark.parametrize(
    ("flow", "steps"),
    [
        ({}, []),
        ({"romantic_involvement": "no", "dual_role": "no"}, []),
        ({"romantic_involvement": "yes"}, ["transfer_care", "consult_supervisor_ethics"]),
        ({"dual_role": "yes", "prescribing": "yes"},
         ["document_and_refer", "review_policy_formalise", "consult_supervisor_ethics"]),
        ({"outside_channels": "yes", "consult": "yes"}, ["redirect_and_document", "consult_supervisor_ethics"]),
        ({"acute_risk": "yes"}, ["risk_assessment"]),
    ],
)
def test_recommended_steps(catalog: Catalog, flow: dict[str, str], steps: list[str]) -> None:
    assert escalation.recommended_steps(catalog, flow) == steps


def test_every_step_has_text(catalog: Catalog) -> None:
    for rule in catalog.escalation:
        assert escalation.step_text(catalog, rule.step_id) == rule.step


@pytest.mark.parametrize(
    ("flow", "message"),
    [({"is_it_sunny": "yes"}, "no decision-flow question 'is_it_sunny'"), ({"dual_role": "maybe"}, "yes or no")],
)
def test_bad_answers(catalog: Catalog, flow: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        escalation.clean_flow(catalog, flow)


def test_answers_are_stored_with_the_entry_and_survive_undo(journal, catalog: Catalog) -> None:
    draft = EntryDraft("flirtatious_remark", "Client K", datetime(2026, 3, 2, 10, 0),
                       {"what_happened": "x", "documentation_note": "y"},
                       flow={"romantic_involvement": "YES", "prescribing": "no"},
                       response_review={"policy_defence": True, "acknowledge_and_limit": True})
    view = entries.add_entry(journal, catalog, draft)
    assert view.flow == {"romantic_involvement": "yes", "prescribing": "no"}
    assert view.response_review == {"policy_defence": True, "acknowledge_and_limit": True}
    restored = entries.restore_entry(journal, entries.delete_entry(journal, view.id))
    assert restored.flow == view.flow and restored.response_review == view.response_review


def test_unknown_response_move(journal, catalog: Catalog) -> None:
    with pytest.raises(InvalidInput, match="no response move 'shrug'"):
        entries.add_entry(journal, catalog, EntryDraft(
            "gift_offered", "K", datetime(2026, 3, 2), {"what_happened": "x", "documentation_note": "y"},
            response_review={"shrug": True}))
