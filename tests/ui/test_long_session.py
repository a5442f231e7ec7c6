"""A long editing session survives: PySide6 6.12.0 took a reference to True on every emit() until Python aborted."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ui.entry_model import WHEN
from ui.main_window import MainWindow


def test_a_typing_and_sorting_session_keeps_true_alive(qtbot: QtBot, window: MainWindow, stored) -> None:
    stored()
    window.entry_list.reload()
    window.editor.select_template("phone_number_request")
    field = window.editor.field_edit("reflection")
    before = sys.getrefcount(True)
    qtbot.keyClicks(field, "x" * 300)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder) * 50:
        window.entry_list.table.sortByColumn(WHEN, order)
    assert window.isWindowModified()
    assert sys.getrefcount(True) >= before - 50
