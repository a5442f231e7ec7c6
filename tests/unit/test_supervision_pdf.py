"""The supervision summary and the ethics-consult brief as PDFs: sections, outline, chart, text, pages, metadata."""

from __future__ import annotations

import gc
import getpass
import re
import shutil
import subprocess
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.report import (
    BRIEF_NOTE,
    BRIEF_SECTIONS,
    SUPERVISION_NOTE,
    SUPERVISION_SECTIONS,
    write_brief_pdf,
    write_supervision_pdf,
)
from boundary_journal.services.exports import (
    ActionRecord,
    Count,
    EntryRecord,
    EthicsBrief,
    ExerciseRecord,
    FieldText,
    FlowAnswer,
    LabelledText,
    RelationshipStage,
    StageMark,
    SupervisionPacket,
    Trend,
    TrendPoint,
)
from boundary_journal.services.relationships import CONSENT_FIELDS, CONTEXT_FIELDS

MARKUP = "<b>not bold</b> & <font color=red>not red</font>"
NON_LATIN = ("Ωμέγα", "Привет", "naïve")
MADE = datetime(2026, 11, 2, 9, 30)


def entry(entry_id: int = 1, **changes: object) -> EntryRecord:
    values: dict[str, object] = {
        "id": entry_id,
        "occurred": datetime(2026, 10, 9, 23, 12),
        "relationship": "Client K",
        "category": "messaging",
        "category_label": "Texts, DMs, personal email and late-night messages",
        "channel": "text_message",
        "channel_label": "Text message (personal phone)",
        "channel_risk": 85,
        "template": "late_night_text",
        "template_title": "Late-night text on my personal phone",
        "supervision": True,
        "fields": (
            FieldText("what_happened", "What happened", f"Quoted: {MARKUP}"),
            FieldText("my_response", "How I responded", "Replied next day through the portal.\nSecond line."),
            FieldText("documentation_note", "Documentation note", "Patient texted after hours; redirected."),
            FieldText("reflection", "Reflection", f"Felt the pull. {' '.join(NON_LATIN)}"),
            FieldText("next_step", "Next step", "Raise it in supervision."),
        ),
        "tags": ("after hours", "<tag>"),
        "flow": (FlowAnswer("acute_risk", "Does the request signal acute risk?", "no"),
                 FlowAnswer("outside_channels", "Is communication outside approved channels?", "yes")),
        "steps": ("Redirect to clinic systems and document", "Consult your supervisor or the ethics service"),
        "response_moves": ("Over-justification (tends to make it worse)",),
    }
    values.update(changes)
    return EntryRecord(**values)  # type: ignore[arg-type]


REASON = ("Stage 4: The author noted thinking of this patient outside work, telling themselves it is only a "
          "friendship, or unease at someone reading their messages (1 item at the check-in of 2026-10-09)")
HELD = ("In the author's favour: 2 requests, remarks or gifts from the patient met with a documented professional "
        "response")


def trend(relationship: str | None = "Client K", *, points: int = 4, marks: bool = True) -> Trend:
    scores = [6, 11, 17, 22, 30, 41, 38, 45]
    stage_changes = (
        StageMark(relationship or "", datetime(2026, 10, 3, 9), 2, "Increased availability", 1, "More time asked."),
        StageMark(relationship or "", datetime(2026, 10, 10, 9), 3, "Personal channel shift", 2, f"Note {MARKUP}"),
    ) if marks else ()
    return Trend(
        relationship,
        tuple(TrendPoint(datetime(2026, 10, 3 + 7 * i, 18), scores[i % len(scores)]) for i in range(points)),
        stage_changes,
    )


