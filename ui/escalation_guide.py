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
INTRO = "The decision flow: answer the questions that apply. Hover a question for the article it comes from."
EARLIER = ("Answered in an earlier version of these questions (kept as it was; answer the questions above "
           "for today's steps):")


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

        self._kept: dict[str, str] = {}  # answers to questions of earlier versions, kept as they were
        intro = QLabel(INTRO)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)
        intro.setToolTip(self._sources_tip(catalog))

        self.earlier_label = QLabel()
        self.earlier_label.setTextFormat(Qt.TextFormat.PlainText)
        self.earlier_label.setWordWrap(True)
        self.earlier_label.setAccessibleName("Answers to earlier questions")
        self.earlier_label.hide()

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
        layout.addWidget(self.earlier_label)
        layout.addWidget(self.steps_label)
        self._show_steps()

    @staticmethod
    def _sources_tip(catalog: Catalog) -> str:
        lines = dict.fromkeys(catalog.item_source(rule) for rule in catalog.escalation)
        return "Drawn from:\n" + "\n".join(lines)

    def _question_label(self, rule: EscalationRule) -> QLabel:
        label = QLabel(rule.question)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setToolTip(self._catalog.item_source(rule))
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
        return answers | self._kept

    def set_flow(self, flow: Mapping[str, str]) -> None:
        """Show stored answers; questions not in `flow` are unanswered. Answers to questions of an earlier
        version are shown as they were and kept on save; ids no version knows are dropped. Emits `changed` once."""
        self._kept = {k: v for k, v in flow.items() if self._catalog.retired_rule(k) is not None}
        earlier = [f"{retired.question}: {answer}" for rule_id, answer in self._kept.items()
                   if (retired := self._catalog.retired_rule(rule_id)) is not None]
        self.earlier_label.setText(EARLIER + "\n" + "\n".join(earlier) if earlier else "")
        self.earlier_label.setVisible(bool(earlier))
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
