"""Preferences kept inside the encrypted journal, so no plain settings file ever mentions it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.models import Setting
from boundary_journal.services import identifier_gate, stored_lists
from boundary_journal.services.validation import clean_text
from boundary_journal.services.weekly import IsoWeek
from boundary_journal.store.journal import Journal

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
        raise InvalidInput("Pick a weekday from Monday to Sunday for the reminder.", field="weekday")
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
        return stored_lists.read(session, NOT_IDENTIFYING_KEY, "words")


def _confirmable_form(text: str) -> str:
    """A word or phrase as the list keeps and compares it: NFC, spaces collapsed."""
    return " ".join(clean_text(text, "The word to confirm", field="word").split())


def remember_not_identifying(journal: Journal, text: str) -> list[str]:
    """Add `text` to the confirmed list (case-insensitively unique) and return the list."""
    cleaned = _confirmable_form(text)
    if not cleaned or len(cleaned) > 200:
        raise InvalidInput("Confirm a word or short phrase (at most 200 characters) as not identifying.", field="word")
    if found := identifier_gate.not_allowable(cleaned):
        raise InvalidInput(
            f"'{cleaned}' holds {identifier_gate.a_label(found[0])} ('{found[0].text}'), which is never confirmed as "
            "not identifying; only a word that looks like a name can be. Change the text, or redact it in the export.",
            field="word")
    with journal.transaction() as session:
        return stored_lists.add_once(session, NOT_IDENTIFYING_KEY, "words", cleaned, limit=MAX_NOT_IDENTIFYING,
                                     full="The list of confirmed words is full; remove some first.")


def forget_not_identifying(journal: Journal, text: str) -> list[str]:
    """Take `text` (any case) off the confirmed list and return the list; NotFound when it is not on it."""
    wanted = _confirmable_form(text).casefold()
    with journal.transaction() as session:
        words = stored_lists.read(session, NOT_IDENTIFYING_KEY, "words")
        kept = [w for w in words if w.casefold() != wanted]
        if len(kept) == len(words):
            raise NotFound(f"'{' '.join(text.split())}' is not on the list of words confirmed as not identifying.")
        stored_lists.write(session, NOT_IDENTIFYING_KEY, "words", kept)
        return kept


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


SECURITY_KEY = "security"
DEFAULT_LOCK_MINUTES = 5
LOCK_MINUTES_RANGE = (1, 240)
DEFAULT_CLIPBOARD_SECONDS = 30
CLIPBOARD_SECONDS_RANGE = (5, 600)


@dataclass(frozen=True)
class SecuritySetting:
    """Lock the window after `lock_after_minutes` without input; clear copied text after `clear_clipboard_seconds`."""

    lock_after_minutes: int = DEFAULT_LOCK_MINUTES
    clear_clipboard_seconds: int = DEFAULT_CLIPBOARD_SECONDS


def _within(value: object, limits: tuple[int, int], default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and limits[0] <= value <= limits[1]:
        return value
    return default


def get_security(journal: Journal) -> SecuritySetting:
    """The lock and clipboard times; a stored value out of range (an edited export) falls back to the default."""
    with journal.read() as session:
        stored = session.get(Setting, SECURITY_KEY)
    value = stored.value if stored is not None else {}
    return SecuritySetting(
        _within(value.get("lock_after_minutes"), LOCK_MINUTES_RANGE, DEFAULT_LOCK_MINUTES),
        _within(value.get("clear_clipboard_seconds"), CLIPBOARD_SECONDS_RANGE, DEFAULT_CLIPBOARD_SECONDS),
    )


def set_security(journal: Journal, security: SecuritySetting) -> None:
    low, high = LOCK_MINUTES_RANGE
    if _within(security.lock_after_minutes, LOCK_MINUTES_RANGE, -1) < 0:
        raise InvalidInput(f"Choose a lock time from {low} to {high} minutes.", field="lock_after_minutes")
    low, high = CLIPBOARD_SECONDS_RANGE
    if _within(security.clear_clipboard_seconds, CLIPBOARD_SECONDS_RANGE, -1) < 0:
        raise InvalidInput(f"Choose a time from {low} to {high} seconds for clearing copied text.",
                           field="clear_clipboard_seconds")
    value = {
        "lock_after_minutes": security.lock_after_minutes,
        "clear_clipboard_seconds": security.clear_clipboard_seconds,
    }
    with journal.transaction() as session:
        stored = session.get(Setting, SECURITY_KEY)
        if stored is None:
            session.add(Setting(key=SECURITY_KEY, value=value))
        else:
            stored.value = value
