"""Preferences kept inside the encrypted journal, so no plain settings file ever mentions it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from boundary_journal.errors import InvalidInput
from boundary_journal.models import Setting
from boundary_journal.services.weekly import IsoWeek
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


NOT_IDENTIFYING_KEY = "not_identifying"
MAX_NOT_IDENTIFYING = 2_000


def not_identifying(journal: Journal) -> list[str]:
    """Words and phrases the clinician confirmed are not identifying; the export check skips them."""
    with journal.read() as session:
        stored = session.get(Setting, NOT_IDENTIFYING_KEY)
    return list(stored.value.get("words", [])) if stored else []


def remember_not_identifying(journal: Journal, text: str) -> list[str]:
    """Add `text` to the confirmed list (case-insensitively unique) and return the list."""
    cleaned = " ".join(text.split())
    if not cleaned or len(cleaned) > 200:
        raise InvalidInput("Confirm a word or short phrase (at most 200 characters) as not identifying.")
    with journal.transaction() as session:
        stored = session.get(Setting, NOT_IDENTIFYING_KEY)
        words = list(stored.value.get("words", [])) if stored else []
        if cleaned.casefold() not in {w.casefold() for w in words}:
            if len(words) >= MAX_NOT_IDENTIFYING:
                raise InvalidInput("The list of confirmed words is full; remove some first.")
            words.append(cleaned)
        if stored is None:
            session.add(Setting(key=NOT_IDENTIFYING_KEY, value={"words": words}))
        else:
            stored.value = {"words": words}
        return words


def reminder_due(
    reminder: ReminderSetting, now: datetime, *, done_this_week: bool, last_fired_week: IsoWeek | None
) -> bool:
    """Whether to notify now: enabled, this week's exercise not done, on the chosen weekday from the chosen time
    until midnight (a computer asleep at that minute still hears of it later that day), once a week."""
    if not reminder.enabled or done_this_week:
        return False
    if last_fired_week == IsoWeek.of(now.date()):
        return False
    return now.weekday() == reminder.weekday and now.time() >= reminder.at.replace(second=0, microsecond=0)
