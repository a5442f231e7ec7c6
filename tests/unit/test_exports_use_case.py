"""services.exports.export: gather → redact → identifier check → refuse or allow → write, for every format."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.services import exports, settings
from boundary_journal.services.entries import EntryDraft, add_entry
from boundary_journal.services.export_formats import ExportRequest
from boundary_journal.store.journal import Journal

MARCH = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}
MADE = datetime(2026, 4, 1, 9, 0)
PHONE = "07700 900123"


def log(journal: Journal, catalog: Catalog, note: str) -> None:
    fields = {"what_happened": "Texted after hours.", "documentation_note": note}
    add_entry(journal, catalog, EntryDraft("late_night_text", "Client K", datetime(2026, 3, 2, 22, 0), fields,
                                           supervision=True))


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    made = tmp_path / "out"
    made.mkdir()
    return made


def summary(folder: Path, **changes: object) -> ExportRequest:
    return replace(ExportRequest("summary", folder / "summary.pdf", made=MADE, **MARCH), **changes)


class TestRefused:
    def test_findings_refuse_the_export_and_nothing_is_written(self, journal: Journal, catalog: Catalog,
                                                               folder: Path) -> None:
        log(journal, catalog, f"Asked me to call {PHONE}.")
        result = exports.export(journal, catalog, summary(folder))
        assert not result.written and result.message == ""
        assert [f.text for f in result.findings] == [PHONE]
        assert "Documentation note" in result.findings[0].location
        assert list(folder.iterdir()) == []  # no file, no temporary file

    def test_the_brief_is_refused_likewise(self, journal: Journal, catalog: Catalog, folder: Path) -> None:
        log(journal, catalog, f"Asked me to call {PHONE}.")
        request = ExportRequest("brief", folder / "brief.pdf", relationship="Client K")
        assert not exports.export(journal, catalog, request).written
        assert list(folder.iterdir()) == []

    def test_the_gate_is_in_write_itself(self, journal: Journal, catalog: Catalog, folder: Path) -> None:
        """A window that checked first still meets the gate when it writes."""
        log(journal, catalog, f"Asked me to call {PHONE}.")
        checked = exports.check(journal, catalog, summary(folder))
        assert checked.findings
        assert not exports.write(checked, catalog, folder / "other.pdf", allow_findings=False).written
        assert list(folder.iterdir()) == []

    def test_a_bad_request_is_refused_before_any_work(self, journal: Journal, catalog: Catalog, folder: Path
                                                      ) -> None:
        with pytest.raises(InvalidInput, match=r"does not end in \.pdf"):
            exports.export(journal, catalog, summary(folder, out=folder / "summary.txt"))


class TestAllowed:
    def test_nothing_found_writes_the_pdf(self, journal: Journal, catalog: Catalog, folder: Path) -> None:
        log(journal, catalog, "Redirected to the portal.")
        result = exports.export(journal, catalog, summary(folder))
        assert result.written and result.findings == () and result.out == folder / "summary.pdf"
        assert result.message == f"Wrote the supervision summary for 2026-03-01 to 2026-03-31 to {result.out}."
        assert "Redirected to the portal." in pdf_text(result.out)

    def test_allowed_findings_are_written_and_counted_on_the_cover(self, journal: Journal, catalog: Catalog,
                                                                   folder: Path) -> None:
        log(journal, catalog, f"Asked me to call {PHONE}.")
        result = exports.export(journal, catalog, summary(folder, allow_findings=True))
        assert result.written and len(result.findings) == 1
        text = pdf_text(result.out)
        assert "1 possible identifier left in on purpose" in text, text[:400]
        assert PHONE in text, text

    def test_a_redaction_clears_the_finding(self, journal: Journal, catalog: Catalog, folder: Path) -> None:
        log(journal, catalog, f"Asked me to call {PHONE}.")
        result = exports.export(journal, catalog, summary(folder, redact=(PHONE, " ")))
        assert result.written and result.findings == ()
        assert PHONE not in pdf_text(result.out) and "[redacted]" in pdf_text(result.out)

    def test_a_confirmed_word_is_no_longer_a_finding(self, journal: Journal, catalog: Catalog, folder: Path
                                                     ) -> None:
        log(journal, catalog, "Mentioned Rosalind at the desk.")
        refused = exports.export(journal, catalog, summary(folder))
        assert not refused.written
        [finding] = refused.findings
        assert finding.confirmable
        settings.remember_not_identifying(journal, finding.text)
        assert exports.export(journal, catalog, summary(folder)).written

    def test_the_brief_says_whom_it_is_for(self, journal: Journal, catalog: Catalog, folder: Path) -> None:
        log(journal, catalog, "Redirected to the portal.")
        request = ExportRequest("brief", folder / "brief.pdf", relationship="Client K", questions=("May I?",))
        result = exports.export(journal, catalog, request)
        assert result.written
        assert result.message == f"Wrote the ethics-consult brief for Client K to {folder / 'brief.pdf'}."
        assert "May I?" in pdf_text(result.out)


class TestJson:
    """The JSON export is the whole journal for moving it: gathered and written, not checked for identifiers."""

    def test_written_whole_with_the_identifiers_in_it(self, journal: Journal, catalog: Catalog, folder: Path
                                                      ) -> None:
        log(journal, catalog, f"Asked me to call {PHONE}.")
        out = folder / "everything.json"
        result = exports.export(journal, catalog, ExportRequest("json", out))
        assert result.written and result.findings == ()
        assert result.message.startswith(f"Wrote everything in the journal (1 entry) to {out}; the file is not "
                                         "encrypted")
        document = json.loads(out.read_text(encoding="utf-8"))
        assert document["entries"][0]["fields"]["documentation_note"] == f"Asked me to call {PHONE}."
        if os.name == "posix":
            assert stat.S_IMODE(out.stat().st_mode) == 0o600
