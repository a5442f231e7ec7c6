"""The entry editor: pick a template, fill in its fields, with the template's guidance beside it.

The editor only collects what the clinician typed into an `EntryDraft`; the window hands the
draft to the entries service and shows any `InvalidInput` back here with `show_error`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.catalog import NOTE_FIELD, Catalog, Template, TemplateField
from boundary_journal.errors import InvalidInput
from boundary_journal.services.drafts import EditorDraft
from boundary_journal.services.entries import TEMPLATE_FIELD_PREFIX, EntryDraft, EntryView
from ui.escalation_guide import EscalationGuide
from ui.guidance_panel import NOT_A_CRISIS_TOOL, GuidancePanel
from ui.identifier_hint import IdentifierHint
from ui.language_check import LanguageFindings
from ui.response_review import ResponseReview

TEMPLATE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
DATETIME_FORMAT = "yyyy-MM-dd HH:mm"
NOTE_LINES = 5
FIELD_LINES = 3
MAX_FIELD_LINES = 14
NEXT_STEP_FIELD = "next_step"


def channel_text(label: str, rank: str) -> str:
    """A channel as the combo shows it, with its illustrative rank (Catalog.channel_rank) or 'not ranked'."""
    return f"{label} — {rank}"


def split_tags(text: str) -> list[str]:
    return [tag.strip() for tag in text.split(",") if tag.strip()]


class FieldEdit(QPlainTextEdit):
    """A template field: plain text only, Tab moves on, as tall as its text (within limits)."""

    def __init__(self, spec: TemplateField, lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._min_lines = lines
        self.setTabChangesFocus(True)
        self.setPlaceholderText(spec.prompt)
        self.setToolTip(spec.prompt)
        self.setAccessibleName(spec.label)
        self.setAccessibleDescription(("Required. " if spec.required else "") + spec.prompt)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._grow)

    def _lines(self) -> int:
        # QPlainTextDocumentLayout measures its height in (wrapped) lines.
        shown = int(self.document().documentLayout().documentSize().height())
        return max(self._min_lines, min(shown + 1, MAX_FIELD_LINES))

    def _grow(self, *_args: object) -> None:
        if self.sizeHint().height() != self.height():
            self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():  # rewrapped: the line count may differ
            self._grow()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        frame = 2 * self.frameWidth() + int(2 * self.document().documentMargin())
        return QSize(hint.width(), self._lines() * self.fontMetrics().lineSpacing() + frame)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())


class EntryEditor(QWidget):
    """One entry being written or edited; emits `changed` on every edit and `save_requested`."""

    changed = Signal()
    save_requested = Signal()
    action_requested = Signal()  # turn the saved entry's next step into an action

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._entry_id: int | None = None
        self._values: dict[str, str] = {}
        self._field_edits: dict[str, FieldEdit] = {}
        self._template: Template | None = None
        self._baseline: tuple[Any, ...] = ()
        self._loading = False
        self._channel_chosen = False
        self._build()
        self.new_entry()

    # --- construction --------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)
        self.heading.setAccessibleName("Entry heading")

        self.error_label = QLabel()
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setWordWrap(True)
        self.error_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.error_label.setMargin(self.fontMetrics().height() // 3)
        bold = self.error_label.font()
        bold.setBold(True)
        self.error_label.setFont(bold)
        self.error_label.setAccessibleName("Problem with this entry")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        self.identifier_hint = IdentifierHint()

        self.template_combo = QComboBox()
        self.template_combo.setModel(self._template_model())
        self.template_combo.setPlaceholderText("Choose a template…")
        self.template_combo.setAccessibleName("Template")
        self.template_combo.setToolTip("The kind of moment; it decides the fields and the guidance")
        self.template_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.template_combo.setMinimumContentsLength(12)
        self.template_combo.currentIndexChanged.connect(self._template_picked)

        self.category_label = QLabel()
        self.category_label.setTextFormat(Qt.TextFormat.PlainText)
        self.category_label.setWordWrap(True)
        self.category_label.setAccessibleName("Category")

        self.relationship_combo = QComboBox()
        self.relationship_combo.setEditable(True)
        self.relationship_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.relationship_combo.setAccessibleName("Relationship (pseudonym)")
        self.relationship_combo.lineEdit().setAccessibleName("Relationship (pseudonym)")
        self.relationship_combo.lineEdit().setPlaceholderText("A pseudonym, e.g. Client K — never a real name")
        self.relationship_combo.setToolTip("Pick a pseudonym you already use, or type a new one")
        self.relationship_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.relationship_combo.setMinimumContentsLength(10)
        self.relationship_combo.editTextChanged.connect(self._edited)

        self.when_edit = QDateTimeEdit()
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat(DATETIME_FORMAT)
        self.when_edit.setAccessibleName("When it happened")
        self.when_edit.dateTimeChanged.connect(self._edited)

        self.channel_combo = QComboBox()
        for channel in self._catalog.channels:
            self.channel_combo.addItem(channel_text(channel.label, self._catalog.channel_rank(channel)), channel.id)
        self.channel_combo.setAccessibleName("Channel")
        self.channel_combo.setToolTip(
            "How the interaction reached you. " + self._catalog.channel_ranking_note()
        )
        self.channel_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.channel_combo.setMinimumContentsLength(10)
        self.channel_combo.activated.connect(self._channel_activated)
        self.channel_combo.currentIndexChanged.connect(self._edited)

        self.fields_box = QWidget()
        self.fields_layout = QVBoxLayout(self.fields_box)
        self.fields_layout.setContentsMargins(0, 0, 0, 0)
        self.fields_hint = QLabel("Choose a template above: its fields appear here.")
        self.fields_hint.setWordWrap(True)

        self.language = LanguageFindings(self._catalog)
        self.language.rebuilt.connect(self._order_tabs)

        self.next_step_button = QPushButton("Make the next step an action")
        self.next_step_button.setAccessibleName("Make the next step an action")
        self.next_step_button.clicked.connect(self.action_requested)
        self.next_step_row = QWidget()
        next_step_layout = QHBoxLayout(self.next_step_row)
        next_step_layout.setContentsMargins(0, 0, 0, 0)
        next_step_layout.addStretch(1)
        next_step_layout.addWidget(self.next_step_button)
        self.next_step_row.hide()
        self.changed.connect(self._update_next_step_button)

        self.phrasings_box = QGroupBox("Neutral phrasings for the documentation note")
        self.phrasings_box.setAccessibleName("Neutral phrasings")
        self.phrasings_layout = QVBoxLayout(self.phrasings_box)
        self.phrasing_buttons: list[QPushButton] = []

        self.review = ResponseReview(self._catalog)
        self.review.changed.connect(self._edited)
        self.review.hide()
        self.guide = EscalationGuide(self._catalog)
        self.guide.changed.connect(self._edited)
        self.guide.hide()

        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("Comma separated, e.g. after hours, phone")
        self.tags_edit.setAccessibleName("Tags")
        self.tags_edit.setAccessibleDescription("Comma separated")
        self.tags_edit.textChanged.connect(self._edited)

        self.supervision_check = QCheckBox("Bring to supervision")
        self.supervision_check.setAccessibleName("Bring to supervision")
        self.supervision_check.toggled.connect(self._edited)
        # Seed 002's "what to listen for after you hold": a follow-up in the Actions tab some days later.
        self.listen_check = QCheckBox()
        self.listen_check.setAccessibleName("Listen back later")
        self.listen_check.setChecked(True)
        self.listen_check.hide()

        self.save_button = QPushButton("Save entry")
        self.save_button.setAccessibleName("Save entry")
        self.save_button.setToolTip("Save this entry (Ctrl+S)")
        self.save_button.clicked.connect(self.save_requested)

        top = QFormLayout()
        # Labels above their controls, like the template fields below: more room for long labels.
        top.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        top.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        top.addRow(self._buddy("&Template", self.template_combo), self.template_combo)
        top.addRow(self.category_label)
        top.addRow(self._buddy("&Relationship", self.relationship_combo), self.relationship_combo)
        top.addRow(self._buddy("W&hen", self.when_edit), self.when_edit)
        top.addRow(self._buddy("C&hannel", self.channel_combo), self.channel_combo)

        bottom = QFormLayout()
        bottom.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        bottom.addRow(self._buddy("Ta&gs", self.tags_edit), self.tags_edit)
        bottom.addRow("", self.supervision_check)
        bottom.addRow("", self.listen_check)

        form = QWidget()
        form_layout = QVBoxLayout(form)
        form_layout.addLayout(top)
        form_layout.addWidget(self.fields_hint)
        form_layout.addWidget(self.fields_box)
        form_layout.addWidget(self.review)
        form_layout.addWidget(self.guide)
        form_layout.addLayout(bottom)
        form_layout.addStretch(1)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(form)

        self.crisis_note = QLabel(NOT_A_CRISIS_TOOL)
        self.crisis_note.setTextFormat(Qt.TextFormat.PlainText)
        self.crisis_note.setWordWrap(True)
        self.crisis_note.setAccessibleName("Not a crisis tool")
        self.crisis_note.setFrameShape(QFrame.Shape.StyledPanel)
        self.crisis_note.setMargin(self.fontMetrics().height() // 4)
        self.guidance_button = QToolButton()
        self.guidance_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.guidance_button.setAccessibleName("Show or hide the guidance panel")

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.guidance_button)
        buttons.addWidget(self.save_button)

        editor_side = QWidget()
        editor_layout = QVBoxLayout(editor_side)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.heading)
        editor_layout.addWidget(self.error_label)
        editor_layout.addWidget(self.identifier_hint)
        editor_layout.addWidget(self.scroll, 1)
        editor_layout.addWidget(self.crisis_note)
        editor_layout.addLayout(buttons)

        self.guidance = GuidancePanel(self._catalog)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(True)
        self.splitter.addWidget(editor_side)
        self.splitter.addWidget(self.guidance)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setCollapsible(0, False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    @staticmethod
    def _buddy(text: str, widget: QWidget | None) -> QLabel:
        label = QLabel(text)
        if widget is not None:
            label.setBuddy(widget)
        return label

    def _template_model(self) -> QStandardItemModel:
        """Templates grouped under their category; the category rows are headings, not choices."""
        model = QStandardItemModel(self)
        for category in self._catalog.categories:
            templates = [t for t in self._catalog.templates if t.category == category.id]
            if not templates:
                continue
            heading = QStandardItem(category.label)
            heading.setFlags(Qt.ItemFlag.NoItemFlags)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            heading.setData(category.label, Qt.ItemDataRole.AccessibleTextRole)
            model.appendRow(heading)
            for template in templates:
                item = QStandardItem(template.title)
                item.setData(template.id, TEMPLATE_ID_ROLE)
                item.setToolTip(template.summary)
                item.setData(f"{template.title} ({category.label})", Qt.ItemDataRole.AccessibleTextRole)
                model.appendRow(item)
        return model

    # --- what the window asks ------------------------------------------------------------

    def entry_id(self) -> int | None:
        """The stored entry being edited, or None for a new one."""
        return self._entry_id

    def current_template(self) -> Template | None:
        return self._template

    def field_edit(self, key: str) -> FieldEdit | None:
        return self._field_edits.get(key)

    def set_pseudonyms(self, pseudonyms: Sequence[str]) -> None:
        """Offer these pseudonyms in the relationship combo, keeping what is typed there."""
        text = self.relationship_combo.currentText()
        was_loading, self._loading = self._loading, True
        try:
            self.relationship_combo.clear()
            self.relationship_combo.addItems(list(pseudonyms))
            self.relationship_combo.setEditText(text)
        finally:
            self._loading = was_loading

    def new_entry(self) -> None:
        """An empty editor for a new entry, dated now; keeps the template last chosen."""
        self._fill(
            entry_id=None,
            template_id=self._template.id if self._template else None,
            relationship="",
            channel=None,
            occurred=datetime.now(),
            fields={},
            tags=(),
            supervision=False,
            flow={},
            response_review={},
        )
        self.heading.setText("New entry")

    def load_entry(self, view: EntryView) -> None:
        """Show a stored entry; the editor is clean afterwards."""
        self._fill(
            entry_id=view.id,
            template_id=view.template,
            relationship=view.relationship,
            channel=view.channel,
            occurred=view.occurred,
            fields=view.fields,
            tags=view.tags,
            supervision=view.supervision,
            flow=view.flow,
            response_review=view.response_review,
        )
        self.heading.setText(f"Entry of {view.occurred:%Y-%m-%d %H:%M} · {view.relationship}")
        if self._template is None:
            self._show_problem(
                f"This entry uses the template '{view.template}', which is no longer in the "
                "catalogue; it can be read here but not saved."
            )

    def draft(self) -> EntryDraft:
        """What is typed, as a draft for the entries service; raises InvalidInput without a template."""
        template = self._template
        if template is None:
            raise InvalidInput("Choose a template first: it decides which fields the entry has.", field="template")
        self._store_values()
        return EntryDraft(
            template=template.id,
            relationship=self.relationship_combo.currentText(),
            occurred=self.when_edit.dateTime().toPython(),
            fields={f.key: self._values.get(f.key, "") for f in template.fields},
            channel=self.channel_combo.currentData(),
            tags=split_tags(self.tags_edit.text()),
            supervision=self.supervision_check.isChecked(),
            flow=self.guide.flow(),
            response_review=self.review.moves(seed=template.review_response),
            listen_after=self._entry_id is None and bool(template.listen_after) and self.listen_check.isChecked(),
        )

    def unsaved_draft(self) -> EditorDraft:
        """Everything the editor holds, as typed, for the drafts service (nothing is checked)."""
        self._store_values()
        return EditorDraft(
            entry_id=self._entry_id,
            template=self._template.id if self._template else None,
            relationship=self.relationship_combo.currentText(),
            channel=self.channel_combo.currentData() if self._channel_chosen else None,
            occurred=self.when_edit.dateTime().toPython(),
            fields={key: value for key, value in self._values.items() if value},
            tags=split_tags(self.tags_edit.text()),
            supervision=self.supervision_check.isChecked(),
            flow=self.guide.flow(),
            response_review=self.review.moves(seed=True),
        )

    def restore_draft(self, draft: EditorDraft, stored: EntryView | None = None) -> None:
        """Show a saved draft: over the stored entry it changes (so its changes show as unsaved), or as a new
        entry when there is no stored entry (`stored` None)."""
        if stored is not None:
            self.load_entry(stored)
        else:
            self.new_entry()
        baseline = self._baseline
        self._fill(
            entry_id=stored.id if stored is not None else None,
            template_id=draft.template,
            relationship=draft.relationship,
            channel=draft.channel,
            occurred=draft.occurred or datetime.now(),
            fields=draft.fields,
            tags=draft.tags,
            supervision=draft.supervision,
            flow=draft.flow,
            response_review=draft.response_review,
        )
        self._baseline = baseline  # compared with the stored entry, not with the draft
        self.changed.emit()

    def focused_field(self) -> str | None:
        """The key of the template field that has the keyboard focus, if any."""
        return next((key for key, edit in self._field_edits.items() if edit.hasFocus()), None)

    def is_dirty(self) -> bool:
        """True when something typed here is not in the journal yet."""
        if self._entry_id is None:
            self._store_values()
            typed = any(v.strip() for v in self._values.values())
            return bool(
                typed
                or self.relationship_combo.currentText().strip()
                or self.tags_edit.text().strip()
                or self.supervision_check.isChecked()
                or self.guide.flow()
                or self._review_state()
            )
        return self._state() != self._baseline

    def show_error(self, error: InvalidInput | str) -> None:
        """Show a problem inline (it stays until the next save or load) and focus the field it names
        (`InvalidInput.field`)."""
        self._show_problem(f"Not saved: {error}")
        target = self._widget_for_field(error.field) if isinstance(error, InvalidInput) else None
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(target)

    def show_problem(self, text: str) -> None:
        """Show a problem inline that is not about saving (it stays until the next save or load)."""
        self._show_problem(text)

    def _update_next_step_button(self) -> None:
        # The action is made from the stored next step, so only a saved entry without changes offers it.
        saved = self._entry_id is not None and not self.is_dirty()
        self.next_step_button.setEnabled(saved)
        self.next_step_button.setToolTip(
            "Add this entry's next step to the actions list" if saved
            else "Save the entry first: the action is made from its saved next step"
        )

    def _show_problem(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def select_template(self, template_id: str) -> None:
        index = self.template_combo.findData(template_id, TEMPLATE_ID_ROLE)
        if index >= 0:
            self.template_combo.setCurrentIndex(index)

    def insert_phrasing(self, phrasing: str) -> None:
        """Put a phrasing into the documentation note at its cursor, ready to be edited."""
        note = self._field_edits.get(NOTE_FIELD)
        if note is None:
            return
        cursor = note.textCursor()
        before = cursor.block().text()[: cursor.positionInBlock()]
        if before and not before[-1].isspace():
            phrasing = " " + phrasing
        cursor.insertText(phrasing)
        note.setTextCursor(cursor)
        note.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- internals -----------------------------------------------------------------------

    def _fill(
        self,
        *,
        entry_id: int | None,
        template_id: str | None,
        relationship: str,
        channel: str | None,
        occurred: datetime,
        fields: dict[str, str],
        tags: Sequence[str],
        supervision: bool,
        flow: Mapping[str, str],
        response_review: Mapping[str, bool],
    ) -> None:
        self._loading = True
        try:
            self._entry_id = entry_id
            self.listen_check.setChecked(True)
            self._values = dict(fields)
            self._channel_chosen = channel is not None
            self.clear_error()
            self.identifier_hint.show_findings(())
            index = -1
            if template_id is not None:
                index = self.template_combo.findData(template_id, TEMPLATE_ID_ROLE)
            self.template_combo.setCurrentIndex(index)
            self._show_template(self._catalog.template(template_id) if template_id else None)
            if channel is not None:
                self._set_channel(channel)
            elif self._template is not None:
                self._set_channel(self._template.default_channel)
            self.relationship_combo.setEditText(relationship)
            self.when_edit.setDateTime(QDateTime(occurred))
            self.tags_edit.setText(", ".join(tags))
            self.supervision_check.setChecked(supervision)
            self.guide.set_flow(flow)
            self.review.set_moves(response_review)
            self._baseline = self._state()
        finally:
            self._loading = False
        self.changed.emit()

    def _set_channel(self, channel_id: str) -> None:
        index = self.channel_combo.findData(channel_id)
        if index < 0:  # a channel the catalogue no longer has: keep it rather than change the entry
            self.channel_combo.addItem(channel_text(channel_id, self._catalog.channel_rank(None)), channel_id)
            index = self.channel_combo.count() - 1
        self.channel_combo.setCurrentIndex(index)

    def _template_picked(self, index: int) -> None:
        if self._loading:
            return
        template_id = self.template_combo.itemData(index, TEMPLATE_ID_ROLE) if index >= 0 else None
        self._store_values()
        self._show_template(self._catalog.template(template_id) if template_id else None)
        if self._template is not None and not self._channel_chosen:
            self._set_channel(self._template.default_channel)
        self._edited()

    def _show_template(self, template: Template | None) -> None:
        """Rebuild the field editors for `template`, filled from the values typed so far."""
        self._template = template
        for edit in self._field_edits.values():
            edit.textChanged.disconnect(self._edited)
        while self.fields_layout.count():
            item = self.fields_layout.takeAt(0)
            widget = item.widget()
            if widget is not None and widget not in (self.phrasings_box, self.language, self.next_step_row):
                widget.hide()  # at once: deletion waits for the event loop
                widget.deleteLater()
        self._field_edits = {}
        self.language.attach(None)
        self.phrasings_box.hide()
        self.next_step_row.hide()
        self.fields_hint.setVisible(template is None)
        self.guidance.show_template(template)
        self.guide.setVisible(template is not None)
        self.review.setVisible(template is not None)
        self.review.show_seed_moves(template is not None and template.review_response)
        listens = template is not None and bool(template.listen_after) and self._entry_id is None
        self.listen_check.setVisible(listens)
        if listens:
            self.listen_check.setText(
                f"In {template.listen_after_days} days, ask me in the Actions tab what I heard after holding the line")
            self.listen_check.setToolTip(template.listen_after)
        if template is None:
            self.category_label.setText("Category: —")
            return
        category = self._catalog.category(template.category)
        self.category_label.setText(f"Category: {category.label if category else template.category}")
        for spec in template.fields:
            edit = FieldEdit(spec, NOTE_LINES if spec.key == NOTE_FIELD else FIELD_LINES)
            edit.setPlainText(self._values.get(spec.key, ""))
            edit.textChanged.connect(self._edited)
            label = QLabel(f"{spec.label} (required)" if spec.required else spec.label)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setBuddy(edit)
            label.setToolTip(spec.prompt)
            self.fields_layout.addWidget(label)
            self.fields_layout.addWidget(edit)
            label.show()  # now, not on the next event loop pass, so focus can go there at once
            edit.show()
            self._field_edits[spec.key] = edit
            if spec.key == NOTE_FIELD:
                self.fields_layout.addWidget(self.language)
                self.language.attach(edit)
                self._fill_phrasings(template)
                self.fields_layout.addWidget(self.phrasings_box)
                self.phrasings_box.show()
            if spec.key == NEXT_STEP_FIELD:
                self.fields_layout.addWidget(self.next_step_row)
                self.next_step_row.show()
        self._order_tabs()

    def _order_tabs(self) -> None:
        """Tab follows the form top to bottom; fields built later would otherwise come last."""
        chain: list[QWidget] = [self.template_combo, self.relationship_combo, self.when_edit, self.channel_combo]
        for key, edit in self._field_edits.items():
            chain.append(edit)
            if key == NOTE_FIELD:
                chain.extend(self.language.buttons)
                chain.extend(self.phrasing_buttons)
            if key == NEXT_STEP_FIELD:
                chain.append(self.next_step_button)
        if self.review.isVisibleTo(self):
            chain.extend(self.review.boxes.values())
        for yes, no in self.guide.answer_buttons.values():
            chain += [yes, no]
        chain += [self.tags_edit, self.supervision_check, self.guidance_button, self.save_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _fill_phrasings(self, template: Template) -> None:
        while self.phrasings_layout.count():
            item = self.phrasings_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.phrasing_buttons = []
        for number, phrasing in enumerate(template.phrasings, start=1):
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            button = QPushButton(f"Insert {number}")
            button.setAccessibleName(f"Insert phrasing {number}")
            button.setAccessibleDescription(phrasing)
            button.setToolTip("Insert this phrasing into the documentation note at the cursor")
            button.clicked.connect(lambda _checked=False, text=phrasing: self.insert_phrasing(text))
            text = QLabel(phrasing)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            row_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            row_layout.addWidget(text, 1)
            self.phrasings_layout.addWidget(row)
            row.show()
            self.phrasing_buttons.append(button)

    def _channel_activated(self, _index: int) -> None:
        self._channel_chosen = True

    def _store_values(self) -> None:
        for key, edit in self._field_edits.items():
            self._values[key] = edit.toPlainText()

    def _state(self) -> tuple[Any, ...]:
        self._store_values()
        keys = [f.key for f in self._template.fields] if self._template else sorted(self._values)
        return (
            self._template.id if self._template else None,
            self.relationship_combo.currentText().strip(),
            self.channel_combo.currentData(),
            self.when_edit.dateTime().toString(DATETIME_FORMAT),
            tuple(self._values.get(k, "") for k in keys),
            tuple(split_tags(self.tags_edit.text())),
            self.supervision_check.isChecked(),
            tuple(self.guide.flow().items()),
            self._review_state(),
        )

    def _review_state(self) -> tuple[str, ...]:
        """The ticked moves that count: "What I did" always, the look-back only for templates that ask for it."""
        if self._template is None:
            return ()
        return tuple(sorted(self.review.moves(seed=self._template.review_response)))

    def _edited(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    def _widget_for_field(self, field: str | None) -> QWidget | None:
        """The control a service's refusal is about (its `InvalidInput.field`), so focus can go there."""
        if field is not None and field.startswith(TEMPLATE_FIELD_PREFIX):
            return self._field_edits.get(field.removeprefix(TEMPLATE_FIELD_PREFIX))
        widgets: dict[str, QWidget] = {
            "template": self.template_combo, "pseudonym": self.relationship_combo, "when": self.when_edit,
            "channel": self.channel_combo, "tags": self.tags_edit,
        }
        return widgets.get(field or "")
