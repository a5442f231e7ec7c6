"""The export dialog: choose a summary or a brief, resolve likely identifiers, write the PDF off the UI thread."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from boundary_journal.services import entries, export_formats, relationships, settings
from boundary_journal.services.entries import EntryView
from boundary_journal.store.journal import Journal
from ui.export_dialog import BRIEF, CHECK_FIRST, ExportDialog, this_month

NOW = datetime(2026, 3, 14, 10, 0)
PHONE = "+44 20 7946 0958"
NOTE = f"Patient asked me to call back on {PHONE} after hours; declined."


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.accessibleName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def pdf_text(path: Path) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(path).pages)


@pytest.fixture
def make_dialog(qtbot: QtBot, journal: Journal, catalog: Catalog) -> Callable[..., ExportDialog]:
    def make(chosen: str = "", mode: str = "summary") -> ExportDialog:
        pseudonyms = [r.pseudonym for r in relationships.list_relationships(journal)]
        dialog = ExportDialog(journal, catalog, pseudonyms, now=NOW, mode=mode)
        dialog.choose_path = lambda: chosen  # type: ignore[method-assign]
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return make


@pytest.fixture
def with_phone(stored: Callable[..., EntryView]) -> EntryView:
    return stored(
        occurred=datetime(2026, 3, 2, 17, 45),
        supervision=True,
        fields={"what_happened": "Asked at the door for my number.", "documentation_note": NOTE},
    )


def export_and_wait(qtbot: QtBot, dialog: ExportDialog) -> None:
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: not dialog.is_busy() and (dialog.open_folder_button.isVisible()
                                                      or dialog.error_label.isVisible()), timeout=20_000)


def test_this_month() -> None:
    assert this_month(date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert this_month(date(2024, 12, 31)) == (date(2024, 12, 1), date(2024, 12, 31))


class TestDefaults:
    """A supervision summary of this month, marked entries only; nothing can be exported before the check."""

    def test_this_month_marked_only(self, make_dialog) -> None:
        dialog = make_dialog()
        assert dialog.summary_radio.isChecked()
        assert dialog.from_edit.date() == QDate(2026, 3, 1)
        assert dialog.to_edit.date() == QDate(2026, 3, 31)
        assert dialog.supervised_radio.isChecked()
        assert not dialog.export_button.isEnabled()

    def test_no_relationships_no_brief(self, make_dialog) -> None:
        assert not make_dialog().brief_radio.isEnabled()


class TestFindings:
    """Every finding is listed in its context and blocks the export until it is resolved or accepted."""

    def test_listed_with_context(self, qtbot: QtBot, make_dialog, with_phone: EntryView) -> None:
        dialog = make_dialog()
        click(qtbot, dialog.check_button)
        texts = [dialog.findings_list.item(i).text() for i in range(dialog.findings_list.count())]
        assert len(texts) == 1
        assert "Documentation note" in texts[0] and "Phone number" in texts[0]
        assert f"«{PHONE}»" in texts[0]
        assert dialog.findings_notice.text() == "1 likely identifier found"
        assert not dialog.export_button.isEnabled()

    def test_redact_then_export(self, qtbot: QtBot, make_dialog, with_phone: EntryView, tmp_path: Path) -> None:
        dialog = make_dialog(chosen=str(tmp_path / "summary.pdf"))
        click(qtbot, dialog.check_button)
        click(qtbot, dialog.redact_button)
        assert dialog.findings_list.count() == 0
        assert "No likely identifiers found" in dialog.check_status.text()
        assert not dialog.anyway_check.isVisible()
        export_and_wait(qtbot, dialog)

        assert not dialog.error_label.isVisible(), dialog.error_label.text()
        assert dialog.folder == tmp_path
        assert dialog.open_folder_button.isVisible()
        text = pdf_text(tmp_path / "summary.pdf")
        assert "7946" not in text
        assert "[redacted]" in text
        # The journal keeps the text; only this export was redacted.
        assert entries.get_entry(dialog.journal, with_phone.id).fields["documentation_note"] == NOTE

    def test_a_phone_number_cannot_be_marked_not_identifying(
        self, qtbot: QtBot, make_dialog, with_phone: EntryView, journal: Journal
    ) -> None:
        dialog = make_dialog()
        click(qtbot, dialog.check_button)
        assert dialog.findings_list.count() == 1 and dialog.redact_button.isEnabled()
        assert not dialog.not_identifying_button.isEnabled()  # only a name can be; a number is redacted or edited
        assert settings.not_identifying(journal) == []

    def test_a_name_is_remembered_as_not_identifying(
        self, qtbot: QtBot, make_dialog, stored, journal: Journal
    ) -> None:
        stored(supervision=True, fields={"what_happened": "Asked at the door.",
                                         "documentation_note": "Declined; Westfield rang the ward."})
        dialog = make_dialog()
        click(qtbot, dialog.check_button)
        assert dialog.findings_list.count() == 1
        click(qtbot, dialog.not_identifying_button)
        assert settings.not_identifying(journal) == ["Westfield"]
        assert dialog.findings_list.count() == 0
        assert dialog.export_button.isEnabled()

    def test_edit_the_source(self, qtbot: QtBot, make_dialog, with_phone: EntryView, journal: Journal) -> None:
        dialog = make_dialog()
        click(qtbot, dialog.check_button)
        asked: list[tuple[str, str]] = []

        def answer(where: str, text: str) -> str:
            asked.append((where, text))
            return text.replace(PHONE, "a personal number")

        dialog.ask_source_text = answer  # type: ignore[method-assign]
        click(qtbot, dialog.edit_source_button)
        assert asked and asked[0][1] == NOTE and "Documentation note" in asked[0][0]
        stored = entries.get_entry(journal, with_phone.id)
        assert stored.fields["documentation_note"] == NOTE.replace(PHONE, "a personal number")
        assert stored.supervision and stored.relationship == with_phone.relationship
        assert dialog.edited_entries == {with_phone.id}
        assert dialog.findings_list.count() == 0

    def test_export_anyway(self, qtbot: QtBot, make_dialog, with_phone: EntryView, tmp_path: Path) -> None:
        dialog = make_dialog(chosen=str(tmp_path / "anyway"))
        click(qtbot, dialog.check_button)
        assert dialog.anyway_check.text() == "Export anyway with 1 finding left in"
        dialog.anyway_check.click()
        assert dialog.export_button.isEnabled()
        export_and_wait(qtbot, dialog)
        out = tmp_path / "anyway.pdf"
        assert "7946" in pdf_text(out)
        assert "1 finding left in" in dialog.result_message

    def test_a_change_needs_a_new_check(self, qtbot: QtBot, make_dialog, with_phone: EntryView) -> None:
        dialog = make_dialog()
        click(qtbot, dialog.check_button)
        dialog.redact_button.click()
        assert dialog.export_button.isEnabled()
        qtbot.keyClicks(dialog.questions_edit, "Call Maria Lopez?")
        assert not dialog.export_button.isEnabled()
        click(qtbot, dialog.check_button)
        assert any("Maria Lopez" in dialog.findings_list.item(i).text() for i in range(dialog.findings_list.count()))

    def test_a_pseudonym_with_an_identifier_is_a_finding(
        self, qtbot: QtBot, make_dialog, stored, journal: Journal, tmp_path: Path
    ) -> None:
        with journal.transaction() as session:  # as a journal of an earlier version may hold it (no check then)
            relationships.get_or_create_relationship(session, f"Client K {PHONE}", check=False)
        stored(relationship=f"Client K {PHONE}", supervision=True)
        dialog = make_dialog(chosen=str(tmp_path / "summary.pdf"))
        click(qtbot, dialog.check_button)
        [text] = [dialog.findings_list.item(i).text() for i in range(dialog.findings_list.count())]
        assert text.startswith(f"Relationship · Client K {PHONE}") and f"«{PHONE}»" in text
        click(qtbot, dialog.edit_source_button)  # a pseudonym is not edited here: the dialog says what to do
        assert "cannot be renamed" in dialog.error_label.text()
        click(qtbot, dialog.redact_button)
        assert dialog.findings_list.count() == 0
        export_and_wait(qtbot, dialog)
        text = pdf_text(tmp_path / "summary.pdf")
        assert "7946" not in text and "Client K [redacted]" in text

    def test_not_identifying_on_a_pseudonym_confirms_that_pseudonym_only(
        self, qtbot: QtBot, make_dialog, stored, journal: Journal, tmp_path: Path
    ) -> None:
        with journal.transaction() as session:  # as a journal of an earlier version may hold it (no check then)
            relationships.get_or_create_relationship(session, "Rose", check=False)
        stored(relationship="Rose", supervision=True)
        dialog = make_dialog(chosen=str(tmp_path / "summary.pdf"))
        click(qtbot, dialog.check_button)
        assert dialog.findings_list.count() == 1
        click(qtbot, dialog.not_identifying_button)
        assert dialog.findings_list.count() == 0
        assert relationships.confirmed_pseudonyms(journal) == {"rose"} and settings.not_identifying(journal) == []


class TestBrief:
    """The brief saves the relationship's context and consent, then writes the brief."""

    def test_saves_and_writes(self, qtbot: QtBot, make_dialog, stored, journal: Journal, tmp_path: Path) -> None:
        stored()
        dialog = make_dialog(chosen=str(tmp_path / "brief.pdf"), mode=BRIEF)
        assert dialog.brief_radio.isChecked()
        assert dialog.relationship_combo.currentText() == "Client K"
        qtbot.keyClicks(dialog.context_edits["emergency"], "Evening crisis, no on-call reachable")
        qtbot.keyClicks(dialog.consent_edits["scope"], "Clinic phone only, office hours")
        click(qtbot, dialog.check_button)
        detail = relationships.get_relationship(journal, "Client K")
        assert detail.context == {"emergency": "Evening crisis, no on-call reachable"}
        assert detail.consent == {"scope": "Clinic phone only, office hours"}
        if dialog.findings_list.count():
            dialog.anyway_check.click()
        export_and_wait(qtbot, dialog)
        text = pdf_text(tmp_path / "brief.pdf")
        assert "Client K" in text and "Clinic phone only" in text

    def test_questions_come_first_in_the_brief(self, qtbot: QtBot, make_dialog, stored, tmp_path: Path) -> None:
        stored()
        dialog = make_dialog(chosen=str(tmp_path / "brief.pdf"), mode=BRIEF)
        assert dialog.questions_edit.isVisible()
        qtbot.keyClicks(dialog.questions_edit, "Was holding the line enough?")
        click(qtbot, dialog.check_button)
        if dialog.findings_list.count():
            dialog.anyway_check.click()
        export_and_wait(qtbot, dialog)
        text = pdf_text(tmp_path / "brief.pdf")
        assert text.index("Questions for the consultation") < text.index("1. Was holding the line enough?") \
            < text.index("Context") < text.index("Chronology")


