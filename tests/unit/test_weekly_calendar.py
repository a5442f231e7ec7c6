"""weekly.save_with_calendar, the one use case behind `exercise add --ics` and the weekly dialog's calendar box:
the path is checked before anything is stored; a calendar file that cannot be written leaves the exercise saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from boundary_journal import ics
from boundary_journal.catalog import Catalog
from boundary_journal.errors import CannotWrite, InvalidInput
from boundary_journal.services import weekly
from boundary_journal.services.weekly import ExerciseDraft, IsoWeek
from boundary_journal.store.journal import Journal

WEDNESDAY = date(2026, 11, 25)  # 2026-W48
DRAFT = ExerciseDraft(relationship="Client K", unease="She texts me late and I answer.", move="talk_to_supervisor")


def test_without_a_calendar_only_the_exercise_is_saved(journal: Journal, catalog: Catalog, tmp_path: Path) -> None:
    saved = weekly.save_with_calendar(journal, catalog, DRAFT, today=WEDNESDAY)
    assert saved.exercise == weekly.get_exercise(journal, IsoWeek.of(WEDNESDAY))
    assert saved.calendar is None and saved.calendar_error is None


def test_the_calendar_file_holds_the_step(journal: Journal, catalog: Catalog, tmp_path: Path) -> None:
    out = tmp_path / "step.ics"
    saved = weekly.save_with_calendar(journal, catalog, DRAFT, today=WEDNESDAY, calendar=out)
    assert saved.calendar == out and saved.calendar_error is None
    assert out.read_bytes() == ics.exercise_calendar(catalog, saved.exercise)
    assert b"Client K" not in out.read_bytes()


def test_details_only_when_asked(journal: Journal, catalog: Catalog, tmp_path: Path) -> None:
    out = tmp_path / "step.ics"
    weekly.save_with_calendar(journal, catalog, DRAFT, today=WEDNESDAY, calendar=out, details=True)
    assert b"Client K" in out.read_bytes()


@pytest.mark.parametrize("name", ["missing-folder/step.ics", "step.txt"])
def test_a_path_that_cannot_be_written_is_refused_before_anything_is_saved(
    journal: Journal, catalog: Catalog, tmp_path: Path, name: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        weekly.save_with_calendar(journal, catalog, DRAFT, today=WEDNESDAY, calendar=tmp_path / name)
    assert refused.value.field == "calendar"
    assert weekly.get_exercise(journal, IsoWeek.of(WEDNESDAY)) is None


def test_a_calendar_that_fails_leaves_the_exercise_saved(
    journal: Journal, catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_gone(*_args: object, **_kwargs: object) -> None:
        raise CannotWrite("The calendar file could not be written.")

    monkeypatch.setattr(ics, "write_exercise_calendar", disk_gone)
    saved = weekly.save_with_calendar(journal, catalog, DRAFT, today=WEDNESDAY, calendar=tmp_path / "step.ics")
    assert isinstance(saved.calendar_error, CannotWrite)
    assert saved.calendar is None
    assert weekly.get_exercise(journal, IsoWeek.of(WEDNESDAY)) == saved.exercise


def test_the_exercises_own_refusals_come_first(journal: Journal, catalog: Catalog, tmp_path: Path) -> None:
    out = tmp_path / "step.ics"
    with pytest.raises(InvalidInput) as refused:
        weekly.save_with_calendar(journal, catalog, ExerciseDraft(relationship="Client K", unease="", move="other"),
                                  today=WEDNESDAY, calendar=out)
    assert refused.value.field == "move_other"
    assert not out.exists()
