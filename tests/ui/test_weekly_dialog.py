"""The weekly exercise dialog on its own: the week and its days, one sentence, one move, the calendar file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.services import actions, relationships, weekly
from boundary_journal.services.weekly import MAX_UNEASE_LENGTH, ExerciseDraft, IsoWeek
from boundary_journal.store.journal import Journal
from ui.messages import UnsavedChoice
from ui.weekly_dialog import EDITING_NOTE, WeeklyDialog, counter_text, week_dates

HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"
WEDNESDAY = date(2026, 11, 25)  # 2026-W48: Monday 23 to Sunday 29 November
SENTENCE = "She texts me late in the evening and I answer."
Typist = Callable[[QWidget, str], None]


@pytest.fixture
def make_dialog(qtbot: QtBot, journal: Journal, catalog: Catalog) -> Callable[..., WeeklyDialog]:
    def make(today: date = WEDNESDAY, pseudonyms: list[str] | None = None) -> WeeklyDialog:
        dialog = WeeklyDialog(journal, catalog, pseudonyms or [], today)
        dialog.asked: list[int] = []  # type: ignore[misc]
        dialog.answer = UnsavedChoice.CANCEL  # type: ignore[attr-defined]
        dialog.paths: list[str] = []  # type: ignore[misc]

        def confirm() -> UnsavedChoice:
            dialog.asked.append(1)  # type: ignore[attr-defined]
            return dialog.answer  # type: ignore[attr-defined]

        dialog.confirm_unsaved_changes = confirm  # type: ignore[method-assign]
        dialog.choose_path = lambda: dialog.paths.pop(0) if dialog.paths else ""  # type: ignore[method-assign,attr-defined]
        dialog.show_error = lambda error: pytest.fail(f"unexpected message box: {error}")  # type: ignore[method-assign]
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        return dialog

    return make


def click(qtbot: QtBot, dialog: WeeklyDialog, button: QAbstractButton) -> None:
    """Scroll to the button, then click it (a check or radio box on its indicator: the row may be wide)."""
    if dialog.scroll.widget().isAncestorOf(button):
        dialog.scroll.ensureWidgetVisible(button)
    qtbot.waitUntil(lambda: button.isVisible() and not button.visibleRegion().isEmpty())
    pos = button.rect().center()
    if isinstance(button, QCheckBox) or button.isCheckable():
        pos.setX(button.height() // 2)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=pos)


def fill(qtbot: QtBot, dialog: WeeklyDialog, typist: Typist, move: str = "talk_to_supervisor") -> None:
    typist(dialog.relationship_combo.lineEdit(), "Client K")
    typist(dialog.unease_edit, SENTENCE)
    click(qtbot, dialog, dialog.move_buttons[move])


class TestWeek:
    """The ISO week and its dates; the day can only be one of its seven days, by default the next working day."""

    def test_heading_and_default_day(self, make_dialog) -> None:
        dialog = make_dialog()
        assert dialog.week == IsoWeek.parse("2026-W48")
        assert dialog.heading.text() == "Week 48 of 2026"
        assert dialog.dates_label.text() == "Monday 23 November to Sunday 29 November 2026"
        assert dialog.day_edit.minimumDate() == QDate(2026, 11, 23)
        assert dialog.day_edit.maximumDate() == QDate(2026, 11, 29)
        assert dialog.day_edit.date().toPython() == date(2026, 11, 26)  # Thursday: the next working day
        assert not dialog.editing_note.isVisible()

    def test_a_year_end_week(self, make_dialog) -> None:
        dialog = make_dialog(today=date(2027, 1, 2))  # Saturday in 2026-W53
        assert dialog.heading.text() == "Week 53 of 2026"
        assert week_dates(dialog.week) == "Monday 28 December 2026 to Sunday 3 January 2027"
        assert dialog.day_edit.date().toPython() == date(2027, 1, 2)  # the weekend: today

    def test_a_day_outside_the_week_cannot_be_chosen(self, qtbot: QtBot, make_dialog) -> None:
        dialog = make_dialog()
        dialog.day_edit.setFocus()
        for _ in range(6):
            qtbot.keyClick(dialog.day_edit, Qt.Key.Key_Up)
        assert dialog.day_edit.date().toPython() == date(2026, 11, 29)  # Sunday, not next Monday
        for _ in range(9):
            qtbot.keyClick(dialog.day_edit, Qt.Key.Key_Down)
        assert dialog.day_edit.date().toPython() == date(2026, 11, 23)
        dialog.day_edit.setDate(QDate(2026, 12, 2))
        assert IsoWeek.parse("2026-W48").contains(dialog.day_edit.date().toPython())
        assert "this week only" in dialog.day_hint.text()


class TestSentence:
    """One sentence with a live count; a paragraph is refused where it is typed, and on Save."""

    def test_counter_and_limit(self, make_dialog, typist: Typist) -> None:
        dialog = make_dialog()
        assert dialog.counter_label.text() == counter_text(0) == f"0 / {MAX_UNEASE_LENGTH}"
        typist(dialog.unease_edit, SENTENCE)
        assert dialog.counter_label.text() == f"{len(SENTENCE)} / 240"
        dialog.unease_edit.setText("")
        typist(dialog.unease_edit, "x" * (MAX_UNEASE_LENGTH + 10))
        assert len(dialog.unease_edit.text()) == MAX_UNEASE_LENGTH
        assert dialog.counter_label.text() == "240 / 240"

    def test_a_paragraph_is_refused_inline(
        self, qtbot: QtBot, make_dialog, journal: Journal, typist: Typist
    ) -> None:
        dialog = make_dialog()
        fill(qtbot, dialog, typist)
        typist(dialog.unease_edit, " And I answer every time.")
        assert dialog.unease_error.isVisible()
        assert "one sentence" in dialog.unease_error.text()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.result_view is None
        assert weekly.list_exercises(journal) == []
        assert dialog.focusWidget() is dialog.unease_edit

        qtbot.keyClick(dialog.unease_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        typist(dialog.unease_edit, SENTENCE)
        assert not dialog.unease_error.isVisible()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        (saved,) = weekly.list_exercises(journal)
        assert saved.unease == SENTENCE and not dialog.isVisible()


class TestMove:
    """The catalogue's moves with their hints; "other" asks for a few words of its own."""

    def test_moves_from_the_catalogue(self, make_dialog, catalog: Catalog) -> None:
        dialog = make_dialog()
        assert list(dialog.move_buttons) == [m.id for m in catalog.weekly_moves]
        for move in catalog.weekly_moves:
            button = dialog.move_buttons[move.id]
            assert button.text() == move.label and button.accessibleDescription() == move.hint
            assert dialog.move_hints[move.id].text() == move.hint
        assert dialog.chosen_move() is None and not dialog.other_edit.isEnabled()

    def test_no_move_chosen(self, qtbot: QtBot, make_dialog, journal: Journal, typist: Typist) -> None:
        dialog = make_dialog()
        typist(dialog.relationship_combo.lineEdit(), "Client K")
        typist(dialog.unease_edit, SENTENCE)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.error_label.isVisible() and "Choose one move" in dialog.error_label.text()
        assert weekly.list_exercises(journal) == []

    def test_other_needs_words(self, qtbot: QtBot, make_dialog, journal: Journal, typist: Typist) -> None:
        dialog = make_dialog()
        fill(qtbot, dialog, typist, move="other")
        assert dialog.other_edit.isEnabled()
        assert dialog.focusWidget() is dialog.other_edit
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.error_label.isVisible() and "other move" in dialog.error_label.text()
        assert weekly.list_exercises(journal) == []
        typist(dialog.other_edit, "Ask the team how they answer friend requests")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        (saved,) = weekly.list_exercises(journal)
        assert (saved.move, saved.move_other) == ("other", "Ask the team how they answer friend requests")

    def test_the_calendar_wording_follows_the_move(self, qtbot: QtBot, make_dialog, catalog: Catalog) -> None:
        dialog = make_dialog()
        click(qtbot, dialog, dialog.move_buttons["transfer_care"])
        label = catalog.weekly_move("transfer_care").calendar_label
        assert f"“{label}”" in dialog.details_note.text()


