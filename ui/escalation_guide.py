"""The escalation guide in the entry editor: the decision-flow questions, answered yes or no (or not at all),
and the steps the escalation service recommends for those answers, shown as they change."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from boundary_journal.catalog import Catalog, EscalationRule
from boundary_journal.services import escalation
from ui.notices import NoticeLabel

ACUTE_RISK = "acute_risk"
CHOSEN = "✓"
ACUTE_HEADLINE = "Acute risk: this is a risk assessment and escalation, not a boundary script."
NO_STEPS = "Answer the questions that apply; a yes shows the steps to take here."


def steps_html(catalog: Catalog, step_ids: list[str]) -> str:
    """The recommended steps as a numbered list, each with its detail; catalogue text escaped."""
    rules = {rule.step_id: rule for rule in catalog.escalation}
    items = []
    for step_id in step_ids:
        rule = rules.get(step_id)
        text = escalation.step_text(catalog, step_id)
        detail = f"<br>{escape(rule.detail)}" if rule is not None else ""
        items.append(f"<li><b>{escape(text)}</b>{detail}</li>")
    return "<p>Recommended steps:</p><ol>" + "".join(items) + "</ol>"


class EscalationGuide(QGroupBox):
    """Yes/No per decision-flow question; clicking the chosen answer again clears it. Emits `changed`."""

    changed = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__("Escalation guide", parent)
        self._catalog = catalog
        self.setAccessibleName("Escalation guide")
        self.answer_buttons: dict[str, tuple[QToolButton, QToolButton]] = {}

        intro = QLabel("The decision flow (seed 004 §6, with seed 002's acute-risk question).")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)

        acute = catalog.rule(ACUTE_RISK)
        detail = f"<br>{escape(acute.detail)}" if acute else ""
        self.acute_notice = NoticeLabel(bold=False)
        self.acute_notice.setTextFormat(Qt.TextFormat.RichText)
        self.acute_notice.setText(f"<b>{escape(ACUTE_HEADLINE)}</b>{detail}")
        self.acute_notice.setAccessibleName("Acute risk")
        self.acute_notice.hide()

        questions = QGridLayout()
        questions.setColumnStretch(0, 1)
        row = 0
        for rule in catalog.escalation:
            questions.addWidget(self._question_label(rule), row, 0)
            yes, no = self._answer_button("Yes", rule), self._answer_button("No", rule)
            questions.addWidget(yes, row, 1, Qt.AlignmentFlag.AlignTop)
            questions.addWidget(no, row, 2, Qt.AlignmentFlag.AlignTop)
            self.answer_buttons[rule.id] = (yes, no)
            row += 1
            if rule.id == ACUTE_RISK:  # right under its question, where the yes was clicked
                questions.addWidget(self.acute_notice, row, 0, 1, 3)
                row += 1

        self.steps_label = QLabel()
        self.steps_label.setTextFormat(Qt.TextFormat.RichText)
        self.steps_label.setWordWrap(True)
        self.steps_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.steps_label.setAccessibleName("Recommended steps")

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(questions)
        layout.addWidget(self.steps_label)
        self._show_steps()

    def _question_label(self, rule: EscalationRule) -> QLabel:
        label = QLabel(rule.question)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label

    def _answer_button(self, text: str, rule: EscalationRule) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setCheckable(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # Wide enough for the tick shown when chosen, so choosing does not shift the row.
        button.setMinimumWidth(self.fontMetrics().horizontalAdvance(f"{CHOSEN} {text}") + self.fontMetrics().height())
        button.setAccessibleName(f"{text}: {rule.question}")
        button.setToolTip(f"{text} — click again to leave the question unanswered")
        answer = text.lower()
        button.toggled.connect(lambda checked, rule_id=rule.id: self._answered(rule_id, answer, checked))
        return button

    # --- what the editor asks ------------------------------------------------------------

    def flow(self) -> dict[str, str]:
        """The answered questions, {rule id: "yes" | "no"}, in the flow's order."""
        answers: dict[str, str] = {}
        for rule_id, (yes, no) in self.answer_buttons.items():
            if yes.isChecked():
                answers[rule_id] = "yes"
            elif no.isChecked():
                answers[rule_id] = "no"
        return answers

    def set_flow(self, flow: Mapping[str, str]) -> None:
        """Show stored answers; questions not in `flow` are unanswered. Emits `changed` once."""
        for rule_id, (yes, no) in self.answer_buttons.items():
            for button, answer in ((yes, "yes"), (no, "no")):
                button.blockSignals(True)
                button.setChecked(flow.get(rule_id) == answer)
                button.blockSignals(False)
        self._show_steps()
        self.changed.emit()

    def recommended(self) -> list[str]:
        return escalation.recommended_steps(self._catalog, self.flow())

    # --- internals -----------------------------------------------------------------------

    def _answered(self, rule_id: str, answer: str, checked: bool) -> None:
        if checked:  # yes and no exclude each other; neither is allowed too
            yes, no = self.answer_buttons[rule_id]
            other = no if answer == "yes" else yes
            other.blockSignals(True)
            other.setChecked(False)
            other.blockSignals(False)
        self._show_steps()
        self.changed.emit()

    def _show_steps(self) -> None:
        flow = self.flow()
        for yes, no in self.answer_buttons.values():
            for button, word in ((yes, "Yes"), (no, "No")):
                button.setText(f"{CHOSEN} {word}" if button.isChecked() else word)
        steps = escalation.recommended_steps(self._catalog, flow)
        self.acute_notice.setVisible(flow.get(ACUTE_RISK) == "yes")
        if steps:
            self.steps_label.setText(steps_html(self._catalog, steps))
        else:
            self.steps_label.setText(f"<p>{escape(NO_STEPS)}</p>")
