"""The weekly "grey relationship" exercise of seed 004: one relationship, one sentence, one move, this week.

Every function that depends on "now" takes `today` so the window, the CLI and the tests share one clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound, UserError
from boundary_journal.models import Action, WeeklyExercise
from boundary_journal.services.actions import create_action
from boundary_journal.services.relationships import get_or_create_relationship
from boundary_journal.services.validation import clean_text, utcnow
from boundary_journal.store import files
from boundary_journal.store.journal import Journal

MAX_UNEASE_LENGTH = 240
MAX_OTHER_LENGTH = 120
OUTCOMES = ("done", "not_done", "partly")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
# A sentence ends at . ! ? or … followed by space and more text; one sentence means no such break.
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’)]*\s+\S")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        calendar = day.isocalendar()
        return cls(calendar.year, calendar.week)

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        match = _WEEK.match(text.strip())
        if not match:
            raise InvalidInput(f"'{text}' is not an ISO week like 2026-W48.", field="week")
        year, week = int(match.group(1)), int(match.group(2))
        if not 1950 <= year <= 2999:
            raise InvalidInput(f"The year {year} of week '{text}' is out of range; check it.", field="week")
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise InvalidInput(f"{year} has no week {week}; ISO years have 52 or 53 weeks.", field="week") from None
        return cls(year, week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def contains(self, day: date) -> bool:
        return self.monday <= day <= self.sunday

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday - timedelta(days=7))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"


@dataclass(frozen=True)
class ExerciseDraft:
    relationship: str
    unease: str
    move: str
    on: date | None = None  # default: the next working day within the week
    at: time | None = None
    move_other: str = ""
    week: IsoWeek | None = None  # default: the week of `today`


@dataclass(frozen=True)
class ExerciseView:
    id: int
    week: IsoWeek
    relationship: str
    unease: str
    move: str
    move_other: str
    on: date
    at: time | None
    outcome: str | None
    outcome_note: str
    action_id: int | None
    created: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "week": str(self.week), "relationship": self.relationship, "unease": self.unease, "move": self.move,
            "move_other": self.move_other, "on": self.on.isoformat(),
            "at": self.at.isoformat(timespec="minutes") if self.at else None,
            "outcome": self.outcome, "note": self.outcome_note, "action_id": self.action_id,
        }


def _view(exercise: WeeklyExercise) -> ExerciseView:
    return ExerciseView(
        exercise.id, IsoWeek(exercise.iso_year, exercise.iso_week), exercise.relationship.pseudonym,
        exercise.unease, exercise.move, exercise.move_other, exercise.on_date, exercise.at_time, exercise.outcome,
        exercise.outcome_note, exercise.action_id, exercise.created_at,
    )


def default_day(week: IsoWeek, today: date) -> date:
    """The next working day (Monday to Friday) after today within the week; else today, or the week's Monday."""
    if today < week.monday:
        return week.monday
    day = today + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day if week.contains(day) else min(max(today, week.monday), week.sunday)


def clean_unease(text: str) -> str:
    """The one sentence on what makes the relationship feel grey; a paragraph is gently refused."""
    sentence = " ".join(clean_text(text, "The sentence", field="unease").split())
    if not sentence:
        raise InvalidInput("Write one sentence on what makes this relationship feel grey.", field="unease")
    if len(sentence) > MAX_UNEASE_LENGTH:
        raise InvalidInput(
            f"Keep it to one sentence of at most {MAX_UNEASE_LENGTH} characters (this one has {len(sentence)}); "
            "the detail belongs in an entry.", field="unease"
        )
    if _SENTENCE_BREAK.search(sentence):
        raise InvalidInput("Keep it to one sentence: the exercise asks for the single thing that makes you uneasy.",
                           field="unease")
    return sentence


