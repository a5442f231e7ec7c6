"""The PDFs from the command line: questions in both documents, the brief's context and consent recorded with
`relationship context` and `relationship consent`, and characters the fonts cannot draw said before writing."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from boundary_journal.services.relationships import CONSENT_FIELDS, CONTEXT_FIELDS
from tests.e2e.test_cli import CLI

pytestmark = pytest.mark.e2e


def pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext lays it out, spaces and lines collapsed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    extracted = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                               check=True).stdout
    return " ".join(extracted.split())


def add(cli: CLI, what: str, *, when: str = "2026-02-03T10:00", flow: str = "outside_channels=yes") -> None:
    cli.ok("add", "--template", "late_night_text", "--relationship", "Client K", "--occurred", when,
           "--field", f"what_happened={what}", "--field", "my_response=Replied next day through the portal.",
           "--field", "documentation_note=Patient texted after hours; redirected.", "--flow", flow,
           "--supervision")


class TestBriefQuestions:
    """`--question` works for the brief too, and its questions come first."""

    @pytest.mark.slow
    def test_questions_first_then_each_entry_with_its_decisions(self, ready: CLI, tmp_path: Path) -> None:
        add(ready, "Texted me at 23:00 about sleep.")
        add(ready, "Texted again, about the weekend.", when="2026-02-10T09:00", flow="outside_channels=no")
        out = tmp_path / "brief.pdf"
        ready.ok("export", "pdf", "--relationship", "Client K", "--out", str(out),
                 "--question", "Was one redirect enough?", "--question", "Should the team know?")
        flat = pdf_text(out)
        order = ["Questions for the consultation", "1. Was one redirect enough?", "2. Should the team know?",
                 "Context", "Consent record", "Chronology",
                 "Texted me at 23:00 about sleep.", "Replied next day through the portal.",
                 "Patient texted after hours; redirected.", "outside the clinic's approved channels?",
                 "Texted again, about the weekend."]
        positions = [flat.index(part) for part in order]
        assert positions == sorted(positions)
        assert "Decision-flow answers and steps" not in flat  # beside each entry, not in a section of their own


class TestRelationshipRecords:
    """`relationship context` and `relationship consent` record seed 001 §6 and §8 as the window does."""

    @pytest.mark.slow
    def test_set_show_and_clear_context(self, ready: CLI, tmp_path: Path) -> None:
        add(ready, "Texted me at 23:00.")
        shown = ready.ok("relationship", "context", "Client K")
        for label in CONTEXT_FIELDS.values():
            assert label in shown
        assert "(not recorded)" in shown

        ready.ok("relationship", "context", "client k", "--emergency", "No on-call cover at night.",
                 "--existing-channels", "Clinic portal, answered within a day.")
        ready.ok("relationship", "context", "Client K", "--relationship-type", "Outpatient therapy.")
        record = json.loads(ready.ok("relationship", "context", "Client K", "--json"))
        assert record == {"relationship": "Client K", "context": {
            "emergency": "No on-call cover at night.", "relationship_type": "Outpatient therapy.",
            "existing_channels": "Clinic portal, answered within a day.", "capacity_vulnerability": "",
        }}
        assert "No on-call cover at night." in ready.ok("relationship", "context", "Client K")

        ready.ok("relationship", "context", "Client K", "--emergency", "")  # '' clears one part
        record = json.loads(ready.ok("relationship", "context", "Client K", "--json"))
        assert record["context"]["emergency"] == "" and record["context"]["relationship_type"]

        out = tmp_path / "brief.pdf"
        ready.ok("export", "pdf", "--relationship", "Client K", "--out", str(out))
        flat = pdf_text(out)
        assert "Outpatient therapy." in flat and "Clinic portal, answered within a day." in flat

    @pytest.mark.slow
    def test_consent_from_a_file_and_partial_records(self, ready: CLI, tmp_path: Path) -> None:
        add(ready, "Asked for my number for emergencies.")
        scope = tmp_path / "scope.txt"
        scope.write_text("Urgent appointment changes only.\nNo clinical advice.\n", encoding="utf-8")
        ready.ok("relationship", "consent", "Client K", "--informed", "Explained the limits; understood.",
                 "--scope", f"@{scope}")
        record = json.loads(ready.ok("relationship", "consent", "Client K", "--json"))
        assert record["consent"] == {"informed": "Explained the limits; understood.", "voluntary": "",
                                     "scope": "Urgent appointment changes only.\nNo clinical advice.",
                                     "documented": ""}
        assert set(record["consent"]) == set(CONSENT_FIELDS)
        out = tmp_path / "brief.pdf"
        ready.ok("export", "pdf", "--relationship", "Client K", "--out", str(out))
        assert "Incomplete: “voluntary” and “documented” are not recorded." in pdf_text(out)

    @pytest.mark.slow
    @pytest.mark.parametrize(("args", "message"), [
        (["context", "Nobody", "--emergency", "x"], "no relationship called 'Nobody'"),
        (["consent", "Client K", "--scope", "x" * 5_001], "is too long"),
    ])
    def test_bad_input(self, ready: CLI, args: list[str], message: str) -> None:
        add(ready, "Texted me.")
        assert message in ready.fails(2, "relationship", *args)


class TestCharacters:
    """CJK text is printed with the bundled fallback font; an emoji no font draws is named, never dropped."""

    @pytest.mark.slow
    def test_right_to_left_text_is_said_before_writing(self, ready: CLI, tmp_path: Path) -> None:
        add(ready, "The patient wrote תודה רבה on the card and شكرا on the envelope.")
        out = tmp_path / "summary.pdf"
        # The identifier check cannot read these scripts and says so; the clinician lets the text through.
        result = ready.run("export", "pdf", "--from", "2026-02-01", "--to", "2026-02-28", "--out", str(out),
                           "--allow-findings")
        assert result.returncode == 0, result.stderr
        assert "What happened: right-to-left text (Hebrew, Arabic) is printed with its letters in left-to-right " \
               "order" in " ".join(result.stderr.split())

    @pytest.mark.slow
    def test_cjk_printed_and_emoji_named_before_writing(self, ready: CLI, tmp_path: Path) -> None:
        add(ready, "患者は電話番号を聞いた。한국어 메시지. 中文 👍")
        out = tmp_path / "summary.pdf"
        refused = ready.run("export", "pdf", "--from", "2026-02-01", "--to", "2026-02-28", "--out", str(out))
        assert refused.returncode == 4 and "cannot read" in refused.stdout + refused.stderr and not out.exists()
        result = ready.run("export", "pdf", "--from", "2026-02-01", "--to", "2026-02-28", "--out", str(out),
                           "--allow-findings")
        assert result.returncode == 0, result.stderr
        assert "What happened: the PDF's fonts cannot draw 👍 (thumbs up sign)" in result.stderr
        flat = pdf_text(out)
        for part in ("患者は電話番号を聞いた。", "한국어 메시지.", "中文", "[thumbs up sign]"):
            assert part in flat, part
