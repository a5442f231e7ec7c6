"""Today's automatic backup, made off the UI thread after each unlock; a failure is a notice, never a box.

`journal_access.automatic_backup` makes a verified backup in the data folder if there is none from today yet.
It reads the journal through its own connection while the window goes on; the window waits for it before
it closes or locks the journal, since a backup needs the journal's key until it is done.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QRunnable, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from boundary_journal.services import journal_access
from boundary_journal.store.journal import Journal
from ui import messages
from ui.notices import TintedFrame


class _Signals(QObject):
    done = Signal(object)  # the BackupInfo, or None when today's backup was there already
    failed = Signal(object)


class AutomaticBackupJob(QRunnable):
    """Runs `journal_access.automatic_backup`; touches no widget."""

    def __init__(self, journal: Journal, now: datetime) -> None:
        super().__init__()
        self.journal, self.now = journal, now
        self.signals = _Signals()

    def run(self) -> None:
        try:
            info = journal_access.automatic_backup(self.journal, self.now)
        except Exception as error:  # a CannotWrite says what to do; anything else is named a bug
            self.signals.failed.emit(error)
            return
        self.signals.done.emit(info)


class BackupNotice(TintedFrame):
    """Hidden until a backup fails; says why and stays until dismissed or the next backup succeeds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Backup problem")
        self.text_label = QLabel()
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setWordWrap(True)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label.setAccessibleName("Why the backup was not made")
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setAccessibleName("Dismiss the backup notice")
        self.dismiss_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        margin = self.fontMetrics().height() // 3
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def text(self) -> str:
        return self.text_label.text()

    def show_failure(self, error: BaseException) -> None:
        self.text_label.setText(
            f"Today's automatic backup was not made. {messages.error_text(error)} "
            "It is tried again the next time the journal is unlocked."
        )
        self.show()
