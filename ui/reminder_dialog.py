"""Journal ▸ Reminder Settings: a notification on a weekday at a time while this week's exercise is not done.

Saved with `settings.set_reminder`, inside the encrypted journal: no plain settings file mentions the journal.
"""

from __future__ import annotations

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from boundary_journal.errors import UserError
from boundary_journal.services import settings
from boundary_journal.services.settings import WEEKDAYS, ReminderSetting
from boundary_journal.store.journal import Journal
from ui import messages
from ui.sizing import dialog_buttons, inline_error_label, plain_label, say_not_saved

EXPLANATION = (
    "While Boundary Journal is open, it reminds you on this day from this time, once a week — never when "
    "this week's exercise is already done. The reminder says only that the exercise is due, nothing from the "
    "journal. The setting is kept inside the encrypted journal."
)


class ReminderDialog(QDialog):
    """On Save it calls `set_reminder`, emits `saved(setting)` and closes."""

    saved = Signal(object)

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.setWindowTitle("Reminder settings")
        self.setAccessibleName("Reminder settings")
        current = settings.get_reminder(journal)

        self.enabled_check = QCheckBox("&Remind me about the weekly exercise")
        self.enabled_check.setAccessibleName("Remind me about the weekly exercise")
        self.weekday_combo = QComboBox()
        self.weekday_combo.addItems(list(WEEKDAYS))
        self.weekday_combo.setAccessibleName("Reminder day")
        self.time_edit = QTimeEdit()
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName("Reminder time")
        self.enabled_check.toggled.connect(self._enabled_toggled)
        explanation = plain_label(EXPLANATION)

        self.error_label = inline_error_label("Problem with the reminder")
        self.buttons, self.save_button = dialog_buttons(self, "&Save", "Cancel", on_accept=self.save)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.enabled_check)
        day_label = QLabel("&Day")
        day_label.setBuddy(self.weekday_combo)
        time_label = QLabel("&Time")
        time_label.setBuddy(self.time_edit)
        form.addRow(day_label, self.weekday_combo)
        form.addRow(time_label, self.time_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explanation)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 56)

        self.enabled_check.setChecked(current.enabled)
        self.weekday_combo.setCurrentIndex(current.weekday)
        self.time_edit.setTime(QTime(current.at))
        self._enabled_toggled(current.enabled)

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def setting(self) -> ReminderSetting:
        return ReminderSetting(
            enabled=self.enabled_check.isChecked(),
            weekday=self.weekday_combo.currentIndex(),
            at=self.time_edit.time().toPython(),
        )

    def _enabled_toggled(self, enabled: bool) -> None:
        self.weekday_combo.setEnabled(enabled)
        self.time_edit.setEnabled(enabled)

    def save(self) -> bool:
        reminder = self.setting()
        try:
            settings.set_reminder(self.journal, reminder)
        except UserError as error:
            say_not_saved(self, self.error_label, error, self.show_error)
            return False
        self.saved.emit(settings.get_reminder(self.journal))
        self.accept()
        return True