class TestCharacters:
    """Characters the PDF's fonts cannot draw are named before saving, and printed by name, not dropped."""

    def test_emoji_is_reported_before_export(self, qtbot: QtBot, make_dialog, stored, tmp_path: Path) -> None:
        stored(supervision=True, fields={"what_happened": "Sent me 👍 and 患者.", "documentation_note": "Noted."})
        dialog = make_dialog(chosen=str(tmp_path / "summary.pdf"))
        assert not dialog.fonts_notice.isVisible()
        click(qtbot, dialog.check_button)
        assert dialog.fonts_notice.isVisible()
        notice = dialog.fonts_notice.text()
        assert "What happened" in notice and "👍 (thumbs up sign)" in notice
        assert "患" not in notice  # drawn by the bundled CJK font
        if dialog.findings_list.count():
            dialog.anyway_check.click()
        export_and_wait(qtbot, dialog)
        assert "[thumbs up sign]" in pdf_text(tmp_path / "summary.pdf")


class TestProblems:
    """A bad path or a bad period is shown inline; nothing is written."""

    def test_missing_folder(self, qtbot: QtBot, make_dialog, tmp_path: Path) -> None:
        dialog = make_dialog(chosen=str(tmp_path / "nowhere" / "out.pdf"))
        click(qtbot, dialog.check_button)
        click(qtbot, dialog.export_button)
        assert dialog.isVisible() and dialog.error_label.isVisible()
        assert "does not exist" in dialog.error_label.text()
        assert not dialog.open_folder_button.isVisible()

    def test_a_folder_is_not_a_file(self, qtbot: QtBot, make_dialog, tmp_path: Path) -> None:
        dialog = make_dialog(chosen=str(tmp_path))
        click(qtbot, dialog.check_button)
        click(qtbot, dialog.export_button)
        assert "is a folder" in dialog.error_label.text()

    def test_period_backwards(self, qtbot: QtBot, make_dialog) -> None:
        dialog = make_dialog()
        dialog.from_edit.setDate(QDate(2026, 3, 20))
        dialog.to_edit.setDate(QDate(2026, 3, 1))
        click(qtbot, dialog.check_button)
        assert "after the end date" in dialog.error_label.text()
        assert not dialog.export_button.isEnabled()

    def test_markup_is_shown_as_text(self, qtbot: QtBot, make_dialog, stored, tmp_path: Path) -> None:
        stored(supervision=True, fields={
            "what_happened": "Form filled.", "documentation_note": "Wrote <b>Jonas Weber</b> on the form."})
        dialog = make_dialog()
        click(qtbot, dialog.check_button)
        assert "<b>" in dialog.findings_list.item(0).text()