def packet(**changes: object) -> SupervisionPacket:
    values: dict[str, object] = {
        "date_from": date(2026, 10, 1),
        "date_to": date(2026, 10, 31),
        "made": MADE,
        "display_name": "Dr Ωμέγα & <Co>",
        "all_entries": False,
        "entries_in_period": 7,
        "categories": (Count("messaging", "Texts, DMs, personal email and late-night messages", 4),
                       Count("gifts_money_favours", "Gifts, money and favours", 3)),
        "channels": (Count("text_message", "Text message (personal phone)", 4, 85),
                     Count("in_person", "In person (in a session or on the ward)", 3, None)),
        "relationships": (RelationshipStage("Client K", 4, 3, "Personal channel shift", 4, "Emotional entanglement",
                                            "based on the last 90 days to 2026-10-31", (REASON,)),
                          RelationshipStage("Привет client", 3, None, "", None, "",
                                            "based on the last 90 days to 2026-10-31", (HELD,))),
        "trends": (trend(None, marks=False), trend()),
        "entries": (entry(1), entry(2, occurred=datetime(2026, 10, 20, 19), relationship="Привет client")),
        "exercises": (
            ExerciseRecord(1, "2026-W41", date(2026, 10, 7), "Client K", "talk_to_supervisor", "Talk to a supervisor",
                           "done", "Done", f"She asks for one more thing {MARKUP}.", "", "Booked it."),
            ExerciseRecord(2, "2026-W43", date(2026, 10, 22), "Привет client", "other", "Another concrete step",
                           None, "No follow-up yet", "We meet at school.", "Write a plan", ""),
        ),
        "actions": (
            ActionRecord(3, "Client K", datetime(2026, 10, 1), date(2026, 10, 20), None, "overdue",
                         f"Remove my number {MARKUP}", ""),
            ActionRecord(4, None, datetime(2026, 10, 1), None, None, "open", "Read the gifts policy", ""),
        ),
        "questions": ("How do I name the pattern?", f"Is stage 3 right? {MARKUP}", "Привет — what then?"),
        "unresolved_findings": 0,
    }
    values.update(changes)
    return SupervisionPacket(**values)  # type: ignore[arg-type]


def brief(**changes: object) -> EthicsBrief:
    values: dict[str, object] = {
        "pseudonym": "Client K",
        "status": "active",
        "made": MADE,
        "display_name": "Dr A.",
        "stage": RelationshipStage("Client K", 2, 3, "Personal channel shift", 4, "Emotional entanglement",
                                   "based on the last 90 days", (REASON, HELD)),
        "context": tuple(LabelledText("context", k, label, f"{k} text {MARKUP}" if k != "capacity_vulnerability"
                                      else "") for k, label in CONTEXT_FIELDS.items()),
        "consent": tuple(LabelledText("consent", k, label, "") for k, label in CONSENT_FIELDS.items()),
        "entries": (
            entry(1, occurred=datetime(2026, 9, 18, 14), flow=(), steps=(), fields=(
                FieldText("documentation_note", "Documentation note", f"Personal question {MARKUP}."),)),
            entry(2, fields=(FieldText("documentation_note", "Documentation note", "Texted; redirected."),
                             FieldText("next_step", "Next step", f"Name it. {' '.join(NON_LATIN)}"))),
        ),
        "trend": trend(),
        "actions": (
            ActionRecord(3, "Client K", datetime(2026, 10, 1), date(2026, 10, 20), None, "overdue", "Name it", ""),
            ActionRecord(5, "Client K", datetime(2026, 10, 1), None, datetime(2026, 10, 12), "done",
                         "Ask for my number to be removed", f"Removed {MARKUP}"),
        ),
        "questions": ("Was redirecting enough?", f"Should I transfer care? {MARKUP}"),
        "unresolved_findings": 0,
    }
    values.update(changes)
    return EthicsBrief(**values)  # type: ignore[arg-type]


def empty_packet() -> SupervisionPacket:
    return packet(display_name="", entries_in_period=0, categories=(), channels=(), relationships=(), trends=(),
                  entries=(), exercises=(), actions=(), questions=(), unresolved_findings=None)


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def outline(path: Path) -> list[tuple[int, str, int]]:
    """(level, title, page number) of every outline entry, in order."""
    reader = PdfReader(path)
    found: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return found


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder / "summary.pdf"


