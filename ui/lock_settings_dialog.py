"""File ▸ Lock and Clipboard Settings: how long without input before the window locks, and how long copied
text stays on the clipboard. Saved with `settings.set_security`, inside the encrypted journal."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from boundary_journal.errors import UserError
from boundary_journal.services import settings
from boundary_journal.services.settings import CLIPBOARD_SECONDS_RANGE, LOCK_MINUTES_RANGE, SecuritySetting
from boundary_journal.store.journal import Journal
from ui import messages
from ui.sizing import dialog_buttons, inline_error_label, plain_label, say_not_saved

EXPLANATION = (
    "Locking closes the journal and hides everything in the window until the passphrase is typed again; "
    "an unsaved entry is kept as a draft inside the journal. Ctrl+L locks at once. "
    "Text copied from the window is marked so clipboard managers leave it out of their history, and is "
    "cleared from the clipboard after the time below unless something else was copied since."
)


def _spin(limits: tuple[int, int], suffix: str, name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(*limits)
    spin.setSuffix(suffix)
    spin.setAccessibleName(name)
    return spin


class LockSettingsDialog(QDialog):
    """On Save it calls `set_security`, emits `saved(setting)` and closes."""

    saved = Signal(object)

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.journal = journal
        self.setWindowTitle("Lock and clipboard settings")
        self.setAccessibleName("Lock and clipboard settings")
        current = settings.get_security(journal)

        self.lock_spin = _spin(LOCK_MINUTES_RANGE, " min", "Lock after this many minutes without input")
        self.lock_spin.setValue(current.lock_after_minutes)
        self.clipboard_spin = _spin(CLIPBOARD_SECONDS_RANGE, " s", "Clear copied text after this many seconds")
        self.clipboard_spin.setValue(current.clear_clipboard_seconds)
        explanation = plain_label(EXPLANATION)
        self.error_label = inline_error_label("Problem with the settings")
        self.buttons, self.save_button = dialog_buttons(self, "&Save", "Cancel", on_accept=self.save)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        lock_label = QLabel("&Lock after no input for")
        lock_label.setBuddy(self.lock_spin)
        clipboard_label = QLabel("&Clear copied text after")
        clipboard_label.setBuddy(self.clipboard_spin)
        form.addRow(lock_label, self.lock_spin)
        form.addRow(clipboard_label, self.clipboard_spin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explanation)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def show_error(self, error: BaseException | str) -> None:
        messages.show_error(self, error)

    def setting(self) -> SecuritySetting:
        return SecuritySetting(self.lock_spin.value(), self.clipboard_spin.value())

    def save(self) -> bool:
        try:
            settings.set_security(self.journal, self.setting())
        except UserError as error:
            say_not_saved(self, self.error_label, error, self.show_error)
            return False
        self.saved.emit(settings.get_security(self.journal))
        self.accept()
        return True
