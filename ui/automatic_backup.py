"""Today's automatic backup, made off the UI thread after each unlock; a failure is a notice, never a box.

`journal_access.automatic_backup` makes a verified backup in the data folder if there is none from today yet.
It reads the journal through its own connection while the window goes on; the window waits for it before
it closes or locks the journal, since a backup needs the journal's key until it is done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThreadPool
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from boundary_journal.services import journal_access
from ui import messages
from ui.background import run_in_background
from ui.clock import Clock
from ui.controllers.session import JournalSession, Status
from ui.notices import TintedFrame

if TYPE_CHECKING:
    from boundary_journal.store.backups import BackupInfo

STATUS_TIMEOUT_MS = 10_000


class AutomaticBackups(QObject):
    """Today's automatic backup, off the UI thread, after each unlock (when `enabled`: app.run asks for them;
    tests that are not about them do not). A failure shows on `notice`; success is a status line."""

    def __init__(self, session: JournalSession, clock: Clock, notice: BackupNotice, *, enabled: bool,
                 status: Status, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session, self.clock, self.notice, self.enabled, self._status = session, clock, notice, enabled, status
        self.pool = QThreadPool(self)

    def start(self) -> None:
        """Today's backup, if none is running; `journal_access.automatic_backup` touches no widget."""
        if not self.enabled or not self.session.is_open() or self.pool.activeThreadCount():
            return
        journal, now = self.session.journal, self.clock.now()
        run_in_background(lambda: journal_access.automatic_backup(journal, now), self._done, self.notice.show_failure,
                          pool=self.pool)

    def _done(self, info: BackupInfo | None) -> None:  # None when today's backup was there already
        if info is not None and not self.session.is_locked:
            self.notice.hide()
            self._status("Today's automatic backup is made and checked", STATUS_TIMEOUT_MS)

    def wait(self) -> None:
        """Until no automatic backup is reading the journal (before it is re-encrypted, replaced or closed)."""
        self.pool.waitForDone()


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
