"""The Actions tab: every action with its status (overdue and due first), Mark done, and the weekly exercise's
history with the streak.

Changes go through the actions service; the panel emits `journal_changed` afterwards so the window can refresh
the trends' open actions and the banner. The weekly dialog and the follow-up are the window's to open.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.catalog import Catalog
from boundary_journal.errors import UserError
from boundary_journal.services import actions, weekly
from boundary_journal.services.actions import ActionView
from boundary_journal.services.weekly import ExerciseView
from boundary_journal.store.journal import Journal
from ui import messages
from ui.action_model import ACTION, OUTCOME, RELATIONSHIP, ActionTableModel
from ui.clock import Clock
from ui.exercise_model import MOVE, ExerciseTableModel, streak_text
from ui.exercise_model import OUTCOME as EXERCISE_OUTCOME
from ui.exercise_model import RELATIONSHIP as EXERCISE_RELATIONSHIP
from ui.lazy import RefreshedWhenShown


def counts_text(model: ActionTableModel) -> str:
    """'3 open, 1 overdue, 2 done' (only what there is)."""
    statuses = [model.status(row) for row in range(model.rowCount())]
    parts = [
        f"{statuses.count('overdue')} overdue" if "overdue" in statuses else "",
        f"{statuses.count('due')} due today" if "due" in statuses else "",
        f"{statuses.count('open')} open" if "open" in statuses else "",
        f"{statuses.count('done')} done" if "done" in statuses else "",
    ]
    return ", ".join(p for p in parts if p) or "No actions yet: a weekly exercise, a self-check or an entry adds one."


# The tab is narrow: the outcome gets a share of the width, the relationship a few words' worth, and the action
# (or the move) the rest; long texts wrap.
OUTCOME_SHARE = 0.24
RELATIONSHIP_CHARS = 14
# Sizing every row to its wrapped text measures every cell: fine for a few hundred rows, seconds for the
# thousands that years of weekly exercises and check-ins make. Beyond this, rows get a fixed height of
# two lines (the full text is in each cell's tooltip).
ROWS_SIZED_TO_TEXT = 300


class RoomyDelegate(QStyledItemDelegate):
    """Rows sized to their wrapped text, with a little air above and below it."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + option.fontMetrics.height() // 2)


