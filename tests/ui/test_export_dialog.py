"""The export dialog: a period, an optional relationship, a file; problems inline, a PDF on disk."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services.entries import EntryView
from boundary_journal.storage import Journal
from ui.export_dialog import ExportDialog, this_month

TODAY = date(2026, 3, 14)


@pytest.fixture
def make_dialog(qtbot: QtBot, journal: Journal, catalog: Catalog) -> Callable[..., tuple[ExportDialog, list[str]]]:
    def make(pseudonyms: list[str] | None = None, chosen: str = "") -> tuple[ExportDialog, list[str]]:
        dialog = ExportDialog(journal, catalog, pseudonyms or [], today=TODAY)
        boxes: list[str] = []
        dialog.show_error = lambda error: boxes.append(str(error))  # type: ignore[method-assign]
        dialog.choose_path = lambda: chosen  # type: ignore[method-assign]
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog, boxes

    return make


def test_this_month() -> None:
    assert this_month(date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert this_month(date(2024, 12, 31)) == (date(2024, 12, 1), date(2024, 12, 31))


class TestDefaults:
    """The period defaults to this month; 'All relationships' comes first."""

    def test_this_month_and_all(self, make_dialog) -> None:
        dialog, _ = make_dialog(["Client K"])
        assert dialog.from_edit.date() == QDate(2026, 3, 1)
        assert dialog.to_edit.date() == QDate(2026, 3, 31)
        assert dialog.relationship_combo.itemText(0) == "All relationships"
        assert dialog.relationship_combo.itemText(1) == "Client K"


class TestExport:
    """OK writes the PDF of the period's entries and closes the dialog."""

    def test_writes_a_pdf(
        self, qtbot: QtBot, make_dialog, tmp_path: Path, stored: Callable[..., EntryView]
    ) -> None:
        stored(occurred=datetime(2026, 3, 2, 17, 45))
        stored(occurred=datetime(2026, 2, 2, 17, 45))  # outside the period
        dialog, boxes = make_dialog(["Client K"], chosen=str(tmp_path / "supervision"))
        qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
        assert dialog.path_edit.text() == str(tmp_path / "supervision.pdf")
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)

        assert boxes == []
        assert dialog.result() == QDialog.DialogCode.Accepted
        out = tmp_path / "supervision.pdf"
        assert out.read_bytes().startswith(b"%PDF")
        assert dialog.result_message == f"Exported 1 entry to {out}"


class TestProblems:
    """Bad input is shown inline and the dialog stays open; nothing is written."""

    def test_no_file(self, qtbot: QtBot, make_dialog) -> None:
        dialog, boxes = make_dialog()
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.error_label.isVisible()
        assert "Choose where" in dialog.error_label.text()
        assert boxes == []

    def test_missing_folder(self, qtbot: QtBot, make_dialog, tmp_path: Path) -> None:
        dialog, boxes = make_dialog()
        qtbot.keyClicks(dialog.path_edit, str(tmp_path / "nowhere" / "out.pdf"))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.error_label.isVisible()
        assert "does not exist" in dialog.error_label.text()
        assert boxes == []

    def test_period_backwards(self, qtbot: QtBot, make_dialog, tmp_path: Path) -> None:
        dialog, boxes = make_dialog()
        dialog.from_edit.setDate(QDate(2026, 3, 20))
        dialog.to_edit.setDate(QDate(2026, 3, 1))
        qtbot.keyClicks(dialog.path_edit, str(tmp_path / "out.pdf"))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert "after the end date" in dialog.error_label.text()
        assert not (tmp_path / "out.pdf").exists()
        assert boxes == []
