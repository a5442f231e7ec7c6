"""The weekly reminder line: shown while this week's exercise is not done, with the streak; its button asks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from pytestqt.qtbot import QtBot

from ui.weekly_banner import NOT_DONE, WeeklyBanner, reminder_line


def test_shown_until_done(qtbot: QtBot) -> None:
    banner = WeeklyBanner()
    qtbot.addWidget(banner)
    assert banner.isHidden()
    banner.show_state(done=False, streak=0)
    assert not banner.isHidden()
    assert banner.text() == f"{NOT_DONE}." == "This week's grey-relationship exercise is not done yet."
    banner.show_state(done=False, streak=3)
    assert banner.text() == reminder_line(3) == f"{NOT_DONE} — 3 weeks in a row so far."
    banner.show_state(done=True, streak=4)
    assert banner.isHidden()


def test_the_button_asks_for_the_exercise(qtbot: QtBot) -> None:
    banner = WeeklyBanner()
    qtbot.addWidget(banner)
    banner.show_state(done=False, streak=1)
    banner.show()
    qtbot.waitExposed(banner)
    assert banner.do_button.accessibleName() == "Do this week's exercise now"
    with qtbot.waitSignal(banner.exercise_requested):
        qtbot.mouseClick(banner.do_button, Qt.MouseButton.LeftButton)


def test_tinted_from_the_palette(qtbot: QtBot) -> None:
    banner = WeeklyBanner()
    qtbot.addWidget(banner)
    assert banner.autoFillBackground()
    window = banner.palette().color(QPalette.ColorRole.Window)
    assert window != QPalette().color(QPalette.ColorRole.Window)  # tinted, not the plain window colour