def table(model: ActionTableModel | ExerciseTableModel, name: str, stretch: int, narrow: int) -> QTableView:
    """A read-only, row-selecting table whose long texts wrap (the tab is narrow) instead of being cut off."""
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTabKeyNavigation(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.setItemDelegate(RoomyDelegate(view))
    view.verticalHeader().hide()
    rows = view.verticalHeader()
    rows.setDefaultSectionSize(view.fontMetrics().lineSpacing() * 2 + view.fontMetrics().height() // 2 + 4)

    def fit_rows() -> None:
        many = model.rowCount() > ROWS_SIZED_TO_TEXT
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed if many else QHeaderView.ResizeMode.ResizeToContents)

    model.modelAboutToBeReset.connect(lambda: rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed))
    model.modelReset.connect(fit_rows)
    fit_rows()
    header = view.horizontalHeader()
    header.setResizeContentsPrecision(ROWS_SIZED_TO_TEXT)  # columns fit to a sample of rows, not all
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(narrow, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(narrow, view.fontMetrics().averageCharWidth() * RELATIONSHIP_CHARS)
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view


class ActionsPanel(RefreshedWhenShown, QWidget):
    """All actions and the weekly history; asks the window for the weekly dialog and for a week's follow-up."""

    _pending_selection: int | None = None  # an action to select once the hidden panel is shown

    journal_changed = Signal()
    exercise_requested = Signal()
    outcome_requested = Signal(object)  # the ExerciseView still without an outcome

    def __init__(self, journal: Journal, catalog: Catalog, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.catalog = catalog
        self.clock = clock
        self.setAccessibleName("Actions")

        self.model = ActionTableModel(self)
        self.table = table(self.model, "Actions", ACTION, RELATIONSHIP)
        self.table.horizontalHeader().setSectionResizeMode(OUTCOME, QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda _index: self.complete_selected())
        self.counts_label = QLabel()
        self.counts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.counts_label.setWordWrap(True)
        self.counts_label.setAccessibleName("Actions by status")
        self.done_button = QPushButton("Mark done…")
        self.done_button.setAccessibleName("Mark the selected action done")
        self.done_button.setToolTip("Mark the selected action done, with what came of it")
        self.done_button.clicked.connect(self.complete_selected)
        actions_box = QGroupBox("Actions")
        actions_box.setAccessibleName("Actions")
        actions_layout = QVBoxLayout(actions_box)
        actions_layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.counts_label, 1)
        row.addWidget(self.done_button)
        actions_layout.addLayout(row)

        self.history_model = ExerciseTableModel(catalog, self)
        self.history_table = table(self.history_model, "Weekly exercise history", MOVE, EXERCISE_RELATIONSHIP)
        self.history_table.horizontalHeader().setSectionResizeMode(
            EXERCISE_OUTCOME, QHeaderView.ResizeMode.Interactive
        )
        self.history_table.selectionModel().selectionChanged.connect(self._history_selection_changed)
        self.streak_label = QLabel()
        self.streak_label.setTextFormat(Qt.TextFormat.PlainText)
        self.streak_label.setAccessibleName("Streak")
        bold = self.streak_label.font()
        bold.setBold(True)
        self.streak_label.setFont(bold)
        self.this_week_label = QLabel()
        self.this_week_label.setTextFormat(Qt.TextFormat.PlainText)
        self.this_week_label.setWordWrap(True)
        self.this_week_label.setAccessibleName("This week")
        self.exercise_button = QPushButton("This week's exercise…")
        self.exercise_button.setAccessibleName("This week's exercise")
        self.exercise_button.setToolTip("Write or change this week's exercise (Ctrl+Shift+W)")
        self.exercise_button.clicked.connect(self.exercise_requested)
        self.outcome_button = QPushButton("Record outcome…")
        self.outcome_button.setAccessibleName("Record the outcome of the selected week")
        self.outcome_button.setToolTip("Say whether the selected week's step happened")
        self.outcome_button.clicked.connect(self._request_outcome)
        history_box = QGroupBox("Weekly exercise")
        history_box.setAccessibleName("Weekly exercise")
        history_layout = QVBoxLayout(history_box)
        top = QHBoxLayout()
        top.addWidget(self.streak_label)
        top.addWidget(self.this_week_label, 1)
        top.addWidget(self.exercise_button)
        history_layout.addLayout(top)
        history_layout.addWidget(self.history_table, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.outcome_button)
        history_layout.addLayout(bottom)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(actions_box)
        self.splitter.addWidget(history_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.refresh()

    # --- prompts (replaced in tests) -----------------------------------------------------

    def ask_outcome(self, action: ActionView) -> str | None:
        """What came of the action; None when the clinician cancels."""
        return messages.ask_text(self, "Action done", f"What came of it?\n\n{action.text}")

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    # --- what the window asks ------------------------------------------------------------

    def reread(self) -> None:
        """Re-read the actions, the weekly history and the streak, keeping the selected rows."""
        today = self.clock.today()
        try:
            found = actions.list_actions(self.journal)
            exercises = weekly.list_exercises(self.journal)
            weeks = weekly.streak(self.journal, today)
            done = weekly.is_done_this_week(self.journal, today)
        except UserError as error:
            self.show_error(error)
            return
        selected = self.selected_action()
        selected_id, self._pending_selection = self._pending_selection or (selected.id if selected else None), None
        selected_week = self.selected_exercise()
        self.model.set_actions(found, today)
        self.counts_label.setText(counts_text(self.model))
        row = self.model.row_of(selected_id) if selected_id is not None else None
        if row is None and self.model.rowCount() and self.model.action(0).is_open:
            row = 0  # the most pressing one, ready for Mark done
        self._select(self.table, row)
        self.history_model.set_exercises(exercises)
        weeks_shown = [self.history_model.exercise(r).week for r in range(self.history_model.rowCount())]
        row = weeks_shown.index(selected_week.week) if selected_week and selected_week.week in weeks_shown else None
        self._select(self.history_table, row)
        self.streak_label.setText(streak_text(weeks))
        self.this_week_label.setText("· this week's is done." if done else "· this week's is not done yet.")
        self.exercise_button.setText("Change this week's exercise…" if done else "Do this week's exercise…")
        self.exercise_button.setAccessibleName(self.exercise_button.text().rstrip("…"))
        self._selection_changed()
        self._history_selection_changed()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for view, column in ((self.table, OUTCOME), (self.history_table, EXERCISE_OUTCOME)):
            width = view.viewport().width()
            view.horizontalHeader().resizeSection(column, max(view.fontMetrics().averageCharWidth() * 10,
                                                              int(width * OUTCOME_SHARE)))

    def selected_action(self) -> ActionView | None:
        index = self.table.selectionModel().currentIndex()
        rows = self.table.selectionModel().selectedRows()
        if not rows or not index.isValid():
            return None
        return self.model.action(index.row())

    def selected_exercise(self) -> ExerciseView | None:
        index = self.history_table.selectionModel().currentIndex()
        if not self.history_table.selectionModel().selectedRows() or not index.isValid():
            return None
        return self.history_model.exercise(index.row())

    def select_action(self, action_id: int) -> None:
        if self._stale:  # selected once the panel is shown and has re-read its actions
            self._pending_selection = action_id
            return
        self._select(self.table, self.model.row_of(action_id))

    @staticmethod
    def _select(view: QTableView, row: int | None) -> None:
        if row is None:
            view.clearSelection()
            return
        view.selectRow(row)
        view.scrollTo(view.model().index(row, 0))

    def _selection_changed(self, *_args: QItemSelection) -> None:
        action = self.selected_action()
        is_open = action is not None and action.is_open
        self.done_button.setEnabled(is_open)
        if action is None:
            self.done_button.setToolTip("Select an open action first")
        elif not is_open:
            self.done_button.setToolTip("This action is done already")
        else:
            self.done_button.setToolTip("Mark the selected action done, with what came of it")

    def _history_selection_changed(self, *_args: QItemSelection) -> None:
        exercise = self.selected_exercise()
        this_week = weekly.IsoWeek.of(self.clock.today())
        answerable = exercise is not None and exercise.outcome is None and exercise.week <= this_week
        self.outcome_button.setEnabled(answerable)

    # --- user actions --------------------------------------------------------------------

    def complete_selected(self) -> None:
        """Ask what came of the selected open action, then mark it done."""
        action = self.selected_action()
        if action is None or not action.is_open:
            return
        outcome = self.ask_outcome(action)
        if outcome is None:
            return
        try:
            actions.complete_action(self.journal, action.id, outcome)
        except UserError as error:
            self.show_error(error)
            return
        self.refresh()
        self.journal_changed.emit()

    def _request_outcome(self) -> None:
        exercise = self.selected_exercise()
        if exercise is not None and exercise.outcome is None:
            self.outcome_requested.emit(exercise)

