"""The weekly "grey relationship" exercise of seed 004: one relationship, one sentence, one move, one day this week.

Save hands everything to `weekly.save_exercise` (and, if asked, `ics.write_exercise_calendar`); the service's
refusals are shown where they apply. One exercise per ISO week: opened again, the dialog edits that week's.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths, Qt, QTime, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, UserError
from boundary_journal.services import relationships, weekly
from boundary_journal.services.weekly import MAX_OTHER_LENGTH, MAX_UNEASE_LENGTH, ExerciseDraft, ExerciseView, IsoWeek
from boundary_journal.store.journal import Journal
from ui import messages
from ui.messages import UnsavedChoice
from ui.notices import NoticeLabel
from ui.sizing import dialog_buttons, grow_to_fit, show_inline_problem

INTRO = (
    "Pick one patient relationship that feels even slightly grey, say in one sentence what makes you "
    "uneasy, and choose one concrete move to put on this week's calendar."
)
EDITING_NOTE = "This week's exercise is already written: saving changes it (there is one exercise per week)."
DAY_FORMAT = "dddd yyyy-MM-dd"
DEFAULT_TIME = time(9, 0)


def long_day(day: date) -> str:
    """'Monday 23 November 2026', the same on every platform (no %-d)."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def week_dates(week: IsoWeek) -> str:
    """'Monday 23 November to Sunday 29 November 2026'."""
    monday, sunday = week.monday, week.sunday
    first = f"Monday {monday.day} {monday:%B}" + (f" {monday.year}" if monday.year != sunday.year else "")
    return f"{first} to Sunday {sunday.day} {sunday:%B %Y}"


def counter_text(length: int) -> str:
    return f"{length} / {MAX_UNEASE_LENGTH}"


def calendar_explanation(summary: str) -> str:
    return (
        "Calendars sync to servers, so unless you tick this the event says only "
        f"“{summary}” — no pseudonym, no sentence."
    )


