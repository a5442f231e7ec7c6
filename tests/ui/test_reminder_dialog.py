"""Reminder settings: weekday, time and on/off, saved inside the journal and shown again when reopened."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt, QTime
from pytestqt.qtbot import QtBot

from boundary_journal.services import settings
from boundary_journal.services.settings import ReminderSetting
from boundary_journal.store.journal import Journal
from ui.reminder_dialog import ReminderDialog


def make(qtbot: QtBot, journal: Journal) -> ReminderDialog:
    dialog = ReminderDialog(journal)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_off_by_default(qtbot: QtBot, journal: Journal) -> None:
    dialog = make(qtbot, journal)
    assert not dialog.enabled_check.isChecked()
    assert not dialog.weekday_combo.isEnabled() and not dialog.time_edit.isEnabled()
    assert dialog.weekday_combo.currentText() == "Monday" and dialog.time_edit.time() == QTime(9, 0)


def test_round_trip(qtbot: QtBot, journal: Journal) -> None:
    dialog = make(qtbot, journal)
    qtbot.mouseClick(dialog.enabled_check, Qt.MouseButton.LeftButton, pos=dialog.enabled_check.rect().center())
    assert dialog.weekday_combo.isEnabled()
    dialog.weekday_combo.setFocus()
    qtbot.keyClicks(dialog.weekday_combo, "Thursday")
    dialog.time_edit.setTime(QTime(16, 45))
    saved: list[ReminderSetting] = []
    dialog.saved.connect(saved.append)
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved == [ReminderSetting(True, 3, time(16, 45))] == [settings.get_reminder(journal)]

    again = make(qtbot, journal)
    assert again.enabled_check.isChecked() and again.weekday_combo.currentText() == "Thursday"
    assert again.time_edit.time() == QTime(16, 45)
    qtbot.mouseClick(again.enabled_check, Qt.MouseButton.LeftButton, pos=again.enabled_check.rect().center())
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert settings.get_reminder(journal) == ReminderSetting(False, 3, time(16, 45))


def test_cancel_keeps_the_setting(qtbot: QtBot, journal: Journal) -> None:
    settings.set_reminder(journal, ReminderSetting(True, 1, time(8, 0)))
    dialog = make(qtbot, journal)
    qtbot.mouseClick(dialog.enabled_check, Qt.MouseButton.LeftButton, pos=dialog.enabled_check.rect().center())
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert settings.get_reminder(journal) == ReminderSetting(True, 1, time(8, 0))
