"""The weekly step as an iCalendar file (.ics) with an alarm, safe to sync by default.

Calendars sync to servers, so unless the clinician opts in the event names only the kind of step: no
pseudonym, no sentence. Times are floating (local wall-clock time, no zone), so the step stays at the
time the clinician chose in any time zone and across daylight-saving changes.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Protocol

from icalendar import Alarm, Calendar, Event

from boundary_journal.catalog import Catalog
from boundary_journal.store import files


class ExerciseStep(Protocol):
    """What the calendar file is made of: a weekly exercise's step (services.weekly.ExerciseView is one).
    The writer names only what it reads, so it need not know the service that saves exercises."""

    @property
    def week(self) -> object: ...  # an IsoWeek; printed as "2026-W49"
    @property
    def relationship(self) -> str: ...
    @property
    def unease(self) -> str: ...
    @property
    def move(self) -> str: ...
    @property
    def move_other(self) -> str: ...
    @property
    def on(self) -> date: ...
    @property
    def at(self) -> time | None: ...
    @property
    def created(self) -> datetime: ...


PRODID = "-//Boundary Journal//Weekly exercise//EN"
_UID_NAMESPACE = uuid.UUID("6f1c2a52-3b7e-4f0e-9a54-5f1f0b6a2d11")
TIMED_DURATION = timedelta(minutes=30)
TIMED_ALARM = timedelta(minutes=-15)
ALL_DAY_ALARM = timedelta(hours=9)  # 09:00 on the day


def exercise_calendar(catalog: Catalog, exercise: ExerciseStep, *, details: bool = False) -> bytes:
    """An .ics holding one event for the exercise's step, with a display alarm."""
    move = catalog.weekly_move(exercise.move)
    summary = move.calendar_label if move else "Grey relationship step"
    if details:
        what = exercise.move_other if exercise.move == "other" else (move.label if move else exercise.move)
        summary = f"Grey relationship step: {what} ({exercise.relationship})"
        description = f"{exercise.relationship}: {exercise.unease}\nWeek {exercise.week}."
    else:
        description = f"Your weekly step from Boundary Journal (week {exercise.week}). The details stay in the journal."

    event = Event()
    # Stable per exercise, so exporting it again updates the same calendar event.
    event.add("uid", f"{uuid.uuid5(_UID_NAMESPACE, f'{exercise.week}/{exercise.created.isoformat()}')}")
    event.add("dtstamp", datetime.now().astimezone())
    event.add("summary", summary)
    event.add("description", description)
    if exercise.at is not None:
        start = datetime.combine(exercise.on, exercise.at)  # naive: a floating local time
        event.add("dtstart", start)
        event.add("dtend", start + TIMED_DURATION)
        trigger = TIMED_ALARM
    else:
        event.add("dtstart", exercise.on)
        event.add("dtend", exercise.on + timedelta(days=1))
        trigger = ALL_DAY_ALARM
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", trigger)
    event.add_component(alarm)

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()


def write_exercise_calendar(out: Path, catalog: Catalog, exercise: ExerciseStep, *, details: bool = False) -> None:
    files.check_output_path(out, ".ics", field="calendar")
    data = exercise_calendar(catalog, exercise, details=details)
    files.atomic_write(out, lambda target: target.write(data), what="calendar file")
