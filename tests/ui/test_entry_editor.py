"""The entry editor on its own: templates and their fields, phrasings, channels, the draft it builds."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import NOTE_FIELD, Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.services import entries
from boundary_journal.services.entries import TEMPLATE_FIELD_PREFIX, EntryView
from ui.entry_editor import TEMPLATE_ID_ROLE, EntryEditor

HOSTILE = "<b>&amp; Ωμέγα Привет 🙂 שלום"
PHONE = "phone_number_request"


def laid_out(widget: QWidget) -> bool:
    return widget.isVisible() and not widget.size().isEmpty()


@pytest.fixture
def editor(qtbot: QtBot, catalog: Catalog) -> EntryEditor:
    widget = EntryEditor(catalog)
    qtbot.addWidget(widget)
    widget.resize(1000, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def stored_view(**overrides: object) -> EntryView:
    values: dict[str, object] = {
        "id": 4,
        "occurred": datetime(2026, 3, 2, 17, 45),
        "relationship": "Client K",
        "category": "personal_contact",
        "channel": "text_message",
        "template": PHONE,
        "fields": {"what_happened": "Asked for my number.", "documentation_note": "Declined."},
        "tags": ("phone", "after hours"),
        "supervision": True,
        "created": datetime(2026, 3, 2),
        "updated": datetime(2026, 3, 2),
    }
    values.update(overrides)
    return EntryView(**values)  # type: ignore[arg-type]


class TestTemplates:
    """Picking a template shows its fields, labelled, with the prompt as placeholder."""

    def test_templates_are_grouped_under_category_headings(self, editor: EntryEditor, catalog: Catalog) -> None:
        combo = editor.template_combo
        model = combo.model()
        headings = [
            model.item(row).text() for row in range(model.rowCount())
            if model.item(row).data(TEMPLATE_ID_ROLE) is None
        ]
        assert headings == [c.label for c in catalog.categories]
        heading_row = next(r for r in range(model.rowCount()) if model.item(r).data(TEMPLATE_ID_ROLE) is None)
        assert not model.item(heading_row).isEnabled()
        assert combo.currentIndex() == -1 and combo.placeholderText()

    def test_typing_a_title_picks_the_template(self, editor: EntryEditor, catalog: Catalog) -> None:
        editor.template_combo.setFocus()
        QtBot.keyClicks(editor.template_combo, "Asked")  # a space would open the popup
        assert not editor.template_combo.view().isVisible()
        assert editor.current_template() is catalog.template(PHONE)

    def test_fields_appear_labelled_with_prompts(
        self, qtbot: QtBot, editor: EntryEditor, catalog: Catalog
    ) -> None:
        assert editor.field_edit("what_happened") is None
        editor.select_template(PHONE)
        template = catalog.template(PHONE)
        qtbot.waitUntil(lambda: all(editor.field_edit(f.key).isVisible() for f in template.fields))
        for spec in template.fields:
            edit = editor.field_edit(spec.key)
            assert edit.placeholderText() == spec.prompt
            assert edit.accessibleName() == spec.label
            label = next(w for w in editor.fields_box.findChildren(type(editor.heading)) if w.buddy() is edit)
            assert label.text() == (f"{spec.label} (required)" if spec.required else spec.label)
        assert editor.category_label.text().endswith(catalog.category(template.category).label)

    def test_the_template_sets_its_default_channel(self, editor: EntryEditor) -> None:
        editor.select_template("late_night_text")
        assert editor.channel_combo.currentData() == "text_message"

    def test_changing_template_keeps_what_was_typed(self, editor: EntryEditor) -> None:
        editor.select_template(PHONE)
        QtBot.keyClicks(editor.field_edit("what_happened"), "Asked at the door.")
        QtBot.keyClicks(editor.field_edit("safety_plan_checked"), "Yes, checked.")
        editor.select_template("gift_offered")
        assert editor.field_edit("what_happened").toPlainText() == "Asked at the door."
        assert editor.field_edit("safety_plan_checked") is None
        editor.select_template(PHONE)
        assert editor.field_edit("safety_plan_checked").toPlainText() == "Yes, checked."

    def test_guidance_follows_the_template(self, editor: EntryEditor, catalog: Catalog) -> None:
        editor.select_template(PHONE)
        text = editor.guidance.browser.toPlainText()
        template = catalog.template(PHONE)
        assert catalog.script(template.scripts[0]).title in text
        assert catalog.red_flag(template.red_flags[0]).text in text
        assert catalog.source_lines(template.source)[0] in text
        assert "not a crisis tool" in editor.crisis_note.text().lower()


class TestKeyboard:
    """Tab walks the form from top to bottom, through the template's fields and phrasings."""

    def test_tab_order(self, qtbot: QtBot, editor: EntryEditor) -> None:
        editor.select_template(PHONE)
        expected = [
            editor.relationship_combo, editor.when_edit, editor.channel_combo,
            editor.field_edit("what_happened"), editor.field_edit("my_response"), editor.field_edit(NOTE_FIELD),
            *editor.phrasing_buttons, editor.field_edit("reflection"),
        ]
        qtbot.waitUntil(lambda: all(laid_out(w) for w in expected))
        editor.template_combo.setFocus()
        walked: list[QWidget] = []
        for _ in range(3 * len(expected)):  # the date-time edit steps through its sections first
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            focused = QApplication.focusWidget()
            control = focused.parentWidget() if focused.parentWidget() in expected else focused
            if not walked or walked[-1] is not control:
                walked.append(control)
        walked = walked[: len(expected)]
        assert walked == expected


