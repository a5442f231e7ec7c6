"""The red-flag self-check: for one relationship or overall, each catalogue item answered on the three-step
scale, with the live score; Save hands the answers to the self-checks service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.catalog import Catalog, RedFlag
from boundary_journal.errors import UserError
from boundary_journal.services import selfchecks
from boundary_journal.services.actions import ActionView
from boundary_journal.services.selfchecks import SelfCheckDraft, SelfCheckView
from boundary_journal.store.journal import Journal
from ui import messages
from ui.messages import UnsavedChoice
from ui.notices import NoticeLabel, rich_tooltip
from ui.sizing import dialog_buttons, inline_error_label, say_not_saved

OVERALL = "Overall"
# The catalogue's red-flag groups, in the order the check-in asks them, with the heading the clinician reads.
GROUPS = (
    ("slope", "On the slope", "Early signs that the frame is loosening."),
    ("own_pull", "My own pull",
     "What to notice in yourself after you hold a limit, and what being available costs you."),
    (
        "higher_input",
        "Needs higher-level input",
        "Ticking any of these adds an action to raise it with a supervisor or the ethics service.",
    ),
)
HIGHER_INPUT_NOTICE = "This warrants supervision or ethics input: saving adds an action to raise it."


class RedFlagRow(QWidget):
    """One red-flag item: its statement, Not at all / Somewhat / Clearly, and an optional short note."""

    changed = Signal()

    def __init__(self, catalog: Catalog, flag: RedFlag, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flag = flag
        self.setAccessibleName(flag.text)
        statement = QLabel(flag.text)
        statement.setTextFormat(Qt.TextFormat.PlainText)
        statement.setWordWrap(True)

        self.group = QButtonGroup(self)
        self.level_buttons: dict[int, QRadioButton] = {}
        choices = QHBoxLayout()
        for level in catalog.levels:
            button = QRadioButton(level.label)
            button.setAccessibleName(level.label)
            button.setAccessibleDescription(flag.text)
            self.group.addButton(button, level.value)
            self.level_buttons[level.value] = button
            choices.addWidget(button)
        self.level_buttons[min(self.level_buttons)].setChecked(True)
        self.group.idToggled.connect(lambda _id, checked: checked and self.changed.emit())

        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("Note (optional)")
        self.note_edit.setAccessibleName("Note on this item")
        self.note_edit.setAccessibleDescription(flag.text)
        self.note_edit.setToolTip(rich_tooltip(f"A short note on: {flag.text}"))
        self.note_edit.textChanged.connect(self.changed)
        self.note_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 12)

        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.addWidget(statement, 0, 0, 1, 2)
        self._grid.addLayout(choices, 1, 0)
        self._note_beside = True
        self._grid.addWidget(self.note_edit, 1, 1)
        self._grid.setColumnStretch(1, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Narrow (large text, small screen): the note goes under the answers instead of squeezing.
        choices = self._grid.itemAtPosition(1, 0)
        needed = (choices.sizeHint().width() if choices else 0) + self.fontMetrics().averageCharWidth() * 24
        beside = event.size().width() >= needed
        if beside != self._note_beside:
            self._note_beside = beside
            self._grid.removeWidget(self.note_edit)
            if beside:
                self._grid.addWidget(self.note_edit, 1, 1)
            else:
                self._grid.addWidget(self.note_edit, 2, 0, 1, 2)

    def level(self) -> int:
        return max(self.group.checkedId(), 0)

    def choose(self, value: int) -> None:
        self.level_buttons[value].setChecked(True)


class SelfCheckDialog(QDialog):
    """One check-in. On Save it calls `add_self_check`, emits `saved(view, action or None)` and closes."""

    saved = Signal(object, object)

    def __init__(
        self,
        journal: Journal,
        catalog: Catalog,
        pseudonyms: Sequence[str],
        relationship: str | None = None,
        parent: QWidget | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.journal = journal
        self.catalog = catalog
        # The window's clock: a check-in is dated by it, as the warnings read up to it.
        self.now: Callable[[], datetime] = now or datetime.now
        self.result_view: SelfCheckView | None = None
        self.result_action: ActionView | None = None
        self.setWindowTitle("Self-check")
        self.setAccessibleName("Self-check")

        self.scope_combo = QComboBox()
        self.scope_combo.addItem(OVERALL, None)
        for pseudonym in pseudonyms:
            self.scope_combo.addItem(pseudonym, pseudonym)
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(relationship)) if relationship else 0)
        self.scope_combo.setAccessibleName("Check-in for")
        self.scope_combo.setToolTip("One relationship, or your practice overall")

        intro = QLabel("How far does each statement fit, right now? Answer from where you are today.")
        intro.setTextFormat(Qt.TextFormat.PlainText)
        intro.setWordWrap(True)

        self.rows: dict[str, RedFlagRow] = {}
        items = QWidget()
        items_layout = QVBoxLayout(items)
        items_layout.setSpacing(self.fontMetrics().height() * 2 // 3)
        for group, heading, explanation in GROUPS:
            flags = [flag for flag in catalog.red_flags if flag.group == group]
            if not flags:
                continue
            items_layout.addWidget(self._heading(heading))
            note = QLabel(explanation)
            # Where the group comes from, by the article's title: hover the explanation.
            drawn_from = dict.fromkeys(catalog.item_source(flag) for flag in flags)
            note.setToolTip(rich_tooltip("Drawn from:", *drawn_from))
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setWordWrap(True)
            italic = note.font()
            italic.setItalic(True)
            note.setFont(italic)
            items_layout.addWidget(note)
            for flag in flags:
                row = RedFlagRow(catalog, flag)
                row.changed.connect(self._update_score)
                self.rows[flag.id] = row
                items_layout.addWidget(row)
            line = QFrame()
            line.setFrameShape(QFrame.Shape.HLine)
            line.setFrameShadow(QFrame.Shadow.Sunken)
            items_layout.addWidget(line)

        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setPlaceholderText("Anything else you want to remember about this check-in")
        self.note_edit.setAccessibleName("Note")
        self.note_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.context_edit = QLineEdit()
        self.context_edit.setPlaceholderText("e.g. tired after a run of night shifts")
        self.context_edit.setAccessibleName("What is going on for me")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(self._buddy("N&ote", self.note_edit), self.note_edit)
        form.addRow(self._buddy("What is &going on for me", self.context_edit), self.context_edit)
        items_layout.addLayout(form)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(items)

        self.score_label = QLabel()
        self.score_label.setTextFormat(Qt.TextFormat.PlainText)
        self.score_label.setAccessibleName("Score")
        bold = self.score_label.font()
        bold.setBold(True)
        self.score_label.setFont(bold)
        self.higher_input_notice = NoticeLabel(HIGHER_INPUT_NOTICE)
        self.higher_input_notice.setAccessibleName("Needs supervision or ethics input")
        self.higher_input_notice.hide()

        self.error_label = inline_error_label("Problem with this check-in")

        self.buttons, self.save_button = dialog_buttons(self, "&Save check-in", "Cancel", on_accept=self.save)

        top = QFormLayout()
        top.addRow(self._buddy("Check-in &for", self.scope_combo), self.scope_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.score_label)
        layout.addWidget(self.higher_input_notice)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self._update_score()
        fm = self.fontMetrics()
        width, height = fm.averageCharWidth() * 96, fm.lineSpacing() * 40
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            width, height = min(width, screen.width() * 9 // 10), min(height, screen.height() * 9 // 10)
        self.resize(width, height)

    @staticmethod
    def _heading(text: str) -> QLabel:
        label = QLabel(text)
        label.setTextFormat(Qt.TextFormat.PlainText)
        font = label.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.15)
        label.setFont(font)
        return label

    @staticmethod
    def _buddy(text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        return label

    # --- prompts (replaced in tests) -----------------------------------------------------

    def confirm_unsaved_changes(self) -> UnsavedChoice:
        return messages.ask_unsaved_changes(self, "This check-in")

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    # --- what it holds -------------------------------------------------------------------

    def relationship(self) -> str | None:
        return self.scope_combo.currentData()

    def answers(self) -> dict[str, int]:
        return {item_id: row.level() for item_id, row in self.rows.items()}

    def draft(self) -> SelfCheckDraft:
        return SelfCheckDraft(
            answers=self.answers(),
            relationship=self.relationship(),
            item_notes={k: row.note_edit.text() for k, row in self.rows.items() if row.note_edit.text().strip()},
            note=self.note_edit.toPlainText(),
            context=self.context_edit.text(),
            taken_at=self.now(),
        )

    def is_dirty(self) -> bool:
        draft = self.draft()
        return any(draft.answers.values()) or bool(draft.item_notes or draft.note.strip() or draft.context.strip())

    def _update_score(self) -> None:
        answers = self.answers()
        score = selfchecks.score(self.catalog, answers)
        self.score_label.setText(f"Score: {score.percent}% ({score.points} of {score.maximum} points)")
        ticked_higher = any(self.rows[f.id].level() for f in self.catalog.red_flags if f.warrants_higher_input)
        self.higher_input_notice.setVisible(ticked_higher)

    # --- saving --------------------------------------------------------------------------

    def save(self) -> bool:
        """Store the check-in; bad input is shown inline and the dialog stays open."""
        self.error_label.hide()
        try:
            view, action = selfchecks.add_self_check(self.journal, self.catalog, self.draft())
        except UserError as error:
            say_not_saved(self, self.error_label, error, self.show_error)
            return False
        self.result_view, self.result_action = view, action
        self.saved.emit(view, action)
        self.accept()
        return True

    def reject(self) -> None:
        """Cancel, Esc or closing the window (QDialog routes that here): ask first when answers would be lost."""
        if self.result_view is None and self.is_dirty():
            choice = self.confirm_unsaved_changes()
            if choice is UnsavedChoice.SAVE:
                self.save()
                return
            if choice is UnsavedChoice.CANCEL:
                return
        super().reject()
