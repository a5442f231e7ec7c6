"""The identifier hint under the entry editor's heading: after a save, what the identifier check recognised in
the entry, each name with a button to confirm it as not identifying (a number, an age or a date is changed in
the text, never confirmed). It never blocks: the entry is saved already."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from boundary_journal.services.deidentify import Finding

MAX_SHOWN = 6
SHORT_LABELS = {"phone": "phone number", "email": "email", "url": "link", "handle": "handle", "date": "date",
                "age": "age", "record_number": "record number", "address": "address", "postcode": "postcode",
                "vehicle": "vehicle registration", "name": "name",
                "mixed_script": "mixed alphabets", "unread_script": "unread script"}


class IdentifierHint(QFrame):
    """Lists findings; `confirmed(text)` when the clinician says one is not identifying."""

    confirmed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Possible identifiers in this entry")
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.rows = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.rows)
        self.buttons: list[QPushButton] = []
        self.hide()

    def show_findings(self, findings: Sequence[Finding]) -> None:
        """Show these findings (hidden when there are none)."""
        while self.rows.count():
            item = self.rows.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.buttons = []
        if not findings:
            self.hide()
            return
        count = len(findings)
        self.title.setText(
            f"Saved. {count} possible identifier{'s' if count != 1 else ''}: change the text, or confirm what "
            "identifies nobody.")
        for finding in findings[:MAX_SHOWN]:
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            text = QLabel(f"<b>{html.escape(finding.text)}</b> · {html.escape(SHORT_LABELS.get(finding.kind, ''))}"
                          f" · {html.escape(finding.location)}")
            text.setToolTip(html.escape(finding.context))
            text.setTextFormat(Qt.TextFormat.RichText)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row_layout.addWidget(text, 1)
            if finding.confirmable:  # only a name (or text the check cannot read) can be confirmed as not identifying
                button = QPushButton("Not identifying")
                button.setAccessibleName(f"Confirm {finding.text} as not identifying")
                button.setToolTip(f"Remember “{finding.text}” as not identifying, here and in exports")
                button.clicked.connect(lambda _checked=False, word=finding.text: self.confirmed.emit(word))
                row_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
                self.buttons.append(button)
            self.rows.addWidget(row)
        if count > MAX_SHOWN:
            more = QLabel(f"… and {count - MAX_SHOWN} more (see the export's check).")
            more.setTextFormat(Qt.TextFormat.PlainText)
            self.rows.addWidget(more)
        self.show()
