"""The PDF kit, exercised through the one way a PDF is written (services.exports.export, past the identifier
check): escaping, fonts, page footers, metadata, atomic writing, long text."""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from boundary_journal.catalog import Catalog
from boundary_journal.errors import CannotWrite, DiskFull, InvalidInput
from boundary_journal.report import SUPERVISION_NOTE, check_output_path
from boundary_journal.services import exports, relationships
from boundary_journal.services.entries import EntryDraft, add_entry
from boundary_journal.services.export_formats import ExportRequest
from boundary_journal.services.relationships import PseudonymLooksIdentifying
from boundary_journal.store import files
from boundary_journal.store.journal import Journal

PERIOD = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}
MADE = datetime(2026, 12, 1, 9, 0)
MARKUP = ("<b>not bold</b>", "Tom & Jerry", "<font color=red>not red</font>")
NON_LATIN = ("Ωμέγα", "Привет", "café", "naïve")


def log(journal: Journal, catalog: Catalog, *, who: str = "Client K", occurred: datetime = datetime(2026, 11, 3, 9, 15),
        template: str = "late_night_text", tags: tuple[str, ...] = ("after hours",), **fields: str) -> None:
    values = {"what_happened": "Texted my personal phone late.",
              "documentation_note": "Patient sent a text after hours; redirected to the clinic portal."}
    values.update(fields)
    with contextlib.suppress(PseudonymLooksIdentifying):  # these tests are about printing, not the pseudonym check
        relationships.confirm_pseudonym(journal, who)
    add_entry(journal, catalog, EntryDraft(template, who, occurred, values, tags=tags, supervision=True))


def export_summary(journal: Journal, catalog: Catalog, out: Path) -> exports.ExportResult:
    """The summary of the period with every entry, written past the check with whatever it finds left in."""
    request = ExportRequest("summary", out, all_entries=True, allow_findings=True, made=MADE, **PERIOD)
    result = exports.export(journal, catalog, request)
    assert result.written
    return result


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder / "supervision.pdf"


@pytest.fixture
def sample(journal: Journal, catalog: Catalog) -> Journal:
    log(journal, catalog, occurred=datetime(2026, 11, 12, 22, 40), tags=("late", "<tag>"),
        what_happened="Quoted: " + " | ".join(MARKUP), my_response="First line.\nSecond line.",
        documentation_note="Neutral note.")
    log(journal, catalog, who="Ωμέγα Привет", template="gift_offered", tags=(),
        what_happened="Offered a voucher: " + ", ".join(NON_LATIN))
    return journal


class TestCheckOutputPath:
    """Paths are refused up front with one sentence, before any work is done."""

    def test_accepts_a_pdf_in_an_existing_folder(self, out: Path) -> None:
        check_output_path(out)
        check_output_path(out.with_suffix(".PDF"))

    @pytest.mark.parametrize(
        ("name", "expected"),
        [("missing/report.pdf", "does not exist"), ("report.txt", "does not end in .pdf"), (".", "folder")],
    )
    def test_refuses_bad_paths(self, out: Path, name: str, expected: str) -> None:
        with pytest.raises(InvalidInput, match=expected) as caught:
            check_output_path(out.parent / name)
        message = str(caught.value)
        assert message.endswith(".") and "\n" not in message

    def test_a_folder_named_like_a_pdf_is_refused(self, out: Path) -> None:
        out.mkdir()
        with pytest.raises(InvalidInput, match="is a folder"):
            check_output_path(out)


class TestText:
    """User text prints exactly as typed: markup literally, any script, line breaks kept."""

    def test_markup_prints_literally_and_non_latin_text_survives(
        self, out: Path, sample: Journal, catalog: Catalog
    ) -> None:
        export_summary(sample, catalog, out)
        text = pdf_text(out)
        for expected in (*MARKUP, *NON_LATIN, "Ωμέγα Привет", "late, <tag>"):
            assert expected in text

    def test_newlines_are_kept(self, out: Path, sample: Journal, catalog: Catalog) -> None:
        export_summary(sample, catalog, out)
        assert "First line.\nSecond line." in pdf_text(out)

    def test_entries_are_chronological(self, out: Path, sample: Journal, catalog: Catalog) -> None:
        export_summary(sample, catalog, out)
        text = pdf_text(out)
        assert text.index("2026-11-03 09:15") < text.index("2026-11-12 22:40")

    def test_fonts_are_embedded_dejavu(self, out: Path, sample: Journal, catalog: Catalog) -> None:
        export_summary(sample, catalog, out)
        fonts = PdfReader(out).pages[0]["/Resources"]["/Font"]
        names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
        assert any("DejaVuSans" in name for name in names)
        assert all("Helvetica" not in name for name in names)

    def test_emoji_outside_the_font_do_not_crash(self, out: Path, journal: Journal, catalog: Catalog) -> None:
        log(journal, catalog, what_happened="Sent 😀 🦄 🧠 then wrote: see you Thursday.")
        result = export_summary(journal, catalog, out)
        assert "see you Thursday." in pdf_text(out)
        assert any("unicorn" in what for _where, what in result.checked.unprintable)


class TestPages:
    """The footer carries the confidentiality line and "Page X of Y"."""

    def test_an_empty_period_prints_numbered_pages(self, out: Path, journal: Journal, catalog: Catalog) -> None:
        export_summary(journal, catalog, out)
        text = pdf_text(out)
        assert f"Page 1 of {len(PdfReader(out).pages)}" in text
        assert SUPERVISION_NOTE in text

    def test_every_page_is_numbered_out_of_the_total(self, out: Path, journal: Journal, catalog: Catalog) -> None:
        for day in (3, 4, 5):
            log(journal, catalog, occurred=datetime(2026, 11, day, 9), reflection="A line of reflection.\n" * 60)
        export_summary(journal, catalog, out)
        pages = PdfReader(out).pages
        total = len(pages)
        assert total > 1
        for number, page in enumerate(pages, start=1):
            text = page.extract_text()
            assert f"Page {number} of {total}" in text
            assert SUPERVISION_NOTE in text


