"""The window's clock: the system's by default, a function the test controls otherwise."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ui.clock import Clock


def test_system_clock() -> None:
    clock = Clock()
    before = datetime.now()
    assert before.date() <= clock.today() <= datetime.now().date()
    assert clock.now().tzinfo is None


def test_injected_clock_is_local_wall_time() -> None:
    moments = [datetime(2026, 11, 29, 23, 59), datetime(2026, 11, 30, 12, 0, tzinfo=UTC)]
    clock = Clock(lambda: moments[0])
    assert clock.now() == datetime(2026, 11, 29, 23, 59) and clock.today() == date(2026, 11, 29)
    moments.pop(0)
    local = moments[0].astimezone()  # an aware time is read in the local zone
    assert clock.now() == local.replace(tzinfo=None) and clock.now().tzinfo is None