def clean_step_time(at: time | None) -> time | None:
    """The time of day of the step, to the minute; None when the step has no time.

    The step goes on the calendar as a floating local time (see ics.py), so it stays at 09:00 across a
    daylight-saving change or a trip. An offset ("09:00+05:00") names an instant instead; converting it, as
    `--occurred` does for a moment, would need the zone rules of the day and would store a clock time the
    clinician never typed, and dropping it would silently move the step. So it is refused.
    """
    if at is None:
        return None
    if at.tzinfo is not None:
        raise InvalidInput("The time of the step is a floating local time (it stays at that clock time on the "
                           "calendar): give it without an offset, like 09:00.", field="at")
    return at.replace(second=0, microsecond=0)


def _find(session: Session, week: IsoWeek) -> WeeklyExercise | None:
    return session.scalar(
        select(WeeklyExercise).options(joinedload(WeeklyExercise.relationship))
        .where(WeeklyExercise.iso_year == week.year, WeeklyExercise.iso_week == week.week)
    )


def step_action_text(catalog: Catalog, move_id: str, move_other: str, pseudonym: str) -> str:
    """The text of the action that holds a week's step (also used by the sample journal)."""
    move = catalog.weekly_move(move_id)
    label = move_other if move_id == "other" else (move.label if move else move_id)
    return f"Weekly step for {pseudonym}: {label}"


def save_exercise(journal: Journal, catalog: Catalog, draft: ExerciseDraft, *, today: date) -> ExerciseView:
    """Store this week's exercise, or edit it if the week already has one (one exercise per week)."""
    week = draft.week or IsoWeek.of(today)
    if catalog.weekly_move(draft.move) is None:
        known = ", ".join(m.id for m in catalog.weekly_moves)
        raise InvalidInput(f"There is no weekly move '{draft.move}'; choose one of: {known}.", field="move")
    move_other = " ".join(clean_text(draft.move_other, "The other move", single_line=True, field="move_other").split())
    if draft.move == "other" and not move_other:
        raise InvalidInput("Say in a few words what the other move is.", field="move_other")
    if len(move_other) > MAX_OTHER_LENGTH:
        raise InvalidInput(f"Describe the other move in at most {MAX_OTHER_LENGTH} characters.", field="move_other")
    if draft.move != "other":
        move_other = ""
    unease = clean_unease(draft.unease)
    on = draft.on or default_day(week, today)
    if not week.contains(on):
        raise InvalidInput(
            f"{on:%A %Y-%m-%d} is not in week {week} (Monday {week.monday} to Sunday {week.sunday}); "
            "the exercise puts the step on this week's calendar.", field="on"
        )
    at = clean_step_time(draft.at)
    now = utcnow()
    with journal.transaction() as session:
        relationship = get_or_create_relationship(session, draft.relationship)
        exercise = _find(session, week)
        if exercise is None:
            exercise = WeeklyExercise(iso_year=week.year, iso_week=week.week, created_at=now, outcome_note="")
            session.add(exercise)
        exercise.relationship = relationship
        exercise.unease = unease
        exercise.move = draft.move
        exercise.move_other = move_other
        exercise.on_date = on
        exercise.at_time = at
        exercise.updated_at = now
        session.flush()
        text = step_action_text(catalog, draft.move, move_other, relationship.pseudonym)
        if exercise.action_id is None:
            action = create_action(session, text, origin="exercise", origin_id=exercise.id,
                                   relationship=relationship, due_on=on)
            exercise.action_id = action.id
        else:
            linked = session.get(Action, exercise.action_id)
            if linked is not None:
                linked.text, linked.due_on, linked.relationship = text, on, relationship
        session.flush()
        return _view(exercise)


CALENDAR_SUFFIX = ".ics"


def check_calendar_path(path: Path) -> None:
    """InvalidInput (field "calendar") unless the step's calendar file can be written to `path`."""
    files.check_output_path(path, CALENDAR_SUFFIX, field="calendar")


@dataclass(frozen=True)
class SavedExercise:
    """The week's exercise, saved, and the calendar file written (None when none was asked for or it failed).

    `calendar_error`: why the calendar file was not written; the exercise is saved all the same.
    """

    exercise: ExerciseView
    calendar: Path | None = None
    calendar_error: UserError | None = None