class TestSave:
    """Save hands the answers to the weekly service; the dialog closes and reports what was stored."""

    def test_saved_as_answered(
        self, qtbot: QtBot, make_dialog, journal: Journal, typist: Typist
    ) -> None:
        dialog = make_dialog(pseudonyms=["Client A", "Client K"])
        assert [dialog.relationship_combo.itemText(i) for i in range(2)] == ["Client A", "Client K"]
        fill(qtbot, dialog, typist)
        dialog.day_edit.setFocus()
        qtbot.keyClick(dialog.day_edit, Qt.Key.Key_Up)
        click(qtbot, dialog, dialog.time_check)
        assert dialog.time_edit.isEnabled()
        saved: list[object] = []
        dialog.saved.connect(saved.append)
        with qtbot.waitSignal(dialog.finished):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        (view,) = saved
        assert view == weekly.get_exercise(journal, IsoWeek.parse("2026-W48"))
        assert (view.relationship, view.unease, view.move) == ("Client K", SENTENCE, "talk_to_supervisor")
        assert (view.on, view.at) == (date(2026, 11, 27), time(9, 0))
        (action,) = actions.list_actions(journal)
        assert action.id == view.action_id and action.due_on == date(2026, 11, 27)

    def test_hostile_text_round_trip(self, qtbot: QtBot, make_dialog, journal: Journal, typist: Typist) -> None:
        relationships.confirm_pseudonym(journal, HOSTILE)  # Hebrew: a script the identifier check cannot read
        dialog = make_dialog()
        typist(dialog.relationship_combo.lineEdit(), HOSTILE)
        typist(dialog.unease_edit, HOSTILE)
        click(qtbot, dialog, dialog.move_buttons["document_more_clearly"])
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        (view,) = weekly.list_exercises(journal)
        assert (view.relationship, view.unease) == (HOSTILE, HOSTILE)
        again = make_dialog()
        assert again.relationship_combo.currentText() == HOSTILE and again.unease_edit.text() == HOSTILE