class WeeklyDialog(QDialog):
    """This ISO week's exercise; on Save it calls the weekly service, emits `saved(view)` and closes."""

    saved = Signal(object)

    def __init__(
        self,
        journal: Journal,
        catalog: Catalog,
        pseudonyms: Sequence[str],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.catalog = catalog
        self.today = today
        self.week = IsoWeek.of(today)
        self.existing = weekly.get_exercise(journal, self.week)
        self.result_view: ExerciseView | None = None
        self.calendar_written: Path | None = None
        self.setWindowTitle("Weekly exercise")
        self.setAccessibleName("Weekly exercise")

        self.heading = QLabel(f"Week {self.week.week} of {self.week.year}")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setAccessibleName(f"Week {self.week.week} of {self.week.year}: {week_dates(self.week)}")
        font = self.heading.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.15)
        self.heading.setFont(font)
        self.dates_label = self._plain(week_dates(self.week))
        self.dates_label.setAccessibleName("The week's dates")
        self.editing_note = NoticeLabel(EDITING_NOTE, bold=False)
        self.editing_note.setAccessibleName("Editing this week's exercise")
        self.editing_note.setVisible(self.existing is not None)
        intro = self._plain(INTRO)

        self.relationship_combo = QComboBox()
        self.relationship_combo.setEditable(True)
        self.relationship_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.relationship_combo.addItems(list(pseudonyms))
        self.relationship_combo.setEditText("")
        self.relationship_combo.setAccessibleName("Relationship (pseudonym)")
        self.relationship_combo.lineEdit().setAccessibleName("Relationship (pseudonym)")
        self.relationship_combo.lineEdit().setPlaceholderText("A pseudonym, e.g. Client K — never a real name")
        self.relationship_combo.setToolTip("Pick a pseudonym you already use, or type a new one")

        self.unease_edit = QLineEdit()
        self.unease_edit.setMaxLength(MAX_UNEASE_LENGTH)
        self.unease_edit.setPlaceholderText("e.g. She texts me late in the evening and I answer.")
        self.unease_edit.setAccessibleName("What makes me uneasy, in one sentence")
        self.unease_edit.setAccessibleDescription(f"One sentence, at most {MAX_UNEASE_LENGTH} characters")
        self.unease_edit.textChanged.connect(self._unease_changed)
        self.counter_label = QLabel(counter_text(0))
        self.counter_label.setTextFormat(Qt.TextFormat.PlainText)
        self.counter_label.setAccessibleName("Characters used")
        self.unease_error = self._error_label("Problem with the sentence")
        sentence = QWidget()
        sentence_layout = QVBoxLayout(sentence)
        sentence_layout.setContentsMargins(0, 0, 0, 0)
        sentence_row = QHBoxLayout()
        sentence_row.addWidget(self.unease_edit, 1)
        sentence_row.addWidget(self.counter_label)
        sentence_layout.addLayout(sentence_row)
        sentence_layout.addWidget(self.unease_error)

        self._build_moves()
        self._build_day()
        self._build_calendar()

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self._buddy("&Relationship", self.relationship_combo), self.relationship_combo)
        form.addRow(self._buddy("What makes me &uneasy, in one sentence", self.unease_edit), sentence)
        when = QFormLayout()
        when.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        day_row = QHBoxLayout()
        day_row.addWidget(self.day_edit)
        day_row.addWidget(self.day_hint, 1)
        when.addRow(self._buddy("&Day", self.day_edit), day_row)
        time_row = QHBoxLayout()
        time_row.addWidget(self.time_check)
        time_row.addWidget(self.time_edit)
        time_row.addStretch(1)
        when.addRow(time_row)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(intro)
        body_layout.addLayout(form)
        body_layout.addWidget(self.moves_box)
        body_layout.addLayout(when)
        body_layout.addWidget(self.calendar_box)
        body_layout.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(body)

        self.error_label = self._error_label("Problem with this exercise")
        self.buttons, self.save_button = dialog_buttons(self, "&Save exercise", "Cancel", on_accept=self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.dates_label)
        layout.addWidget(self.editing_note)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self._sized = False
        self._fill(self.existing)
        self._baseline = self._state()
        fm = self.fontMetrics()
        width = fm.averageCharWidth() * 96
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width = min(width, screen.width() * 9 // 10)
        self.resize(width, min(self.sizeHint().height(), fm.lineSpacing() * 40))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self._fit_height()

    def _fit_height(self) -> None:
        """Tall enough to show the whole form without scrolling, where the screen allows; never shorter."""
        body = self.scroll.widget()
        body.layout().activate()
        viewport = self.scroll.viewport()
        needed = body.heightForWidth(viewport.width()) if body.hasHeightForWidth() else body.sizeHint().height()
        extra = needed - viewport.height()
        if extra <= 0:
            return
        height = self.height() + extra
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            height = min(height, screen.height() * 9 // 10)
        self.resize(self.width(), height)

    # --- construction --------------------------------------------------------------------

    def _build_moves(self) -> None:
        self.moves_box = QGroupBox("The move for this week")
        self.moves_box.setAccessibleName("The move for this week")
        self.move_group = QButtonGroup(self)
        self.move_buttons: dict[str, QRadioButton] = {}
        self.move_hints: dict[str, QLabel] = {}
        style = self.style()
        indent = style.pixelMetric(QStyle.PixelMetric.PM_ExclusiveIndicatorWidth) + style.pixelMetric(
            QStyle.PixelMetric.PM_RadioButtonLabelSpacing
        )
        layout = QVBoxLayout(self.moves_box)
        layout.setSpacing(self.fontMetrics().height() // 4)
        for number, move in enumerate(self.catalog.weekly_moves):
            button = QRadioButton(move.label)
            button.setAccessibleName(move.label)
            button.setAccessibleDescription(move.hint)
            self.move_group.addButton(button, number)
            self.move_buttons[move.id] = button
            hint = self._plain(move.hint)
            hint.setIndent(indent)
            hint.setContentsMargins(0, 0, 0, self.fontMetrics().height() // 3)
            self.move_hints[move.id] = hint
            layout.addWidget(button)
            layout.addWidget(hint)
        self.other_edit = QLineEdit()
        self.other_edit.setMaxLength(MAX_OTHER_LENGTH)
        self.other_edit.setPlaceholderText("In a few words, e.g. ask the team to take her evening calls")
        self.other_edit.setAccessibleName("The other move, in a few words")
        self.other_edit.setEnabled(False)
        other_row = QHBoxLayout()
        other_row.setContentsMargins(indent, 0, 0, 0)
        other_row.addWidget(self.other_edit)
        layout.addLayout(other_row)
        self.move_group.idToggled.connect(self._move_toggled)

    def _build_day(self) -> None:
        self.day_edit = QDateEdit()
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat(DAY_FORMAT)
        self.day_edit.setDateRange(QDate(self.week.monday), QDate(self.week.sunday))
        self.day_edit.setAccessibleName("Day of the step")
        self.day_edit.setAccessibleDescription(f"A day in week {self.week}: {week_dates(self.week)}")
        self.day_edit.setToolTip("The step goes on this week's calendar, so the day is within this week")
        self.day_hint = self._plain("this week only: the step goes on this week's calendar")
        self.time_check = QCheckBox("At a set &time")
        self.time_check.setAccessibleName("At a set time")
        self.time_edit = QTimeEdit(QTime(DEFAULT_TIME))
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName("Time of the step")
        self.time_edit.setEnabled(False)
        self.time_check.toggled.connect(self.time_edit.setEnabled)

    def _build_calendar(self) -> None:
        self.calendar_box = QGroupBox("Calendar")
        self.calendar_box.setAccessibleName("Calendar file")
        self.calendar_check = QCheckBox("Also save a &calendar file (.ics)…")
        self.calendar_check.setAccessibleName("Also save a calendar file")
        self.calendar_check.setToolTip("An event with a reminder alarm, to import into your calendar")
        self.calendar_check.toggled.connect(self._calendar_toggled)
        self.calendar_path_edit = QLineEdit()
        self.calendar_path_edit.setPlaceholderText("Where to save the .ics file")
        self.calendar_path_edit.setAccessibleName("Calendar file")
        self.calendar_choose_button = QPushButton("Choose…")
        self.calendar_choose_button.setAccessibleName("Choose where to save the calendar file")
        self.calendar_choose_button.clicked.connect(self._choose_calendar_path)
        self.details_check = QCheckBox("Include the &pseudonym and the sentence")
        self.details_check.setAccessibleName("Include the pseudonym and the sentence in the calendar file")
        self.details_note = self._plain(calendar_explanation(self._calendar_summary()))
        self.details_note.setAccessibleName("What the calendar event says")
        path_row = QHBoxLayout()
        path_row.addWidget(self.calendar_path_edit, 1)
        path_row.addWidget(self.calendar_choose_button)
        layout = QVBoxLayout(self.calendar_box)
        layout.addWidget(self.calendar_check)
        layout.addLayout(path_row)
        layout.addWidget(self.details_check)
        layout.addWidget(self.details_note)
        self._calendar_toggled(False)

    @staticmethod
    def _plain(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        return label

    @staticmethod
    def _buddy(text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    def _error_label(self, name: str) -> QLabel:
        label = self._plain("")
        label.setFrameShape(QFrame.Shape.StyledPanel)
        label.setMargin(self.fontMetrics().height() // 4)
        label.setAccessibleName(name)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.hide()
        return label

    # --- prompts (replaced in tests) -----------------------------------------------------

    def confirm_unsaved_changes(self) -> UnsavedChoice:
        return messages.ask_unsaved_changes(self, "This week's exercise")

    def confirm_pseudonym(self, pseudonym: str, why: str) -> bool:
        """Keep a new pseudonym that only looks like a name? (Tests replace this on the instance.)"""
        return messages.ask_confirm_pseudonym(self, pseudonym, why)

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def choose_path(self) -> str:
        """Ask where to save the calendar file; '' when the clinician cancels."""
        suggested = self.calendar_path_edit.text().strip()
        if not suggested:
            folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            suggested = str(Path(folder or Path.home()) / f"grey-relationship-step-{self.week}.ics")
        path, _filter = QFileDialog.getSaveFileName(self, "Save calendar file", suggested, "Calendar files (*.ics)")
        return path

    # --- what it holds -------------------------------------------------------------------

    def chosen_move(self) -> str | None:
        return next((move_id for move_id, button in self.move_buttons.items() if button.isChecked()), None)

    def draft(self, move: str) -> ExerciseDraft:
        return ExerciseDraft(
            relationship=self.relationship_combo.currentText(),
            unease=self.unease_edit.text(),
            move=move,
            on=self.day_edit.date().toPython(),
            at=self.time_edit.time().toPython() if self.time_check.isChecked() else None,
            move_other=self.other_edit.text() if move == "other" else "",
            week=self.week,
        )

    def is_dirty(self) -> bool:
        return self.result_view is None and self._state() != self._baseline

    def _state(self) -> tuple[object, ...]:
        return (
            self.relationship_combo.currentText().strip(), self.unease_edit.text().strip(), self.chosen_move(),
            self.other_edit.text().strip(), self.day_edit.date(), self.time_check.isChecked(), self.time_edit.time(),
        )

    def _fill(self, exercise: ExerciseView | None) -> None:
        if exercise is None:
            self.day_edit.setDate(QDate(weekly.default_day(self.week, self.today)))
            return
        self.relationship_combo.setEditText(exercise.relationship)
        self.unease_edit.setText(exercise.unease)
        button = self.move_buttons.get(exercise.move)
        if button is not None:
            button.setChecked(True)
        self.other_edit.setText(exercise.move_other)
        self.day_edit.setDate(QDate(exercise.on))
        self.time_check.setChecked(exercise.at is not None)
        if exercise.at is not None:
            self.time_edit.setTime(QTime(exercise.at))

    def _unease_changed(self, text: str) -> None:
        self.counter_label.setText(counter_text(len(text)))
        # The service's own rule, as the clinician types: a second sentence is pointed out at once.
        message = ""
        if text.strip():
            try:
                weekly.clean_unease(text)
            except InvalidInput as error:
                message = str(error)
        self._show_unease_problem(message)

    def _show_unease_problem(self, message: str) -> None:
        self.unease_error.setText(message)
        self.unease_error.setVisible(bool(message))
        if message and self._sized:
            self._fit_height()

    def _move_toggled(self, _id: int, checked: bool) -> None:
        is_other = self.chosen_move() == "other"
        self.other_edit.setEnabled(is_other)
        if is_other and checked and self.isVisible():
            self.other_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.details_note.setText(calendar_explanation(self._calendar_summary()))

    def _calendar_summary(self) -> str:
        move = self.catalog.weekly_move(self.chosen_move() or "")
        return move.calendar_label if move else "Grey relationship step: …"

    def _calendar_toggled(self, checked: bool) -> None:
        for widget in (self.calendar_path_edit, self.calendar_choose_button, self.details_check):
            widget.setEnabled(checked)
        if checked and self.isVisible() and not self.calendar_path_edit.text().strip():
            self._choose_calendar_path()
            if not self.calendar_path_edit.text().strip():
                self.calendar_check.setChecked(False)

    def _choose_calendar_path(self) -> None:
        path = self.choose_path()
        if path:
            if not path.lower().endswith(".ics"):
                path += ".ics"
            self.calendar_path_edit.setText(path)

    # --- saving --------------------------------------------------------------------------

    def _show_problem(self, message: str, focus: QWidget | None = None) -> None:
        show_inline_problem(self, self.error_label, f"Not saved: {message}")
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(focus)

    def _route_problem(self, error: InvalidInput) -> None:
        """Show the service's refusal next to the field it names (`error.field`)."""
        message = str(error)
        if error.field == "unease":
            self._show_unease_problem(message)
            self.unease_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(self.unease_edit)
            return
        fields: dict[str, QWidget] = {
            "on": self.day_edit, "at": self.time_edit, "move_other": self.other_edit,
            "pseudonym": self.relationship_combo, "calendar": self.calendar_path_edit,
        }
        self._show_problem(message, fields.get(error.field or ""))

    def save(self) -> bool:
        """Store the exercise (and write the calendar file if asked); problems stay inline, the dialog open."""
        self.error_label.hide()
        move = self.chosen_move()
        if move is None:
            self._show_problem("Choose one move for this week.", self.move_buttons[self.catalog.weekly_moves[0].id])
            return False
        calendar: Path | None = None
        if self.calendar_check.isChecked():
            text = self.calendar_path_edit.text().strip()
            if not text:
                self._show_problem("Choose where to save the calendar file, or untick it.", self.calendar_path_edit)
                return False
            calendar = Path(text).expanduser()
        try:
            saved = weekly.save_with_calendar(self.journal, self.catalog, self.draft(move), today=self.today,
                                              calendar=calendar, details=self.details_check.isChecked())
        except relationships.PseudonymLooksIdentifying as error:
            if error.confirmable and self.confirm_pseudonym(error.pseudonym, str(error)):
                relationships.confirm_pseudonym(self.journal, error.pseudonym)
                return self.save()
            self._route_problem(error)
            return False
        except InvalidInput as error:
            self._route_problem(error)
            return False
        except UserError as error:
            self.show_error(error)
            return False
        self.result_view = saved.exercise
        self.saved.emit(saved.exercise)
        if saved.calendar_error is not None:
            self.error_label.setText(
                f"The exercise is saved, but the calendar file was not written: {saved.calendar_error}")
            self.error_label.show()
            grow_to_fit(self)
            return False
        self.calendar_written = saved.calendar
        self.accept()
        return True

    def reject(self) -> None:
        """Cancel, Esc or closing the window: ask first when typed answers would be lost."""
        if self.is_dirty():
            choice = self.confirm_unsaved_changes()
            if choice is UnsavedChoice.SAVE:
                self.save()
                return
            if choice is UnsavedChoice.CANCEL:
                return
        super().reject()
