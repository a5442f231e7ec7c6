"""The entries PDF: the entries of a period in chronological order, with embedded Unicode fonts.

Imported lazily (ReportLab is slow to load); no Qt here, so the CLI and a worker thread can both use it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    HRFlowable,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from boundary_journal import files
from boundary_journal.catalog import Catalog, Template
from boundary_journal.paths import resources_root

if TYPE_CHECKING:
    from boundary_journal.services.entries import EntryView

TITLE = "Boundary Journal — entries"
METADATA_TITLE = "Boundary Journal entries"
CREATOR = "Boundary Journal"
FOOTER_NOTE = "Confidential — written with pseudonyms; check for identifiers before sharing"

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}

# Splitting a paragraph across pages re-wraps the rest of it, so time grows with the square of its
# length (a 1 MB line: about 1 s cut at 5,000 characters, 33 s at 200,000); longer lines become several
# paragraphs, cut after a sentence where possible so the seam reads as a line break.
CHUNK_CHARS = 5_000
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*\s")

PAGE_SIZE = A4
MARGIN = 20 * mm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5c5c5c")
RULE = colors.HexColor("#b8b8b8")
SHADE = colors.HexColor("#f0f0f0")

_fonts_lock = threading.Lock()
_fonts_registered = False


def check_output_path(path: Path) -> None:
    """Refuse an output path the PDF cannot be written to, before any work is done."""
    files.check_output_path(path, ".pdf")


def write_entries_pdf(
    out: Path,
    entries: Sequence[EntryView],
    catalog: Catalog,
    *,
    date_from: date,
    date_to: date,
    relationship: str | None = None,
) -> None:
    """Write the entries of a period as a PDF at `out`, atomically: all of it or nothing."""
    out = Path(out)
    check_output_path(out)
    _register_fonts()
    period = f"{date_from:%Y-%m-%d} to {date_to:%Y-%m-%d}"
    story = _story(entries, catalog, period=period, relationship=relationship, made=datetime.now())
    files.atomic_write(out, lambda target: _build(target, story, period), what="PDF")


def _build(target: IO[bytes], story: list[Flowable], period: str) -> None:
    def running_header(pdf: canvas.Canvas, _document: Any) -> None:
        if pdf.getPageNumber() == 1:
            return
        pdf.saveState()
        pdf.setFont(FONT, 7.5)
        pdf.setFillColor(MUTED)
        pdf.drawString(MARGIN, PAGE_SIZE[1] - MARGIN + 6 * mm, f"{TITLE} · {period}")
        pdf.restoreState()

    frame = Frame(
        MARGIN, MARGIN + 4 * mm, CONTENT_WIDTH, PAGE_SIZE[1] - 2 * MARGIN - 4 * mm,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )
    # The open file, not its name, goes to ReportLab, so no path can end up inside the PDF.
    document = BaseDocTemplate(
        target,
        pagesize=PAGE_SIZE,
        pageTemplates=[PageTemplate("page", frames=[frame], onPage=running_header)],
        initialFontName=FONT,
        initialFontSize=9.5,
        title=METADATA_TITLE,
        author="",
        subject="",
        creator=CREATOR,
        producer=CREATOR,
        keywords="",
    )
    document.build(story, canvasmaker=_NumberedCanvas)


class _NumberedCanvas(canvas.Canvas):
    """Holds every page until the end so the footer can say "Page X of Y"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        width = PAGE_SIZE[0]
        y = MARGIN - 2 * mm
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(MARGIN, y + 4 * mm, width - MARGIN, y + 4 * mm)
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        self.drawString(MARGIN, y, FOOTER_NOTE)
        self.drawRightString(width - MARGIN, y, f"Page {number} of {total}")
        self.restoreState()


def _register_fonts() -> None:
    """Register the shipped DejaVu fonts with ReportLab once per process (they cover Greek, Cyrillic)."""
    global _fonts_registered
    with _fonts_lock:
        if _fonts_registered:
            return
        folder = resources_root() / "fonts"
        for name, filename in _FONT_FILES.items():
            # TTFont reads the whole file at once, so a temporary copy from as_file may go away after.
            with resources.as_file(folder / filename) as font_path:
                pdfmetrics.registerFont(TTFont(name, str(font_path)))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
        _fonts_registered = True


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13.5, textColor=INK)
    return {
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=21,
                                spaceAfter=5),
        "meta": ParagraphStyle("meta", parent=body, fontSize=9, leading=13, textColor=MUTED),
        "entry": ParagraphStyle("entry", parent=body, fontName=FONT_BOLD, fontSize=11.5, leading=15),
        "mark": ParagraphStyle("mark", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=15,
                               alignment=TA_RIGHT),
        "label": ParagraphStyle("label", parent=body, fontSize=8.5, leading=12, textColor=MUTED),
        "value": ParagraphStyle("value", parent=body, fontSize=9, leading=12),
        "field": ParagraphStyle("field", parent=body, fontName=FONT_BOLD, fontSize=9, leading=12,
                                spaceBefore=7, spaceAfter=2),
        "body": body,
        "empty": ParagraphStyle("empty", parent=body, fontSize=10.5, leading=15, spaceBefore=8),
    }