class TestSupervisionSummary:
    """Every section a supervisor reads, in order, with the clinician's text exactly as typed."""

    def test_every_section_is_present_in_order(self, out: Path, catalog: Catalog) -> None:
        write_supervision_pdf(out, packet(), catalog)
        text = pdf_text(out)
        # The supervisor's reading order: the clinician's questions right after the overview.
        headings = ["Supervision summary", "Overview", "Questions I want to bring",
                    "Relationships and their slope stage", "Self-check trend", "Entries brought to supervision",
                    "Weekly exercises", "Actions in the period", "Supervisor's notes"]
        positions = [text.index(heading) for heading in headings]
        assert positions == sorted(positions)
        for expected in ("Period: 2026-10-01 to 2026-10-31 (31 days)", "Made on 2026-11-02 09:30",
                         "Checked for identifiers before export", "Date", "Signature"):
            assert expected in text

    def test_the_overview_names_counts_risks_and_stages(self, out: Path, catalog: Catalog) -> None:
        write_supervision_pdf(out, packet(), catalog)
        text = pdf_text(out)
        for expected in ("85/100", "not ranked", "illustrative ranking", "3 · Personal channel shift",
                         "4 · Emotional entanglement", "not set", "Привет client", "7 entries in the period"):
            assert expected in text
        # The suggestion shows its window and its reasons; none is "none", never "not set".
        flat = " ".join(text.split())
        assert "Suggested by the author's own conduct, and why" in flat
        assert "4 · Emotional entanglement (based on the last 90 days to 2026-10-31)" in flat
        assert "Stage 4: The author noted thinking of this patient outside work" in flat
        assert "none (based on the last 90 days to 2026-10-31) • In the author's favour: 2 requests" in flat
        assert "→" not in flat.split("Relationships and their slope stage")[1].split("Slope stages")[0]

    def test_entries_show_note_response_reflection_and_steps(self, out: Path, catalog: Catalog) -> None:
        write_supervision_pdf(out, packet(), catalog)
        text = pdf_text(out)
        for expected in ("2026-10-09 23:12 · Client K", "Documentation note", "Patient texted after hours; redirected.",
                         "How I responded", "Replied next day through the portal.\nSecond line.", "Reflection",
                         "Recommended steps (decision flow)", "1. Redirect to clinic systems and document",
                         "2. Consult your supervisor or the ethics service", "What happened", "Next step",
                         "Looking back at my response", "after hours, <tag>", "illustrative rank 85/100"):
            assert expected in text
        first = text[text.index("2026-10-09 23:12 · Client K"):]
        labels = ["What happened", "How I responded", "Documentation note", "Reflection", "Next step",
                  "Recommended steps", "Looking back at my response"]
        positions = [first.index(label) for label in labels]
        assert positions == sorted(positions)

    def test_all_entries_variant_marks_the_supervision_ones(self, out: Path, catalog: Catalog) -> None:
        entries = (entry(1), entry(2, supervision=False, occurred=datetime(2026, 10, 12, 8)))
        write_supervision_pdf(out, packet(all_entries=True, entries=entries), catalog)
        text = pdf_text(out)
        assert "Entries: all in the period" in text
        assert text.count("■ Bring to supervision") == 1

    def test_exercises_actions_and_numbered_questions(self, out: Path, catalog: Catalog) -> None:
        write_supervision_pdf(out, packet(), catalog)
        text = pdf_text(out)
        for expected in ("2026-W41", "Talk to a supervisor", "Booked it.", "Write a plan", "No follow-up yet",
                         "Overdue", "2026-10-20", "Read the gifts policy", "1. How do I name the pattern?",
                         "3. Привет — what then?", "Actions due, done or opened in the period, as of 2026-11-02"):
            assert expected in text

    @pytest.mark.slow
    def test_markup_is_literal_and_non_latin_text_survives(self, out: Path, catalog: Catalog) -> None:
        write_supervision_pdf(out, packet(), catalog)
        text = pdf_text(out)
        flowing = " ".join(text.split())  # table cells wrap lines
        # In two entries, a stage note, an exercise, an action and a question.
        assert flowing.count(MARKUP) == 6
        for expected in (*NON_LATIN, "Dr Ωμέγα & <Co>", "Привет client"):
            assert expected in text

    def test_empty_period_says_so_in_every_section(self, out: Path, catalog: Catalog) -> None:
        write_supervision_pdf(out, empty_packet(), catalog)
        text = pdf_text(out)
        for expected in ("There are no entries in this period.", "No relationship had entries",
                         "No self-check was taken and no slope stage was set in this period.",
                         "No weekly exercise was planned in this period.",
                         "No action was due, done or opened in this period.",
                         "No questions were added for this supervision.", "Supervisor's notes",
                         "Not checked for identifiers before export"):
            assert expected in text
        assert "Prepared by" not in text

    def test_marked_entries_missing_is_not_an_empty_period(self, out: Path, catalog: Catalog) -> None:
        write_supervision_pdf(out, packet(entries=()), catalog)
        assert "No entry in this period was marked “bring to supervision”." in pdf_text(out)

    @pytest.mark.parametrize(("left", "expected"), [
        (0, "found nothing it recognises as an identifier"), (2, "2 possible identifiers left in on purpose"),
        (None, "Not checked for identifiers")])
    def test_cover_says_how_the_identifier_check_went(
        self, out: Path, catalog: Catalog, left: int | None, expected: str
    ) -> None:
        write_supervision_pdf(out, packet(unresolved_findings=left), catalog)
        assert expected in " ".join(PdfReader(out).pages[0].extract_text().split())


