"""Export a period of entries (optionally one relationship) as a PDF for supervision."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, UserError
from boundary_journal.services import entries
from boundary_journal.storage import Journal
from ui import messages
from ui.sizing import grow_to_fit

DATE_FORMAT = "yyyy-MM-dd"


def this_month(today: date) -> tuple[date, date]:
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


class ExportDialog(QDialog):
    """Period, optional relationship and output file; writes the PDF synchronously on OK."""

    def __init__(
        self,
        journal: Journal,
        catalog: Catalog,
        pseudonyms: Sequence[str],
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.catalog = catalog
        self.result_message = ""
        self.setWindowTitle("Export PDF")
        self.setAccessibleName("Export PDF")

        first, last = this_month(today or date.today())
        self.from_edit = self._date_edit(first, "From (first day)")
        self.to_edit = self._date_edit(last, "To (last day)")

        self.relationship_combo = QComboBox()
        self.relationship_combo.addItem("All relationships", None)
        for pseudonym in pseudonyms:
            self.relationship_combo.addItem(pseudonym, pseudonym)
        self.relationship_combo.setAccessibleName("Relationship to export")

        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("Where to save the PDF")
        self.path_edit.setAccessibleName("PDF file")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.setAccessibleName("Choose where to save the PDF")
        self.choose_button.clicked.connect(self._choose)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.choose_button)

        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.error_label.setAccessibleName("Problem with the export")
        self.error_label.hide()

        note = QLabel(
            "The PDF is written only to the file you choose. Check it for names or other details "
            "that could identify a patient before you share it."
        )
        note.setWordWrap(True)

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self._label("&From", self.from_edit), self.from_edit)
        form.addRow(self._label("&To", self.to_edit), self.to_edit)
        form.addRow(self._label("&Relationship", self.relationship_combo), self.relationship_combo)
        form.addRow(self._label("&File", self.path_edit), path_row)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.export_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.export_button.setText("Export PDF")
        self.export_button.setAccessibleName("Export PDF")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)

    @staticmethod
    def _label(text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        return label

    @staticmethod
    def _date_edit(value: date, name: str) -> QDateEdit:
        edit = QDateEdit(QDate(value))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setAccessibleName(name)
        return edit

    def choose_path(self) -> str:
        """Ask where to save; replaced in tests. Returns '' when the user cancels."""
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export PDF", self.path_edit.text() or "supervision.pdf", "PDF files (*.pdf)"
        )
        return path

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def _choose(self) -> None:
        path = self.choose_path()
        if path:
            if not path.lower().endswith(".pdf"):
                path += ".pdf"
            self.path_edit.setText(path)

    def _show_inline(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        grow_to_fit(self)

    def export(self) -> None:
        """Write the PDF; bad input is shown inline and the dialog stays open."""
        date_from: date = self.from_edit.date().toPython()
        date_to: date = self.to_edit.date().toPython()
        relationship: str | None = self.relationship_combo.currentData()
        text = self.path_edit.text().strip()
        self.error_label.hide()
        if not text:
            self._show_inline("Choose where to save the PDF.")
            self.path_edit.setFocus()
            return
        out = Path(text).expanduser()
        try:
            count = self._write(out, date_from, date_to, relationship)
        except InvalidInput as error:
            self._show_inline(str(error))
            return
        except UserError as error:
            self.show_error(error)
            return
        self.result_message = f"Exported {count} {'entry' if count == 1 else 'entries'} to {out}"
        self.accept()

    def _write(self, out: Path, date_from: date, date_to: date, relationship: str | None) -> int:
        from boundary_journal import report  # written separately; loaded only when exporting

        filters = entries.EntryFilter(relationship=relationship, date_from=date_from, date_to=date_to)
        filters.check()
        report.check_output_path(out)
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            found = entries.list_entries(self.journal, filters)
            report.write_entries_pdf(
                out, found, self.catalog, date_from=date_from, date_to=date_to, relationship=relationship
            )
        finally:
            QGuiApplication.restoreOverrideCursor()
        return len(found)