class TestRedo:
    """A week that has its exercise opens pre-filled, says so, and saving edits that week's."""

    def test_prefilled_and_edited(
        self, qtbot: QtBot, make_dialog, journal: Journal, catalog: Catalog
    ) -> None:
        weekly.save_exercise(
            journal, catalog,
            ExerciseDraft("Client K", SENTENCE, "other", on=date(2026, 11, 24), at=time(16, 30),
                          move_other="Ask the team"),
            today=WEDNESDAY,
        )
        dialog = make_dialog()
        assert dialog.editing_note.isVisible() and dialog.editing_note.text() == EDITING_NOTE
        assert dialog.relationship_combo.currentText() == "Client K"
        assert dialog.unease_edit.text() == SENTENCE
        assert dialog.chosen_move() == "other" and dialog.other_edit.text() == "Ask the team"
        assert dialog.day_edit.date().toPython() == date(2026, 11, 24)
        assert dialog.time_check.isChecked() and dialog.time_edit.time().toPython() == time(16, 30)
        assert not dialog.is_dirty()

        click(qtbot, dialog, dialog.move_buttons["transfer_care"])
        click(qtbot, dialog, dialog.time_check)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        (view,) = weekly.list_exercises(journal)
        assert (view.move, view.move_other, view.at) == ("transfer_care", "", None)
        assert len(actions.list_actions(journal)) == 1