class TestPhrasings:
    """A phrasing goes into the documentation note at the cursor and can be edited there."""

    def test_insert_at_the_cursor(self, qtbot: QtBot, editor: EntryEditor, catalog: Catalog) -> None:
        editor.select_template(PHONE)
        note = editor.field_edit(NOTE_FIELD)
        QtBot.keyClicks(note, "Start. End.")
        cursor = note.textCursor()
        cursor.setPosition(len("Start."))
        note.setTextCursor(cursor)
        button = editor.phrasing_buttons[1]
        qtbot.waitUntil(lambda: button.isVisible() and not button.size().isEmpty())  # laid out, as seen
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

        phrasing = catalog.template(PHONE).phrasings[1]
        assert note.toPlainText() == f"Start. {phrasing} End."
        assert editor.focusWidget() is note
        QtBot.keyClicks(note, " Edited")
        assert note.toPlainText() == f"Start. {phrasing} Edited End."

    def test_one_button_per_phrasing(self, editor: EntryEditor, catalog: Catalog) -> None:
        editor.select_template(PHONE)
        assert len(editor.phrasing_buttons) == len(catalog.template(PHONE).phrasings)
        assert all(b.accessibleName() for b in editor.phrasing_buttons)


class TestChannels:
    """Channels show the article's illustrative rank, or 'not ranked' for the app's own additions."""

    def test_labels_with_risk(self, editor: EntryEditor, catalog: Catalog) -> None:
        texts = {editor.channel_combo.itemData(i): editor.channel_combo.itemText(i)
                 for i in range(editor.channel_combo.count())}
        text_message = catalog.channel("text_message")
        assert texts["text_message"] == f"{text_message.label} — illustrative rank 85/100"
        assert texts["in_person"].endswith("— not ranked")