def save_with_calendar(journal: Journal, catalog: Catalog, draft: ExerciseDraft, *, today: date,
                       calendar: Path | None = None, details: bool = False) -> SavedExercise:
    """Store this week's exercise (`save_exercise`) and, with `calendar`, write its step as a calendar file there,
    naming the pseudonym and the sentence only with `details` (see ics.py).

    The calendar path is checked before anything is stored (InvalidInput, field "calendar").
    """
    if calendar is not None:
        check_calendar_path(calendar)
    view = save_exercise(journal, catalog, draft, today=today)
    if calendar is None:
        return SavedExercise(view)
    from boundary_journal import ics  # icalendar: loaded when a calendar file is first written

    try:
        ics.write_exercise_calendar(calendar, catalog, view, details=details)
    except UserError as error:
        return SavedExercise(view, calendar_error=error)
    return SavedExercise(view, calendar)


def get_exercise(journal: Journal, week: IsoWeek) -> ExerciseView | None:
    with journal.read() as session:
        found = _find(session, week)
        return _view(found) if found else None


def list_exercises(journal: Journal) -> list[ExerciseView]:
    """Every week's exercise, oldest first."""
    statement = (
        select(WeeklyExercise).options(joinedload(WeeklyExercise.relationship))
        .order_by(WeeklyExercise.iso_year, WeeklyExercise.iso_week)
    )
    with journal.read() as session:
        return [_view(e) for e in session.scalars(statement)]


def record_followup(journal: Journal, week: IsoWeek, outcome: str, note: str = "") -> ExerciseView:
    """Say whether the week's step happened (done / not_done / partly) and what came of it; closes its action."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"The outcome must be done, not-done or partly, not '{outcome}'.", field="outcome")
    cleaned = clean_text(note, "The note", limit=5_000, field="note").strip()
    now = utcnow()
    with journal.transaction() as session:
        exercise = _find(session, week)
        if exercise is None:
            raise NotFound(f"There is no exercise for week {week}.")
        exercise.outcome, exercise.outcome_note, exercise.outcome_at = outcome, cleaned, now
        action = session.get(Action, exercise.action_id) if exercise.action_id else None
        if action is not None:
            action.done_at = now
            action.outcome = followup_action_outcome(outcome, cleaned)
        session.flush()
        return _view(exercise)


def followup_action_outcome(outcome: str, note: str) -> str:
    """What the step's action records as its outcome once the follow-up is given."""
    said = outcome.replace("_", " ")
    return f"{said}: {note}" if note else said


def pending_followup(journal: Journal, today: date) -> ExerciseView | None:
    """Last week's exercise if its outcome is missing and the follow-up has not been offered yet."""
    with journal.read() as session:
        found = _find(session, IsoWeek.of(today).previous())
        if found is None or found.outcome is not None or found.followup_offered_on is not None:
            return None
        return _view(found)


def mark_followup_offered(journal: Journal, week: IsoWeek, today: date) -> None:
    """Remember that the follow-up was offered, so it is asked once, not at every start."""
    with journal.transaction() as session:
        found = _find(session, week)
        if found is not None and found.followup_offered_on is None:
            found.followup_offered_on = today


def is_done_this_week(journal: Journal, today: date) -> bool:
    with journal.read() as session:
        return _find(session, IsoWeek.of(today)) is not None


def streak(journal: Journal, today: date) -> int:
    """Consecutive weeks with the exercise done, up to this week (an open current week does not break it).

    Weeks are stepped back by date, so 2027-W01 follows 2026-W53 and 2026-W01 follows 2025-W52.
    """
    with journal.read() as session:
        weeks = {IsoWeek(y, w) for y, w in session.execute(select(WeeklyExercise.iso_year, WeeklyExercise.iso_week))}
    week = IsoWeek.of(today)
    if week not in weeks:
        week = week.previous()
    count = 0
    while week in weeks:
        count += 1
        week = week.previous()
    return count
