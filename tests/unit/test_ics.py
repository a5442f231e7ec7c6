"""The calendar file: parsed back with icalendar; no pseudonym or sentence unless asked; floating times."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.ics import exercise_calendar, write_exercise_calendar
from boundary_journal.services import weekly
from boundary_journal.services.weekly import ExerciseDraft

TODAY = date(2026, 11, 25)
SENTENCE = "She texts me late & I answer <quickly>."


def exercise(journal, catalog: Catalog, **overrides) -> weekly.ExerciseView:
    values = {"relationship": "Client K", "unease": SENTENCE, "move": "talk_to_supervisor"}
    values.update(overrides)
    return weekly.save_exercise(journal, catalog, ExerciseDraft(**values), today=TODAY)


def event_of(data: bytes):
    [event] = Calendar.from_ical(data).walk("VEVENT")
    return event


def test_default_event_carries_no_identifiers(journal, catalog: Catalog) -> None:
    data = exercise_calendar(catalog, exercise(journal, catalog))
    event = event_of(data)
    assert str(event["summary"]) == catalog.weekly_move("talk_to_supervisor").calendar_label
    assert b"Client K" not in data and b"texts me late" not in data
    assert event.decoded("dtstart") == date(2026, 11, 26)
    [alarm] = event.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY" and alarm.decoded("trigger") == timedelta(hours=9)


def test_details_only_when_asked(journal, catalog: Catalog) -> None:
    event = event_of(exercise_calendar(catalog, exercise(journal, catalog), details=True))
    assert "Client K" in str(event["summary"])
    assert SENTENCE in str(event["description"])


def test_timed_step_is_floating_local_time(journal, catalog: Catalog) -> None:
    # 2026-03-29 is the Sunday clocks change in Europe; a floating time stays 08:30 whatever the zone.
    view = weekly.save_exercise(journal, catalog, ExerciseDraft(
        "Client K", SENTENCE, "redirect_communication", on=date(2026, 3, 29), at=time(8, 30),
        week=weekly.IsoWeek.parse("2026-W13")), today=TODAY)
    data = exercise_calendar(catalog, view)
    event = event_of(data)
    start = event.decoded("dtstart")
    assert start == datetime(2026, 3, 29, 8, 30) and start.tzinfo is None
    assert b"TZID" not in data and b"DTSTART:20260329T083000\r\n" in data
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(minutes=-15)


def test_uid_is_stable_for_the_same_exercise(journal, catalog: Catalog) -> None:
    view = exercise(journal, catalog)
    assert event_of(exercise_calendar(catalog, view))["uid"] == event_of(exercise_calendar(catalog, view))["uid"]


def test_written_atomically_and_checked(journal, catalog: Catalog, tmp_path: Path) -> None:
    view = exercise(journal, catalog)
    out = tmp_path / "step.ics"
    write_exercise_calendar(out, catalog, view)
    assert event_of(out.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "data") == ["step.ics"]
    with pytest.raises(InvalidInput, match=r"does not end in \.ics"):
        write_exercise_calendar(tmp_path / "step.txt", catalog, view)