class TestDraft:
    """The draft holds exactly what was typed; the editor knows when it differs from the journal."""

    def test_draft_collects_everything(self, editor: EntryEditor, typist) -> None:
        editor.select_template(PHONE)
        QtBot.keyClicks(editor.relationship_combo.lineEdit(), "Client K")
        typist(editor.field_edit("what_happened"), HOSTILE)
        QtBot.keyClicks(editor.tags_edit, "phone, , after hours ")
        QtBot.keyClick(editor.supervision_check, Qt.Key.Key_Space)
        draft = editor.draft()
        assert draft.template == PHONE
        assert draft.relationship == "Client K"
        assert draft.fields["what_happened"] == HOSTILE
        assert list(draft.tags) == ["phone", "after hours"]
        assert draft.supervision is True
        assert abs((datetime.now() - draft.occurred).total_seconds()) < 120  # dated now by default
        assert editor.when_edit.calendarPopup()

    def test_no_template_no_draft(self, editor: EntryEditor) -> None:
        with pytest.raises(InvalidInput, match="template"):
            editor.draft()

    def test_dirty_only_after_typing(self, editor: EntryEditor) -> None:
        assert not editor.is_dirty()
        editor.select_template(PHONE)
        assert not editor.is_dirty()  # choosing a template is not yet something to lose
        QtBot.keyClicks(editor.field_edit("reflection"), "x")
        assert editor.is_dirty()

    def test_a_loaded_entry_is_clean_until_changed(self, editor: EntryEditor) -> None:
        view = stored_view(fields={"what_happened": HOSTILE, "documentation_note": "Declined."})
        editor.load_entry(view)
        assert not editor.is_dirty()
        assert editor.entry_id() == 4
        assert editor.field_edit("what_happened").toPlainText() == HOSTILE
        assert editor.channel_combo.currentData() == "text_message"
        assert editor.tags_edit.text() == "phone, after hours"
        assert editor.supervision_check.isChecked()
        editor.supervision_check.setChecked(False)
        assert editor.is_dirty()
        editor.supervision_check.setChecked(True)
        assert not editor.is_dirty()

    def test_a_draft_of_a_loaded_entry_round_trips(self, editor: EntryEditor) -> None:
        view = stored_view(relationship=HOSTILE, fields={"what_happened": HOSTILE, "documentation_note": "N"})
        editor.load_entry(view)
        draft = editor.draft()
        assert draft.relationship == HOSTILE
        assert draft.fields["what_happened"] == HOSTILE
        assert draft.occurred == view.occurred


class TestErrors:
    """A problem from the services stays visible in the editor and focuses the field it is about."""

    def test_missing_required_field_is_focused(self, editor: EntryEditor) -> None:
        editor.select_template(PHONE)
        QtBot.keyClicks(editor.field_edit("what_happened"), "Asked.")
        editor.show_error(InvalidInput("Please fill in: Documentation note.", field=TEMPLATE_FIELD_PREFIX + NOTE_FIELD))
        assert editor.error_label.isVisible()
        assert "Documentation note" in editor.error_label.text()
        assert editor.focusWidget() is editor.field_edit(NOTE_FIELD)

    def test_pseudonym_problem_focuses_the_relationship(self, editor: EntryEditor) -> None:
        editor.select_template(PHONE)
        editor.show_error(InvalidInput("Give the relationship a pseudonym, such as 'Client K'.", field="pseudonym"))
        assert editor.focusWidget() in (editor.relationship_combo, editor.relationship_combo.lineEdit())

    def test_the_field_is_found_by_its_name_not_by_the_words(self, editor: EntryEditor) -> None:
        """A message that speaks of a pseudonym but names the date field goes to the date."""
        editor.select_template(PHONE)
        editor.show_error(InvalidInput("The pseudonym's date of 1900-01-01 is before 1950.", field="when"))
        assert editor.focusWidget() is editor.when_edit

    def test_a_message_alone_moves_no_focus(self, editor: EntryEditor) -> None:
        editor.select_template(PHONE)
        editor.tags_edit.setFocus()
        editor.show_error("Give the relationship a pseudonym, such as 'Client K'.")
        assert editor.focusWidget() is editor.tags_edit

    def test_a_service_refusal_focuses_the_field_it_names(self, editor: EntryEditor, catalog: Catalog) -> None:
        editor.select_template(PHONE)
        QtBot.keyClicks(editor.field_edit("what_happened"), "Asked.")
        editor.relationship_combo.setEditText("Client K")
        with pytest.raises(InvalidInput) as refused:
            entries.validate_draft(catalog, editor.draft())
        editor.show_error(refused.value)
        assert editor.focusWidget() is editor.field_edit(NOTE_FIELD)

    def test_error_text_is_plain(self, editor: EntryEditor) -> None:
        editor.show_error(HOSTILE)
        assert editor.error_label.textFormat() == Qt.TextFormat.PlainText
        assert HOSTILE in editor.error_label.text()

    def test_an_entry_whose_template_is_gone_can_be_read(self, editor: EntryEditor) -> None:
        editor.load_entry(stored_view(template="retired_template"))
        assert editor.error_label.isVisible() and "retired_template" in editor.error_label.text()
        with pytest.raises(InvalidInput):
            editor.draft()

    def test_loading_clears_the_error(self, editor: EntryEditor) -> None:
        editor.show_error("Something.")
        editor.load_entry(stored_view())
        assert not editor.error_label.isVisible()


