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
        ({"own_involvement": "no", "dual_role": "no"}, []),
        ({"own_involvement": "yes"}, ["transfer_care", "consult_supervisor_ethics"]),
        # A patient's remark is met by the book; chaperone or transfer only when it recurs or feels unsafe.
        ({"patient_remark": "yes"}, ["acknowledge_restate_document", "consult_supervisor_ethics"]),
        ({"patient_remark": "yes", "remark_recurs": "no"},
         ["acknowledge_restate_document", "consult_supervisor_ethics"]),
        ({"patient_remark": "yes", "remark_recurs": "yes"},
         ["acknowledge_restate_document", "chaperone_or_transfer", "consult_supervisor_ethics"]),
        # An answer to the earlier "on either side" question cannot say whose involvement it was.
        ({"romantic_involvement": "yes"}, ["consult_supervisor_ethics"]),
        ({"romantic_involvement": "no"}, []),
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
                       flow={"patient_remark": "YES", "prescribing": "no"},
                       response_review={"policy_defence": True, "acknowledge_and_limit": True})
    view = entries.add_entry(journal, catalog, draft)
    assert view.flow == {"patient_remark": "yes", "prescribing": "no"}
    assert view.response_review == {"policy_defence": True, "acknowledge_and_limit": True}
    restored = entries.restore_entry(journal, entries.delete_entry(journal, view.id))
    assert restored.flow == view.flow and restored.response_review == view.response_review


def test_unknown_response_move(journal, catalog: Catalog) -> None:
    with pytest.raises(InvalidInput, match="no response move 'shrug'"):
        entries.add_entry(journal, catalog, EntryDraft(
            "gift_offered", "K", datetime(2026, 3, 2), {"what_happened": "x", "documentation_note": "y"},
            response_review={"shrug": True}))


class TestPatientRemarkIsNotTheClinician:
    """A patient's flirtation or attachment is not the clinician's involvement (seed 004 §2, FAQ 1-2)."""

    def test_a_patients_remark_never_recommends_a_transfer_on_its_own(self, catalog: Catalog) -> None:
        steps = escalation.recommended_steps(catalog, {"patient_remark": "yes", "remark_recurs": "no"})
        assert "transfer_care" not in steps and "chaperone_or_transfer" not in steps

    def test_the_clinicians_own_involvement_recommends_transfer_and_supervision(self, catalog: Catalog) -> None:
        assert escalation.recommended_steps(catalog, {"own_involvement": "yes"}) == [
            "transfer_care", "consult_supervisor_ethics"]

    @pytest.mark.parametrize("template_id", ["flirtatious_remark", "expressed_attachment"])
    def test_patient_templates_ask_the_patient_question_not_the_clinicians(
        self, catalog: Catalog, template_id: str
    ) -> None:
        template = catalog.template(template_id)
        assert "patient_remark" in template.escalation and "own_involvement" not in template.escalation


class TestEarlierAnswers:
    """Entries saved with the earlier "either side" question stay readable, editable and exportable."""

    def test_an_earlier_answer_is_accepted_and_shown_with_its_old_wording(self, catalog: Catalog) -> None:
        assert escalation.clean_flow(catalog, {"romantic_involvement": "Yes"}) == {"romantic_involvement": "yes"}
        rows = escalation.answered_questions(catalog, {"romantic_involvement": "yes", "own_involvement": "no"})
        assert rows[0] == ("own_involvement", catalog.rule("own_involvement").question, "no")
        assert rows[1][0] == "romantic_involvement" and "either side" in rows[1][1] and "earlier" in rows[1][1]

    def test_an_id_no_version_knows_is_shown_as_it_is_and_recommends_nothing(self, catalog: Catalog) -> None:
        assert escalation.answered_questions(catalog, {"gone_rule": "yes"}) == [("gone_rule", "gone_rule", "yes")]
        assert escalation.recommended_steps(catalog, {"gone_rule": "yes"}) == []

    def test_an_entry_with_an_earlier_answer_saves_again(self, journal, catalog: Catalog) -> None:
        draft = EntryDraft("flirtatious_remark", "Client K", datetime(2026, 3, 2, 10, 0),
                           {"what_happened": "x", "documentation_note": "y"}, flow={"romantic_involvement": "yes"})
        view = entries.add_entry(journal, catalog, draft)
        again = entries.update_entry(journal, catalog, view.id, draft)
        assert again.flow == {"romantic_involvement": "yes"}