class TestLongText:
    """A megabyte pasted into one field exports in seconds and breaks across pages."""

    @pytest.mark.slow
    def test_one_megabyte_field_exports(self, out: Path, journal: Journal, catalog: Catalog) -> None:
        words = "the patient asked again about my personal number and I redirected "
        ending = " closing words: ZEBRA QUOKKA"
        field = (words * (1_000_000 // len(words) + 1))[: 1_000_000 - len(ending)] + ending
        assert len(field) == 1_000_000
        log(journal, catalog, reflection=field)
        started = time.perf_counter()
        export_summary(journal, catalog, out)
        elapsed = time.perf_counter() - started
        assert elapsed < 60, f"a 1 MB field took {elapsed:.1f} s"
        reader = PdfReader(out)
        assert len(reader.pages) > 100
        assert any("closing words: ZEBRA QUOKKA" in page.extract_text() for page in reader.pages[-3:])

    def test_a_long_line_without_spaces_wraps(self, out: Path, journal: Journal, catalog: Catalog) -> None:
        log(journal, catalog, reflection="x" * 30_000 + " END")
        export_summary(journal, catalog, out)
        assert any("END" in page.extract_text() for page in PdfReader(out).pages[-2:])


class TestMetadata:
    """The PDF says who made it in general terms only: no author, user name or path."""

    def test_metadata_carries_no_identifiers(self, out: Path, sample: Journal, catalog: Catalog) -> None:
        export_summary(sample, catalog, out)
        metadata = PdfReader(out).metadata
        assert metadata is not None
        assert metadata.get("/Author", "") == ""
        assert metadata.get("/Subject", "") == ""
        assert metadata["/Title"] == "Boundary Journal supervision summary"
        assert metadata["/Creator"] == "Boundary Journal"
        values = " ".join(str(value) for value in metadata.values())
        for leak in (str(out.parent), out.name, getpass.getuser(), str(Path.home())):
            assert leak not in values
        raw = out.read_bytes()
        assert str(out.parent).encode() not in raw
        assert out.name.encode() not in raw


class TestAtomicWrite:
    """The PDF appears whole or not at all; no temporary file is left behind."""

    def test_success_leaves_no_temporary_file(self, out: Path, sample: Journal, catalog: Catalog) -> None:
        export_summary(sample, catalog, out)
        assert [p.name for p in out.parent.iterdir()] == [out.name]

    def test_failed_render_creates_nothing(
        self, out: Path, sample: Journal, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        from boundary_journal.report import kit

        def broken(*_args: object, **_kwargs: object) -> None:
            raise AttributeError("a bug while laying out")

        monkeypatch.setattr(kit, "_build", broken)
        with pytest.raises(AttributeError):
            export_summary(sample, catalog, out)
        assert list(out.parent.iterdir()) == []

    def test_failed_write_keeps_the_previous_file(
        self, out: Path, sample: Journal, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        out.write_bytes(b"previous export")

        def fail(*_args: object, **_kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", fail)
        with pytest.raises(DiskFull, match=r"disk is full.*free some space"):
            export_summary(sample, catalog, out)
        assert out.read_bytes() == b"previous export"
        assert [p.name for p in out.parent.iterdir()] == [out.name]

    def test_bad_path_is_refused_before_writing(self, out: Path, sample: Journal, catalog: Catalog) -> None:
        with pytest.raises(InvalidInput):
            export_summary(sample, catalog, out.with_suffix(".txt"))
        assert list(out.parent.iterdir()) == []

    def test_refused_temporary_file_is_a_user_error(
        self, out: Path, sample: Journal, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def refuse(*_args: object, **_kwargs: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(files, "_open_temporary", refuse)
        with pytest.raises(CannotWrite, match=r"Cannot write the PDF .*Permission denied"):
            export_summary(sample, catalog, out)
        assert list(out.parent.iterdir()) == []

    @pytest.mark.skipif(
        sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
        reason="needs POSIX folder permissions, which root ignores",
    )
    def test_read_only_folder_is_a_user_error(self, out: Path, sample: Journal, catalog: Catalog) -> None:
        out.parent.chmod(0o500)
        try:
            with pytest.raises(CannotWrite, match="Cannot write"):
                export_summary(sample, catalog, out)
            assert list(out.parent.iterdir()) == []
        finally:
            out.parent.chmod(0o700)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdftotext_reads_literal_markup_and_non_latin_text(out: Path, sample: Journal, catalog: Catalog) -> None:
    export_summary(sample, catalog, out)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True, timeout=60
    )
    text = " ".join(result.stdout.decode("utf-8").split())
    for expected in (*MARKUP, *NON_LATIN, "Page 1 of"):
        assert expected in text


@pytest.mark.slow
def test_report_imports_no_qt_and_the_package_does_not_import_reportlab() -> None:
    code = (
        "import sys, boundary_journal.cli\n"
        "boundary_journal.cli.build_parser()\n"
        "assert 'reportlab' not in sys.modules, 'the CLI imported reportlab'\n"
        "assert 'sqlalchemy' not in sys.modules, 'building the parser imported the services'\n"
        "import boundary_journal.report\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'report imported Qt'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
