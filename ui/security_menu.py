"""The window's Security menu: back up now, restore, change the passphrase, a new recovery code, delete everything.

A backup runs off the UI thread (the journal stays open and is only read). A restore and delete-everything
close the window's journal first and run on the UI thread, with a wait cursor, until the window has a
journal again (or closes): nothing in the window (the minute timer, a reminder, a lock) may reach the
journal while its file is being replaced, and running to completion in one slot guarantees that.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtCore import QObject, QStandardPaths, Qt, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenuBar, QProgressDialog, QStatusBar, QWidget

from boundary_journal.errors import UserError
from boundary_journal.services import access, erase, journal_access
from boundary_journal.store.journal import Journal
from ui import messages
from ui.background import BackgroundJob, run_in_background
from ui.dialog_registry import DialogRegistry
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

STATUS_TIMEOUT_MS = 10_000
Dialog = TypeVar("Dialog", bound=QDialog)
SECURITY_DIALOG = "security"  # one security dialog at a time, whichever it is


class SecurityHost(Protocol):
    """What the Security menu needs of the window it sits in (read at each use: the journal changes)."""

    @property
    def journal(self) -> Journal: ...
    @property
    def is_locked(self) -> bool: ...
    def today(self) -> date: ...
    def show_error(self, error: BaseException | str) -> None: ...
    def settle_unsaved_changes(self) -> bool: ...
    def discard_editor(self) -> None: ...
    def wait_for_backups(self) -> None: ...
    def close_journal(self) -> None: ...
    def replace_journal(self, journal: Journal, *, reset: bool = True) -> None: ...
    def close(self) -> bool: ...


class SecurityMenu(QObject):
    """The Security menu's actions for the window `host`, which it reads `journal` from at each use; its dialogs
    are children of `parent` and go through `dialogs`, its messages to `status_bar`."""

    def __init__(self, host: SecurityHost, parent: QWidget, menu_bar: QMenuBar, status_bar: QStatusBar,
                 dialogs: DialogRegistry) -> None:
        super().__init__(parent)
        self.host, self.parent_widget, self.status_bar, self.dialogs = host, parent, status_bar, dialogs
        self.progress: QProgressDialog | None = None
        self._pool = QThreadPool(self)
        self._job: BackgroundJob | None = None
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

        self.menu = menu_bar.addMenu("&Security")
        self.menu.addAction(self.backup_action)
        self.menu.addAction(self.restore_action)
        self.menu.addSeparator()
        self.menu.addAction(self.passphrase_action)
        self.menu.addAction(self.recovery_action)
        self.menu.addSeparator()
        self.menu.addAction(self.delete_action)
        self.menu.setToolTipsVisible(True)

    def _action(self, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.parent_widget)
        action.triggered.connect(slot)
        return action

    # --- prompts (replaced in tests) -------------------------------------------------------------

    def choose_backup_path(self, suggested: str) -> str:
        """Ask where to save the backup; '' when the user cancels."""
        path, _filter = QFileDialog.getSaveFileName(self.parent_widget, "Back up the journal", suggested, BACKUP_FILTER)
        return path

    def show_info(self, title: str, text: str) -> None:
        messages.show_info(self.parent_widget, title, text)

    # --- back up now ------------------------------------------------------------------------------

    def busy(self) -> bool:
        return self._job is not None

    def back_up_now(self) -> None:
        """Ask for a file (journal-YYYY-MM-DD.bjbackup in Documents), then write the backup off the UI thread."""
        if self.busy():
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = f"journal-{self.host.today():%Y-%m-%d}{journal_access.BACKUP_SUFFIX}"
        chosen = self.choose_backup_path(str(Path(folder) / name))
        if not chosen:
            return
        out = Path(chosen).expanduser()
        if not out.suffix and not out.is_dir():
            out = out.with_name(out.name + journal_access.BACKUP_SUFFIX)
        journal = self.host.journal
        self._start(lambda _progress: journal_access.make_backup(journal, out),
                    self._backed_up, "Back up now", "Backing up the journal and checking the copy…")
        self.status_bar.showMessage("Backing up…")

    def _start(self, work: Callable[[Callable[[int, int], None]], object], done: Callable[[object], None],
               title: str, text: str) -> None:
        """Run `work` off the UI thread behind a window-modal progress dialog (no Cancel: what it writes is
        atomic, so stopping half-way is never needed)."""
        self.progress = QProgressDialog(text, "", 0, 0, self.parent_widget)
        self.progress.setWindowTitle(title)
        self.progress.setAccessibleName(title)
        self.progress.setCancelButton(None)  # type: ignore[arg-type]
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()
        self._job = run_in_background(work, done, self._backup_failed, on_progress=self._progressed, pool=self._pool)

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
        if self.host.is_locked:  # locking waited for the backup; the lock screen stays as it is
            return
        self.status_bar.showMessage(f"Backed up to {info.path}", STATUS_TIMEOUT_MS)
        self.show_info(
            "Backup saved",
            f"The journal was backed up to {info.path} and the copy was checked. It is encrypted like the journal: "
            "it opens with your passphrase or recovery code, through Security ▸ Restore from Backup.",
        )

    def _backup_failed(self, error: BaseException) -> None:
        self._end_job()
        self.status_bar.clearMessage()
        self.host.show_error(error)

    def wait_for_backup(self) -> None:
        self._pool.waitForDone()

    # --- restore -------------------------------------------------------------------------------------

    def restore_from_backup(self) -> RestoreDialog | None:
        """Choose a backup and the passphrase; the restore itself runs when the dialog's button is pressed."""
        if self.busy() or not self.host.settle_unsaved_changes():
            return None
        journal = self.host.journal
        folder = journal_access.backup_folder(journal.folder)
        dialog = RestoreDialog(journal_access.list_backups(journal.folder), self._restore, folder, self.parent_widget,
                               journal_id=journal_access.journal_id(journal), key=journal.key)
        dialog.accepted.connect(lambda: self._restored(dialog.restored))
        return self._open(dialog)

    def _restore(self, backup: Path, passphrase: str, backup_secret: str | None = None) -> BackupInfo:
        """Close the window's journal, restore `backup` over it, and give the window the restored journal.

        On any failure nothing was replaced (restore_backup checks everything first), so the journal as it
        was is reopened with its key.
        """
        journal = self.host.journal
        path, key = journal.path, journal.key
        self.host.close_journal()  # waits for an automatic backup that is still reading it
        try:
            restored = journal_access.restore(path, backup, passphrase, backup_secret=backup_secret)
        except BaseException:
            self._reopen(path, key, reset=False)
            raise
        self.host.replace_journal(restored.journal, reset=True)
        return restored.backup

    def _reopen(self, path: Path, key: bytes, *, reset: bool) -> None:
        try:
            reopened = journal_access.reopen(path, key)
        except UserError as error:
            # Only when the disk failed under the restore: the window has no journal left to show.
            self.host.show_error(f"{error} The window closes; start Boundary Journal again.")
            self.host.discard_editor()
            self.host.close()
            return
        self.host.replace_journal(reopened, reset=reset)

    def _restored(self, info: BackupInfo | None) -> None:
        if info is not None:
            self.status_bar.showMessage(
                f"Restored the backup from {describe_backup(info)}; the journal as it was is kept in the backups "
                "folder.",
                STATUS_TIMEOUT_MS,
            )

    # --- passphrase and recovery code ----------------------------------------------------------------

    def change_passphrase(self) -> ChangePassphraseDialog | None:
        """The journal is re-encrypted under a new key: no backup may be reading it meanwhile."""
        if self.busy():
            return None
        self.host.wait_for_backups()
        dialog = ChangePassphraseDialog(self.host.journal, self.parent_widget)
        dialog.accepted.connect(lambda: self._changed(dialog.status, dialog.reencrypt_from))
        return self._open(dialog)

    def new_recovery_code(self) -> NewRecoveryCodeDialog | None:
        if self.busy():
            return None
        self.host.wait_for_backups()
        dialog = NewRecoveryCodeDialog(self.host.journal, self.parent_widget)
        dialog.accepted.connect(lambda: self._changed(dialog.status, dialog.reencrypt_from))
        return self._open(dialog)

    def _changed(self, status: str, reencrypt_from: bytes | None) -> None:
        """After a change of key: say so, and re-encrypt the backups of the previous key off the UI thread
        (about a second and a half each at 20,000 entries), the journal staying usable meanwhile."""
        self.status_bar.showMessage(status.strip(), STATUS_TIMEOUT_MS)
        if reencrypt_from is None:
            return
        journal = self.host.journal
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
        self.status_bar.showMessage(status.strip(), STATUS_TIMEOUT_MS)

    # --- delete everything -----------------------------------------------------------------------------

    def delete_everything(self) -> DeleteEverythingDialog | None:
        """Typed confirmation, then the journal is closed, everything is deleted, and the window closes.

        Closing (rather than going back to set-up) is what a careful user expects of "delete everything":
        nothing of the journal remains on screen, and a new journal is a deliberate choice at the next start.
        """
        if self.busy():
            return None
        targets = erase.what_would_be_deleted(self.host.journal.path)
        dialog = DeleteEverythingDialog(targets, self._erase, self.parent_widget)
        dialog.accepted.connect(self._erased)
        return self._open(dialog)

    def _erase(self) -> None:
        self.host.discard_editor()  # unsaved text is discarded without asking: typing DELETE said enough
        journal = self.host.journal
        self.host.close_journal()  # waits for an automatic backup that is still writing into the backups folder
        self._erase_error = None
        try:
            erase.delete_everything(journal.path)
        except UserError as error:
            self._erase_error = error

    def _erased(self) -> None:
        if self._erase_error is not None:
            self.host.show_error(self._erase_error)
        else:
            self.show_info(
                "Everything deleted",
                "The journal, its key and its backups were deleted from this computer. Boundary Journal closes "
                "now; when you start it again, it offers to create a new journal.",
            )
        self.host.close()

    # --- shared --------------------------------------------------------------------------------------

    @property
    def dialog(self) -> QDialog | None:
        """The security dialog that is open, if any."""
        return self.dialogs.current(SECURITY_DIALOG)

    def _open(self, dialog: Dialog) -> Dialog:
        """Window-modal and not blocking, like the window's other dialogs; tests reach it as `dialog`."""
        if self.dialogs.current(SECURITY_DIALOG) is not None:
            dialog.deleteLater()  # one security dialog at a time: the open one comes forward instead
        return self.dialogs.open(SECURITY_DIALOG, lambda: dialog)
