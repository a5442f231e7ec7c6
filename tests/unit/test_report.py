"""The supervision PDF: content, escaping, fonts, metadata, atomic writing, long text."""

from __future__ import annotations

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
from boundary_journal.report import FOOTER_NOTE, check_output_path, write_entries_pdf
from boundary_journal.services.entries import EntryView
from boundary_journal.store import files

PERIOD = {"date_from": date(2026, 11, 1), "date_to": date(2026, 11, 30)}
MARKUP = ("<b>not bold</b>", "Tom & Jerry", "<font color=red>not red</font>")
NON_LATIN = ("Ωμέγα", "Привет", "café", "naïve")


def make_entry(entry_id: int = 1, **changes: object) -> EntryView:
    occurred = changes.pop("occurred", datetime(2026, 11, 3, 9, 15))
    values: dict[str, object] = {
        "id": entry_id,
        "occurred": occurred,
        "relationship": "Client K",
        "category": "messaging",
        "channel": "text_message",
        "template": "late_night_text",
        "fields": {
            "what_happened": "Texted my personal phone at 22:40.",
            "documentation_note": "Patient sent a text after hours; redirected to the clinic portal.",
        },
        "tags": ("after hours",),
        "supervision": False,
        "created": occurred,
        "updated": occurred,
    }
    values.update(changes)
    return EntryView(**values)  # type: ignore[arg-type]


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder / "supervision.pdf"


@pytest.fixture
def sample_entries() -> list[EntryView]:
    return [
        make_entry(
            2,
            occurred=datetime(2026, 11, 12, 22, 40),
            fields={
                "what_happened": "Quoted: " + " | ".join(MARKUP),
                "my_response": "First line.\nSecond line.",
                "documentation_note": "Neutral note.",
            },
            tags=("late", "<tag>"),
            supervision=True,
        ),
        make_entry(
            1,
            relationship="Ωμέγα Привет",
            category="gifts_money_favours",
            channel="in_person",
            template="gift_offered",
            fields={"what_happened": "Offered a voucher: " + ", ".join(NON_LATIN)},
            tags=(),
        ),
    ]


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


class TestContent:
    """Every entry of the period is printed with its labels, user text exactly as typed."""

    def test_entries_print_with_catalogue_labels(
        self, out: Path, sample_entries: list[EntryView], catalog: Catalog
    ) -> None:
        write_entries_pdf(out, sample_entries, catalog, **PERIOD, relationship="Client K")
        text = pdf_text(out)
        assert "Boundary Journal — entries" in text
        assert "Period: 2026-11-01 to 2026-11-30" in text
        assert "Relationship: Client K" in text
        assert f"Made on {date.today():%Y-%m-%d}" in text
        template = catalog.template("late_night_text")
        assert template is not None
        for expected in (
            "2026-11-12 22:40 · Client K",
            catalog.category("messaging").label,  # type: ignore[union-attr]
            "illustrative rank 85/100",
            template.title,
            template.field("what_happened").label,  # type: ignore[union-attr]
            template.field("documentation_note").label,  # type: ignore[union-attr]
            "late, <tag>",
            "Bring to supervision",
        ):
            assert expected in text

    def test_markup_prints_literally_and_non_latin_text_survives(
        self, out: Path, sample_entries: list[EntryView], catalog: Catalog
    ) -> None:
        write_entries_pdf(out, sample_entries, catalog, **PERIOD)
        text = pdf_text(out)
        for expected in (*MARKUP, *NON_LATIN, "Ωμέγα Привет"):
            assert expected in text

    def test_newlines_are_kept(self, out: Path, sample_entries: list[EntryView], catalog: Catalog) -> None:
        write_entries_pdf(out, sample_entries, catalog, **PERIOD)
        assert "First line.\nSecond line." in pdf_text(out)

    def test_entries_are_chronological(
        self, out: Path, sample_entries: list[EntryView], catalog: Catalog
    ) -> None:
        write_entries_pdf(out, sample_entries, catalog, **PERIOD)
        text = pdf_text(out)
        assert text.index("2026-11-03 09:15") < text.index("2026-11-12 22:40")

    def test_unknown_template_falls_back_to_ids_and_keys(self, out: Path, catalog: Catalog) -> None:
        entry = make_entry(template="retired_template", fields={"old_field": "Kept anyway."})
        write_entries_pdf(out, [entry], catalog, **PERIOD)
        text = pdf_text(out)
        assert "retired_template" in text
        assert "old_field\nKept anyway." in text

    def test_fonts_are_embedded_dejavu(self, out: Path, sample_entries: list[EntryView], catalog: Catalog) -> None:
        write_entries_pdf(out, sample_entries, catalog, **PERIOD)
        fonts = PdfReader(out).pages[0]["/Resources"]["/Font"]
        names = {str(font.get_object()["/BaseFont"]) for font in fonts.values()}
        assert any("DejaVuSans" in name for name in names)
        assert all("Helvetica" not in name for name in names)

    def test_emoji_outside_the_font_do_not_crash(self, out: Path, catalog: Catalog) -> None:
        entry = make_entry(fields={"what_happened": "Sent 😀 🦄 🧠 then wrote: see you Thursday."})
        write_entries_pdf(out, [entry], catalog, **PERIOD)
        assert "see you Thursday." in pdf_text(out)


