"""The one place that builds message boxes: errors, the unsaved-changes question, a line of text to type."""

from __future__ import annotations

import enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel, QMessageBox, QWidget

from boundary_journal import APP_NAME
from boundary_journal.errors import UserError, disk_full


class UnsavedChoice(enum.Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def error_text(error: BaseException | str) -> str:
    """What the user reads: a UserError's own sentence, a full disk said as such, or a plain note that this is
    a bug."""
    if isinstance(error, str | UserError):
        return str(error)
    full = disk_full(error)
    if full is not None:
        return str(full)
    return (
        "Something went wrong that should not have (a bug in Boundary Journal). "
        f"Nothing else was changed.\n\n{type(error).__name__}: {error}"
    )


def show_error(parent: QWidget | None, error: BaseException | str, *, title: str = APP_NAME) -> None:
    """A modal warning box with the error's message; plain text, never markup."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, error_text(error), QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName("Problem")
    box.exec()


def ask_open_sample_journal(parent: QWidget | None, text: str) -> bool:
    """Open the sample journal (in a new window), or not."""
    box = QMessageBox(QMessageBox.Icon.Information, "Explore a sample journal", text,
                      QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the passphrase can be copied
    open_button = box.addButton("Open the Sample Journal", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(open_button)
    box.setAccessibleName("Explore a sample journal")
    box.exec()
    return box.clickedButton() is open_button


def ask_confirm_pseudonym(parent: QWidget | None, pseudonym: str, why: str) -> bool:
    """Keep a new pseudonym that the identifier check takes for a name ("Rose" for a ward), or change it."""
    box = QMessageBox(QMessageBox.Icon.Question, "Pseudonym looks like a name",
                      f"{why}\n\nIs “{pseudonym}” a pseudonym that only looks like a name?",
                      QMessageBox.StandardButton.Cancel, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    keep = box.addButton("Keep as Pseudonym", QMessageBox.ButtonRole.AcceptRole)
    box.button(QMessageBox.StandardButton.Cancel).setText("Change It")
    box.setDefaultButton(box.button(QMessageBox.StandardButton.Cancel))
    box.setAccessibleName("Pseudonym looks like a name")
    box.exec()
    return box.clickedButton() is keep


def ask_unsaved_changes(parent: QWidget | None, what: str = "This entry") -> UnsavedChoice:
    """Save / Discard / Cancel for an editor with changes that are not saved yet."""
    buttons = (
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    box = QMessageBox(
        QMessageBox.Icon.Question, APP_NAME, f"{what} has changes that are not saved yet.", buttons, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText("Save them, discard them, or go back to the entry?")
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    box.setAccessibleName("Unsaved changes")
    box.exec()
    answer = box.standardButton(box.clickedButton()) if box.clickedButton() else None
    if answer == QMessageBox.StandardButton.Save:
        return UnsavedChoice.SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return UnsavedChoice.DISCARD
    return UnsavedChoice.CANCEL


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A few lines of text typed by the user (may be empty); None when they cancel. The label is plain text."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(title)
    dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
    dialog.setLabelText(label)
    dialog.setTextValue(text)
    for child in dialog.findChildren(QLabel):
        child.setTextFormat(Qt.TextFormat.PlainText)  # the label may quote a pseudonym: show it, never parse it
        child.setWordWrap(True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    """A modal note that something finished (a backup saved, everything deleted); plain text, never markup."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName(title)
    box.exec()


class DraftChoice(enum.Enum):
    RESTORE = "restore"
    DISCARD = "discard"
    LATER = "later"  # the box was closed without an answer (the window locked): keep the draft for next time


def ask_restore_draft(parent: QWidget | None, saved_at: str, what: str) -> DraftChoice:
    """Restore / Discard for a draft the editor left behind when the app last ended without saving it."""
    text = f"A draft from {saved_at} was not saved."
    box = QMessageBox(QMessageBox.Icon.Question, APP_NAME, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(f"It is {what}. Restore it in the editor, or discard it?")
    restore = box.addButton("&Restore it", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    restore.setAccessibleName("Restore the draft")
    discard.setAccessibleName("Discard the draft")
    box.setDefaultButton(restore)
    box.setAccessibleName("Unsaved draft")
    box.exec()
    if box.clickedButton() is restore:
        return DraftChoice.RESTORE
    if box.clickedButton() is discard:
        return DraftChoice.DISCARD
    return DraftChoice.LATER
