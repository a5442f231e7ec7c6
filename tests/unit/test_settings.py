"""Reminder preferences: stored inside the journal, and the rule for when the weekly reminder fires."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from boundary_journal.errors import InvalidInput
from boundary_journal.services import settings
from boundary_journal.services.settings import ReminderSetting, reminder_due
from boundary_journal.services.weekly import IsoWeek

TUESDAY_9 = ReminderSetting(enabled=True, weekday=1, at=time(9, 0))
WEEK = IsoWeek.parse("2026-W48")  # Monday 2026-11-23 to Sunday 2026-11-29


class TestStored:
    """The reminder lives in the encrypted journal; off until the clinician turns it on."""

    def test_default_is_off(self, journal) -> None:
        assert settings.get_reminder(journal) == ReminderSetting(enabled=False, weekday=0, at=time(9, 0))

    def test_round_trip_in_minutes(self, journal) -> None:
        settings.set_reminder(journal, ReminderSetting(True, 4, time(16, 45, 30)))
        assert settings.get_reminder(journal) == ReminderSetting(True, 4, time(16, 45))
        settings.set_reminder(journal, ReminderSetting(False, 0, time(8, 5)))
        assert settings.get_reminder(journal) == ReminderSetting(False, 0, time(8, 5))

    def test_weekday_out_of_range(self, journal) -> None:
        with pytest.raises(InvalidInput, match="Monday to Sunday"):
            settings.set_reminder(journal, ReminderSetting(True, 7, time(9, 0)))


class TestReminderDue:
    """On the chosen weekday from the chosen time until midnight, while the week is not done, once a week."""

    @pytest.mark.parametrize(
        ("now", "due"),
        [
            (datetime(2026, 11, 24, 9, 0), True),  # the minute itself
            (datetime(2026, 11, 24, 9, 0, 59), True),
            (datetime(2026, 11, 24, 15, 30), True),  # asleep at 9:00, still that day
            (datetime(2026, 11, 24, 23, 59), True),
            (datetime(2026, 11, 24, 8, 59, 59), False),  # not yet
            (datetime(2026, 11, 23, 9, 0), False),  # Monday: the wrong day
            (datetime(2026, 11, 25, 9, 0), False),  # Wednesday: that day has passed; the banner stays
            (datetime(2026, 12, 1, 9, 0), True),  # next Tuesday
        ],
    )
    def test_the_day_and_the_time(self, now: datetime, due: bool) -> None:
        assert reminder_due(TUESDAY_9, now, done_this_week=False, last_fired_week=None) is due

    def test_never_when_the_week_is_done(self) -> None:
        assert not reminder_due(TUESDAY_9, datetime(2026, 11, 24, 9, 0), done_this_week=True, last_fired_week=None)

    def test_never_when_turned_off(self) -> None:
        off = ReminderSetting(enabled=False, weekday=1, at=time(9, 0))
        assert not reminder_due(off, datetime(2026, 11, 24, 9, 0), done_this_week=False, last_fired_week=None)

    def test_once_a_week(self) -> None:
        now = datetime(2026, 11, 24, 9, 1)
        assert not reminder_due(TUESDAY_9, now, done_this_week=False, last_fired_week=WEEK)
        assert reminder_due(TUESDAY_9, now, done_this_week=False, last_fired_week=WEEK.previous())
        next_tuesday = datetime(2026, 12, 1, 9, 0)
        assert reminder_due(TUESDAY_9, next_tuesday, done_this_week=False, last_fired_week=WEEK)

    def test_sunday_evening_and_the_year_end(self) -> None:
        sunday = ReminderSetting(enabled=True, weekday=6, at=time(20, 0))
        # Sunday 2027-01-03 is still in 2026-W53.
        now = datetime(2027, 1, 3, 20, 0)
        assert reminder_due(sunday, now, done_this_week=False, last_fired_week=IsoWeek.parse("2026-W52"))
        assert not reminder_due(sunday, now, done_this_week=False, last_fired_week=IsoWeek.parse("2026-W53"))

    def test_seconds_in_the_setting_do_not_delay_it(self) -> None:
        odd = ReminderSetting(enabled=True, weekday=1, at=time(9, 0, 30))
        assert reminder_due(odd, datetime(2026, 11, 24, 9, 0, 5), done_this_week=False, last_fired_week=None)


class TestSecurity:
    """Lock and clipboard times live in the journal: 5 minutes and 30 seconds until changed."""

    def test_defaults(self, journal) -> None:
        assert settings.get_security(journal) == settings.SecuritySetting(5, 30)

    def test_round_trip(self, journal) -> None:
        settings.set_security(journal, settings.SecuritySetting(12, 45))
        assert settings.get_security(journal) == settings.SecuritySetting(12, 45)

    @pytest.mark.parametrize(
        ("setting", "message"),
        [
            (settings.SecuritySetting(0, 30), "1 to 240 minutes"),
            (settings.SecuritySetting(241, 30), "1 to 240 minutes"),
            (settings.SecuritySetting(5, 4), "5 to 600 seconds"),
            (settings.SecuritySetting(5, 601), "5 to 600 seconds"),
        ],
    )
    def test_out_of_range_is_refused(self, journal, setting, message) -> None:
        with pytest.raises(InvalidInput, match=message):
            settings.set_security(journal, setting)
        assert settings.get_security(journal) == settings.SecuritySetting()

    def test_a_stored_value_out_of_range_reads_as_the_default(self, journal) -> None:
        from boundary_journal.store.models import Setting

        with journal.transaction() as session:
            value = {"lock_after_minutes": 0, "clear_clipboard_seconds": 9}
            session.add(Setting(key=settings.SECURITY_KEY, value=value))
        assert settings.get_security(journal) == settings.SecuritySetting(5, 9)