class TestPages:
    """The footer carries the confidentiality line and "Page X of Y"."""

    def test_empty_period_says_so(self, out: Path, catalog: Catalog) -> None:
        write_entries_pdf(out, [], catalog, **PERIOD)
        text = pdf_text(out)
        assert "There are no entries in this period." in text
        assert "0 entries" in text
        assert "Page 1 of 1" in text
        assert FOOTER_NOTE in text

    def test_every_page_is_numbered_out_of_the_total(self, out: Path, catalog: Catalog) -> None:
        entries = [make_entry(i, fields={"reflection": "A line of reflection.\n" * 60}) for i in range(1, 4)]
        write_entries_pdf(out, entries, catalog, **PERIOD)
        pages = PdfReader(out).pages
        total = len(pages)
        assert total > 1
        for number, page in enumerate(pages, start=1):
            text = page.extract_text()
            assert f"Page {number} of {total}" in text
            assert FOOTER_NOTE in text


class TestLongText:
    """A megabyte pasted into one field exports in seconds and breaks across pages."""

    @pytest.mark.slow
    def test_one_megabyte_field_exports(self, out: Path, catalog: Catalog) -> None:
        words = "the patient asked again about my personal number and I redirected "
        ending = " closing words: ZEBRA QUOKKA"
        field = (words * (1_000_000 // len(words) + 1))[: 1_000_000 - len(ending)] + ending
        assert len(field) == 1_000_000
        started = time.perf_counter()
        write_entries_pdf(out, [make_entry(fields={"reflection": field})], catalog, **PERIOD)
        elapsed = time.perf_counter() - started
        assert elapsed < 30, f"a 1 MB field took {elapsed:.1f} s"
        reader = PdfReader(out)
        assert len(reader.pages) > 100
        assert "closing words: ZEBRA QUOKKA" in reader.pages[-1].extract_text()

    def test_a_long_line_without_spaces_wraps(self, out: Path, catalog: Catalog) -> None:
        write_entries_pdf(out, [make_entry(fields={"reflection": "x" * 30_000 + " END"})], catalog, **PERIOD)
        assert "END" in PdfReader(out).pages[-1].extract_text()


class TestMetadata:
    """The PDF says who made it in general terms only: no author, user name or path."""

    def test_metadata_carries_no_identifiers(
        self, out: Path, sample_entries: list[EntryView], catalog: Catalog
    ) -> None:
        write_entries_pdf(out, sample_entries, catalog, **PERIOD)
        metadata = PdfReader(out).metadata
        assert metadata is not None
        assert metadata.get("/Author", "") == ""
        assert metadata.get("/Subject", "") == ""
        assert metadata["/Title"] == "Boundary Journal entries"
        assert metadata["/Creator"] == "Boundary Journal"
        values = " ".join(str(value) for value in metadata.values())
        for leak in (str(out.parent), out.name, getpass.getuser(), str(Path.home())):
            assert leak not in values
        raw = out.read_bytes()
        assert str(out.parent).encode() not in raw
        assert out.name.encode() not in raw


class TestAtomicWrite:
    """The PDF appears whole or not at all; no temporary file is left behind."""

    def test_success_leaves_no_temporary_file(self, out: Path, catalog: Catalog) -> None:
        write_entries_pdf(out, [make_entry()], catalog, **PERIOD)
        assert [p.name for p in out.parent.iterdir()] == [out.name]

    def test_failed_render_creates_nothing(self, out: Path, catalog: Catalog) -> None:
        broken = make_entry(fields={"what_happened": None})
        with pytest.raises(AttributeError):
            write_entries_pdf(out, [broken], catalog, **PERIOD)
        assert list(out.parent.iterdir()) == []

    def test_failed_write_keeps_the_previous_file(
        self, out: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        out.write_bytes(b"previous export")

        def fail(*_args: object, **_kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", fail)
        with pytest.raises(DiskFull, match=r"disk is full.*free some space"):
            write_entries_pdf(out, [make_entry()], catalog, **PERIOD)
        assert out.read_bytes() == b"previous export"
        assert [p.name for p in out.parent.iterdir()] == [out.name]

    def test_bad_path_is_refused_before_writing(self, out: Path, catalog: Catalog) -> None:
        with pytest.raises(InvalidInput):
            write_entries_pdf(out.with_suffix(".txt"), [make_entry()], catalog, **PERIOD)
        assert list(out.parent.iterdir()) == []

    def test_refused_temporary_file_is_a_user_error(
        self, out: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def refuse(*_args: object, **_kwargs: object) -> None:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(files, "_open_temporary", refuse)
        with pytest.raises(CannotWrite, match=r"Cannot write the PDF .*Permission denied"):
            write_entries_pdf(out, [make_entry()], catalog, **PERIOD)
        assert list(out.parent.iterdir()) == []

    @pytest.mark.skipif(
        sys.platform == "win32" or (hasattr(os, "geteuid") and os.geteuid() == 0),
        reason="needs POSIX folder permissions, which root ignores",
    )
    def test_read_only_folder_is_a_user_error(self, out: Path, catalog: Catalog) -> None:
        out.parent.chmod(0o500)
        try:
            with pytest.raises(CannotWrite, match="Cannot write"):
                write_entries_pdf(out, [make_entry()], catalog, **PERIOD)
            assert list(out.parent.iterdir()) == []
        finally:
            out.parent.chmod(0o700)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdftotext_reads_literal_markup_and_non_latin_text(
    out: Path, sample_entries: list[EntryView], catalog: Catalog
) -> None:
    write_entries_pdf(out, sample_entries, catalog, **PERIOD)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True, check=True, timeout=60
    )
    text = result.stdout.decode("utf-8")
    for expected in (*MARKUP, *NON_LATIN, "Page 1 of 1"):
        assert expected in text


@pytest.mark.slow
def test_report_imports_no_qt_and_the_package_does_not_import_reportlab() -> None:
    code = (
        "import sys, boundary_journal.cli\n"
        "assert 'reportlab' not in sys.modules, 'the CLI imported reportlab'\n"
        "import boundary_journal.report\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'report imported Qt'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
