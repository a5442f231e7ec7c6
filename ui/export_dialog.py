"""Export: choose a format (services.export_formats.FORMATS), check for identifiers, save.

The choices are the registry's formats: the supervision summary and the ethics-consult brief (PDFs), and the
whole journal as JSON. The de-identification check (services.exports.check) runs on exactly the document that
will be written; services.exports.write writes it off the UI thread from that already-gathered document, so the
worker never touches the journal, and refuses as the command line does while findings remain and are not allowed.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.catalog import Catalog
from boundary_journal.errors import UserError
from boundary_journal.services import entries, export_formats, exports, relationships, settings
from boundary_journal.services.deidentify import Finding
from boundary_journal.services.export_formats import ExportFormat, ExportRequest
from boundary_journal.services.exports import CheckedExport, ExportResult, OutgoingText
from boundary_journal.store.journal import Journal
from ui import messages
from ui.background import BackgroundJob, run_in_background
from ui.notices import NoticeLabel
from ui.sizing import dialog_buttons, grow_to_fit

DATE_FORMAT = "yyyy-MM-dd"
# Format names (services.export_formats.FORMATS) the window opens with.
SUMMARY = "summary"
BRIEF = "brief"
JSON = "json"
CHECK_FIRST = "Check the export for names, numbers and other identifiers before saving."
# Where to fix text the dialog cannot edit itself, by OutgoingText.record.
FIX_ELSEWHERE = {
    "exercise": "Edit it in the weekly exercise (Journal ▸ Weekly exercise), then check again.",
    "action": "Edit it in the Actions tab, then check again.",
    "stage_change": "Stage notes cannot be edited; redact it in this export instead.",
    "pseudonym": "A pseudonym cannot be renamed; redact it in this export, or mark it not identifying if it only "
                 "looks like a name.",
}


def this_month(today: date) -> tuple[date, date]:
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


def _with_shortcut(label: str, letter: str) -> str:
    """The label with its first `letter` underlined as the keyboard shortcut ("&Supervision summary")."""
    at = label.find(letter) if letter else -1
    return label if at < 0 else f"{label[:at]}&{label[at:]}"


def _plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _record_edit(name: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setAccessibleName(name)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 12)
    return edit


class EditSourceDialog(QDialog):
    """Edit one field of a stored entry, to fix an identifier at its source."""

    def __init__(self, where: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit the source")
        self.setAccessibleName("Edit the source")
        self.edit = QPlainTextEdit(text)
        self.edit.setTabChangesFocus(True)
        self.edit.setAccessibleName(where)
        buttons, _save = dialog_buttons(self, "&Save", "Cancel")
        layout = QVBoxLayout(self)
        layout.addWidget(_plain_label(where))
        layout.addWidget(self.edit)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.fontMetrics().lineSpacing() * 14)

    def text(self) -> str:
        return self.edit.toPlainText()


class ExportDialog(QDialog):
    """Choose an export (a supervision summary, an ethics-consult brief, everything as JSON), resolve likely
    identifiers where the format is checked, write the file."""

    written = Signal(str)

    def __init__(
        self,
        journal: Journal,
        catalog: Catalog,
        pseudonyms: Sequence[str],
        parent: QWidget | None = None,
        *,
        now: datetime | None = None,
        mode: str = SUMMARY,
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.catalog = catalog
        self.now = now
        self.result_message = ""
        self.folder: Path | None = None
        self.edited_entries: set[int] = set()
        self._redactions: set[str] = set()
        self._checked: CheckedExport | None = None
        self._findings: list[Finding] = []
        self._busy = False
        self._pool = QThreadPool(self)
        self._job: BackgroundJob | None = None
        self.setAccessibleName("Export")

        # --- 1. what to export: one choice and one page per format in the registry
        self.formats: dict[str, ExportFormat] = {f.name: f for f in export_formats.FORMATS}
        self.format_radios: dict[str, QRadioButton] = {}
        self.stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}
        kinds = QButtonGroup(self)
        kind_row = QHBoxLayout()
        today = now.date() if now else date.today()
        for export_format in export_formats.FORMATS:
            radio = QRadioButton(_with_shortcut(export_format.label, export_format.shortcut))
            radio.setAccessibleName(export_format.label)
            radio.setToolTip(export_format.description)
            kinds.addButton(radio)
            kind_row.addWidget(radio)
            self.format_radios[export_format.name] = radio
            page = self._page(export_format, today, pseudonyms)
            self._pages[export_format.name] = page
            self.stack.addWidget(page)
        kind_row.addStretch(1)
        self.summary_radio = self.format_radios[SUMMARY]
        self.brief_radio = self.format_radios[BRIEF]
        self.json_radio = self.format_radios[JSON]
        self.brief_radio.setEnabled(bool(pseudonyms))

        self.display_name_edit = QLineEdit()
        self.display_name_edit.setPlaceholderText("Optional: your name as it should appear on the cover")
        self.display_name_edit.setAccessibleName("Display name")
        # Both documents print the questions early: the summary right after its overview, the brief first.
        self.questions_edit = QPlainTextEdit()
        self.questions_edit.setTabChangesFocus(True)
        self.questions_edit.setPlaceholderText("One question per line")
        self.questions_edit.setAccessibleName("Questions I want to bring, one per line")
        self.questions_edit.setFixedHeight(self.questions_edit.fontMetrics().lineSpacing() * 4 + 12)
        name_row = QFormLayout()
        name_row.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.display_name_label = self._label("Display &name", self.display_name_edit)
        name_row.addRow(self.display_name_label, self.display_name_edit)
        self.questions_label = self._label("&Questions I want to bring", self.questions_edit)
        name_row.addRow(self.questions_label)
        name_row.addRow(self.questions_edit)

        choose = QGroupBox("1. What to export")
        choose_layout = QVBoxLayout(choose)
        choose_layout.addLayout(kind_row)
        choose_layout.addWidget(self.stack, 1)
        choose_layout.addLayout(name_row)

        # --- 2. the de-identification check
        self.check_button = QPushButton("&Check for identifiers")
        self.check_button.setAccessibleName("Check for identifiers")
        self.check_button.clicked.connect(self.check)
        self.check_status = _plain_label(CHECK_FIRST)
        self.check_status.setAccessibleName("Result of the identifier check")
        self.fonts_notice = _plain_label()
        self.fonts_notice.setAccessibleName("Characters the PDF cannot draw")
        self.fonts_notice.hide()
        self.findings_notice = NoticeLabel()
        self.findings_notice.setAccessibleName("Findings")
        self.findings_notice.hide()
        self.findings_list = QListWidget()
        self.findings_list.setAccessibleName("Likely identifiers")
        self.findings_list.setWordWrap(True)
        self.findings_list.setAlternatingRowColors(True)
        self.findings_list.setSpacing(2)
        self.findings_list.currentRowChanged.connect(self._update_buttons)
        self.redact_button = QPushButton("&Redact in this export")
        self.redact_button.setAccessibleName("Redact in this export")
        self.redact_button.setToolTip("Replace this text with [redacted] in this PDF only; the journal is unchanged.")
        self.redact_button.clicked.connect(self.redact_current)
        self.not_identifying_button = QPushButton("Not &identifying")
        self.not_identifying_button.setAccessibleName("Not identifying")
        self.not_identifying_button.setToolTip(
            "Remember that this word only looks like a name and identifies no one; it is not flagged again. "
            "A phone number, an age, a date or an address cannot be confirmed: redact or edit it."
        )
        self.not_identifying_button.clicked.connect(self.not_identifying_current)
        self.edit_source_button = QPushButton("Edit the s&ource…")
        self.edit_source_button.setAccessibleName("Edit the source")
        self.edit_source_button.clicked.connect(self.edit_current_source)
        finding_row = QHBoxLayout()
        for button in (self.redact_button, self.not_identifying_button, self.edit_source_button):
            finding_row.addWidget(button)
        finding_row.addStretch(1)
        self.anyway_check = QCheckBox()
        self.anyway_check.setAccessibleName("Export anyway with the findings left in")
        self.anyway_check.toggled.connect(self._update_buttons)
        self.anyway_check.hide()

        check = self.check_group = QGroupBox("2. Check for identifiers")
        check_layout = QVBoxLayout(check)
        check_top = QHBoxLayout()
        check_top.addWidget(self.check_status, 1)
        check_top.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignTop)
        check_layout.addLayout(check_top)
        check_layout.addWidget(self.fonts_notice)
        check_layout.addWidget(self.findings_notice)
        check_layout.addWidget(self.findings_list, 1)
        check_layout.addLayout(finding_row)
        check_layout.addWidget(self.anyway_check)

        # --- 3. save
        self.error_label = NoticeLabel(bold=False)
        self.error_label.setAccessibleName("Problem with the export")
        self.error_label.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Writing the PDF")
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.done_label = _plain_label()
        self.done_label.setAccessibleName("Export result")
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_label.hide()
        self.open_folder_button = QPushButton("Open &folder")
        self.open_folder_button.setAccessibleName("Open the folder of the PDF")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.open_folder_button.hide()
        done_row = QHBoxLayout()
        done_row.addWidget(self.done_label, 1)
        done_row.addWidget(self.open_folder_button)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("&Export PDF…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setAccessibleName("Export PDF")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setAccessibleName("Close")
        self.export_button.clicked.connect(self.export)
        self.close_button.clicked.connect(self.reject)

        body = QHBoxLayout()
        body.addWidget(choose, 5)
        body.addWidget(check, 6)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress)
        layout.addLayout(done_row)
        layout.addWidget(self.buttons)

        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self._changed)
        for radio in (self.supervised_radio, self.all_radio):
            radio.toggled.connect(self._changed)
        self.questions_edit.textChanged.connect(self._changed)
        self.display_name_edit.textChanged.connect(self._changed)
        for edit in (*self.context_edits.values(), *self.consent_edits.values()):
            edit.textChanged.connect(self._changed)
        self.relationship_combo.currentIndexChanged.connect(self._relationship_chosen)
        for radio in self.format_radios.values():
            radio.toggled.connect(self._mode_chosen)

        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 150, self.fontMetrics().lineSpacing() * 36)
        chosen = self.format_radios.get(mode)
        (chosen if chosen is not None and chosen.isEnabled() else self.summary_radio).setChecked(True)
        self._mode_chosen()
        self._relationship_chosen()

    # --- building -------------------------------------------------------------------------------

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

    def _page(self, export_format: ExportFormat, today: date, pseudonyms: Sequence[str]) -> QWidget:
        """The options a format takes: a period, or a relationship, or (taking neither) what the format holds."""
        if export_format.takes("date_from"):
            return self._summary_page(today)
        if export_format.takes("relationship"):
            return self._brief_page(pseudonyms)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        about = _plain_label(export_format.description)
        about.setAccessibleName(f"About the {export_format.label.lower()} export")
        layout.addWidget(about)
        layout.addStretch(1)
        return page

    def _summary_page(self, today: date) -> QWidget:
        first, last = this_month(today)
        self.from_edit = self._date_edit(first, "From (first day)")
        self.to_edit = self._date_edit(last, "To (last day)")
        period = QHBoxLayout()
        period.addWidget(self.from_edit)
        period.addWidget(QLabel("to"))
        period.addWidget(self.to_edit)
        period.addStretch(1)
        self.supervised_radio = QRadioButton("Only entries &marked for supervision")
        self.supervised_radio.setAccessibleName("Only entries marked for supervision")
        self.supervised_radio.setChecked(True)
        self.all_radio = QRadioButton("&All entries in the period")
        self.all_radio.setAccessibleName("All entries in the period")
        which = QVBoxLayout()
        which.addWidget(self.supervised_radio)
        which.addWidget(self.all_radio)
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self._label("&Period", self.from_edit), period)
        form.addRow("Entries", which)
        return page

    def _brief_page(self, pseudonyms: Sequence[str]) -> QWidget:
        self.relationship_combo = QComboBox()
        for pseudonym in pseudonyms:
            self.relationship_combo.addItem(pseudonym, pseudonym)
        self.relationship_combo.setAccessibleName("Relationship for the brief")
        self.context_edits = {key: _record_edit(label) for key, label in relationships.CONTEXT_FIELDS.items()}
        self.consent_edits = {key: _record_edit(label) for key, label in relationships.CONSENT_FIELDS.items()}
        inner = QWidget()
        fields = QVBoxLayout(inner)
        fields.setContentsMargins(0, 0, 0, 0)
        for title, edits, labels in (
            ("Context", self.context_edits, relationships.CONTEXT_FIELDS),
            ("Consent record (if an exception was made)", self.consent_edits, relationships.CONSENT_FIELDS),
        ):
            heading = QLabel(title)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            fields.addWidget(heading)
            for key, edit in edits.items():
                label = _plain_label(labels[key])
                label.setBuddy(edit)
                fields.addWidget(label)
                fields.addWidget(edit)
        fields.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        form.addRow(self._label("&Relationship", self.relationship_combo), self.relationship_combo)
        layout.addLayout(form)
        layout.addWidget(_plain_label("Saved to the relationship when you check the brief."))
        layout.addWidget(scroll, 1)
        return page

    # --- what the clinician chose -----------------------------------------------------------------

    def mode(self) -> str:
        """The chosen format's name (services.export_formats.FORMATS)."""
        return next((name for name, radio in self.format_radios.items() if radio.isChecked()), SUMMARY)

    def export_format(self) -> ExportFormat:
        return self.formats[self.mode()]

    def _mode_chosen(self) -> None:
        export_format = self.export_format()
        was_checked = self._checked is not None
        self.stack.setCurrentWidget(self._pages[export_format.name])
        self.setWindowTitle(f"Export {export_format.kind} — {export_format.label}")
        self.setAccessibleName(f"Export {export_format.kind}")
        self.export_button.setText(f"&Export {export_format.kind}…")
        self.export_button.setAccessibleName(f"Export {export_format.kind}")
        for widget, option in ((self.display_name_label, "display_name"), (self.display_name_edit, "display_name"),
                               (self.questions_label, "questions"), (self.questions_edit, "questions")):
            widget.setVisible(export_format.takes(option))
        self.check_group.setEnabled(export_format.checked)
        self._changed()
        if not export_format.checked:
            self.check_status.setText("This export is not checked for identifiers: it holds everything you wrote, "
                                      "for moving the journal, not for sharing.")
        elif not was_checked:
            self.check_status.setText(CHECK_FIRST)

    def _relationship_chosen(self) -> None:
        pseudonym = self.relationship_combo.currentData()
        detail = None
        if pseudonym is not None:
            try:
                detail = relationships.get_relationship(self.journal, pseudonym)
            except UserError as error:
                self._show_inline(messages.error_text(error))
        for edits, values in ((self.context_edits, detail.context if detail else {}),
                              (self.consent_edits, detail.consent if detail else {})):
            for key, edit in edits.items():
                edit.blockSignals(True)
                edit.setPlainText(values.get(key, ""))
                edit.blockSignals(False)
        self._changed()

    def _changed(self) -> None:
        """Anything the clinician changes makes the last check stale: check again before exporting."""
        if self._busy:
            return
        was_checked = self._checked is not None
        self._checked = None
        self._findings = []
        self.findings_list.clear()
        self.findings_notice.hide()
        self.fonts_notice.hide()
        self.anyway_check.setChecked(False)
        self.anyway_check.hide()
        self.check_button.setText("&Check for identifiers")
        if was_checked:
            self.check_status.setText("You changed what to export. Check it again before saving.")
        self._update_buttons()

    # --- 2. the check -----------------------------------------------------------------------------

    def request(self) -> ExportRequest:
        """The export as chosen, with this export's redactions; the file is asked for when saving."""
        export_format = self.export_format()
        given = {
            "date_from": self.from_edit.date().toPython(),
            "date_to": self.to_edit.date().toPython(),
            "all_entries": self.all_radio.isChecked(),
            "relationship": self.relationship_combo.currentData(),
            "display_name": self.display_name_edit.text(),
            "questions": tuple(self.questions_edit.toPlainText().splitlines()),
            "redact": tuple(sorted(self._redactions)),
        }
        taken = {name: value for name, value in given.items() if export_format.takes(name)}
        return ExportRequest(format=export_format.name, out=Path(), made=self.now, **taken)

    def _save_relationship_record(self) -> None:
        """The brief's context and consent, edited here, are saved to the relationship before it is gathered."""
        if self.export_format().takes("relationship"):
            pseudonym = self.relationship_combo.currentData()
            relationships.set_context(self.journal, pseudonym, self._values(self.context_edits))
            relationships.set_consent(self.journal, pseudonym, self._values(self.consent_edits))

    @staticmethod
    def _values(edits: dict[str, QPlainTextEdit]) -> dict[str, str]:
        return {key: edit.toPlainText() for key, edit in edits.items()}

    def check(self) -> None:
        """Gather the document as it would be written, apply this export's redactions and scan it."""
        self.error_label.hide()
        self._hide_done()
        try:
            self._save_relationship_record()
            checked = exports.check(self.journal, self.catalog, self.request())
        except UserError as error:
            self._changed()
            self._show_inline(messages.error_text(error))
            return
        self._checked = checked
        self._findings = list(checked.findings)
        self._show_unprintable(checked)
        self._show_findings()

    def _show_unprintable(self, checked: CheckedExport) -> None:
        """Say before saving where the PDF prints a character by its name because no shipped font draws it."""
        from boundary_journal.report import RIGHT_TO_LEFT_NOTE  # loaded by the check already

        found = checked.unprintable
        lines = [f"{where}: {what}" for where, what in found]
        notes = []
        if found:
            notes.append(
                "The PDF's fonts cannot draw these characters, so the PDF prints each as its name in brackets:\n"
                + "\n".join(lines[:10]) + (f"\n… and {len(lines) - 10} more" if len(lines) > 10 else ""))
        reversed_at = checked.right_to_left
        if reversed_at:
            notes.append(f"In {', '.join(reversed_at[:5])}{' and more' if len(reversed_at) > 5 else ''}: "
                         f"{RIGHT_TO_LEFT_NOTE}.")
        self.fonts_notice.setText("\n\n".join(notes))
        self.fonts_notice.setVisible(bool(notes))

    def _show_findings(self) -> None:
        row = max(self.findings_list.currentRow(), 0)
        self.findings_list.clear()
        for finding in self._findings:
            # Plain-text items: the clinician's words are shown as typed, never parsed as markup.
            item = QListWidgetItem(f"{finding.location}\n{finding.label}: {finding.context}")
            item.setToolTip(f"{finding.label} in {finding.location}")
            self.findings_list.addItem(item)
        count = len(self._findings)
        self.check_button.setText("&Check again")
        self.anyway_check.setChecked(False)
        if count:
            self.check_status.setText("Resolve each finding: redact it here, mark it not identifying, or edit it.")
            self.findings_notice.setText(f"{count} likely identifier{'' if count == 1 else 's'} found")
            self.findings_notice.show()
            self.anyway_check.setText(f"Export anyway with {count} finding{'' if count == 1 else 's'} left in")
            self.anyway_check.show()
            self.findings_list.setCurrentRow(min(row, count - 1))
        else:
            redacted = len(self._redactions)
            extra = f" ({redacted} redacted in this export)" if redacted else ""
            self.check_status.setText(f"No likely identifiers found{extra}. Read the PDF once before you share it.")
            self.findings_notice.hide()
            self.anyway_check.hide()
        self._update_buttons()
        grow_to_fit(self)

    def current_finding(self) -> Finding | None:
        row = self.findings_list.currentRow()
        return self._findings[row] if 0 <= row < len(self._findings) else None

    def redact_current(self) -> None:
        finding = self.current_finding()
        if finding is not None:
            self._redactions.add(finding.text)
            self.check()

    def not_identifying_current(self) -> None:
        finding = self.current_finding()
        if finding is None:
            return
        source = self.source_of(finding)
        try:
            if source is not None and source.record == "pseudonym" and finding.kind == "name":
                # For this pseudonym only: its words must not clear the same name written elsewhere.
                relationships.confirm_pseudonym(self.journal, source.text)
            else:
                settings.remember_not_identifying(self.journal, finding.text)
        except UserError as error:
            self._show_inline(messages.error_text(error))
            return
        self.check()

    def source_of(self, finding: Finding) -> OutgoingText | None:
        return self._checked.source_of(finding) if self._checked is not None else None

    def edit_current_source(self) -> None:
        """An entry's field is edited here; the brief's context and the export's own fields get focus."""
        finding = self.current_finding()
        source = self.source_of(finding) if finding else None
        if finding is None or source is None:
            return
        self.error_label.hide()
        if source.record == "entry" and source.record_id is not None:
            self._edit_entry_field(source)
        elif source.record == "relationship":
            group, _dot, key = source.key.partition(".")
            edits = self.context_edits if group == "context" else self.consent_edits
            edits[key].setFocus(Qt.FocusReason.OtherFocusReason)
        elif source.key == "display_name":
            self.display_name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        elif source.key == "questions":
            self.questions_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self._show_inline(f"{source.location}: {FIX_ELSEWHERE.get(source.record, 'Edit it where it was written.')}")

    def ask_source_text(self, where: str, text: str) -> str | None:
        """The edited text, or None when the clinician cancels; replaced in tests."""
        dialog = EditSourceDialog(where, text, self)
        return dialog.text() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _edit_entry_field(self, source: OutgoingText) -> None:
        assert source.record_id is not None
        try:
            view = entries.get_entry(self.journal, source.record_id)
        except UserError as error:
            self._show_inline(messages.error_text(error))
            return
        new = self.ask_source_text(source.location, view.fields.get(source.key, ""))
        if new is None:
            return
        draft = entries.EntryDraft(
            template=view.template,
            relationship=view.relationship,
            occurred=view.occurred,
            fields={**view.fields, source.key: new},
            channel=view.channel,
            tags=view.tags,
            supervision=view.supervision,
            flow=view.flow,
            response_review=view.response_review,
        )
        try:
            entries.update_entry(self.journal, self.catalog, view.id, draft)
        except UserError as error:
            self._show_inline(messages.error_text(error))
            return
        self.edited_entries.add(view.id)
        self.check()

    # --- 3. writing -------------------------------------------------------------------------------

    def _update_buttons(self, *_args: object) -> None:
        export_format = self.export_format()
        # A format that is not checked is gathered when saving.
        checked = self._checked is not None or not export_format.checked
        idle = not self._busy
        finding = self.current_finding() is not None
        for button in (self.redact_button, self.not_identifying_button, self.edit_source_button):
            button.setEnabled(idle and finding)
        current = self.current_finding()
        # Only a name can be confirmed: a phone number, an age or a date is redacted or edited, never allowed.
        self.not_identifying_button.setEnabled(idle and current is not None and current.confirmable)
        self.export_button.setEnabled(
            idle and checked and (not self._findings or self.anyway_check.isChecked())
        )
        for widget in (self.check_button, self.stack, self.display_name_edit, self.anyway_check, self.close_button,
                       *self.format_radios.values()):
            widget.setEnabled(idle)
        self.brief_radio.setEnabled(idle and self.relationship_combo.count() > 0)

    def choose_path(self) -> str:
        """Ask where to save; replaced in tests. Returns '' when the user cancels."""
        export_format = self.export_format()
        extension = export_format.extension
        path, _filter = QFileDialog.getSaveFileName(
            self, f"Export {export_format.kind}", export_format.file_name + extension,
            f"{export_format.kind} files (*{extension})")
        return path

    def export(self) -> None:
        """Ask for the file, then write the checked export off the UI thread."""
        export_format = self.export_format()
        if self._busy or (self._checked is None and export_format.checked):
            return
        self.error_label.hide()
        self._hide_done()
        chosen = self.choose_path()
        if not chosen:
            return
        out = Path(chosen).expanduser()
        if not out.suffix and not out.is_dir():
            out = out.with_suffix(export_format.extension)
        try:
            export_formats.check_request(replace(self.request(), out=out))
            # A format without the identifier check is gathered now, as it will be written.
            checked = self._checked or exports.check(self.journal, self.catalog, self.request())
        except UserError as error:
            self._show_inline(messages.error_text(error))
            return
        allow = self.anyway_check.isChecked()
        self._set_busy(True)
        # Writing touches no database and no widget (services.exports.write of an already-checked export).
        self._job = run_in_background(lambda: exports.write(checked, self.catalog, out, allow_findings=allow),
                                      self._written, self._failed, pool=self._pool)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        self._update_buttons()

    def is_busy(self) -> bool:
        return self._busy

    def _written(self, result: ExportResult) -> None:
        self._job = None
        self._set_busy(False)
        if not result.written:  # the gate refused: findings remain and were not allowed
            count = len(result.findings)
            self._show_inline(f"{count} likely identifier{'' if count == 1 else 's'} would leave the journal; "
                              "nothing was written.")
            return
        out = result.out
        path = str(out)
        self.folder = out.parent
        left = len(self._findings)
        note = f" with {left} finding{'' if left == 1 else 's'} left in" if left else ""
        self.result_message = f"Exported to {out}{note}"
        self.done_label.setText(f"Saved {out.name}{note}.")
        self.done_label.show()
        self.open_folder_button.setToolTip(str(self.folder))
        self.open_folder_button.show()
        self.written.emit(path)
        grow_to_fit(self)

    def _failed(self, error: BaseException) -> None:
        self._job = None
        self._set_busy(False)
        self._show_inline(messages.error_text(error))

    def open_folder(self) -> None:
        if self.folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    def _hide_done(self) -> None:
        self.done_label.hide()
        self.open_folder_button.hide()

    def _show_inline(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        grow_to_fit(self)

    # --- closing ----------------------------------------------------------------------------------

    def reject(self) -> None:
        if not self._busy:  # the PDF is half-written: wait for the worker
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self._pool.waitForDone()
        super().done(result)
