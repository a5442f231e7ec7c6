"""The self-check dialog: catalogue items under their headings, three-step answers, the live score, Save."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import actions, selfchecks
from boundary_journal.services.selfchecks import SelfCheckDraft
from boundary_journal.store.journal import Journal
from ui.messages import UnsavedChoice
from ui.selfcheck_dialog import GROUPS, HIGHER_INPUT_NOTICE, OVERALL, SelfCheckDialog

HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"
Typist = Callable[[QWidget, str], None]


@pytest.fixture
def make_dialog(qtbot: QtBot, journal: Journal, catalog: Catalog) -> Callable[..., SelfCheckDialog]:
    def make(pseudonyms: list[str] | None = None, relationship: str | None = None) -> SelfCheckDialog:
        dialog = SelfCheckDialog(journal, catalog, pseudonyms or [], relationship)
        dialog.asked: list[int] = []  # type: ignore[misc]
        dialog.answer = UnsavedChoice.CANCEL  # type: ignore[attr-defined]

        def confirm() -> UnsavedChoice:
            dialog.asked.append(1)  # type: ignore[attr-defined]
            return dialog.answer  # type: ignore[attr-defined]

        dialog.confirm_unsaved_changes = confirm  # type: ignore[method-assign]
        dialog.show_error = lambda error: pytest.fail(f"unexpected message box: {error}")  # type: ignore[method-assign]
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


def click_level(qtbot: QtBot, dialog: SelfCheckDialog, item_id: str, value: int) -> None:
    button = dialog.rows[item_id].level_buttons[value]
    dialog.scroll.ensureWidgetVisible(button)
    qtbot.waitUntil(lambda: button.isVisible() and not button.visibleRegion().isEmpty())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())


class TestItems:
    """Every red-flag item, grouped under its heading, answered Not at all / Somewhat / Clearly."""

    def test_headings_and_items_in_order(self, make_dialog, catalog: Catalog) -> None:
        dialog = make_dialog()
        texts = [label.text() for label in dialog.scroll.widget().findChildren(QLabel)]
        positions = [texts.index(heading) for _group, heading, _ in GROUPS]
        assert positions == sorted(positions)
        order = [flag.id for group, _h, _e in GROUPS for flag in catalog.red_flags if flag.group == group]
        assert list(dialog.rows) == order and len(order) == len(catalog.red_flags)
        for flag in catalog.red_flags:
            row = dialog.rows[flag.id]
            assert flag.text in [label.text() for label in row.findChildren(QLabel)]
            assert [b.text() for b in row.findChildren(QRadioButton)] == [lvl.label for lvl in catalog.levels]
            assert row.level_buttons[0].isChecked()  # "Not at all" until answered
            assert all(b.accessibleName() and b.accessibleDescription() == flag.text for b in row.findChildren(
                QRadioButton))
            assert row.note_edit.accessibleName()

    def test_scope_is_overall_or_a_relationship(self, make_dialog) -> None:
        dialog = make_dialog(["Client A", "Client K"], "Client K")
        combo = dialog.scope_combo
        assert [combo.itemText(i) for i in range(combo.count())] == [OVERALL, "Client A", "Client K"]
        assert dialog.relationship() == "Client K"
        assert make_dialog(["Client A"]).relationship() is None


class TestScore:
    """The score follows the answers, by the catalogue's rules; a higher-input item says what saving does."""

    def test_live_score(self, qtbot: QtBot, make_dialog, catalog: Catalog) -> None:
        dialog = make_dialog()
        maximum = selfchecks.score(catalog, {}).maximum
        assert dialog.score_label.text() == f"Score: 0% (0 of {maximum} points)"
        click_level(qtbot, dialog, "slope_look_forward", 2)
        click_level(qtbot, dialog, "pull_rescue", 1)
        expected = selfchecks.score(catalog, {"slope_look_forward": 2, "pull_rescue": 1})
        assert dialog.score_label.text() == f"Score: {expected.percent}% ({expected.points} of {maximum} points)"
        assert not dialog.higher_input_notice.isVisible()

        click_level(qtbot, dialog, "hi_pressure_secret", 1)
        assert dialog.higher_input_notice.isVisible()
        assert dialog.higher_input_notice.text() == HIGHER_INPUT_NOTICE
        assert "warrants supervision or ethics input" in HIGHER_INPUT_NOTICE.lower()
        click_level(qtbot, dialog, "hi_pressure_secret", 0)
        assert not dialog.higher_input_notice.isVisible()


