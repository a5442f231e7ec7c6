"""The follow-up of a week's step: did it happen (done / not done / partly), and what happened.

The window offers it once, in the week after (the service remembers that it was offered); the weekly history
opens it again for a week still without an answer. Save hands the answer to `weekly.record_followup`.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.catalog import Catalog
from boundary_journal.errors import UserError
from boundary_journal.services import weekly
from boundary_journal.services.weekly import ExerciseView, IsoWeek
from boundary_journal.store.journal import Journal
from ui import messages
from ui.exercise_model import move_text
from ui.sizing import dialog_buttons, inline_error_label, say_not_saved
from ui.weekly_dialog import long_day

OUTCOMES = (("done", "&Done"), ("not_done", "&Not done"), ("partly", "&Partly"))
ASKED_ONCE = "Asked once. Skip it and the step stays open in the Actions tab, where you can answer later."


def when_text(exercise: ExerciseView, today: date) -> str:
    this_week = IsoWeek.of(today)
    if exercise.week == this_week.previous():
        return "Last week"
    if exercise.week == this_week:
        return "This week"
    return f"In week {exercise.week}"


def question_html(catalog: Catalog, exercise: ExerciseView, today: date) -> str:
    """'Last week you planned: <b>move</b> for <b>pseudonym</b> on <b>day</b>. Did it happen?', user text escaped."""
    day = long_day(exercise.on) + (f" at {exercise.at:%H:%M}" if exercise.at else "")
    return (
        f"{escape(when_text(exercise, today))} you planned: <b>{escape(move_text(catalog, exercise))}</b> "
        f"for <b>{escape(exercise.relationship)}</b> on <b>{escape(day)}</b>. Did it happen?"
    )


def question_text(catalog: Catalog, exercise: ExerciseView, today: date) -> str:
    day = long_day(exercise.on) + (f" at {exercise.at:%H:%M}" if exercise.at else "")
    return (
        f"{when_text(exercise, today)} you planned: {move_text(catalog, exercise)} for {exercise.relationship} "
        f"on {day}. Did it happen?"
    )


class FollowupDialog(QDialog):
    """One week's answer; on Save it calls `record_followup`, emits `recorded(view)` and closes."""

    recorded = Signal(object)

    def __init__(
        self, journal: Journal, catalog: Catalog, exercise: ExerciseView, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.exercise = exercise
        self.result_view: ExerciseView | None = None
        self.setWindowTitle("Did last week's step happen?" if when_text(exercise, today) == "Last week"
                            else f"Week {exercise.week}: did the step happen?")
        self.setAccessibleName("Follow-up of the weekly step")

        self.question_label = QLabel(question_html(catalog, exercise, today))
        self.question_label.setTextFormat(Qt.TextFormat.RichText)
        self.question_label.setWordWrap(True)
        self.question_label.setAccessibleName(question_text(catalog, exercise, today))
        self.question_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sentence_label = QLabel(f"<i>“{escape(exercise.unease)}”</i>")
        self.sentence_label.setTextFormat(Qt.TextFormat.RichText)
        self.sentence_label.setWordWrap(True)
        self.sentence_label.setAccessibleName(f"What made you uneasy: {exercise.unease}")

        self.outcome_group = QButtonGroup(self)
        self.outcome_buttons: dict[str, QRadioButton] = {}
        choices = QHBoxLayout()
        for number, (outcome, label) in enumerate(OUTCOMES):
            button = QRadioButton(label)
            button.setAccessibleName(label.replace("&", ""))
            self.outcome_group.addButton(button, number)
            self.outcome_buttons[outcome] = button
            choices.addWidget(button)
        choices.addStretch(1)
        self.outcome_group.idToggled.connect(self._outcome_chosen)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText("What happened? e.g. talked it through in supervision on Thursday")
        self.note_edit.setAccessibleName("What happened")
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 4 + 2 * self.note_edit.frameWidth()
                                      + int(2 * self.note_edit.document().documentMargin()))
        note_label = QLabel("&What happened (optional)")
        note_label.setBuddy(self.note_edit)

        self.asked_once_label = QLabel(ASKED_ONCE)
        self.asked_once_label.setTextFormat(Qt.TextFormat.PlainText)
        self.asked_once_label.setWordWrap(True)

        self.error_label = inline_error_label("Problem with this answer")

        self.buttons, self.save_button = dialog_buttons(self, "&Save answer", "S&kip", on_accept=self.save)
        self.save_button.setEnabled(False)
        self.save_button.setToolTip("Choose done, not done or partly first")

        layout = QVBoxLayout(self)
        layout.addWidget(self.question_label)
        layout.addWidget(self.sentence_label)
        layout.addLayout(choices)
        layout.addWidget(note_label)
        layout.addWidget(self.note_edit)
        layout.addWidget(self.asked_once_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.resize(self.fontMetrics().averageCharWidth() * 72, self.sizeHint().height())

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def outcome(self) -> str | None:
        return next((outcome for outcome, button in self.outcome_buttons.items() if button.isChecked()), None)

    def _outcome_chosen(self, _id: int, _checked: bool) -> None:
        self.save_button.setEnabled(self.outcome() is not None)
        self.save_button.setToolTip("")

    def save(self) -> bool:
        """Record the answer; a problem is shown inline and the dialog stays open."""
        outcome = self.outcome()
        if outcome is None:
            return False
        self.error_label.hide()
        try:
            view = weekly.record_followup(self.journal, self.exercise.week, outcome, self.note_edit.toPlainText())
        except UserError as error:
            say_not_saved(self, self.error_label, error, self.show_error)
            return False
        self.result_view = view
        self.recorded.emit(view)
        self.accept()
        return True
