"""The weekly exercise: ISO-week rules, one per week, follow-up asked once, a streak right across year ends."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta, timezone

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.services import actions, weekly
from boundary_journal.services.weekly import ExerciseDraft, IsoWeek

WEDNESDAY = date(2026, 11, 25)  # 2026-W48


def draft(**overrides) -> ExerciseDraft:
    values = {"relationship": "Client K", "unease": "She texts me late and I answer.", "move": "talk_to_supervisor"}
    values.update(overrides)
    return ExerciseDraft(**values)


class TestIsoWeek:
    @pytest.mark.parametrize(
        ("day", "week"),
        [(date(2026, 11, 25), "2026-W48"), (date(2026, 12, 31), "2026-W53"), (date(2027, 1, 3), "2026-W53"),
         (date(2027, 1, 4), "2027-W01"), (date(2025, 12, 29), "2026-W01")],
    )
    def test_of(self, day: date, week: str) -> None:
        assert str(IsoWeek.of(day)) == week
        assert IsoWeek.parse(week).contains(day)

    def test_previous_across_year_ends(self) -> None:
        assert str(IsoWeek.parse("2027-W01").previous()) == "2026-W53"
        assert str(IsoWeek.parse("2026-W01").previous()) == "2025-W52"

    @pytest.mark.parametrize(("text", "message"), [("2026-48", "not an ISO week"), ("2025-W53", "no week 53"),
                                                   ("2026-W00", "no week 0")])
    def test_parse_refuses(self, text: str, message: str) -> None:
        with pytest.raises(InvalidInput, match=message):
            IsoWeek.parse(text)


class TestDefaultDay:
    @pytest.mark.parametrize(
        ("today", "expected"),
        [(date(2026, 11, 23), date(2026, 11, 24)),  # Monday -> Tuesday
         (date(2026, 11, 27), date(2026, 11, 27)),  # Friday: next working day is next week, so today
         (date(2026, 11, 28), date(2026, 11, 28))],  # Saturday -> today
    )
    def test_next_working_day_within_the_week(self, today: date, expected: date) -> None:
        assert weekly.default_day(IsoWeek.of(today), today) == expected


class TestSave:
    def test_creates_an_action_due_on_the_day(self, journal, catalog: Catalog) -> None:
        view = weekly.save_exercise(journal, catalog, draft(), today=WEDNESDAY)
        assert (str(view.week), view.on) == ("2026-W48", date(2026, 11, 26))
        [action] = actions.list_actions(journal)
        assert action.origin == "exercise" and action.due_on == view.on and action.id == view.action_id
        assert "Client K" in action.text and "Talk to a supervisor" in action.text

    def test_one_per_week_redo_edits_it(self, journal, catalog: Catalog) -> None:
        first = weekly.save_exercise(journal, catalog, draft(), today=WEDNESDAY)
        second = weekly.save_exercise(journal, catalog, draft(
            move="other", move_other="Re-read my notes", on=date(2026, 11, 29), at=time(8, 30)), today=WEDNESDAY)
        assert second.id == first.id and second.move == "other" and second.at == time(8, 30)
        assert len(weekly.list_exercises(journal)) == 1
        [action] = actions.list_actions(journal)
        assert action.due_on == date(2026, 11, 29) and "Re-read my notes" in action.text

    def test_day_outside_the_week_is_refused_with_the_reason(self, journal, catalog: Catalog) -> None:
        with pytest.raises(InvalidInput, match=r"not in week 2026-W48 \(Monday 2026-11-23 to Sunday 2026-11-29\)"):
            weekly.save_exercise(journal, catalog, draft(on=date(2026, 11, 30)), today=WEDNESDAY)
        assert weekly.list_exercises(journal) == []

    def test_other_weeks_can_be_named(self, journal, catalog: Catalog) -> None:
        view = weekly.save_exercise(journal, catalog, draft(week=IsoWeek.parse("2026-W53"), on=date(2027, 1, 2)),
                                    today=WEDNESDAY)
        assert str(view.week) == "2026-W53"

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"unease": "   "}, "Write one sentence"),
            ({"unease": "It is grey. And it got worse this week."}, "one sentence"),
            ({"unease": "x" * 241}, "at most 240"),
            ({"move": "shrug"}, "no weekly move 'shrug'"),
            ({"move": "other"}, "what the other move is"),
            ({"relationship": ""}, "pseudonym"),
            ({"at": time(9, 0, tzinfo=timezone(timedelta(hours=5)))}, "floating local time"),
            ({"at": time(9, 0, tzinfo=UTC)}, "without an offset"),
        ],
    )
    def test_bad_input(self, journal, catalog: Catalog, overrides: dict, message: str) -> None:
        with pytest.raises(InvalidInput, match=message):
            weekly.save_exercise(journal, catalog, draft(**overrides), today=WEDNESDAY)

    def test_a_sentence_with_abbreviations_and_markup_is_fine(self, journal, catalog: Catalog) -> None:
        unease = "She asked for my number <again> & said \"you're the only one\"…"
        assert weekly.save_exercise(journal, catalog, draft(unease=unease), today=WEDNESDAY).unease == unease


class TestFollowUp:
    def test_asked_once_the_next_week(self, journal, catalog: Catalog) -> None:
        weekly.save_exercise(journal, catalog, draft(), today=WEDNESDAY)
        assert weekly.pending_followup(journal, WEDNESDAY) is None  # same week: not yet
        next_monday = date(2026, 11, 30)
        pending = weekly.pending_followup(journal, next_monday)
        assert pending is not None and str(pending.week) == "2026-W48"
        weekly.mark_followup_offered(journal, pending.week, next_monday)
        assert weekly.pending_followup(journal, next_monday) is None  # once

    def test_outcome_closes_the_action(self, journal, catalog: Catalog) -> None:
        weekly.save_exercise(journal, catalog, draft(), today=WEDNESDAY)
        view = weekly.record_followup(journal, IsoWeek.parse("2026-W48"), "partly", "Booked, not yet held")
        assert (view.outcome, view.outcome_note) == ("partly", "Booked, not yet held")
        [action] = actions.list_actions(journal)
        assert not action.is_open and action.outcome == "partly: Booked, not yet held"
        assert weekly.pending_followup(journal, date(2026, 11, 30)) is None

    def test_refusals(self, journal, catalog: Catalog) -> None:
        with pytest.raises(NotFound, match="2026-W48"):
            weekly.record_followup(journal, IsoWeek.parse("2026-W48"), "done")
        weekly.save_exercise(journal, catalog, draft(), today=WEDNESDAY)
        with pytest.raises(InvalidInput, match="done, not-done or partly"):
            weekly.record_followup(journal, IsoWeek.parse("2026-W48"), "mostly")


class TestStreak:
    def add_week(self, journal, catalog: Catalog, week: str) -> None:
        iso = IsoWeek.parse(week)
        weekly.save_exercise(journal, catalog, draft(week=iso, on=iso.monday), today=iso.monday)

    def test_across_53_week_year_end(self, journal, catalog: Catalog) -> None:
        for week in ("2026-W51", "2026-W52", "2026-W53", "2027-W01"):
            self.add_week(journal, catalog, week)
        assert weekly.streak(journal, date(2027, 1, 6)) == 4  # in 2027-W01, done
        assert weekly.streak(journal, date(2027, 1, 11)) == 4  # 2027-W02 not done yet: still 4
        assert weekly.streak(journal, date(2027, 1, 18)) == 0  # 2027-W02 missed

    def test_across_52_week_year_end_and_a_gap(self, journal, catalog: Catalog) -> None:
        for week in ("2025-W50", "2025-W52", "2026-W01"):
            self.add_week(journal, catalog, week)
        assert weekly.streak(journal, date(2026, 1, 2)) == 2

    def test_done_this_week(self, journal, catalog: Catalog) -> None:
        assert not weekly.is_done_this_week(journal, WEDNESDAY)
        assert weekly.streak(journal, WEDNESDAY) == 0
        weekly.save_exercise(journal, catalog, draft(), today=WEDNESDAY)
        assert weekly.is_done_this_week(journal, WEDNESDAY)
        assert not weekly.is_done_this_week(journal, WEDNESDAY + timedelta(days=7))