class TestSave:
    """Save hands everything to the service; the dialog closes and reports what was stored."""

    def test_saved_as_answered(
        self, qtbot: QtBot, make_dialog, journal: Journal, catalog: Catalog, typist: Typist
    ) -> None:
        selfchecks.add_self_check(journal, catalog, SelfCheckDraft({"slope_look_forward": 1}, relationship="Client K"))
        dialog = make_dialog(["Client K"], "Client K")
        click_level(qtbot, dialog, "slope_think_outside_work", 2)
        click_level(qtbot, dialog, "hi_romantic_sexual", 1)
        typist(dialog.rows["hi_romantic_sexual"].note_edit, HOSTILE)
        typist(dialog.note_edit, f"Note {HOSTILE}")
        typist(dialog.context_edit, "Tired after nights")
        saved: list[object] = []
        dialog.saved.connect(lambda view, action: saved.append((view, action)))
        with qtbot.waitSignal(dialog.finished):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

        (view, action), = saved
        stored = selfchecks.list_self_checks(journal, catalog, relationship="Client K")
        assert [c.id for c in stored][-1] == view.id and len(stored) == 2
        latest = stored[-1]
        assert latest.answers["slope_think_outside_work"] == 2 and latest.answers["hi_romantic_sexual"] == 1
        assert latest.answers["slope_look_forward"] == 0  # every item answered, "not at all" included
        assert latest.item_notes == {"hi_romantic_sexual": HOSTILE}
        assert latest.note == f"Note {HOSTILE}" and latest.context == "Tired after nights"
        assert latest.higher_input == ("hi_romantic_sexual",)
        assert action is not None and action.relationship == "Client K"
        assert [a.id for a in actions.list_actions(journal, open_only=True)] == [action.id]
        assert dialog.result() == dialog.DialogCode.Accepted

    def test_an_overall_check_in_with_nothing_ticked(
        self, qtbot: QtBot, make_dialog, journal: Journal, catalog: Catalog
    ) -> None:
        dialog = make_dialog(["Client K"])
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        (check,) = selfchecks.list_self_checks(journal, catalog, overall=True)
        assert check.score.points == 0 and check.relationship is None
        assert actions.list_actions(journal) == []

    def test_a_problem_stays_inline(self, qtbot: QtBot, make_dialog, journal: Journal, catalog: Catalog) -> None:
        dialog = make_dialog()
        dialog.note_edit.setPlainText("x" * (selfchecks.MAX_NOTE_LENGTH + 1))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and dialog.error_label.isVisible()
        assert dialog.error_label.text().startswith("Not saved:")
        assert selfchecks.list_self_checks(journal, catalog) == []


class TestCancel:
    """Cancel asks before answers are lost; nothing answered, it just closes."""

    def test_cancel_when_untouched(self, qtbot: QtBot, make_dialog) -> None:
        dialog = make_dialog()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible() and dialog.asked == []

    def test_cancel_asks_and_can_go_back(
        self, qtbot: QtBot, make_dialog, journal: Journal, catalog: Catalog
    ) -> None:
        dialog = make_dialog()
        click_level(qtbot, dialog, "pull_rescue", 1)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.asked == [1] and dialog.isVisible()
        dialog.answer = UnsavedChoice.SAVE
        dialog.close()
        assert not dialog.isVisible()
        (check,) = selfchecks.list_self_checks(journal, catalog)
        assert check.answers["pull_rescue"] == 1
