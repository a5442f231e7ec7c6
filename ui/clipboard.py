"""Text copied from the window is marked as sensitive and cleared after a while, if it is still ours.

The marks are the ones password managers use (KeePassXC sets the same), so clipboard managers and histories
leave the text out:
- KDE's Klipper, and the X11 and Wayland managers that follow it: `x-kde-passwordManagerHint` = "secret".
- Windows: `ExcludeClipboardContentFromMonitorProcessing` (clipboard monitors skip it), and
  `CanIncludeInClipboardHistory` / `CanUploadToCloudClipboard` = DWORD 0 (no Win+V history, no cloud sync).
- macOS is not marked: its concealed type (org.nspasteboard.ConcealedType) needs a UTI converter registered
  with Qt, which is not done here. The text is still cleared after the chosen time.

After the chosen time (30 seconds unless changed) the clipboard is cleared if it still holds this copy — a
random token in a private format says so — and left alone if anything else was copied since.

Copies made by Qt's own widgets (Ctrl+C or the context menu in a field, Ctrl+C in a list) go straight to
QClipboard with no hook for their data, so the guard listens to `QClipboard.dataChanged`: new content that is
unmarked and ours is put back at once, as plain text, marked. "Ours" is what `QClipboard.ownsClipboard`
reports (X11, Wayland, Windows and macOS implement it); the offscreen and minimal platforms keep their
clipboard inside the process, so anything on it is ours. The swap happens before control returns to the
event loop; on X11, Wayland and Windows other programs fetch clipboard data from the owner when they are
told it changed, so they are handed the marked copy. A manager that reads the first copy in that instant
could still see it unmarked; the clearing applies all the same.
"""

from __future__ import annotations

import secrets
import sys

from PySide6.QtCore import QMimeData, QObject, QTimer, Signal
from PySide6.QtGui import QClipboard, QGuiApplication

from boundary_journal.services.settings import DEFAULT_CLIPBOARD_SECONDS

TOKEN_FORMAT = "application/x-boundary-journal-copy"
KDE_HINT = "x-kde-passwordManagerHint"
# Qt on Windows puts a MIME type of this form on the clipboard as the named native format.
_WINDOWS_FORMAT = 'application/x-qt-windows-mime;value="{}"'
_DWORD_ZERO = b"\x00\x00\x00\x00"
# The platforms whose clipboard lives inside the process: whatever is on it was put there by this app.
_PROCESS_CLIPBOARDS = frozenset({"offscreen", "minimal"})


def sensitive_marks(platform: str = sys.platform) -> dict[str, bytes]:
    """The formats that ask clipboard managers and histories to leave a copy out, for `platform`."""
    if platform.startswith("win"):
        return {
            # Both spellings: the named native format, and the plain MIME type other Qt apps (KeePassXC) set.
            _WINDOWS_FORMAT.format("ExcludeClipboardContentFromMonitorProcessing"): b"\x01\x00\x00\x00",
            "ExcludeClipboardContentFromMonitorProcessing": b"1",
            _WINDOWS_FORMAT.format("CanIncludeInClipboardHistory"): _DWORD_ZERO,
            _WINDOWS_FORMAT.format("CanUploadToCloudClipboard"): _DWORD_ZERO,
        }
    if platform == "darwin":
        return {}
    return {KDE_HINT: b"secret"}


def sensitive_mime(text: str, token: bytes, platform: str = sys.platform) -> QMimeData:
    """Plain text only (no HTML or rich-text copies of it), with the marks and this copy's token."""
    mime = QMimeData()
    mime.setText(text)
    for name, value in sensitive_marks(platform).items():
        mime.setData(name, value)
    mime.setData(TOKEN_FORMAT, token)
    return mime


class ClipboardGuard(QObject):
    """Marks every copy made in this app and clears it `clear_after_ms` later if it is still there."""

    marked = Signal()  # a copy was put on the clipboard, marked, with the clearing timer running
    cleared = Signal()

    def __init__(
        self, parent: QObject | None = None, *, clear_after_ms: int = DEFAULT_CLIPBOARD_SECONDS * 1000
    ) -> None:
        super().__init__(parent)
        self._clipboard: QClipboard = QGuiApplication.clipboard()
        self._token: bytes | None = None
        self._setting = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(clear_after_ms)
        self._timer.timeout.connect(self.clear_if_ours)
        self._clipboard.dataChanged.connect(self._changed)
        self._listening = True

    @property
    def clear_after_ms(self) -> int:
        return self._timer.interval()

    def set_clear_after_ms(self, milliseconds: int) -> None:
        """Applies to the next copy; one already on the clipboard keeps its time."""
        self._timer.setInterval(milliseconds)

    def copy_text(self, text: str) -> None:
        """Put `text` on the clipboard, marked as sensitive, and start the clearing timer."""
        token = secrets.token_hex(16).encode("ascii")
        self._setting = True
        try:
            self._clipboard.setMimeData(sensitive_mime(text, token))
        finally:
            self._setting = False
        self._token = token
        self._timer.start()
        self.marked.emit()

    def holds_our_copy(self) -> bool:
        if self._token is None:
            return False
        mime = self._clipboard.mimeData()
        return mime is not None and bytes(mime.data(TOKEN_FORMAT).data()) == self._token

    def clear_if_ours(self) -> bool:
        """Clear the clipboard if it still holds the last copy made here; True when it did."""
        self._timer.stop()
        ours = self.holds_our_copy()
        self._token = None
        if ours:
            self._clipboard.clear(QClipboard.Mode.Clipboard)
            self.cleared.emit()
        return ours

    def stop(self) -> None:
        """No more marking or clearing (the window is closing): another guard may take over the clipboard."""
        self._timer.stop()
        self._token = None
        if self._listening:
            self._listening = False
            self._clipboard.dataChanged.disconnect(self._changed)

    def clear_selection_if_ours(self) -> None:
        """X11 and Wayland also keep selected text as the primary selection (middle-click paste)."""
        if self._clipboard.supportsSelection() and self._clipboard.ownsSelection():
            self._clipboard.clear(QClipboard.Mode.Selection)

    def _changed(self) -> None:
        if self._setting:
            return
        mime = self._clipboard.mimeData()
        if mime is None or mime.hasFormat(TOKEN_FORMAT) or not mime.hasText():
            return  # marked already (here or by another guard), cleared, or not text
        if not (self._clipboard.ownsClipboard() or QGuiApplication.platformName() in _PROCESS_CLIPBOARDS):
            return  # another program's copy: none of our business
        self.copy_text(mime.text())