class TestEthicsBrief:
    """The brief: context and consent by the seed's headings, chronology, decisions, trend, actions."""

    def test_every_section_is_present_in_order(self, out: Path, catalog: Catalog) -> None:
        write_brief_pdf(out, brief(), catalog)
        text = pdf_text(out)
        headings = ["Ethics-consult brief", "Questions for the consultation", "1. Was redirecting enough?",
                    "Context", "Consent record", "Chronology", "Self-check trend and stage history", "Stage history",
                    "Actions"]
        positions = [text.index(heading) for heading in headings]
        assert positions == sorted(positions)
        assert "Relationship: Client K (a pseudonym; active)" in text
        assert "Entries: 2, from 2026-09-18 to 2026-10-09" in text

    def test_context_labels_and_what_is_not_recorded(self, out: Path, catalog: Catalog) -> None:
        write_brief_pdf(out, brief(), catalog)
        text = pdf_text(out)
        for label in CONTEXT_FIELDS.values():
            assert label in text
        assert f"emergency text {MARKUP}" in text
        assert "Not recorded." in text  # capacity and vulnerability
        assert "No exception and no consent is recorded for this relationship." in text

    def test_the_cover_gives_the_suggested_stage_with_its_window_and_reasons(self, out: Path, catalog) -> None:
        write_brief_pdf(out, brief(), catalog)
        cover = " ".join(PdfReader(out).pages[0].extract_text().split())
        assert ("Slope stage set by the author: 3 · Personal channel shift; suggested by the author's own conduct: "
                "4 · Emotional entanglement (based on the last 90 days)") in cover
        assert f"• {REASON}" in cover and "• In the author's favour: 2 requests" in cover

    def test_a_partial_consent_record_is_called_incomplete(self, out: Path, catalog: Catalog) -> None:
        consent = tuple(LabelledText("consent", k, label, "Explained." if k in ("informed", "voluntary") else "")
                        for k, label in CONSENT_FIELDS.items())
        write_brief_pdf(out, brief(consent=consent), catalog)
        text = pdf_text(out)
        assert "Incomplete: “scope” and “documented” are not recorded." in text
        for label in CONSENT_FIELDS.values():
            assert label in text

    def test_chronology_decisions_stages_and_actions(self, out: Path, catalog: Catalog) -> None:
        write_brief_pdf(out, brief(), catalog)
        text = pdf_text(out)
        for expected in (f"Personal question {MARKUP}.", "Name it. " + " ".join(NON_LATIN),
                         "Is communication outside approved channels?", "yes", "Recommended steps",
                         "2026-10-10 · stage 2 → 3 Personal channel shift — Note", "Overdue", "Done 2026-10-12",
                         f"Removed {MARKUP}", "Client K — 4 check-ins, 6% → 22%"):
            assert expected in text
        assert "Reflection" not in text  # the brief is the factual account only

    def test_empty_brief(self, out: Path, catalog: Catalog) -> None:
        empty = brief(entries=(), trend=Trend("Client K", (), ()), actions=(), questions=(),
                      context=tuple(replace(part, text="") for part in brief().context), unresolved_findings=None)
        write_brief_pdf(out, empty, catalog)
        text = pdf_text(out)
        for expected in ("No context is recorded for this relationship.", "There are no entries for this relationship.",
                         "No questions were added", "No self-check was taken",
                         "No actions were recorded for this relationship.", "Entries: none"):
            assert expected in text


