"""Checks shared by every service that stores what the user typed."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta

from boundary_journal.errors import InvalidInput
from boundary_journal.moments import local_naive, utc_naive

# Generous enough for a megabyte of pasted notes, small enough to refuse a pasted file.
MAX_TEXT_LENGTH = 2_000_000
# Controls other than tab and newline: C0, DEL and C1 (U+0080-U+009F). In text they are binary data or text
# decoded with the wrong encoding; on a terminal they are commands (C1 holds CSI, the escape sequence opener).
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
# Bidi embeddings, overrides and isolates: invisible, they make text display in another order than it is
# stored. The marks right-to-left text uses (LRM, RLM, ALM) are not among them.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_CONTROLS}]")
_BIDI_CONTROL = re.compile(f"[{_BIDI_CONTROLS}]")
_UNSAFE_FOR_TERMINAL = re.compile(f"[{_CONTROLS}{_BIDI_CONTROLS}]")


def utcnow() -> datetime:
    """Now in UTC, naive, as stored in the journal."""
    return datetime.now(UTC).replace(tzinfo=None)


def clean_text(value: object, what: str, *, single_line: bool = False, limit: int = MAX_TEXT_LENGTH,
               field: str | None = None) -> str:
    """Normalise user text (NFC, newlines as \\n) or refuse it with a message naming `what` (InvalidInput.field:
    `field`)."""
    if not isinstance(value, str):
        raise InvalidInput(f"{what} must be text.", field=field)
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    if found := _CONTROL.search(value):
        raise InvalidInput(f"{what} contains control characters ({_where(found)}); it looks like binary data, "
                           "not text.", field=field)
    if found := _BIDI_CONTROL.search(value):
        raise InvalidInput(f"{what} contains an invisible text-direction control ({_where(found)}) that can make "
                           "text show in another order than it is written; remove it.", field=field)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
        raise InvalidInput(f"{what} contains broken characters (unpaired surrogates).", field=field)
    if single_line and "\n" in value:
        raise InvalidInput(f"{what} must fit on one line.", field=field)
    if len(value) > limit:
        raise InvalidInput(f"{what} is too long ({len(value):,} characters; the limit is {limit:,}).", field=field)
    return value


def _where(found: re.Match[str]) -> str:
    return f"U+{ord(found.group()):04X} at character {found.start() + 1}"


def for_terminal(text: str) -> str:
    """`text` from the journal as a terminal may show it: controls other than tab and newline, and bidi
    controls, become U+FFFD, so even a journal written before `clean_text` refused them cannot drive it."""
    return _UNSAFE_FOR_TERMINAL.sub("\ufffd", text)


def escape_for_terminal(text: str) -> str:
    """JSON text with those same characters as \\u escapes: the same JSON value, safe to print."""
    return _UNSAFE_FOR_TERMINAL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


EARLIEST_DATE = datetime(1950, 1, 1)
# Days that plan ahead (an action's due date, a week's step) stay within the ISO weeks the app knows.
LATEST_DAY = date(2999, 12, 31)


def moment_in_range(moment: datetime, what: str, *, utc: bool = False, field: str | None = None) -> datetime:
    """`moment` as naive local time (or UTC), refused if its offset pushes it out of the calendar, if it is
    before 1950 or more than a day in the future."""
    try:
        moment = utc_naive(moment) if utc else local_naive(moment)
    except (OverflowError, ValueError):  # an offset that takes year 1 or 9999 past the calendar's end
        raise InvalidInput(f"The date and time of {what} are out of range; check the year.", field=field) from None
    if moment < EARLIEST_DATE:
        raise InvalidInput(f"The date {moment.date().isoformat()} of {what} is before 1950; check the year.",
                           field=field)
    if moment > (utcnow() if utc else datetime.now()) + timedelta(days=1):
        raise InvalidInput(f"The date {moment.date().isoformat()} of {what} is in the future; check the date.",
                           field=field)
    return moment


def plausible_moment(moment: object, what: str, *, field: str | None = None) -> datetime:
    """`moment` as naive local time to the minute, refused if missing, before 1950 or in the future."""
    if not isinstance(moment, datetime):
        raise InvalidInput(f"The date and time of {what} are missing.", field=field)
    return moment_in_range(moment, what, field=field).replace(second=0, microsecond=0)


def plausible_day(day: date, what: str, *, field: str | None = None) -> date:
    """`day` refused if before 1950 or after 2999."""
    if day < EARLIEST_DATE.date():
        raise InvalidInput(f"The date {day.isoformat()} of {what} is before 1950; check the year.", field=field)
    if day > LATEST_DAY:
        raise InvalidInput(f"The date {day.isoformat()} of {what} is after {LATEST_DAY.year}; check the year.",
                           field=field)
    return day
