"""The window's Security menu: back up now, restore, change the passphrase, a new recovery code, delete everything.

A backup runs off the UI thread (the journal stays open and is only read). A restore and delete-everything
close the window's journal first and run on the UI thread, with a wait cursor, until the window has a
journal again (or closes): nothing in the window (the minute timer, a reminder, a lock) may reach the
journal while its file is being replaced, and running to completion in one slot guarantees that.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, QRunnable, QStandardPaths, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QProgressDialog

from boundary_journal.errors import UserError
from boundary_journal.services import access, erase, journal_access
from ui import messages
from ui.security_dialogs import (
    BACKUP_FILTER,
    ChangePassphraseDialog,
    DeleteEverythingDialog,
    NewRecoveryCodeDialog,
    RestoreDialog,
    describe_backup,
)

if TYPE_CHECKING:
    from boundary_journal.store.backups import BackupInfo, OlderKeys
    from ui.main_window import MainWindow

STATUS_TIMEOUT_MS = 10_000
Dialog = TypeVar("Dialog", bound=QDialog)


class _JobSignals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class _Job(QRunnable):
    """Runs `work(progress)` off the UI thread; its result, error and progress arrive as signals on the UI thread.

    A backup reads the journal through its own pooled connection; re-encrypting backups reads only the backups
    folder."""

    def __init__(self, work: Callable[[Callable[[int, int], None]], object]) -> None:
        super().__init__()
        self.work = work
        self.signals = _JobSignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit)
        except Exception as error:  # shown in a message box; messages.error_text names a bug as one
            self.signals.failed.emit(error)
            return
        self.signals.done.emit(result)


class SecurityMenu(QObject):
    """The Security menu's actions for one MainWindow, which it reads `journal` from at each use."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None  # the security dialog that is open, if any
        self.progress: QProgressDialog | None = None
        self._pool = QThreadPool(self)
        self._job: _Job | None = None
        self._erase_error: UserError | None = None

        self.backup_action = self._action("&Back Up Now…", self.back_up_now)
        self.backup_action.setToolTip("Save a verified, encrypted copy of the journal to a file you choose")
        self.restore_action = self._action("&Restore from Backup…", self.restore_from_backup)
        self.restore_action.setToolTip("Replace the journal with a backup; the journal as it is now is kept")
        self.passphrase_action = self._action("Change &Passphrase…", self.change_passphrase)
        self.recovery_action = self._action("New Recovery &Code…", self.new_recovery_code)
        self.recovery_action.setToolTip("Make a new recovery code; the old one stops working")
        self.delete_action = self._action("&Delete Everything…", self.delete_everything)
        self.delete_action.setToolTip("Delete the journal and its backups from this computer, for good")

        self.menu = window.menuBar().addMenu("&Security")
        self.menu.addAction(self.backup_action)
        self.menu.addAction(self.restore_action)
        self.menu.addSeparator()
        self.menu.addAction(self.passphrase_action)
        self.menu.addAction(self.recovery_action)
        self.menu.addSeparator()
        self.menu.addAction(self.delete_action)
        self.menu.setToolTipsVisible(True)

    def _action(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        action.triggered.connect(slot)
        return action

    # --- prompts (replaced in tests) -------------------------------------------------------------

    def choose_backup_path(self, suggested: str) -> str:
        """Ask where to save the backup; '' when the user cancels."""
        path, _filter = QFileDialog.getSaveFileName(self.window, "Back up the journal", suggested, BACKUP_FILTER)
        return path

    def show_info(self, title: str, text: str) -> None:
        messages.show_info(self.window, title, text)

    # --- back up now ------------------------------------------------------------------------------

    def busy(self) -> bool:
        return self._job is not None

    def back_up_now(self) -> None:
        """Ask for a file (journal-YYYY-MM-DD.bjbackup in Documents), then write the backup off the UI thread."""
        if self.busy():
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = f"journal-{self.window.clock.today():%Y-%m-%d}{journal_access.BACKUP_SUFFIX}"
        chosen = self.choose_backup_path(str(Path(folder) / name))
        if not chosen:
            return
        out = Path(chosen).expanduser()
        if not out.suffix and not out.is_dir():
            out = out.with_name(out.name + journal_access.BACKUP_SUFFIX)
        journal = self.window.journal
        self._start(lambda _progress: journal_access.make_backup(journal, out),
                    self._backed_up, "Back up now", "Backing up the journal and checking the copy…")
        self.window.statusBar().showMessage("Backing up…")

    def _start(self, work: Callable[[Callable[[int, int], None]], object], done: Callable[[object], None],
               title: str, text: str) -> None:
        """Run `work` off the UI thread behind a window-modal progress dialog (no Cancel: what it writes is
        atomic, so stopping half-way is never needed)."""
        job = _Job(work)
        job.signals.done.connect(done)
        job.signals.failed.connect(self._backup_failed)
        self._job = job
        self.progress = QProgressDialog(text, "", 0, 0, self.window)
        self.progress.setWindowTitle(title)
        self.progress.setAccessibleName(title)
        self.progress.setCancelButton(None)  # type: ignore[arg-type]
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        job.signals.progress.connect(self._progressed)
        self.progress.show()
        self._pool.start(job)

    def _progressed(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _end_job(self) -> None:
        self._job = None
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _backed_up(self, info: BackupInfo) -> None:
        self._end_job()
        if self.window.is_locked:  # locking waited for the backup; the lock screen stays as it is
            return
        self.window.statusBar().showMessage(f"Backed up to {info.path}", STATUS_TIMEOUT_MS)
        self.show_info(
            "Backup saved",
            f"The journal was backed up to {info.path} and the copy was checked. It is encrypted like the journal: "
            "it opens with your passphrase or recovery code, through Security ▸ Restore from Backup.",
        )

    def _backup_failed(self, error: BaseException) -> None:
        self._end_job()
        self.window.statusBar().clearMessage()
        self.window.show_error(error)

    def wait_for_backup(self) -> None:
        self._pool.waitForDone()

    # --- restore -------------------------------------------------------------------------------------

    def restore_from_backup(self) -> RestoreDialog | None:
        """Choose a backup and the passphrase; the restore itself runs when the dialog's button is pressed."""
        if self.busy() or not self.window.settle_unsaved_changes():
            return None
        journal = self.window.journal
        folder = journal_access.backup_folder(journal.folder)
        dialog = RestoreDialog(journal_access.list_backups(journal.folder), self._restore, folder, self.window,
                               journal_id=journal_access.journal_id(journal), key=journal.key)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._restored(dialog.restored))
        return self._open(dialog)

    def _restore(self, backup: Path, passphrase: str, backup_secret: str | None = None) -> BackupInfo:
        """Close the window's journal, restore `backup` over it, and give the window the restored journal.

        On any failure nothing was replaced (restore_backup checks everything first), so the journal as it
        was is reopened with its key.
        """
        journal = self.window.journal
        path, key = journal.path, journal.key
        self.window.close_journal()  # waits for an automatic backup that is still reading it
        try:
            restored = journal_access.restore(path, backup, passphrase, backup_secret=backup_secret)
        except BaseException:
            self._reopen(path, key, reset=False)
            raise
        self.window.replace_journal(restored.journal, reset=True)
        return restored.backup

    def _reopen(self, path: Path, key: bytes, *, reset: bool) -> None:
        try:
            reopened = journal_access.reopen(path, key)
        except UserError as error:
            # Only when the disk failed under the restore: the window has no journal left to show.
            self.window.show_error(f"{error} The window closes; start Boundary Journal again.")
            self.window.editor.new_entry()
            self.window.close()
            return
        self.window.replace_journal(reopened, reset=reset)

    def _restored(self, info: BackupInfo | None) -> None:
        if info is not None:
            self.window.statusBar().showMessage(
                f"Restored the backup from {describe_backup(info)}; the journal as it was is kept in the backups "
                "folder.",
                STATUS_TIMEOUT_MS,
            )

    # --- passphrase and recovery code ----------------------------------------------------------------

    def change_passphrase(self) -> ChangePassphraseDialog | None:
        """The journal is re-encrypted under a new key: no backup may be reading it meanwhile."""
        if self.busy():
            return None
        self.window.wait_for_backups()
        dialog = ChangePassphraseDialog(self.window.journal, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._changed(dialog.status, dialog.reencrypt_from))
        return self._open(dialog)

    def new_recovery_code(self) -> NewRecoveryCodeDialog | None:
        if self.busy():
            return None
        self.window.wait_for_backups()
        dialog = NewRecoveryCodeDialog(self.window.journal, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._changed(dialog.status, dialog.reencrypt_from))
        return self._open(dialog)

    def _changed(self, status: str, reencrypt_from: bytes | None) -> None:
        """After a change of key: say so, and re-encrypt the backups of the previous key off the UI thread
        (about a second and a half each at 20,000 entries), the journal staying usable meanwhile."""
        self.window.statusBar().showMessage(status.strip(), STATUS_TIMEOUT_MS)
        if reencrypt_from is None:
            return
        journal = self.window.journal
        self._start(lambda progress: access.settle_old_backups(journal, reencrypt_from, access.OldBackups.REENCRYPT,
                                                               progress),
                    lambda result: self._reencrypted(status, result), "Re-encrypting backups",
                    "Re-encrypting the backups in the app's folder under the new key…")

    def _reencrypted(self, status: str, result: OlderKeys) -> None:
        self._end_job()
        count = len(result.done)
        status += f"{count} backup{'s' if count != 1 else ''} re-encrypted. "
        if result.left:
            left = len(result.left)
            status += f"{left} still open{'s' if left == 1 else ''} only with an earlier secret."
        self.window.statusBar().showMessage(status.strip(), STATUS_TIMEOUT_MS)

    # --- delete everything -----------------------------------------------------------------------------

    def delete_everything(self) -> DeleteEverythingDialog | None:
        """Typed confirmation, then the journal is closed, everything is deleted, and the window closes.

        Closing (rather than going back to set-up) is what a careful user expects of "delete everything":
        nothing of the journal remains on screen, and a new journal is a deliberate choice at the next start.
        """
        if self.busy():
            return None
        targets = erase.what_would_be_deleted(self.window.journal.path)
        dialog = DeleteEverythingDialog(targets, self._erase, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._erased)
        return self._open(dialog)

    def _erase(self) -> None:
        self.window.editor.new_entry()  # unsaved text is discarded without asking: typing DELETE said enough
        journal = self.window.journal
        self.window.close_journal()  # waits for an automatic backup that is still writing into the backups folder
        self._erase_error = None
        try:
            erase.delete_everything(journal.path)
        except UserError as error:
            self._erase_error = error

    def _erased(self) -> None:
        if self._erase_error is not None:
            self.window.show_error(self._erase_error)
        else:
            self.show_info(
                "Everything deleted",
                "The journal, its key and its backups were deleted from this computer. Boundary Journal closes "
                "now; when you start it again, it offers to create a new journal.",
            )
        self.window.close()

    # --- shared --------------------------------------------------------------------------------------

    def _open(self, dialog: Dialog) -> Dialog:
        """Window-modal and not blocking, like the window's other dialogs; tests reach it as `dialog`."""
        self.dialog = dialog
        dialog.finished.connect(self._closed)
        dialog.open()
        return dialog

    def _closed(self, _result: int) -> None:
        self.dialog = None


def add_security_menu(window: MainWindow) -> SecurityMenu:
    """Add the Security menu to `window` (after its other menus)."""
    return SecurityMenu(window)
