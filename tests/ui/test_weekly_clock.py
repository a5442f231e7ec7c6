"""The weekly clock on its own (no main window): the banner, one exercise dialog at a time, last week's
follow-up asked once, and the reminder when it is due."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import settings, weekly
from boundary_journal.services.settings import ReminderSetting
from boundary_journal.services.weekly import ExerciseDraft
from boundary_journal.store.journal import Journal
from tests.ui.conftest import SetClock
from ui.changes import Change, ChangeNotifier
from ui.controllers.session import JournalSession
from ui.controllers.weekly import REMINDER_TEXT, WeeklyClock
from ui.dialog_registry import DialogRegistry
from ui.weekly_banner import WeeklyBanner

SENTENCE = "She texts me late in the evening and I answer."


class Status:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, text: str, _timeout: int = 0) -> None:
        self.lines.append(text)


@pytest.fixture
def status() -> Status:
    return Status()


@pytest.fixture
def changes() -> ChangeNotifier:
    return ChangeNotifier()


@pytest.fixture
def week(
    qtbot: QtBot, journal: Journal, catalog: Catalog, clock: SetClock, status: Status, changes: ChangeNotifier
) -> WeeklyClock:
    window = QWidget()
    qtbot.addWidget(window)
    banner = WeeklyBanner(window)
    window.show()
    return WeeklyClock(JournalSession(journal), catalog, clock, banner, DialogRegistry(window), changes, window,
                       pseudonyms=lambda: ["Client K"], status=status, show_error=pytest.fail)


class TestWeeklyClock:
    """Today comes from the clock; the controller is driven by calling check_clock as the timer would."""

    def test_the_banner_follows_changes_of_exercises(
        self, week: WeeklyClock, journal: Journal, catalog: Catalog, changes: ChangeNotifier
    ) -> None:
        week.check_clock()
        assert week.banner.isVisibleTo(week.parent_widget)
        weekly.save_exercise(journal, catalog, ExerciseDraft("Client K", SENTENCE, "talk_to_supervisor"),
                             today=date(2026, 11, 25))
        changes.did_change(Change.ENTRIES)
        assert week.banner.isVisibleTo(week.parent_widget)  # not a kind the banner shows
        changes.did_change(Change.EXERCISES)
        assert not week.banner.isVisibleTo(week.parent_widget)

    def test_one_exercise_dialog_at_a_time(self, week: WeeklyClock) -> None:
        dialog = week.weekly_exercise()
        assert week.weekly_exercise() is dialog and week.weekly_dialog is dialog
        dialog.done(0)
        assert week.weekly_dialog is None

    def test_a_new_week_asks_last_weeks_follow_up_once(
        self, week: WeeklyClock, journal: Journal, catalog: Catalog, clock: SetClock
    ) -> None:
        days: list[bool] = []
        week.new_day.connect(lambda: days.append(True))
        weekly.save_exercise(journal, catalog, ExerciseDraft("Client K", SENTENCE, "talk_to_supervisor"),
                             today=date(2026, 11, 25))
        week.check_clock()
        assert week.followup_dialog is None and days == [True]
        clock.set(datetime(2026, 11, 30, 8, 30))
        week.check_clock()
        followup = week.followup_dialog
        assert followup is not None and followup.isVisible() and days == [True, True]
        followup.done(0)
        week.check_clock()
        assert week.followup_dialog is None and week.offer_followup() is None and days == [True, True]

    def test_the_reminder_fires_once_when_due(
        self, week: WeeklyClock, journal: Journal, clock: SetClock, status: Status, changes: ChangeNotifier
    ) -> None:
        settings.set_reminder(journal, ReminderSetting(True, 3, time(9, 0)))
        changes.did_change(Change.SETTINGS)
        clock.set(datetime(2026, 11, 26, 8, 59))
        week.check_clock()
        assert REMINDER_TEXT not in status.lines
        clock.advance(minutes=1)
        week.check_clock()  # no system tray offscreen: the status bar says it
        assert status.lines.count(REMINDER_TEXT) == 1
        clock.advance(minutes=30)
        week.check_clock()
        assert status.lines.count(REMINDER_TEXT) == 1

    def test_saving_the_reminder_announces_settings_and_the_clock_reads_them(
        self, week: WeeklyClock, journal: Journal, changes: ChangeNotifier, status: Status
    ) -> None:
        heard: list[Change] = []
        changes.changed.connect(heard.append)
        dialog = week.reminder_settings()
        saved = ReminderSetting(True, 3, time(9, 0))
        settings.set_reminder(journal, saved)
        dialog.saved.emit(settings.get_reminder(journal))  # as the dialog does on saving
        assert heard == [Change.SETTINGS]
        assert week.reminder == saved and status.lines[-1].startswith("Reminder set")
        dialog.done(0)