class TestStructure:
    """Outline, vector chart, footer on every page, fonts and metadata."""

    def test_supervision_outline_has_every_section_and_each_entry(self, out: Path, catalog: Catalog) -> None:
        write_supervision_pdf(out, packet(), catalog)
        found = outline(out)
        assert [title for level, title, _ in found if level == 0] == ["Cover", *SUPERVISION_SECTIONS]
        assert [title for level, title, _ in found if level == 1] == ["2026-10-09 · Client K",
                                                                      "2026-10-20 · Привет client"]
        reader = PdfReader(out)
        for _, title, page in found:  # each bookmark points at the page where its heading is
            heading = "Supervision summary" if title == "Cover" else title.split(" · ")[0]
            assert heading in reader.pages[page - 1].extract_text()

    def test_brief_outline(self, out: Path, catalog: Catalog) -> None:
        write_brief_pdf(out, brief(), catalog)
        found = outline(out)
        assert [title for level, title, _ in found if level == 0] == ["Cover", *BRIEF_SECTIONS]
        assert [title for level, title, _ in found if level == 1] == ["2026-09-18", "2026-10-09"]

    @pytest.mark.parametrize("write", [write_supervision_pdf, write_brief_pdf])
    def test_the_trend_chart_is_vector(self, out: Path, catalog: Catalog, write) -> None:
        document = packet() if write is write_supervision_pdf else brief()
        write(out, document, catalog)
        reader = PdfReader(out)
        for page in reader.pages:
            xobjects = page["/Resources"].get("/XObject", {})
            assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.values())
        # Axis labels and the stage marks are text drawn on the page by ReportLab, next to the chart's lines; the
        # scores (6% to 22%) get an axis fitted to them, not 0-100.
        chart_pages = [p.extract_text() for p in reader.pages if "stage 2→3" in p.extract_text()]
        assert chart_pages and all("25%" in text and "Oct" in text for text in chart_pages)
        assert not any("100%" in text for text in chart_pages)

    def test_every_page_numbered_with_the_confidentiality_line(self, out: Path, catalog: Catalog) -> None:
        long_entries = tuple(entry(i, fields=(FieldText("reflection", "Reflection", "A line.\n" * 80),))
                             for i in range(1, 4))
        write_supervision_pdf(out, packet(entries=long_entries), catalog)
        pages = PdfReader(out).pages
        assert len(pages) > 3
        for number, page in enumerate(pages, start=1):
            text = page.extract_text()
            assert f"Page {number} of {len(pages)}" in text
            assert SUPERVISION_NOTE in text
            if number > 1:
                assert "supervision summary · 2026-10-01 to 2026-10-31" in text

    def test_brief_pages(self, out: Path, catalog: Catalog) -> None:
        write_brief_pdf(out, brief(), catalog)
        pages = PdfReader(out).pages
        assert f"Page 1 of {len(pages)}" in pages[0].extract_text()
        assert all(BRIEF_NOTE in page.extract_text() for page in pages)

    @pytest.mark.parametrize("write", [write_supervision_pdf, write_brief_pdf])
    def test_only_the_embedded_fonts(self, out: Path, catalog: Catalog, write) -> None:
        write(out, packet() if write is write_supervision_pdf else brief(), catalog)
        names = {str(font.get_object()["/BaseFont"]) for page in PdfReader(out).pages
                 for font in page["/Resources"]["/Font"].values()}
        assert names and all("DejaVuSans" in name for name in names)

    @pytest.mark.parametrize(("write", "title"), [(write_supervision_pdf, "Boundary Journal supervision summary"),
                                                  (write_brief_pdf, "Boundary Journal ethics-consult brief")])
    def test_metadata_carries_no_identifiers(self, out: Path, catalog: Catalog, write, title: str) -> None:
        write(out, packet() if write is write_supervision_pdf else brief(), catalog)
        metadata = PdfReader(out).metadata
        assert metadata is not None
        assert metadata["/Title"] == title and metadata["/Creator"] == "Boundary Journal"
        assert metadata.get("/Author", "") == "" and metadata.get("/Subject", "") == ""
        values = " ".join(str(value) for value in metadata.values())
        for leak in (str(out.parent), out.name, getpass.getuser(), str(Path.home()), "Dr", "Client K"):
            assert leak not in values
        raw = out.read_bytes()
        assert str(out.parent).encode() not in raw and out.name.encode() not in raw


class TestRobustness:
    """Long text breaks across pages; a year of entries exports; bad paths are refused before any work."""

    @pytest.mark.slow
    def test_long_texts_everywhere_export(self, out: Path, catalog: Catalog) -> None:
        long = ("The patient asked again and I redirected to the portal. " * 4_000).strip() + " END-OF-TEXT"
        document = packet(
            entries=(entry(1, fields=(FieldText("reflection", "Reflection", long),)),),
            exercises=(replace(packet().exercises[0], outcome_note=long),),
            trends=(replace(trend(), stage_changes=(replace(trend().stage_changes[0], note=long),)),),
            questions=(long,),
        )
        started = time.perf_counter()
        write_supervision_pdf(out, document, catalog)
        assert time.perf_counter() - started < 60
        text = pdf_text(out)
        assert text.count("END-OF-TEXT") == 4  # the reflection, the outcome note, the stage note, the question
        done = replace(brief().actions[1], outcome=long)
        context = tuple(replace(part, text=long) for part in brief().context)
        write_brief_pdf(out, brief(actions=(done,), context=context), catalog)
        assert pdf_text(out).count("END-OF-TEXT") == 5

    @pytest.mark.slow
    def test_a_year_of_daily_entries(self, out: Path, catalog: Catalog) -> None:
        year = tuple(entry(i, occurred=datetime.fromordinal(date(2025, 11, 1).toordinal() + i).replace(hour=9))
                     for i in range(365))
        points = Trend(None, tuple(TrendPoint(e.occurred, i % 100) for i, e in enumerate(year)), ())
        document = packet(date_from=date(2025, 11, 1), date_to=date(2026, 10, 31), all_entries=True, entries=year,
                          entries_in_period=365, trends=(points,))
        write_supervision_pdf(out, document, catalog)
        reader = PdfReader(out)
        assert len(reader.pages) > 100
        assert "2026-10-31 09:00 · Client K" in reader.pages[-2].extract_text() + reader.pages[-3].extract_text() \
            + reader.pages[-1].extract_text()
        assert len([1 for level, _, _ in outline(out) if level == 1]) == 365

    @pytest.mark.parametrize("write", [write_supervision_pdf, write_brief_pdf])
    def test_bad_path_is_refused_before_writing(self, out: Path, catalog: Catalog, write) -> None:
        with pytest.raises(InvalidInput, match=r"does not end in \.pdf"):
            write(out.with_suffix(".txt"), packet() if write is write_supervision_pdf else brief(), catalog)
        assert list(out.parent.iterdir()) == []

    def test_failed_render_leaves_nothing(self, out: Path, catalog: Catalog) -> None:
        broken = packet(questions=(None,))
        with pytest.raises(AttributeError):
            write_supervision_pdf(out, broken, catalog)
        assert list(out.parent.iterdir()) == []


