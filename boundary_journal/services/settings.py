"""Preferences kept inside the encrypted journal, so no plain settings file ever mentions it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from boundary_journal.errors import InvalidInput
from boundary_journal.models import Setting
from boundary_journal.storage import Journal

REMINDER_KEY = "weekly_reminder"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class ReminderSetting:
    """A notification on `weekday` (0 = Monday) at `at` while the week's exercise is not done."""

    enabled: bool = False
    weekday: int = 0
    at: time = time(9, 0)


def get_reminder(journal: Journal) -> ReminderSetting:
    with journal.read() as session:
        stored = session.get(Setting, REMINDER_KEY)
    if stored is None:
        return ReminderSetting()
    value = stored.value
    return ReminderSetting(bool(value.get("enabled")), int(value.get("weekday", 0)),
                           time.fromisoformat(str(value.get("at", "09:00"))))


def set_reminder(journal: Journal, reminder: ReminderSetting) -> None:
    if not 0 <= reminder.weekday <= 6:
        raise InvalidInput("Pick a weekday from Monday to Sunday for the reminder.")
    value = {"enabled": reminder.enabled, "weekday": reminder.weekday,
             "at": reminder.at.replace(second=0, microsecond=0).isoformat(timespec="minutes")}
    with journal.transaction() as session:
        stored = session.get(Setting, REMINDER_KEY)
        if stored is None:
            session.add(Setting(key=REMINDER_KEY, value=value))
        else:
            stored.value = value
