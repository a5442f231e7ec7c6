"""What the window shows while the journal is locked, and what tells it that the user has walked away.

The lock screen shows the app's name, "Locked", a passphrase field, Unlock and Quit — nothing from the
journal. It only collects the passphrase; the window opens the journal and says here what went wrong.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from boundary_journal import APP_NAME
from ui.sizing import inline_error_label

LOCKED_TITLE = f"{APP_NAME} — Locked"
EMPTY_PASSPHRASE = "Type the passphrase you chose when you created the journal."

# Input that shows someone is at the computer. Hover and enter/leave are left out: a widget that moves
# under a still mouse produces them too.
_ACTIVITY = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
    QEvent.Type.InputMethod,
})
# Qt reports these where the system hides or suspends the app: ApplicationHidden on macOS (Cmd+H, "Hide")
# and ApplicationSuspended on Android and iOS. On Windows, X11 and Wayland Qt reports only Active and
# Inactive — and Inactive also means another window has the focus — so a screen lock there is not seen
# as such; the idle time covers it. (Windows' session-lock message and the desktop's D-Bus screensaver
# signal would tell, but need native code or a D-Bus connection, which this app does not open.)
AWAY_STATES = frozenset({Qt.ApplicationState.ApplicationHidden, Qt.ApplicationState.ApplicationSuspended})


class AwayWatcher(QObject):
    """Emits `away` after `limit_ms` without keyboard, mouse or touch input anywhere in the app, when the
    system hides or suspends the app (see AWAY_STATES), or when `lock_keys` are pressed in a dialog."""

    away = Signal()

    def __init__(self, limit_ms: int, parent: QObject | None = None, *, lock_keys: str = "") -> None:
        super().__init__(parent)
        self._limit_ms = limit_ms
        # The window's Lock action cannot fire while one of its modal dialogs is up (Qt keeps shortcuts from
        # reaching a window behind a modal one), so the keys are also caught here; with no dialog, the action
        # takes them first and they never arrive as a key press.
        self._lock_keys = QKeySequence(lock_keys)
        self._running = False
        self._last_input = (time.monotonic(), time.time())
        self._check = QTimer(self)
        self._check.timeout.connect(self._check_idle)
        self._set_check_interval()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        QGuiApplication.instance().applicationStateChanged.connect(self.application_state_changed)

    @property
    def limit_ms(self) -> int:
        return self._limit_ms

    def set_limit_ms(self, limit_ms: int) -> None:
        self._limit_ms = limit_ms
        self._set_check_interval()

    def _set_check_interval(self) -> None:
        # Checked a few times per limit rather than by one timer, so the time asleep counts (below).
        self._check.setInterval(max(50, min(self._limit_ms // 5, 5_000)))

    def start(self) -> None:
        self._running = True
        self.reset()
        self._check.start()

    def stop(self) -> None:
        self._running = False
        self._check.stop()

    def reset(self) -> None:
        self._last_input = (time.monotonic(), time.time())

    def idle_ms(self) -> int:
        # The monotonic clock stops while the computer sleeps (on Linux and macOS), the wall clock does
        # not: the larger of the two counts a laptop closed for an hour as an hour away.
        monotonic, wall = self._last_input
        return int(max(time.monotonic() - monotonic, time.time() - wall) * 1000)

    def _check_idle(self) -> None:
        if self._running and self.idle_ms() >= self._limit_ms:
            self.stop()
            self.away.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._running and event.type() in _ACTIVITY:
            self._last_input = (time.monotonic(), time.time())
            if (
                isinstance(event, QKeyEvent)
                and event.type() == QEvent.Type.KeyPress
                and not self._lock_keys.isEmpty()
                and QKeySequence(event.keyCombination()).matches(self._lock_keys)
                == QKeySequence.SequenceMatch.ExactMatch
            ):
                self.stop()
                self.away.emit()
                return True
        return False

    def application_state_changed(self, state: Qt.ApplicationState) -> None:
        if self._running and state in AWAY_STATES:
            self.stop()
            self.away.emit()


class LockScreen(QWidget):
    """Emits `unlock_requested(passphrase)` from Unlock or Enter, and `quit_requested` from Quit."""

    unlock_requested = Signal(str)
    quit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Locked")

        self.name_label = QLabel(APP_NAME)
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scale_font(self.name_label, 1.8, bold=True)
        self.locked_label = QLabel("Locked")
        self.locked_label.setTextFormat(Qt.TextFormat.PlainText)
        self.locked_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scale_font(self.locked_label, 1.3, bold=False)
        self.hint_label = QLabel("Type your passphrase to unlock the journal.")
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setWordWrap(True)
        self.hint_label.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setAccessibleName("Passphrase")
        self.passphrase_edit.setPlaceholderText("Passphrase")
        self.passphrase_edit.returnPressed.connect(self._unlock)
        self.hint_label.setBuddy(self.passphrase_edit)

        self.error_label = inline_error_label("Problem unlocking")
        bold = self.error_label.font()
        bold.setBold(True)
        self.error_label.setFont(bold)
        self.error_label.setMargin(self.fontMetrics().height() // 3)

        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        self.quit_button = QPushButton("&Quit")
        self.quit_button.setAccessibleName("Quit")
        self.quit_button.setToolTip("Close Boundary Journal; a draft of the entry stays in the journal")
        self.quit_button.clicked.connect(self.quit_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)

        column = QWidget()
        # A fixed width in the font's terms, so wrapped lines (the hint, a long message) get their full height.
        column.setFixedWidth(self.fontMetrics().averageCharWidth() * 50)
        column_layout = QVBoxLayout(column)
        column_layout.setSpacing(self.fontMetrics().height() // 2)
        column_layout.addWidget(self.name_label)
        column_layout.addWidget(self.locked_label)
        column_layout.addSpacing(self.fontMetrics().height())
        column_layout.addWidget(self.hint_label)
        column_layout.addWidget(self.passphrase_edit)
        column_layout.addWidget(self.error_label)
        column_layout.addLayout(buttons)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(row)
        layout.addStretch(3)

    @staticmethod
    def _scale_font(label: QLabel, factor: float, *, bold: bool) -> None:
        font = label.font()
        font.setBold(bold)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * factor)
        label.setFont(font)

    def reset(self) -> None:
        """Ready for the next unlock: empty field, no message, focus in the field."""
        self.passphrase_edit.setText("")  # not clear(): setText also empties the field's undo history
        self.error_label.clear()
        self.error_label.hide()
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_problem(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self.passphrase_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.passphrase_edit.selectAll()

    def _unlock(self) -> None:
        passphrase = self.passphrase_edit.text()
        if not passphrase:
            self.show_problem(EMPTY_PASSPHRASE)
            return
        self.unlock_requested.emit(passphrase)


class JournalLocked(RuntimeError):
    """Something asked the window for its journal while it was locked: a bug, since nothing may read it then."""