def _story(
    entries: Sequence[EntryView],
    catalog: Catalog,
    *,
    period: str,
    relationship: str | None,
    made: datetime,
) -> list[Flowable]:
    styles = _styles()
    ordered = sorted(entries, key=lambda e: (e.occurred, e.id))
    marked = sum(1 for e in ordered if e.supervision)

    story: list[Flowable] = [Paragraph(escape(TITLE), styles["title"])]
    facts = [f"Period: {period}"]
    if relationship is not None:
        facts.append(f"Relationship: {relationship}")
    count = f"{len(ordered)} {'entry' if len(ordered) == 1 else 'entries'}"
    if marked:
        count += f", {marked} marked to bring to supervision"
    facts += [count, f"Made on {made:%Y-%m-%d %H:%M}"]
    story += [Paragraph(escape(fact), styles["meta"]) for fact in facts]
    story += [Spacer(1, 3 * mm), HRFlowable(width="100%", thickness=1, color=INK, spaceAfter=4 * mm)]

    if not ordered:
        story.append(Paragraph("There are no entries in this period.", styles["empty"]))
        return story

    for index, entry in enumerate(ordered):
        if index:
            story.append(HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=5 * mm,
                                    spaceAfter=4 * mm))
        story += _entry(entry, catalog, styles)
    return story


def _entry(entry: EntryView, catalog: Catalog, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    width = CONTENT_WIDTH
    heading = f"{entry.occurred:%Y-%m-%d %H:%M} · {entry.relationship}"
    mark = Paragraph("■ Bring to supervision", styles["mark"]) if entry.supervision else ""
    head = Table([[Paragraph(escape(heading), styles["entry"]), mark]], colWidths=[width * 0.68, width * 0.32])
    head.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))

    category = catalog.category(entry.category)
    channel = catalog.channel(entry.channel)
    template = catalog.template(entry.template)
    channel_text = channel.label if channel else entry.channel
    if channel and channel.risk is not None:
        channel_text += f" — risk {channel.risk}/100 (seed 004 chart)"
    rows = [
        ("Category", category.label if category else entry.category),
        ("Channel", channel_text),
        ("Template", template.title if template else entry.template),
    ]
    if entry.tags:
        rows.append(("Tags", ", ".join(entry.tags)))
    details = Table(
        [[Paragraph(label, styles["label"]), Paragraph(escape(value), styles["value"])] for label, value in rows],
        colWidths=[24 * mm, width - 24 * mm],
    )
    details.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, 0), 4),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 4),
    ]))

    flowables: list[Flowable] = [CondPageBreak(45 * mm), KeepTogether([head, details])]
    for key, text in _ordered_fields(entry, template):
        field = template.field(key) if template else None
        # Keep a label with the first lines of its text without moving a whole long paragraph.
        flowables.append(CondPageBreak(14 * mm))
        flowables.append(Paragraph(escape(field.label if field else key), styles["field"]))
        flowables += _text(text, styles["body"])
    return flowables


def _ordered_fields(entry: EntryView, template: Template | None) -> list[tuple[str, str]]:
    """Filled fields in the template's order, then any the template does not know."""
    known = [f.key for f in template.fields] if template else []
    keys = [k for k in known if k in entry.fields] + [k for k in entry.fields if k not in known]
    return [(k, entry.fields[k]) for k in keys if entry.fields[k].strip()]


def _text(text: str, style: ParagraphStyle) -> list[Flowable]:
    """User text as escaped paragraphs: one per line, long lines cut into chunks, blank lines kept."""
    flowables: list[Flowable] = []
    for line in text.split("\n"):
        if not line.strip():
            flowables.append(Spacer(1, style.leading * 0.6))
            continue
        # Paragraph collapses spaces; keep a line's indentation as non-breaking spaces.
        stripped = line.lstrip(" ")
        indent = "&nbsp;" * min(len(line) - len(stripped), 40)
        for chunk in _chunks(stripped):
            flowables.append(Paragraph(indent + escape(chunk), style))
            indent = ""
    return flowables


def _chunks(line: str, size: int = CHUNK_CHARS) -> Iterator[str]:
    """Cut a long line into pieces of at most `size` characters: after a sentence, else at a space."""
    start = 0
    while len(line) - start > size:
        window = line[start + size // 2 : start + size]
        sentences = list(_SENTENCE_END.finditer(window))
        if sentences:
            end = start + size // 2 + sentences[-1].end()
        else:
            space = window.rfind(" ")
            end = start + size // 2 + space + 1 if space >= 0 else start + size
        yield line[start:end]
        start = end
    yield line[start:]
