"""The escalation guide: yes/no per decision-flow question, the recommended steps shown as answers change."""

from __future__ import annotations

from dataclasses import replace
from html import escape

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QToolButton
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import escalation
from ui.escalation_guide import ACUTE_HEADLINE, EscalationGuide, steps_html


@pytest.fixture
def guide(qtbot: QtBot, catalog: Catalog) -> EscalationGuide:
    widget = EscalationGuide(catalog)
    qtbot.addWidget(widget)
    widget.resize(500, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot: QtBot, button: QToolButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def yes(guide: EscalationGuide, rule_id: str) -> QToolButton:
    return guide.answer_buttons[rule_id][0]


def no(guide: EscalationGuide, rule_id: str) -> QToolButton:
    return guide.answer_buttons[rule_id][1]


class TestQuestions:
    """Every catalogue question in the flow's order, each with a Yes and a No that exclude each other."""

    def test_one_row_per_rule_in_order(self, guide: EscalationGuide, catalog: Catalog) -> None:
        assert list(guide.answer_buttons) == [rule.id for rule in catalog.escalation]
        for rule in catalog.escalation:
            assert yes(guide, rule.id).accessibleName() == f"Yes: {rule.question}"
            assert no(guide, rule.id).accessibleName() == f"No: {rule.question}"
        assert guide.flow() == {}

    def test_yes_no_and_unanswered(self, qtbot: QtBot, guide: EscalationGuide) -> None:
        changes: list[int] = []
        guide.changed.connect(lambda: changes.append(1))
        click(qtbot, yes(guide, "dual_role"))
        assert guide.flow() == {"dual_role": "yes"}
        assert yes(guide, "dual_role").text() == "✓ Yes"
        click(qtbot, no(guide, "dual_role"))
        assert guide.flow() == {"dual_role": "no"}
        assert not yes(guide, "dual_role").isChecked() and yes(guide, "dual_role").text() == "Yes"
        click(qtbot, no(guide, "dual_role"))  # clicking the chosen answer again leaves it unanswered
        assert guide.flow() == {}
        assert len(changes) == 3


class TestSteps:
    """The steps the escalation service recommends, each with its detail, appear as questions are answered."""

    def test_steps_follow_the_answers(self, qtbot: QtBot, guide: EscalationGuide, catalog: Catalog) -> None:
        assert "Answer the questions" in guide.steps_label.text()
        click(qtbot, yes(guide, "outside_channels"))
        click(qtbot, no(guide, "prescribing"))
        expected = escalation.recommended_steps(catalog, {"outside_channels": "yes", "prescribing": "no"})
        assert guide.recommended() == expected
        assert len(expected) >= 2  # redirect, then the consult that follows any yes
        shown = guide.steps_label.text()
        for step_id in expected:
            rule = next(r for r in catalog.escalation if r.step_id == step_id)
            assert escape(escalation.step_text(catalog, step_id)) in shown
            assert escape(rule.detail) in shown
        assert escape(escalation.step_text(catalog, "review_policy_formalise")) not in shown

    def test_acute_risk_says_what_this_is(self, qtbot: QtBot, guide: EscalationGuide, catalog: Catalog) -> None:
        assert not guide.acute_notice.isVisible()
        click(qtbot, yes(guide, "acute_risk"))
        assert guide.acute_notice.isVisible()
        notice = guide.acute_notice.text()
        assert ACUTE_HEADLINE in notice and "not a boundary script" in notice
        assert "not a crisis tool" in notice
        assert escape(escalation.step_text(catalog, "risk_assessment")) in guide.steps_label.text()
        click(qtbot, no(guide, "acute_risk"))
        assert not guide.acute_notice.isVisible()

    def test_catalogue_text_is_escaped(self, catalog: Catalog) -> None:
        rules = tuple(
            replace(r, step="<b>Step</b> & co", detail="<i>detail</i>") if r.id == "prescribing" else r
            for r in catalog.escalation
        )
        html = steps_html(replace(catalog, escalation=rules), ["review_policy_formalise"])
        assert "&lt;b&gt;Step&lt;/b&gt; &amp; co" in html and "&lt;i&gt;detail&lt;/i&gt;" in html


class TestStoredAnswers:
    """Stored answers come back on screen; answers to an earlier version's questions are shown and kept,
    ids no version knows are ignored."""

    def test_set_flow(self, guide: EscalationGuide) -> None:
        guide.set_flow({"acute_risk": "yes", "dual_role": "no", "retired_question": "yes"})
        assert guide.flow() == {"acute_risk": "yes", "dual_role": "no"}
        assert yes(guide, "acute_risk").isChecked() and no(guide, "dual_role").isChecked()
        assert guide.acute_notice.isVisible()
        guide.set_flow({})
        assert guide.flow() == {} and not guide.acute_notice.isVisible()

    def test_an_earlier_answer_is_shown_and_kept(self, guide: EscalationGuide, catalog: Catalog) -> None:
        guide.set_flow({"romantic_involvement": "yes", "dual_role": "no"})
        assert guide.flow() == {"dual_role": "no", "romantic_involvement": "yes"}
        assert guide.earlier_label.isVisibleTo(guide)
        assert "either side" in guide.earlier_label.text() and ": yes" in guide.earlier_label.text()
        # It recommends supervision only: whose involvement it was is not known.
        assert guide.recommended() == ["consult_supervisor_ethics"]
        guide.set_flow({})
        assert guide.flow() == {} and not guide.earlier_label.isVisibleTo(guide)

    def test_a_patients_remark_does_not_recommend_a_transfer(self, qtbot: QtBot, guide: EscalationGuide) -> None:
        click(qtbot, yes(guide, "patient_remark"))
        assert "transfer_care" not in guide.recommended()
        assert "Acknowledge it, restate the professional frame" in guide.steps_label.text()

    def test_no_file_names_in_the_guide(self, guide: EscalationGuide) -> None:
        texts = [label.text() + label.toolTip() for label in guide.findChildren(QLabel)]
        assert not any(".txt" in t or "seed 0" in t.casefold() for t in texts)