class TestFormats:
    """The choices are the registry's formats; the JSON export is written from the window too, unchecked."""

    def test_the_choices_come_from_the_registry(self, make_dialog, monkeypatch: pytest.MonkeyPatch) -> None:
        dialog = make_dialog()
        assert [radio.accessibleName() for radio in dialog.format_radios.values()] == [
            f.label for f in export_formats.FORMATS]
        assert dialog.summary_radio.text() == "&Supervision summary"
        plain = replace(export_formats.format_named("json"), name="text", label="Plain text", kind="text",
                        extension=".txt", shortcut="P", description="Everything as plain text.")
        monkeypatch.setattr(export_formats, "FORMATS", (*export_formats.FORMATS, plain))
        added = make_dialog()
        click_radio = added.format_radios["text"]
        assert click_radio.text() == "&Plain text"
        click_radio.setChecked(True)
        assert added.windowTitle() == "Export text — Plain text"
        assert not added.display_name_edit.isVisible()

    def test_json_is_written_without_a_check(
        self, qtbot: QtBot, make_dialog, with_phone: EntryView, tmp_path: Path
    ) -> None:
        out = tmp_path / "everything"
        dialog = make_dialog(str(out))
        click(qtbot, dialog.json_radio)
        assert dialog.windowTitle() == "Export JSON — Everything as JSON"
        assert not dialog.check_button.isEnabled() and not dialog.questions_edit.isVisible()
        assert "not checked for identifiers" in dialog.check_status.text()
        export_and_wait(qtbot, dialog)
        assert not dialog.error_label.isVisible(), dialog.error_label.text()
        written = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
        assert written["entries"][0]["fields"]["documentation_note"] == NOTE  # everything, the phone number too
        assert dialog.result_message == f"Exported to {out.with_suffix('.json')}"

    def test_back_to_a_pdf_needs_the_check_again(self, qtbot: QtBot, make_dialog, with_phone: EntryView) -> None:
        dialog = make_dialog()
        click(qtbot, dialog.json_radio)
        assert dialog.export_button.isEnabled()
        click(qtbot, dialog.summary_radio)
        assert not dialog.export_button.isEnabled() and dialog.check_button.isEnabled()
        assert dialog.check_status.text() == CHECK_FIRST