def test_cursor_helpers_are_plain_text(editor: EntryEditor) -> None:
    """Field editors are plain-text widgets: markup typed stays characters."""
    editor.select_template(PHONE)
    note = editor.field_edit(NOTE_FIELD)
    note.setPlainText(HOSTILE)
    note.moveCursor(QTextCursor.MoveOperation.End)
    assert note.toPlainText() == HOSTILE


class TestEscalationAndReview:
    """The decision-flow answers and the look-back at my response go into the draft and come back on load."""

    def test_draft_holds_flow_and_review(self, qtbot: QtBot, editor: EntryEditor) -> None:
        editor.select_template(PHONE)
        assert editor.guide.isVisible() and editor.review.isVisible()
        assert not editor.is_dirty()
        editor.guide.answer_buttons["dual_role"][0].click()
        assert editor.is_dirty()  # an answer is something to lose, even with nothing typed
        editor.guide.answer_buttons["prescribing"][1].click()
        editor.review.boxes["over_justification"].click()
        draft = editor.draft()
        assert draft.flow == {"dual_role": "yes", "prescribing": "no"}
        assert draft.response_review == {"over_justification": True}

    def test_only_declined_requests_ask_for_the_look_back(self, editor: EntryEditor, catalog: Catalog) -> None:
        without = next(t for t in catalog.templates if not t.review_response)
        editor.select_template(PHONE)
        editor.review.boxes["over_justification"].click()
        editor.review.boxes["personal_channel"].click()
        editor.select_template(without.id)
        # "What I did on my side" is asked of every entry; the look-back only of declined requests.
        assert editor.guide.isVisible() and editor.review.isVisible()
        assert not editor.review.boxes["over_justification"].isVisible()
        assert editor.review.boxes["personal_channel"].isVisible()
        assert editor.draft().response_review == {"personal_channel": True}

    def test_no_template_no_guide(self, editor: EntryEditor) -> None:
        assert not editor.guide.isVisible() and not editor.review.isVisible()

    def test_a_loaded_entry_shows_its_answers(self, editor: EntryEditor) -> None:
        view = stored_view(
            flow={"acute_risk": "yes", "outside_channels": "no"}, response_review={"bring_into_work": True}
        )
        editor.load_entry(view)
        assert editor.guide.flow() == {"acute_risk": "yes", "outside_channels": "no"}
        assert editor.guide.acute_notice.isVisible()
        assert editor.review.moves() == {"bring_into_work": True}
        assert not editor.is_dirty()
        editor.guide.answer_buttons["outside_channels"][1].click()  # cleared
        assert editor.is_dirty()
        editor.guide.answer_buttons["outside_channels"][1].click()
        assert not editor.is_dirty()
        editor.new_entry()
        assert editor.guide.flow() == {} and editor.review.moves() == {}


