"""The dialog registry: one window-modal dialog of a kind at a time, forgotten when it closes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from ui.dialog_registry import DialogRegistry


class TestDialogRegistry:
    """Open one of a kind, or raise the one already open."""

    def test_opens_window_modal_and_without_blocking(self, qtbot: QtBot) -> None:
        parent = QWidget()
        qtbot.addWidget(parent)
        parent.show()
        registry = DialogRegistry(parent)
        dialog = registry.open("settings", lambda: QDialog(parent))
        assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
        assert dialog.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        assert registry.current("settings") is dialog
        dialog.reject()

    def test_the_same_kind_again_raises_the_open_one(self, qtbot: QtBot) -> None:
        parent = QWidget()
        qtbot.addWidget(parent)
        registry = DialogRegistry(parent)
        made: list[QDialog] = []

        def make() -> QDialog:
            made.append(QDialog(parent))
            return made[-1]

        first = registry.open(QDialog, make)
        again = registry.open(QDialog, make, activate=True)
        assert again is first and len(made) == 1
        other = registry.open("another kind", make)
        assert other is not first and len(made) == 2
        first.reject()
        other.reject()

    def test_a_finished_dialog_is_forgotten_and_a_new_one_opens(self, qtbot: QtBot) -> None:
        parent = QWidget()
        qtbot.addWidget(parent)
        registry = DialogRegistry(parent)
        first = registry.open("kind", lambda: QDialog(parent))
        first.accept()
        assert registry.current("kind") is None
        second = registry.open("kind", lambda: QDialog(parent))
        assert second is not first and registry.current("kind") is second
        second.done(QDialog.DialogCode.Rejected)
        assert registry.current("kind") is None