class TestSharedLayout:
    """Parsing a repeated text once and breaking a paragraph's lines once per width leave the PDF byte for byte."""

    @pytest.mark.slow
    @pytest.mark.parametrize("write", ["summary", "brief"])
    def test_same_bytes_as_plain_reportlab_paragraphs(
        self, tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch, write: str
    ) -> None:
        from reportlab import rl_config
        from reportlab.platypus import Paragraph as ReportLabParagraph

        from boundary_journal.report import brief as brief_module
        from boundary_journal.report import chart, kit, summary

        monkeypatch.setattr(rl_config, "invariant", 1)  # no time stamps or random ids in the file
        long = ("The patient asked again and I redirected to the portal. " * 300).strip()
        entries = tuple(entry(i, occurred=datetime(2026, 10, 1 + i, 9), supervision=bool(i % 2), fields=(
            *entry().fields, FieldText("reflection", "Reflection", long if i % 5 == 0 else "Short."),
        )) for i in range(20))
        document = packet(entries=entries, all_entries=True, questions=(long, "Again?", "Again?"))
        consult = brief(entries=entries)

        def render(path: Path) -> bytes:
            if write == "summary":
                write_supervision_pdf(path, document, catalog)
            else:
                write_brief_pdf(path, consult, catalog)
            return path.read_bytes()

        shared = render(tmp_path / "shared.pdf")
        gc.collect()
        assert not kit._parsed  # the parsed texts go with the document's styles
        assert render(tmp_path / "again.pdf") == shared
        for module in (kit, chart, summary, brief_module):
            monkeypatch.setattr(module, "Paragraph", ReportLabParagraph)
        assert render(tmp_path / "plain.pdf") == shared
        assert len(PdfReader(tmp_path / "plain.pdf").pages) > 5  # long enough to break paragraphs across pages


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
@pytest.mark.parametrize("write", [write_supervision_pdf, write_brief_pdf])
def test_pdftotext_reads_literal_markup_and_non_latin_text(out: Path, catalog: Catalog, write) -> None:
    write(out, packet() if write is write_supervision_pdf else brief(), catalog)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True,
                            timeout=60)
    text = result.stdout.decode("utf-8")
    for expected in (MARKUP, *NON_LATIN, "Page 1 of"):
        assert expected in text


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed; .ci/run installs it")
@pytest.mark.parametrize("write", ["summary", "brief"])
def test_qpdf_finds_no_structural_errors(out: Path, catalog: Catalog, write: str) -> None:
    if write == "summary":
        write_supervision_pdf(out, packet(), catalog)
    else:
        write_brief_pdf(out, brief(), catalog)
    result = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