class TestLanguageCheck:
    """The documentation note, and only it, is checked; loading an entry shows its findings."""

    def test_only_the_note_is_checked(self, qtbot: QtBot, editor: EntryEditor) -> None:
        editor.select_template(PHONE)
        QtBot.keyClicks(editor.field_edit("what_happened"), "She was manipulative.")
        assert editor.language.findings() == []
        QtBot.keyClicks(editor.field_edit(NOTE_FIELD), "She was manipulative.")
        assert [f.word for f in editor.language.findings()] == ["manipulative"]
        qtbot.waitUntil(editor.language.isVisible)

    def test_loading_and_switching_templates(self, editor: EntryEditor) -> None:
        editor.load_entry(stored_view(fields={"what_happened": "x", "documentation_note": "Needy again."}))
        assert [f.word for f in editor.language.findings()] == ["Needy"]
        editor.select_template("gift_offered")  # the note is carried over and checked in its new field
        assert [f.word for f in editor.language.findings()] == ["Needy"]
        editor.field_edit(NOTE_FIELD).setPlainText("Calm.")
        assert editor.language.findings() == []

    def test_finding_buttons_join_the_tab_order(self, qtbot: QtBot, editor: EntryEditor) -> None:
        editor.select_template(PHONE)
        note = editor.field_edit(NOTE_FIELD)
        QtBot.keyClicks(note, "Crazy.")
        (button,) = editor.language.buttons
        qtbot.waitUntil(lambda: laid_out(button))
        note.setFocus()
        qtbot.keyClick(note, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is button


class TestNextStepAction:
    """Under the next step, a button asks for it to become an action; only for a saved entry without changes."""

    def test_offered_for_a_saved_entry_only(self, qtbot: QtBot, editor: EntryEditor) -> None:
        assert not editor.next_step_row.isVisibleTo(editor)  # no template, no next step field
        editor.select_template(PHONE)
        assert editor.next_step_row.isVisibleTo(editor)
        assert not editor.next_step_button.isEnabled()  # a new entry is not saved yet
        editor.load_entry(stored_view(fields={"what_happened": "x", "documentation_note": "y",
                                              "next_step": "Call the team"}))
        assert editor.next_step_button.isEnabled()
        QtBot.keyClicks(editor.field_edit("next_step"), " today")
        assert not editor.next_step_button.isEnabled()
        assert "Save the entry first" in editor.next_step_button.toolTip()
        with qtbot.waitSignal(editor.action_requested):
            editor.load_entry(stored_view())
            editor.next_step_button.click()

    def test_follows_the_next_step_field(self, editor: EntryEditor) -> None:
        editor.select_template("gift_offered")
        layout = editor.fields_layout
        widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
        assert widgets.index(editor.next_step_row) == widgets.index(editor.field_edit("next_step")) + 1


class TestUnsavedDraft:
    """What the editor holds goes into a draft for the journal and comes back exactly, unsaved."""

    def _type_everything(self, editor: EntryEditor, typist) -> None:
        QtBot.keyClicks(editor.relationship_combo.lineEdit(), "Client K")
        typist(editor.field_edit("reflection"), HOSTILE)
        editor.channel_combo.setFocus()
        QtBot.keyClick(editor.channel_combo, Qt.Key.Key_Home)  # arrow keys pick, as a user does
        for _ in range(editor.channel_combo.count()):
            if editor.channel_combo.currentData() == "social_dm":
                break
            QtBot.keyClick(editor.channel_combo, Qt.Key.Key_Down)
        QtBot.keyClicks(editor.tags_edit, "phone, after hours")
        QtBot.keyClick(editor.supervision_check, Qt.Key.Key_Space)
        rule_id = next(iter(editor.guide.answer_buttons))
        editor.guide.answer_buttons[rule_id][0].click()
        next(iter(editor.review.boxes.values())).click()

    def test_a_new_entry_round_trips(self, editor: EntryEditor, typist) -> None:
        editor.select_template(PHONE)
        self._type_everything(editor, typist)
        draft = editor.unsaved_draft()
        assert draft.entry_id is None and draft.template == PHONE and draft.channel == "social_dm"
        assert draft.fields == {"reflection": HOSTILE} and draft.tags == ["phone", "after hours"]
        assert draft.flow and draft.response_review and draft.supervision

        editor.new_entry()
        assert not editor.is_dirty()
        editor.restore_draft(draft)
        assert editor.unsaved_draft() == draft
        assert editor.is_dirty() and editor.heading.text() == "New entry"

    def test_changes_to_a_stored_entry_stay_unsaved(self, editor: EntryEditor, typist) -> None:
        view = stored_view()
        editor.load_entry(view)
        typist(editor.field_edit("reflection"), HOSTILE)
        draft = editor.unsaved_draft()
        assert draft.entry_id == view.id and draft.channel == "text_message"

        editor.new_entry()
        editor.restore_draft(draft, view)
        assert editor.entry_id() == view.id
        assert editor.field_edit("reflection").toPlainText() == HOSTILE
        assert editor.field_edit("what_happened").toPlainText() == "Asked for my number."
        assert editor.is_dirty()  # compared with the stored entry, not with the draft
        assert editor.heading.text().startswith("Entry of 2026-03-02 17:45")
        editor.field_edit("reflection").clear()
        assert not editor.is_dirty()