class TestCalendarFile:
    """Optional .ics next to the exercise; it names only the kind of step unless the clinician opts in."""

    def test_ticking_asks_where_and_cancel_unticks(self, qtbot: QtBot, make_dialog) -> None:
        dialog = make_dialog()
        assert not dialog.calendar_check.isChecked() and not dialog.details_check.isEnabled()
        click(qtbot, dialog, dialog.calendar_check)  # the chooser is cancelled
        assert not dialog.calendar_check.isChecked() and dialog.calendar_path_edit.text() == ""

    def test_without_details(
        self, qtbot: QtBot, make_dialog, journal: Journal, typist: Typist, tmp_path: Path, catalog: Catalog
    ) -> None:
        dialog = make_dialog()
        fill(qtbot, dialog, typist)
        dialog.paths.append(str(tmp_path / "step"))  # type: ignore[attr-defined]
        click(qtbot, dialog, dialog.calendar_check)
        assert dialog.calendar_path_edit.text() == str(tmp_path / "step.ics")
        assert dialog.details_check.isEnabled() and not dialog.details_check.isChecked()
        assert "sync to servers" in dialog.details_note.text()
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.calendar_written == tmp_path / "step.ics"
        event = next(iter(Calendar.from_ical((tmp_path / "step.ics").read_bytes()).walk("VEVENT")))
        text = event.to_ical().decode()
        assert str(event["summary"]) == catalog.weekly_move("talk_to_supervisor").calendar_label
        assert "Client K" not in text and "texts me late" not in text

    def test_with_details(
        self, qtbot: QtBot, make_dialog, typist: Typist, tmp_path: Path
    ) -> None:
        dialog = make_dialog()
        fill(qtbot, dialog, typist)
        dialog.paths.append(str(tmp_path / "step.ics"))  # type: ignore[attr-defined]
        click(qtbot, dialog, dialog.calendar_check)
        click(qtbot, dialog, dialog.details_check)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        event = next(iter(Calendar.from_ical((tmp_path / "step.ics").read_bytes()).walk("VEVENT")))
        assert "Client K" in str(event["summary"]) and SENTENCE in str(event["description"])

    def test_a_bad_place_is_refused_before_saving(
        self, qtbot: QtBot, make_dialog, journal: Journal, typist: Typist, tmp_path: Path
    ) -> None:
        dialog = make_dialog()
        fill(qtbot, dialog, typist)
        dialog.paths.append(str(tmp_path / "missing" / "step.ics"))  # type: ignore[attr-defined]
        click(qtbot, dialog, dialog.calendar_check)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.error_label.isVisible() and "does not exist" in dialog.error_label.text()
        assert weekly.list_exercises(journal) == [] and dialog.isVisible()


class TestCancel:
    """Cancel asks before typed answers are lost; with nothing typed it just closes."""

    def test_clean_closes(self, qtbot: QtBot, make_dialog) -> None:
        dialog = make_dialog()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible() and dialog.asked == []  # type: ignore[attr-defined]

    def test_typed_asks(self, qtbot: QtBot, make_dialog, journal: Journal, typist: Typist) -> None:
        dialog = make_dialog()
        typist(dialog.unease_edit, SENTENCE)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible() and dialog.asked == [1]  # type: ignore[attr-defined]
        dialog.answer = UnsavedChoice.DISCARD  # type: ignore[attr-defined]
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible() and weekly.list_exercises(journal) == []


class TestProblemsByField:
    """A service's refusal goes next to the field it names (InvalidInput.field), whatever its words say."""

    @pytest.mark.parametrize(("field", "widget"), [
        ("on", "day_edit"), ("at", "time_edit"), ("pseudonym", "relationship_combo"),
    ])
    def test_the_named_field_gets_the_focus(
        self, qtbot: QtBot, make_dialog, typist: Typist, monkeypatch: pytest.MonkeyPatch, field: str, widget: str
    ) -> None:
        dialog = make_dialog()
        fill(qtbot, dialog, typist)
        dialog.time_check.setChecked(True)

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise InvalidInput("The sentence of the other move names a relationship.", field=field)

        monkeypatch.setattr(weekly, "save_with_calendar", refuse)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.error_label.isVisible() and "names a relationship" in dialog.error_label.text()
        assert not dialog.unease_error.isVisible()
        target = getattr(dialog, widget)
        assert dialog.focusWidget() in (target, *target.findChildren(QWidget))

    def test_the_sentence_gets_its_own_line(
        self, qtbot: QtBot, make_dialog, typist: Typist, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        dialog = make_dialog()
        fill(qtbot, dialog, typist)

        def refuse(*_args: object, **_kwargs: object) -> None:
            raise InvalidInput("Keep it short.", field="unease")

        monkeypatch.setattr(weekly, "save_with_calendar", refuse)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.unease_error.isVisible() and dialog.unease_error.text() == "Keep it short."
        assert dialog.focusWidget() is dialog.unease_edit

    def test_a_bad_calendar_place_from_the_service_goes_to_the_path(
        self, qtbot: QtBot, make_dialog, journal: Journal, typist: Typist, tmp_path: Path
    ) -> None:
        dialog = make_dialog()
        fill(qtbot, dialog, typist)
        dialog.paths.append(str(tmp_path / "step.txt"))  # type: ignore[attr-defined]
        click(qtbot, dialog, dialog.calendar_check)
        dialog.calendar_path_edit.setText(str(tmp_path / "step.txt"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "does not end in .ics" in dialog.error_label.text()
        assert dialog.focusWidget() is dialog.calendar_path_edit
        assert weekly.list_exercises(journal) == []
