"""Notices stand out in light and dark palettes alike, and tooltips show text as text."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ui.notices import NoticeLabel, TintedFrame, reminder_palette, rich_tooltip, warning_palette


def test_rich_tooltip_escapes() -> None:
    assert rich_tooltip("<b>x</b> & y", "two") == "<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p><p>two</p>"


def test_tint_is_mixed_from_the_palette() -> None:
    light, dark = QPalette(), QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    light_tint = warning_palette(light).color(QPalette.ColorRole.Window)
    dark_tint = warning_palette(dark).color(QPalette.ColorRole.Window)
    assert light_tint.lightness() > 160 and dark_tint.lightness() < 100  # text colours keep working
    assert light_tint.red() > light_tint.blue() and dark_tint.red() > dark_tint.blue()  # amber, not grey


def test_notices_follow_a_palette_change(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    parent = QWidget()
    qtbot.addWidget(parent)
    notice, frame = NoticeLabel("Look", parent), TintedFrame(parent)
    parent.show()
    before = notice.palette().color(QPalette.ColorRole.Window)
    original = app.palette()
    dark = QPalette(original)
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e6e6e6"))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: notice.palette().color(QPalette.ColorRole.Window) != before)
        for widget in (notice, frame):
            assert widget.palette().color(QPalette.ColorRole.Window).lightness() < 100
        assert notice.palette().color(QPalette.ColorRole.WindowText) == QColor("#e6e6e6")
    finally:
        app.setPalette(original)


def test_reminder_tint_comes_from_the_highlight() -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#efefef"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#3d6fb4"))
    tint = reminder_palette(palette).color(QPalette.ColorRole.Window)
    assert tint.lightness() > 160 and tint.blue() > tint.red()  # light, and leaning to the highlight's blue
    dark = QPalette(palette)
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    assert reminder_palette(dark).color(QPalette.ColorRole.Window).lightness() < 100
