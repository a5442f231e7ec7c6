"""The window's idea of "now": the system clock in the app, a clock the test sets in tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime


class Clock:
    """Today and now for the weekly exercise, follow-up and reminder; `now` is injectable, nothing is patched."""

    def __init__(self, now: Callable[[], datetime] = datetime.now) -> None:
        self._now = now

    def now(self) -> datetime:
        """Local wall-clock time, without a zone (the exercise's days and times are local)."""
        now = self._now()
        return now.astimezone().replace(tzinfo=None) if now.tzinfo is not None else now

    def today(self) -> date:
        return self.now().date()