def page_texts(path: Path) -> list[str]:
    """Each page's text as pdftotext lays it out."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    extracted = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                               check=True, timeout=60).stdout.decode("utf-8")
    return extracted.split("\f")[:-1]


HEADINGS = {*SUPERVISION_SECTIONS, *BRIEF_SECTIONS, "Entries brought to supervision", "Entries: all in the period",
            "Relationships and their slope stage", "Stage history", "Open", "Done", "What happened",
            "How I responded", "Documentation note", "Reflection", "Next step", "Recommended steps",
            "Recommended steps (decision flow)", "Decision flow", "Looking back at my response"}
ENTRY_HEAD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d( · .*)?$")


def last_lines(path: Path) -> list[str]:
    """The last line of text above the footer on every page but the last."""
    found = []
    for text in page_texts(path)[:-1]:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        body = [line for line in lines if not line.startswith("Confidential") and "Page " not in line]
        found.append(body[-1])
    return found


class TestLayout:
    """No heading is left alone at the foot of a page; charts only where there is a trend to draw."""

    @pytest.mark.slow
    @pytest.mark.parametrize("write", ["summary", "brief"])
    def test_no_heading_is_the_last_line_of_a_page(self, tmp_path: Path, catalog: Catalog, write: str) -> None:
        # Longer and longer first entries move every later heading down the pages, through each page foot, one
        # line at a time; every field wraps to several lines, as a paragraph keeps at least two at a page foot.
        wrapped = "The patient asked again and I redirected to the portal, as agreed in supervision. " * 3
        fields = tuple(replace(field, text=wrapped) for field in entry().fields)
        for lines in range(0, 40):
            filler = FieldText("what_happened", "What happened", "\n".join(f"Line {i}." for i in range(lines)))
            entries = tuple(entry(i, occurred=datetime(2026, 10, i, 9), fields=(
                filler if i == 1 else fields[0], *fields[1:])) for i in range(1, 5))
            out = tmp_path / f"{write}-{lines}.pdf"
            if write == "summary":
                write_supervision_pdf(out, packet(entries=entries), catalog)
            else:
                write_brief_pdf(out, brief(entries=entries), catalog)
            for line in last_lines(out):
                assert line not in HEADINGS and not ENTRY_HEAD.match(line), (lines, line)

    @pytest.mark.slow
    @pytest.mark.parametrize("write", ["summary", "brief"])
    def test_the_trend_heading_goes_with_its_chart(self, tmp_path: Path, catalog: Catalog, write: str) -> None:
        # A tall trend block (a chart and many red flags) that does not fit at a page foot moves to the next
        # page; the section's heading and caption must go with it rather than stand alone over empty space.
        flags = tuple(f"Red flag number {i} was ticked at this check-in." for i in range(14))
        tall = Trend("Client K", tuple(TrendPoint(datetime(2026, 10, 3 + 7 * i, 18), 10 + 5 * i, flags)
                                       for i in range(4)), trend().stage_changes)
        heading = "Self-check trend" if write == "summary" else "Self-check trend and stage history"
        for lines in range(0, 60, 4):
            filler = FieldText("what_happened", "What happened", "\n".join(f"Line {i}." for i in range(lines)))
            entries = (entry(1, fields=(filler, *entry().fields[1:])),)
            out = tmp_path / f"{write}-{lines}.pdf"
            if write == "summary":
                write_supervision_pdf(out, packet(entries=entries, trends=(tall,)), catalog)
            else:
                write_brief_pdf(out, brief(entries=entries, trend=tall), catalog)
            pages = [page.extract_text() for page in PdfReader(out).pages]
            [at] = [n for n, text in enumerate(pages) if any(line.strip() == heading for line in text.splitlines())]
            assert "Red flag number 0" in pages[at], (lines, pages[at][-300:])

    def test_a_single_check_in_is_said_in_words(self, out: Path, catalog: Catalog) -> None:
        single = Trend("Client K", (TrendPoint(datetime(2026, 10, 7, 18), 25),), ())
        write_supervision_pdf(out, packet(trends=(single,)), catalog)
        text = pdf_text(out)
        assert "One check-in, on 2026-10-07, scored 25%: too few for a trend." in text
        assert "0%" not in text.replace("25%", "")  # no chart, so no axis

    @pytest.mark.parametrize(("scores", "bounds"), [
        ([12, 18, 30], (0, 40)), ([40, 52, 60], (30, 70)), ([0, 100], (0, 100)), ([70, 95], (60, 100)),
        ([20, 20], (15, 25)), ([3, 5], (0, 10)),
    ])
    def test_the_score_axis_fits_the_scores(self, scores: list[int], bounds: tuple[int, int]) -> None:
        from boundary_journal.report.chart import _score_axis

        bottom, top, ticks = _score_axis(scores)
        assert (bottom, top) == bounds
        assert ticks[0] == bottom and ticks[-1] == top and len(ticks) <= 6
        assert bottom <= min(scores) and max(scores) <= top

    def test_the_same_stage_set_again_is_no_change(self, out: Path, catalog: Catalog) -> None:
        again = StageMark("Client K", datetime(2026, 10, 12, 9), 3, "Personal channel shift", 3, "Still so.")
        marks = (*trend().stage_changes, again)
        write_brief_pdf(out, brief(trend=replace(trend(), stage_changes=marks)), catalog)
        text = pdf_text(out)
        assert "stage 3 (unchanged) Personal channel shift — Still so." in text
        assert "3→3" not in text and "3 → 3" not in text


class TestWhatTheSupervisorNeeds:
    """Red flags by their text, a warning that needs a second view, the actions of the period."""

    def test_the_brief_names_the_second_view_too(self, out: Path, catalog: Catalog) -> None:
        flagged = Trend("Client K", (
            TrendPoint(datetime(2026, 10, 3, 18), 20, ("I answered a late text.",)),
            TrendPoint(datetime(2026, 10, 10, 18), 45, ("Something romantic came up.",),
                       ("Something romantic came up.",)),
        ), ())
        write_brief_pdf(out, brief(trend=flagged), catalog)
        lines = [line.strip() for line in pdf_text(out).splitlines()]
        assert any(line.startswith("Needs a second view: Something romantic") for line in lines)
        assert not any(line.startswith(": ") for line in lines)

    def test_red_flags_ticked_and_second_view(self, out: Path, catalog: Catalog) -> None:
        flagged = Trend("Client K", (
            TrendPoint(datetime(2026, 10, 3, 18), 20, ("I answered a late text.",)),
            TrendPoint(datetime(2026, 10, 10, 18), 45, ("I answered a late text.", "Something romantic came up."),
                       ("Something romantic came up.",)),
        ), ())
        write_supervision_pdf(out, packet(trends=(flagged,)), catalog)
        text = " ".join(pdf_text(out).split())
        assert "Needs a second view: 1 check-in ticked an item that warrants supervision or ethics input, the last " \
               "on 2026-10-10." in text
        assert "Needs a second view: Something romantic came up." in text
        assert "I answered a late text. 2 2026-10-10" in text

    def test_done_actions_and_older_open_ones(self, out: Path, catalog: Catalog) -> None:
        done = ActionRecord(5, "Client K", datetime(2026, 10, 2), None, datetime(2026, 10, 12), "done", "Read it", "")
        write_supervision_pdf(out, packet(actions=(*packet().actions, done), older_open=3), catalog)
        text = " ".join(pdf_text(out).split())
        assert "3 actions, 1 overdue, 1 done. Not listed: 3 older open actions, opened before the period" in text
        assert "Done 2026-10-12" in text


class TestCharacters:
    """CJK in the bundled fallback font, an emoji no font draws printed by name; metadata for readers."""

    CJK = "患者は電話番号を聞いた 한국어 中文"

    @pytest.mark.parametrize("write", [write_supervision_pdf, write_brief_pdf])
    def test_cjk_is_printed_and_emoji_named(self, out: Path, catalog: Catalog, write) -> None:
        fields = (FieldText("what_happened", "What happened", f"{self.CJK} 👍 😀"),
                  FieldText("documentation_note", "Documentation note", "Noted."))
        document = (packet(entries=(entry(1, fields=fields),)) if write is write_supervision_pdf
                    else brief(entries=(entry(1, fields=fields),)))
        write(out, document, catalog)
        text = "\n".join(page_texts(out))
        # Beyond U+FFFF even a face DejaVu draws is named: ReportLab's text layer would give another character.
        assert self.CJK in text and "[thumbs up sign]" in text and "[grinning face]" in text
        names = {str(font.get_object()["/BaseFont"]) for page in PdfReader(out).pages
                 for font in page["/Resources"]["/Font"].values()}
        assert any("DroidSansFallback" in name for name in names)

    def test_unprintable_names_where(self) -> None:
        from boundary_journal.report import unprintable

        found = unprintable({"Entry 1 · What happened": f"{self.CJK} 👍 👍 🎉", "Question 1": "Plain.",
                             "Question 2": "Ωμέγα Привет 😀 ❤️"})
        assert found == [("Entry 1 · What happened", "👍 (thumbs up sign), 🎉 (party popper)"),
                         ("Question 2", "😀 (grinning face)")]

    def test_right_to_left_text_is_named_where(self) -> None:
        from boundary_journal.report import right_to_left

        assert right_to_left({"Entry 1 · Note": "Said תודה.", "Question 1": "Plain.", "Entry 2 · Note": "شكرا",
                              "Entry 3 · Note": "Привет 中文"}) == ["Entry 1 · Note", "Entry 2 · Note"]

    @pytest.mark.slow
    def test_a_cjk_pseudonym_in_the_running_header(self, out: Path, catalog: Catalog) -> None:
        long_entries = tuple(entry(i, relationship="患者 K", fields=(
            FieldText("what_happened", "What happened", "A line.\n" * 60),)) for i in range(1, 3))
        write_brief_pdf(out, brief(pseudonym="患者 K", entries=long_entries), catalog)
        pages = page_texts(out)
        assert len(pages) > 1 and "ethics-consult brief · 患者 K" in pages[1]

    @pytest.mark.parametrize("write", [write_supervision_pdf, write_brief_pdf])
    def test_language_and_title_for_readers(self, out: Path, catalog: Catalog, write) -> None:
        write(out, packet() if write is write_supervision_pdf else brief(), catalog)
        root = PdfReader(out).trailer["/Root"]
        assert root["/Lang"] == "en"
        assert root["/ViewerPreferences"]["/DisplayDocTitle"]
