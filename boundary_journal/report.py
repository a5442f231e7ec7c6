"""The PDFs: the entries of a period, the supervision summary and the ethics-consult brief.

All three share the embedded Unicode fonts, escaped and chunked user text, the "Page X of Y" footer and the
atomic write. Imported lazily (ReportLab is slow to load); no Qt here, so the CLI and a worker thread can
both use it. The summary and the brief print a document gathered by services.exports and nothing else.
"""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
import weakref
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from functools import partial
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
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
    NextPageTemplate,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as ReportLabParagraph

from boundary_journal.catalog import Catalog, Template
from boundary_journal.store import files
from boundary_journal.store.paths import resources_root

if TYPE_CHECKING:
    from boundary_journal.services.entries import EntryView
    from boundary_journal.services.exports import (
        ActionRecord,
        EntryRecord,
        EthicsBrief,
        ExerciseRecord,
        LabelledText,
        RelationshipStage,
        StageMark,
        SupervisionPacket,
        Trend,
    )

TITLE = "Boundary Journal — entries"
METADATA_TITLE = "Boundary Journal entries"
CREATOR = "Boundary Journal"
FOOTER_NOTE = "Confidential — written with pseudonyms; check for identifiers before sharing"

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
# Chinese, Japanese and Korean, which DejaVu does not cover (no bold: bold CJK text prints regular).
FALLBACK_FONT = "DroidSansFallback"
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FALLBACK_FONT: "DroidSansFallback.ttf"}
# The document's language, for screen readers and text-to-speech (the /Lang entry of the catalogue).
LANGUAGE = "en"
# Parts of an emoji sequence that carry no text of their own: joiners, variation selectors, skin tones.
_SEQUENCE_PARTS = frozenset({0x200D, 0xFE0E, 0xFE0F, *range(0x1F3FB, 0x1F400)})

# Splitting a paragraph across pages re-wraps the rest of it, so time grows with the square of its
# length (a 1 MB line: about 1 s cut at 5,000 characters, 33 s at 200,000); longer lines become several
# paragraphs, cut after a sentence where possible so the seam reads as a line break.
CHUNK_CHARS = 5_000
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*\s")

PAGE_SIZE = A4
MARGIN = 20 * mm
# Room a field label needs to start on this page: the label and two lines of its text (a paragraph leaves no
# single first line at a page foot, so with less room the label would stand there alone).
FIELD_NEED = 20 * mm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5c5c5c")
RULE = colors.HexColor("#b8b8b8")
SHADE = colors.HexColor("#f0f0f0")

_fonts_lock = threading.Lock()
_fonts_registered = False
_main_chars: frozenset[int] = frozenset()  # the characters DejaVu Sans draws
_fallback_chars: frozenset[int] = frozenset()  # those only the fallback font draws


class Paragraph(ReportLabParagraph):
    """A ReportLab paragraph that parses its markup once per style and breaks its lines once per width.

    A document repeats many short texts (every entry's "Category" label, the same channel, the same field
    labels), so the markup parsed for a style is kept while the style lives and shared: layout reads the
    parsed pieces, never changes them. Layout also asks a paragraph for its size several times at the same
    width (a table sizes its cells, then draws them; a block kept together is measured, then placed): the
    lines do not change, so the later asks reuse them. Splitting across pages makes new paragraphs.
    """

    _wrapped_width: float | None = None

    def __init__(self, text: str | None, style: ParagraphStyle, bulletText: str | None = None, **kwargs: Any
                 ) -> None:
        if text is None or bulletText is not None or kwargs:  # a split-off part, or a numbered item (rare)
            super().__init__(text, style, bulletText=bulletText, **kwargs)
            return
        known = _parsed.get(style)
        if known is None:
            known = _parsed[style] = {}
        parsed = known.get(text)
        if parsed is None:
            super().__init__(text, style)
            if self.style is style:  # else the markup set its own style: not worth keeping
                known[text] = (self.text, self.frags)
        else:
            cleaned, frags = parsed
            super().__init__(cleaned, style, frags=frags)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Splitting drops the lines when it declines; then they are broken again.
        if availWidth == self._wrapped_width and hasattr(self, "blPara"):
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth if size[0] == availWidth else None
        return size


# Parsed markup by style, then by text: (the cleaned text, the pieces). Gone with the style (a document's).
_parsed: weakref.WeakKeyDictionary[ParagraphStyle, dict[str, tuple[str, list[Any]]]] = weakref.WeakKeyDictionary()


def check_output_path(path: Path) -> None:
    """Refuse an output path the PDF cannot be written to, before any work is done."""
    files.check_output_path(path, ".pdf")


def _details_table(rows: Sequence[tuple[str, str]], width: float, styles: dict[str, ParagraphStyle]) -> Table:
    """The shaded label/value box under an entry's heading (category, channel, template, tags)."""
    details = Table(
        [[Paragraph(_markup(label), styles["label"]), Paragraph(_markup(value), styles["value"])]
         for label, value in rows],
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
    return details


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
    period = f"{date_from:%Y-%m-%d} to {date_to:%Y-%m-%d}"
    _write_document(
        out, lambda: _story(entries, catalog, period=period, relationship=relationship, made=datetime.now()),
        header=f"{TITLE} · {period}", metadata_title=METADATA_TITLE, footer_note=FOOTER_NOTE,
    )


def _build(
    target: IO[bytes], story: list[Flowable], *, header: str, metadata_title: str, footer_note: str
) -> None:
    """Lay out `story` on A4: page 1 without the running header, every page with the numbered footer."""

    # A paragraph, not drawString: a pseudonym in the header may need the fallback font.
    header_style = ParagraphStyle("header", fontName=FONT, fontSize=7.5, leading=9, textColor=MUTED,
                                  alignment=TA_LEFT)

    line = ReportLabParagraph(_markup(header), header_style)  # laid out once, drawn on every page
    line.wrap(CONTENT_WIDTH, 20 * mm)

    def running_header(pdf: canvas.Canvas, _document: Any) -> None:
        line.drawOn(pdf, MARGIN, PAGE_SIZE[1] - MARGIN + 6 * mm - 2)

    frame = Frame(
        MARGIN, MARGIN + 4 * mm, CONTENT_WIDTH, PAGE_SIZE[1] - 2 * MARGIN - 4 * mm,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0,
    )
    # The open file, not its name, goes to ReportLab, so no path can end up inside the PDF.
    document = BaseDocTemplate(
        target,
        pagesize=PAGE_SIZE,
        pageTemplates=[
            PageTemplate("first", frames=[frame]),
            PageTemplate("later", frames=[frame], onPage=running_header),
        ],
        initialFontName=FONT,
        initialFontSize=9.5,
        title=metadata_title,
        author="",
        subject="",
        creator=CREATOR,
        producer=CREATOR,
        keywords="",
        lang=LANGUAGE,
        displayDocTitle=1,  # a viewer's title bar (and a screen reader) names the document, not the file
    )
    document.build([NextPageTemplate("later"), *story], canvasmaker=partial(_NumberedCanvas, footer_note=footer_note))


class _NumberedCanvas(canvas.Canvas):
    """Holds every page until the end so the footer can say "Page X of Y".

    Outline entries wait with their page: a bookmark made while the page is held would point at page 1.
    """

    def __init__(self, *args: Any, footer_note: str = FOOTER_NOTE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer_note = footer_note
        self._pages: list[dict[str, Any]] = []
        self._sections: list[tuple[str, str, int, float]] = []  # this page's outline entries
        self._section_keys = itertools.count(1)

    def add_section(self, title: str, level: int, top: float) -> None:
        """Put `title` in the PDF outline at `level`, pointing at height `top` of the current page."""
        self._sections.append((f"section-{next(self._section_keys)}", title, level, top))

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._sections = []
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        outlined = False
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            for key, title, level, top in self._sections:
                self.bookmarkPage(key, fit="XYZ", top=top)
                self.addOutlineEntry(title, key, level)
                outlined = True
            self._footer(number, total)
            super().showPage()
        if outlined:
            self.showOutline()
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
        self.drawString(MARGIN, y, self._footer_note)
        self.drawRightString(width - MARGIN, y, f"Page {number} of {total}")
        self.restoreState()


def _register_fonts() -> None:
    """Register the shipped fonts with ReportLab once per process: DejaVu (Latin, Greek, Cyrillic and more) and
    the CJK fallback, and note which characters each draws."""
    global _fonts_registered, _main_chars, _fallback_chars
    with _fonts_lock:
        if _fonts_registered:
            return
        folder = resources_root() / "fonts"
        fonts: dict[str, TTFont] = {}
        for name, filename in _FONT_FILES.items():
            # TTFont reads the whole file at once, so a temporary copy from as_file may go away after.
            with resources.as_file(folder / filename) as font_path:
                fonts[name] = TTFont(name, str(font_path))
                pdfmetrics.registerFont(fonts[name])
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
        main = set(fonts[FONT].face.charToGlyph) & set(fonts[FONT_BOLD].face.charToGlyph)
        _main_chars = frozenset(main)
        _fallback_chars = frozenset(set(fonts[FALLBACK_FONT].face.charToGlyph) - main)
        _fonts_registered = True


def _char_name(char: str) -> str:
    return unicodedata.name(char, f"U+{ord(char):04X}").lower()


def _markup(text: str) -> str:
    """Text as Paragraph markup: escaped, CJK in the fallback font, and a character no shipped font draws (most
    emoji) printed as its name in brackets, e.g. [thumbs up sign], so nothing is lost without a trace."""
    if text.isascii():
        return escape(text)
    _register_fonts()
    out: list[str] = []
    for kind, run in itertools.groupby(text, _font_of):
        chars = "".join(run)
        if kind == "main":
            out.append(escape(chars))
        elif kind == "fallback":
            out.append(f'<font name="{FALLBACK_FONT}">{escape(chars)}</font>')
        elif kind == "missing":
            out.append(escape("".join(f"[{_char_name(c)}]" for c in chars)))
    return "".join(out)


def _font_of(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:
        # Beyond the first 65,536 characters ReportLab writes a wrong text layer (copying or a screen reader gets
        # another character), so even an emoji DejaVu draws is printed by name.
        return "missing"
    if code < 128 or code in _main_chars:
        return "main"
    if code in _fallback_chars:
        return "fallback"
    if code in _SEQUENCE_PARTS:
        return "part"
    return "missing"


def unprintable(texts: dict[str, str]) -> list[tuple[str, str]]:
    """(where, what) for each text, by location, holding characters no shipped font draws, e.g.
    ("Entry … · Reflection", "👍 (thumbs up sign)"): the PDF prints them as their names in brackets."""
    _register_fonts()
    found: list[tuple[str, str]] = []
    for location, text in texts.items():
        if text.isascii():
            continue
        missing = dict.fromkeys(c for c in text if _font_of(c) == "missing")
        if missing:
            found.append((location, ", ".join(f"{c} ({_char_name(c)})" for c in missing)))
    return found


RIGHT_TO_LEFT_NOTE = ("right-to-left text (Hebrew, Arabic) is printed with its letters in left-to-right order and, "
                      "for Arabic, unjoined, so it reads reversed: ReportLab has no bidirectional layout")


def right_to_left(texts: dict[str, str]) -> list[str]:
    """Where (by location) a text holds right-to-left letters, which the PDF cannot lay out as they are read."""
    return [location for location, text in texts.items()
            if not text.isascii() and any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)]


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
    story += [Paragraph(_markup(fact), styles["meta"]) for fact in facts]
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
    head = Table([[Paragraph(_markup(heading), styles["entry"]), mark]], colWidths=[width * 0.68, width * 0.32])
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
        channel_text += f" — {catalog.channel_rank(channel)} (one article's chart, not a measured risk)"
    rows = [
        ("Category", category.label if category else entry.category),
        ("Channel", channel_text),
        ("Template", template.title if template else entry.template),
    ]
    if entry.tags:
        rows.append(("Tags", ", ".join(entry.tags)))
    details = _details_table(rows, width, styles)

    flowables: list[Flowable] = [CondPageBreak(45 * mm), KeepTogether([head, details])]
    for key, text in _ordered_fields(entry, template):
        field = template.field(key) if template else None
        # Keep a label with the first lines of its text without moving a whole long paragraph.
        flowables.append(CondPageBreak(FIELD_NEED))
        flowables.append(Paragraph(escape(field.label if field else key), styles["field"]))
        flowables += _text(text, styles["body"])
    return flowables


def _ordered_fields(entry: EntryView, template: Template | None) -> list[tuple[str, str]]:
    """Filled fields in the template's order, then any the template does not know."""
    known = [f.key for f in template.fields] if template else []
    keys = [k for k in known if k in entry.fields] + [k for k in entry.fields if k not in known]
    return [(k, entry.fields[k]) for k in keys if entry.fields[k].strip()]


def _text(text: str, style: ParagraphStyle, *, lead: str = "", bullet: str | None = None) -> list[Flowable]:
    """User text as escaped paragraphs: one per line, long lines cut into chunks, blank lines kept.

    `lead` (markup, already escaped) starts the first paragraph; `bullet` is the first paragraph's list number.
    """
    flowables: list[Flowable] = []
    for line in text.split("\n"):
        if not line.strip():
            flowables.append(Spacer(1, style.leading * 0.6))
            continue
        # Paragraph collapses spaces; keep a line's indentation as non-breaking spaces.
        stripped = line.lstrip(" ")
        indent = "&nbsp;" * min(len(line) - len(stripped), 40)
        for chunk in _chunks(stripped):
            flowables.append(Paragraph(lead + indent + _markup(chunk), style, bulletText=bullet))
            indent, lead, bullet = "", "", None
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


# -- the supervision summary and the ethics-consult brief --------------------------------------------------

SUPERVISION_TITLE = "Supervision summary"
SUPERVISION_METADATA_TITLE = "Boundary Journal supervision summary"
SUPERVISION_NOTE = "Confidential · pseudonymised notes for clinical supervision · do not copy or forward"
BRIEF_TITLE = "Ethics-consult brief"
BRIEF_METADATA_TITLE = "Boundary Journal ethics-consult brief"
BRIEF_NOTE = "Confidential · pseudonymised notes for an ethics consultation · do not copy or forward"

# The section headings, in order: the supervisor (and the tests) can rely on them.
SUPERVISION_SECTIONS = (
    "Overview", "Questions I want to bring", "Relationships and their slope stage", "Self-check trend", "Entries",
    "Weekly exercises",
    "Actions in the period", "Supervisor's notes",
)
BRIEF_SECTIONS = (
    "Questions for the consultation", "Context", "Consent record", "Chronology",
    "Self-check trend and stage history", "Actions",
)

ACCENT = colors.HexColor("#2f5d7c")
WARN = colors.HexColor("#8a2b1d")
CHART_HEIGHT = 42 * mm
# Room a section needs below its heading before it starts a new page instead.
TREND_NEED = CHART_HEIGHT + 40 * mm
ENTRY_NEED = 75 * mm
NOTE_LINES = 12
# A table row cannot break across pages, so longer user text goes below the table instead of in a cell.
CELL_TEXT_LIMIT = 400


def write_supervision_pdf(out: Path, packet: SupervisionPacket, catalog: Catalog) -> None:
    """Write the supervision summary of a period as a PDF at `out`, atomically: all of it or nothing."""
    _write_document(
        out, lambda: _supervision_story(packet, catalog),
        header=f"Boundary Journal — {SUPERVISION_TITLE.lower()} · {_period(packet.date_from, packet.date_to)}",
        metadata_title=SUPERVISION_METADATA_TITLE, footer_note=SUPERVISION_NOTE,
    )


def write_brief_pdf(out: Path, brief: EthicsBrief, catalog: Catalog) -> None:
    """Write the ethics-consult brief of one relationship as a PDF at `out`, atomically."""
    _write_document(
        out, lambda: _brief_story(brief, catalog),
        header=f"Boundary Journal — {BRIEF_TITLE.lower()} · {brief.pseudonym}",
        metadata_title=BRIEF_METADATA_TITLE, footer_note=BRIEF_NOTE,
    )


def _write_document(
    out: Path, story: Callable[[], list[Flowable]], *, header: str, metadata_title: str, footer_note: str
) -> None:
    out = Path(out)
    check_output_path(out)
    _register_fonts()
    flowables = story()
    files.atomic_write(
        out,
        lambda target: _build(
            target, flowables, header=header, metadata_title=metadata_title, footer_note=footer_note
        ),
        what="PDF",
    )


class _Heading(Paragraph):
    """A heading that is also an entry in the PDF's outline (the bookmarks pane)."""

    def __init__(self, text: str, style: ParagraphStyle, *, outline: str | None = None, level: int = 0) -> None:
        super().__init__(_markup(text), style)
        self._outline = (outline or text, level)

    def draw(self) -> None:
        super().draw()
        add_section = getattr(self.canv, "add_section", None)
        if add_section is not None:
            title, level = self._outline
            add_section(title, level, self.canv.absolutePosition(0, self.height)[1])


def _report_styles() -> dict[str, ParagraphStyle]:
    styles = _styles()
    body = styles["body"]
    styles.update({
        "h1": ParagraphStyle("h1", parent=body, fontName=FONT_BOLD, fontSize=13, leading=16, spaceBefore=7 * mm,
                             spaceAfter=2.5 * mm, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=4 * mm,
                             spaceAfter=1.5 * mm, keepWithNext=1),
        "caption": ParagraphStyle("caption", parent=body, fontSize=8.5, leading=11.5, textColor=MUTED,
                                  spaceAfter=2 * mm),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11),
        "cell_bold": ParagraphStyle("cell_bold", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=11),
        "cell_warn": ParagraphStyle("cell_warn", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=11,
                                    textColor=WARN),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=7.5, leading=10,
                                    textColor=MUTED),
        "numbered": ParagraphStyle("numbered", parent=body, leftIndent=7 * mm, bulletIndent=0, bulletFontName=FONT,
                                   spaceBefore=1.5),
        "glance_number": ParagraphStyle("glance_number", parent=body, fontName=FONT_BOLD, fontSize=15, leading=18),
        "glance_label": ParagraphStyle("glance_label", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED),
        "check": ParagraphStyle("check", parent=body, fontSize=9, leading=13, textColor=ACCENT, spaceBefore=2),
        "check_warn": ParagraphStyle("check_warn", parent=body, fontSize=9, leading=13, textColor=WARN,
                                     spaceBefore=2),
        "missing": ParagraphStyle("missing", parent=body, textColor=MUTED),
    })
    return styles


def _period(date_from: date, date_to: date) -> str:
    return f"{date_from:%Y-%m-%d} to {date_to:%Y-%m-%d}"


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _risk(risk: int | None) -> str:
    return f"{risk}/100" if risk is not None else "not ranked"


def _cite(source: str) -> str:
    """A catalogue `source` as readers see it: the article's short title and section, never a file name."""
    from boundary_journal.catalog import shipped_catalog

    return shipped_catalog().source_label(source)


def _stage_text(stage: int | None, label: str) -> str:
    return f"{stage} · {label}" if stage is not None else "not set"


def _suggested_lines(stage: RelationshipStage) -> list[str]:
    """The suggested stage (or none), the window it rests on, then each reason: as shown in the window."""
    head = _stage_text(stage.suggested_stage, stage.suggested_label) if stage.suggested_stage else "none"
    return [f"{head} ({stage.suggested_basis})" if stage.suggested_basis else head, *stage.suggested_reasons]


def _identifier_line(unresolved: int | None, styles: dict[str, ParagraphStyle]) -> Paragraph:
    if unresolved is None:
        return Paragraph("Not checked for identifiers before export: check it before sharing.", styles["check_warn"])
    if unresolved == 0:
        return Paragraph(
            "■ Checked for identifiers before export: a heuristic check (names, contact details, dates, ages, "
            "record numbers, addresses, postcodes) found nothing it recognises as an identifier. People are named by "
            "pseudonym; read it once more before sharing.", styles["check"])
    return Paragraph(
        f"Checked for identifiers before export: {_plural(unresolved, 'possible identifier')} left in on "
        "purpose by the author.", styles["check_warn"])


def _table(
    rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True, shaded: bool = False
) -> Table:
    """A quiet table: a small grey header row, hairlines between rows, text top-aligned."""
    table = Table([list(row) for row in rows], colWidths=list(widths), repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEBELOW", (0, 0), (-1, 0), 0.8, MUTED)]
    if shaded:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), SHADE))
    table.setStyle(TableStyle(commands))
    return table


def _cell(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_markup(text), style)


def _labelled(label: str, text: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """A field label with its user text below it, the label kept with the text's first lines."""
    return [CondPageBreak(FIELD_NEED), Paragraph(_markup(label), styles["field"]), *_text(text, styles["body"])]


def _numbered(items: Sequence[str], style: ParagraphStyle) -> list[Flowable]:
    """A numbered list of texts; a long item continues as indented paragraphs under its number."""
    flowables: list[Flowable] = []
    for number, item in enumerate(items, start=1):
        flowables += _text(item.strip(), style, bullet=f"{number}.")
    return flowables


def _section(
    title: str, styles: dict[str, ParagraphStyle], *, outline: str | None = None, need: float = 35 * mm
) -> list[Flowable]:
    """A section heading that starts a new page unless `need` (room for its first block) is left."""
    return [CondPageBreak(need), _Heading(title, styles["h1"], outline=outline)]


def _cover(
    title: str, facts: Sequence[str], unresolved: int | None, styles: dict[str, ParagraphStyle]
) -> list[Flowable]:
    story: list[Flowable] = [_Heading(title, styles["title"], outline="Cover")]
    story += [Paragraph(_markup(fact), styles["meta"]) for fact in facts]
    story.append(_identifier_line(unresolved, styles))
    return story


def _glance(figures: Sequence[tuple[int, str]], styles: dict[str, ParagraphStyle]) -> Table:
    """Key figures side by side, so the first glance says how much there is to read."""
    width = CONTENT_WIDTH / len(figures)
    table = Table(
        [[Paragraph(str(number), styles["glance_number"]) for number, _ in figures],
         [Paragraph(escape(label), styles["glance_label"]) for _, label in figures]],
        colWidths=[width] * len(figures),
    )
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("BACKGROUND", (0, 0), (-1, -1), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, 0), 6),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
        ("LINEAFTER", (0, 0), (-2, -1), 0.5, colors.white),
    ]))
    return table


def _stage_scale(catalog: Catalog) -> str:
    source = catalog.item_source(catalog.slope_stages[0])
    return f"Slope stages ({source}): " + " · ".join(f"{s.number} {s.label}" for s in catalog.slope_stages) + "."


# -- the trend chart ---------------------------------------------------------------------------------------


def _day(moment: datetime) -> float:
    return moment.toordinal() + (moment.hour * 60 + moment.minute) / 1440


def _ticks(start: int, end: int) -> list[int]:
    span = end - start
    step = next((s for s in (1, 2, 7, 14, 28, 56, 91, 182, 364) if span / s <= 8), 728)
    return list(range(start, end + 1, step))


def _trend_chart(trend: Trend, start: date, end: date) -> Drawing:
    """The scores of one trend over [start, end] as a vector line chart, stage changes as dashed lines."""
    drawing = Drawing(CONTENT_WIDTH, CHART_HEIGHT)
    drawing.initialFontName, drawing.initialFontSize = FONT, 7  # else the renderer starts in Helvetica
    plot = LinePlot()
    plot.x, plot.y = 11 * mm, 7 * mm
    plot.width, plot.height = CONTENT_WIDTH - plot.x - 3 * mm, CHART_HEIGHT - plot.y - 7 * mm
    first, last = start.toordinal(), max(end.toordinal(), start.toordinal()) + 1
    plot.data = [[(_day(p.taken_at), p.percent) for p in trend.points]]
    line = plot.lines[0]
    line.strokeColor, line.strokeWidth = INK, 1.1
    if len(trend.points) <= 60:  # beyond that the dots merge into a smear
        line.symbol = makeMarker("FilledCircle", size=3.4, fillColor=INK, strokeColor=INK)
    if len(trend.points) <= 20:
        plot.lineLabelFormat = "%d%%"
        plot.lineLabelNudge = 5
        plot.lineLabels.fontName, plot.lineLabels.fontSize, plot.lineLabels.fillColor = FONT, 6.5, MUTED

    x_axis = plot.xValueAxis
    # Half a day of room either side keeps a first-day point and its label off the axis.
    x_axis.valueMin, x_axis.valueMax = first - 0.5, last + 0.5
    x_axis.valueSteps = _ticks(first, last)
    long_span = last - first > 180
    x_axis.labelTextFormat = lambda value: _tick_label(date.fromordinal(int(value)), long_span)
    x_axis.labels.fontName, x_axis.labels.fontSize, x_axis.labels.fillColor = FONT, 7, MUTED
    x_axis.strokeColor = MUTED
    y_axis = plot.yValueAxis
    y_axis.valueMin, y_axis.valueMax, y_axis.valueSteps = _score_axis([p.percent for p in trend.points])
    y_axis.labelTextFormat = "%d%%"
    y_axis.labels.fontName, y_axis.labels.fontSize, y_axis.labels.fillColor = FONT, 7, MUTED
    y_axis.strokeColor = MUTED
    y_axis.visibleGrid, y_axis.gridStrokeColor, y_axis.gridStrokeWidth = True, SHADE, 0.6
    drawing.add(plot)

    for index, mark in enumerate(trend.stage_changes):
        x = plot.x + (_day(mark.set_at) - x_axis.valueMin) / (x_axis.valueMax - x_axis.valueMin) * plot.width
        drawing.add(Line(x, plot.y, x, plot.y + plot.height + 2, strokeColor=ACCENT, strokeWidth=0.8,
                         strokeDashArray=[2, 2]))
        label = _change_text(mark, arrow="→")
        anchor = "end" if x > plot.x + plot.width - 20 * mm else "start"
        drawing.add(String(x + (-2 if anchor == "end" else 2), plot.y + plot.height + 2 + (index % 2) * 8, label,
                           fontName=FONT, fontSize=6.5, fillColor=ACCENT, textAnchor=anchor))
    return drawing


def _score_axis(scores: Sequence[int]) -> tuple[int, int, list[int]]:
    """Bounds and ticks (at most five steps) of the score axis, fitted to the scores with some room: scores of
    40-60 are not drawn on 0-100. It starts at 0 when the lowest score is near it, and stays within 0-100."""
    low, high = min(scores), max(scores)
    span = max(high - low, 10)
    pad = max(2, span // 5)
    low, high = max(0, low - pad), min(100, high + pad)
    if low <= span:
        low = 0
    for step in (5, 10, 20, 25):  # each divides 100, so the top stays within it
        bottom, top = low // step * step, -(-high // step) * step
        if (top - bottom) // step <= 5:
            break
    if top - bottom < 2 * step:
        top = min(100, bottom + 2 * step)
        bottom = top - 2 * step
    return bottom, top, list(range(bottom, top + 1, step))


def _change_text(mark: StageMark, *, arrow: str = " → ") -> str:
    """"stage 3", "stage 2 → 3", or "stage 3 (unchanged)" when the same stage was set again."""
    if mark.previous is None:
        return f"stage {mark.stage}"
    if mark.previous == mark.stage:
        return f"stage {mark.stage} (unchanged)"
    return f"stage {mark.previous}{arrow}{mark.stage}"


def _tick_label(day: date, long_span: bool) -> str:
    return f"{day:%b %Y}" if long_span else f"{day.day} {day:%b}"


def _trend_heading(trend: Trend) -> str:
    if not trend.points:
        return trend.title
    first, last = trend.points[0].percent, trend.points[-1].percent
    scores = f"{first}%" if len(trend.points) == 1 else f"{first}% → {last}%"
    return f"{trend.title} — {_plural(len(trend.points), 'check-in')}, {scores}"


def _trend_block(
    trend: Trend, start: date, end: date, styles: dict[str, ParagraphStyle], *, list_changes: bool = True,
    second_view: str = "",
) -> list[Flowable]:
    """One trend: a sub-heading with the first and last score, the chart (in words for a single check-in), the
    red flags ticked, then the stage changes in words."""
    block: list[Flowable] = [Paragraph(_markup(_trend_heading(trend)), styles["h2"])]
    if len(trend.points) > 1:
        block.append(_trend_chart(trend, start, end))
    elif trend.points:
        point = trend.points[0]
        block.append(Paragraph(f"One check-in, on {point.taken_at:%Y-%m-%d}, scored {point.percent}%: too few for a "
                               "trend.", styles["body"]))
    else:
        block.append(Paragraph("No check-ins in this period.", styles["missing"]))
    # The red flags belong to the chart above them: at most one row per catalogue item, so they move with it.
    story: list[Flowable] = [KeepTogether(block + _flags_ticked(trend, styles, second_view))]
    if list_changes and trend.stage_changes:
        story.append(Spacer(1, 1.5 * mm))
    for mark in trend.stage_changes if list_changes else ():
        story += _stage_change(mark, styles)
    return story


def _lead_into(lead: list[Flowable], blocks: list[Flowable]) -> list[Flowable]:
    """`lead` (a section's heading and caption) kept on the page of the first of `blocks`: a trend block that
    does not fit moves to the next page whole, and its heading must go with it rather than stand alone."""
    breaks = [f for f in lead if isinstance(f, CondPageBreak)]
    kept = [f for f in lead if not isinstance(f, CondPageBreak)]
    if not blocks:
        return lead
    return [*breaks, KeepTogether([*kept, blocks[0]]), *blocks[1:]]


def _second_view(catalog: Catalog) -> str:
    rule = catalog.warning("higher_input")
    return rule.title if rule else "Needs a second view"


def _flags_ticked(trend: Trend, styles: dict[str, ParagraphStyle], second_view: str) -> list[Flowable]:
    """The red flags the check-ins ticked, how often and when last, those that need a second view first."""
    counts: dict[str, list[Any]] = {}  # text -> [check-ins, last day, needs a second view]
    for point in trend.points:
        for text in point.ticked:
            found = counts.setdefault(text, [0, point.taken_at, False])
            found[0] += 1
            found[1] = point.taken_at
            found[2] = found[2] or text in point.higher_input
    if not trend.points:
        return []
    if not counts:
        return [Paragraph("No red flag was ticked.", styles["missing"])]
    story: list[Flowable] = []
    urgent = [p for p in trend.points if p.higher_input]
    if urgent:
        story.append(Paragraph(
            f"■ {_markup(second_view or 'Needs a second view')}: {_plural(len(urgent), 'check-in')} ticked an item "
            f"that warrants supervision or ethics input, the last on {urgent[-1].taken_at:%Y-%m-%d}.",
            styles["check_warn"]))
    rows: list[list[Any]] = [[_cell("Red flag ticked", styles["cell_head"]), _cell("Check-ins", styles["cell_head"]),
                              _cell("Last", styles["cell_head"])]]
    for text, (count, last, higher) in sorted(counts.items(), key=lambda item: (not item[1][2], -item[1][0])):
        label = f"{second_view}: {text}" if higher else text
        rows.append([_cell(label, styles["cell_warn" if higher else "cell"]), _cell(str(count), styles["cell"]),
                     _cell(f"{last:%Y-%m-%d}", styles["cell"])])
    story += [Spacer(1, 1 * mm), _table(rows, [CONTENT_WIDTH - 42 * mm, 18 * mm, 24 * mm])]
    return story


def _stage_change(mark: StageMark, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    change = _change_text(mark)
    line = f"<b>{mark.set_at:%Y-%m-%d}</b> · {change} {_markup(mark.label)}"
    if not mark.note:
        return [Paragraph(line, styles["cell"])]
    return _text(mark.note, styles["cell"], lead=f"{line} — ")


# -- the supervision summary -------------------------------------------------------------------------------


def _supervision_story(packet: SupervisionPacket, catalog: Catalog) -> list[Flowable]:
    styles = _report_styles()
    period = _period(packet.date_from, packet.date_to)
    days = (packet.date_to - packet.date_from).days + 1
    facts = [f"Period: {period} ({_plural(days, 'day')})"]
    if packet.display_name:
        facts.append(f"Prepared by: {packet.display_name}")
    facts.append(f"Made on {packet.made:%Y-%m-%d %H:%M}")
    story = _cover(SUPERVISION_TITLE, facts, packet.unresolved_findings, styles)
    story += [Spacer(1, 4 * mm), _glance([
        (packet.entries_in_period, "entries in the period"),
        (len(packet.entries), "entries in this summary"),
        (len(packet.relationships), "relationships"),
        (packet.check_ins, "self-checks"),
        (packet.overdue, "overdue actions"),
        (len(packet.questions), "questions to bring"),
    ], styles)]
    story += _overview(packet, catalog, styles)
    story += _questions(packet, styles)
    story += _relationships(packet, catalog, styles)
    story += _supervision_trends(packet, catalog, styles)
    story += _supervision_entries(packet, styles)
    story += _exercises(packet, styles)
    story += _period_actions(packet, styles)
    story += _closing(styles)
    return story


def _overview(packet: SupervisionPacket, catalog: Catalog, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story = _section("Overview", styles)
    if not packet.entries_in_period:
        story.append(Paragraph("There are no entries in this period.", styles["missing"]))
    else:
        half = (CONTENT_WIDTH - 6 * mm) / 2
        categories = _table(
            [[_cell("Category", styles["cell_head"]), _cell("Entries", styles["cell_head"])]]
            + [[_cell(c.label, styles["cell"]), _cell(str(c.count), styles["cell"])] for c in packet.categories],
            [half - 16 * mm, 16 * mm],
        )
        channels = _table(
            [[_cell("Channel", styles["cell_head"]), _cell("Entries", styles["cell_head"]),
              _cell("Rank*", styles["cell_head"])]]
            + [[_cell(c.label, styles["cell"]), _cell(str(c.count), styles["cell"]),
                _cell(_risk(c.risk), styles["cell_bold" if (c.risk or 0) >= 50 else "cell"])]
               for c in packet.channels],
            [half - 35 * mm, 16 * mm, 19 * mm],
        )
        side_by_side = Table([[categories, "", channels]], colWidths=[half, 6 * mm, half])
        side_by_side.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        story += [
            Paragraph(f"{_plural(packet.entries_in_period, 'entry', 'entries')} in the period, by category and by "
                      "channel.", styles["caption"]),
            side_by_side,
            Spacer(1, 1.5 * mm),
            Paragraph(escape("* Rank: " + catalog.channel_ranking_note()), styles["caption"]),
        ]
    return story


def _relationships(packet: SupervisionPacket, catalog: Catalog, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Each relationship with the stage the clinician set and the one their own recent conduct suggests."""
    story = _section("Relationships and their slope stage", styles)
    if not packet.relationships:
        story.append(Paragraph("No relationship had entries, check-ins, exercises or stage changes in this period.",
                               styles["missing"]))
        return story
    rows: list[list[Any]] = [[
        _cell("Relationship (pseudonym)", styles["cell_head"]), _cell("Entries", styles["cell_head"]),
        _cell("Stage set by the author", styles["cell_head"]),
        _cell("Suggested by the author's own conduct, and why", styles["cell_head"]),
    ]]
    for relationship in packet.relationships:
        rows.append([
            _cell(relationship.pseudonym, styles["cell_bold"]),
            _cell(str(relationship.entries), styles["cell"]),
            _cell(_stage_text(relationship.stage, relationship.stage_label), styles["cell"]),
            Paragraph("<br/>".join(escape(line) if n == 0 else f"• {escape(line)}"
                                   for n, line in enumerate(_suggested_lines(relationship))), styles["cell"]),
        ])
    story += [
        _table(rows, [36 * mm, 15 * mm, 45 * mm, CONTENT_WIDTH - 96 * mm]),
        Spacer(1, 1.5 * mm),
        Paragraph(escape(_stage_scale(catalog)), styles["caption"]),
    ]
    return story


def _supervision_trends(packet: SupervisionPacket, catalog: Catalog, styles: dict[str, ParagraphStyle]
                        ) -> list[Flowable]:
    story = _section("Self-check trend", styles, need=TREND_NEED)
    if not packet.trends:
        story.append(Paragraph("No self-check was taken and no slope stage was set in this period.",
                               styles["missing"]))
        return story
    story.append(Paragraph(
        "Each point is one red-flag check-in, scored as a share of the highest possible score: higher means more "
        "warning signs. Dashed lines mark a slope stage set in the period. Under each chart, the red flags "
        "ticked and how often.", styles["caption"]))
    blocks: list[Flowable] = []
    for trend in packet.trends:
        blocks += _trend_block(trend, packet.date_from, packet.date_to, styles, second_view=_second_view(catalog))
    return _lead_into(story, blocks)


def _supervision_entries(packet: SupervisionPacket, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    title = "Entries: all in the period" if packet.all_entries else "Entries brought to supervision"
    story = _section(title, styles, outline="Entries", need=ENTRY_NEED)
    if packet.all_entries:
        caption = (f"All {_plural(len(packet.entries), 'entry', 'entries')} in the period, oldest first; "
                   "■ marks those to bring to supervision.")
    else:
        caption = (f"{len(packet.entries)} of {_plural(packet.entries_in_period, 'entry', 'entries')} in the period "
                   f"{'was' if len(packet.entries) == 1 else 'were'} marked “bring to supervision”, oldest first.")
    if not packet.entries:
        empty = "There are no entries in this period." if packet.all_entries or not packet.entries_in_period else \
            "No entry in this period was marked “bring to supervision”."
        story.append(Paragraph(empty, styles["missing"]))
        return story
    story.append(Paragraph(_markup(caption), styles["caption"]))
    for index, entry in enumerate(packet.entries):
        if index:
            story.append(HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=5 * mm, spaceAfter=4 * mm))
        story += _supervision_entry(entry, styles, mark=packet.all_entries)
    return story


# The supervisor's reading order: what happened, how I responded, the note for the chart, what I make of it,
# and what comes next.
_FIRST_FIELDS = ("what_happened", "my_response", "documentation_note", "reflection", "next_step")


def _entry_head(
    entry: EntryRecord, styles: dict[str, ParagraphStyle], *, mark: bool, rows: Sequence[tuple[str, str]],
    pseudonym: bool = True,
) -> Flowable:
    """The entry's date (and relationship) as an outline entry, over a shaded box of its labels."""
    width = CONTENT_WIDTH
    who = f" · {entry.relationship}" if pseudonym else ""
    heading = f"{entry.occurred:%Y-%m-%d %H:%M}{who}"
    outline = f"{entry.occurred:%Y-%m-%d}{who}"
    flag = Paragraph("■ Bring to supervision", styles["mark"]) if mark and entry.supervision else ""
    head = Table([[_Heading(heading, styles["entry"], outline=outline, level=1), flag]],
                 colWidths=[width * 0.68, width * 0.32])
    head.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    details = _details_table(rows, width, styles)
    return KeepTogether([head, details])


def _channel_text(entry: EntryRecord) -> str:
    rank = "not ranked" if entry.channel_risk is None else f"illustrative rank {_risk(entry.channel_risk)}"
    return f"{entry.channel_label} — {rank}"


def _supervision_entry(entry: EntryRecord, styles: dict[str, ParagraphStyle], *, mark: bool) -> list[Flowable]:
    rows = [("Category", entry.category_label), ("Channel", _channel_text(entry)), ("Template", entry.template_title)]
    if entry.tags:
        rows.append(("Tags", ", ".join(entry.tags)))
    story: list[Flowable] = [CondPageBreak(45 * mm), _entry_head(entry, styles, mark=mark, rows=rows)]
    by_key = {f.key: f for f in entry.fields}
    for key in _FIRST_FIELDS:
        if key in by_key:
            story += _labelled(by_key[key].label, by_key[key].text, styles)
    if entry.flow:
        story += [CondPageBreak(FIELD_NEED), Paragraph("Recommended steps (decision flow)", styles["field"])]
        if entry.steps:
            story += _numbered(entry.steps, styles["numbered"])
        else:
            story.append(Paragraph("None: every decision-flow question was answered no.", styles["missing"]))
    for text in entry.fields:
        if text.key not in _FIRST_FIELDS:
            story += _labelled(text.label, text.text, styles)
    if entry.response_moves:
        story += [CondPageBreak(FIELD_NEED), Paragraph("Looking back at my response", styles["field"]),
                  Paragraph(_markup("; ".join(entry.response_moves)), styles["body"])]
    return story


def _exercises(packet: SupervisionPacket, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story = _section("Weekly exercises", styles)
    if not packet.exercises:
        story.append(Paragraph("No weekly exercise was planned in this period.", styles["missing"]))
        return story
    story.append(Paragraph("One grey relationship a week: what makes it feel grey, one concrete move, and whether "
                           "it happened.", styles["caption"]))
    rows: list[list[Any]] = [[_cell(h, styles["cell_head"]) for h in
                              ("Week", "Relationship", "What makes it feel grey", "Move", "Outcome")]]
    long_notes: list[ExerciseRecord] = []
    for exercise in packet.exercises:
        move = exercise.move_other if exercise.move == "other" and exercise.move_other else exercise.move_label
        outcome = [_cell(exercise.outcome_label, styles["cell_bold"])]
        if exercise.outcome_note and len(exercise.outcome_note) <= CELL_TEXT_LIMIT:
            outcome.append(_cell(exercise.outcome_note, styles["cell"]))
        elif exercise.outcome_note:
            outcome.append(_cell("(note below)", styles["cell"]))
            long_notes.append(exercise)
        rows.append([
            _cell(exercise.week, styles["cell"]), _cell(exercise.relationship, styles["cell"]),
            _cell(exercise.unease, styles["cell"]),
            [_cell(move, styles["cell"]), _cell(f"planned {exercise.on:%a %Y-%m-%d}", styles["caption"])],
            outcome,
        ])
    story.append(_table(rows, [19 * mm, 28 * mm, 51 * mm, 36 * mm, CONTENT_WIDTH - 134 * mm]))
    for exercise in long_notes:
        story += _labelled(f"Outcome note, {exercise.week} · {exercise.relationship}", exercise.outcome_note, styles)
    return story


_STATUS = {"overdue": "Overdue", "due": "Due today", "open": "Open", "done": "Done"}


def _actions_table(actions: Sequence[ActionRecord], styles: dict[str, ParagraphStyle], *, relationship: bool
                   ) -> Table:
    heads = ["Status", "Due", *(["Relationship"] if relationship else []), "Action"]
    rows: list[list[Any]] = [[_cell(h, styles["cell_head"]) for h in heads]]
    for action in actions:
        style = {"overdue": "cell_warn", "due": "cell_bold"}.get(action.status, "cell")
        label = _STATUS.get(action.status, action.status)
        if action.done_at is not None:
            label += f" {action.done_at:%Y-%m-%d}"
        status = _cell(label, styles[style])
        due = _cell(f"{action.due_on:%Y-%m-%d}" if action.due_on else "—", styles["cell"])
        row = [status, due]
        if relationship:
            row.append(_cell(action.relationship or "—", styles["cell"]))
        what: list[Flowable] = [_cell(action.text, styles["cell"])]
        if action.outcome:  # a table row cannot break across pages: a long outcome goes below the table
            outcome = action.outcome if len(action.outcome) <= CELL_TEXT_LIMIT else "(below the table)"
            what.append(_cell(f"Outcome: {outcome}", styles["caption"]))
        row.append(what)
        rows.append(row)
    widths = [22 * mm, 23 * mm, *([36 * mm] if relationship else [])]
    return _table(rows, [*widths, CONTENT_WIDTH - sum(widths)])


def _period_actions(packet: SupervisionPacket, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story = _section("Actions in the period", styles)
    older = ""
    if packet.older_open:
        older = (f" Not listed: {_plural(packet.older_open, 'older open action')}, opened before the period and "
                 "not due in it.")
    if not packet.actions:
        story.append(Paragraph("No action was due, done or opened in this period." + older, styles["missing"]))
        return story
    done = sum(1 for a in packet.actions if a.status == "done")
    story.append(Paragraph(f"Actions due, done or opened in the period, as of {packet.made:%Y-%m-%d}, overdue first: "
                           f"{_plural(len(packet.actions), 'action')}, {packet.overdue} overdue, {done} done."
                           + older, styles["caption"]))
    story.append(_actions_table(packet.actions, styles, relationship=True))
    for action in packet.actions:
        if len(action.outcome) > CELL_TEXT_LIMIT:
            story += _labelled(f"Outcome of action {action.id}: {action.text[:80]}", action.outcome, styles)
    return story


def _questions(document: SupervisionPacket | EthicsBrief, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    brief = not hasattr(document, "date_from")
    title = "Questions for the consultation" if brief else "Questions I want to bring"
    story = _section(title, styles, need=25 * mm)
    if not document.questions:
        what = "consultation" if brief else "supervision"
        story.append(Paragraph(f"No questions were added for this {what}.", styles["missing"]))
        return story
    return story + _numbered(document.questions, styles["numbered"])


def _closing(styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Ruled lines for the supervisor's notes, then date and signature, kept on one page."""
    lines: list[Flowable] = [
        HRFlowable(width="100%", thickness=0.4, color=RULE, spaceBefore=7.5 * mm, spaceAfter=0)
        for _ in range(NOTE_LINES)
    ]
    sign = Table(
        [[Paragraph("Date", styles["label"]), "", "", Paragraph("Signature", styles["label"]), ""]],
        colWidths=[14 * mm, 50 * mm, 12 * mm, 20 * mm, CONTENT_WIDTH - 96 * mm],
        rowHeights=[12 * mm],
    )
    sign.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("LINEBELOW", (1, 0), (1, 0), 0.6, INK),
        ("LINEBELOW", (4, 0), (4, 0), 0.6, INK),
    ]))
    return [KeepTogether([
        _Heading("Supervisor's notes", styles["h1"]),
        Paragraph("For the supervisor: observations, agreed next steps, and when to review.", styles["caption"]),
        *lines,
        sign,
    ])]


# -- the ethics-consult brief ------------------------------------------------------------------------------


def _brief_story(brief: EthicsBrief, catalog: Catalog) -> list[Flowable]:
    styles = _report_styles()
    facts = [f"Relationship: {brief.pseudonym} (a pseudonym; {brief.status})"]
    if brief.entries:
        first, last = brief.entries[0].occurred, brief.entries[-1].occurred
        facts.append(f"Entries: {len(brief.entries)}, from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    else:
        facts.append("Entries: none")
    suggested = _suggested_lines(brief.stage)
    facts.append(f"Slope stage set by the author: {_stage_text(brief.stage.stage, brief.stage.stage_label)}; "
                 f"suggested by the author's own conduct: {suggested[0]}")
    facts += [f"• {reason}" for reason in suggested[1:]]
    if brief.display_name:
        facts.append(f"Prepared by: {brief.display_name}")
    facts.append(f"Made on {brief.made:%Y-%m-%d %H:%M}")
    story = _cover(BRIEF_TITLE, facts, brief.unresolved_findings, styles)
    story.append(Paragraph(
        "A factual account for an ethics consultation: the author's questions, the circumstances, any consent to an "
        "exception, every entry (what happened, the response, the documentation note, the decision-flow answers), "
        "the author's self-checks and the actions taken.", styles["caption"]))
    story += _questions(brief, styles)
    story += _context(brief, styles)
    story += _consent(brief, styles)
    story += _chronology(brief, styles)
    story += _brief_trend(brief, catalog, styles)
    story += _brief_actions(brief, styles)
    return story


def _context(brief: EthicsBrief, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story = _section("Context", styles)
    story.append(Paragraph(escape("The circumstances that change how a boundary question is judged ("
                                  + _cite("001_1a018c2b3fe19f40.txt §6 Context matters") + ")."),
                           styles["caption"]))
    if not brief.has_context:
        story.append(Paragraph("No context is recorded for this relationship.", styles["missing"]))
        return story
    for part in brief.context:
        story += _labelled_or_missing(part, styles)
    return story


def _labelled_or_missing(part: LabelledText, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    if part.text:
        return _labelled(part.label, part.text, styles)
    return [Paragraph(_markup(part.label), styles["field"]), Paragraph("Not recorded.", styles["missing"])]


def _consent(brief: EthicsBrief, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story = _section("Consent record", styles)
    story.append(Paragraph(escape("For an exception to the usual contact arrangements, consent must be informed, "
                                  "voluntary, limited in scope and documented ("
                                  + _cite("001_1a018c2b3fe19f40.txt §8 Consent implication") + ")."),
                           styles["caption"]))
    if not brief.has_consent:
        story.append(Paragraph("No exception and no consent is recorded for this relationship.", styles["body"]))
        return story
    missing = [f"“{part.key}”" for part in brief.missing_consent]
    if missing:
        names = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 else missing[0]
        verb = "is" if len(missing) == 1 else "are"
        story.append(Paragraph(f"Incomplete: {names} {verb} not recorded.", styles["check_warn"]))
    for part in brief.consent:
        story += _labelled_or_missing(part, styles)
    return story


def _chronology(brief: EthicsBrief, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story = _section("Chronology", styles, need=ENTRY_NEED)
    if not brief.entries:
        story.append(Paragraph("There are no entries for this relationship.", styles["missing"]))
        return story
    story.append(Paragraph(f"Every entry about {_markup(brief.pseudonym)}, oldest first: what happened, how the author "
                           "responded, the neutral documentation note written for the chart, the next step, and the "
                           "decision-flow answers with the steps they recommend.", styles["caption"]))
    for index, entry in enumerate(brief.entries):
        if index:
            story.append(HRFlowable(width="100%", thickness=0.5, color=RULE, spaceBefore=4 * mm, spaceAfter=3 * mm))
        rows = [("Category", entry.category_label), ("Channel", _channel_text(entry))]
        story += [CondPageBreak(40 * mm), _entry_head(entry, styles, mark=False, rows=rows, pseudonym=False)]
        by_key = {f.key: f for f in entry.fields}
        for key in _FIRST_FIELDS:
            if key == "documentation_note" and key not in by_key:
                story += [CondPageBreak(FIELD_NEED), Paragraph("Documentation note", styles["field"]),
                          Paragraph("No documentation note was written.", styles["missing"])]
            elif key in by_key:
                story += _labelled(by_key[key].label, by_key[key].text, styles)
        for text in entry.fields:
            if text.key not in _FIRST_FIELDS:
                story += _labelled(text.label, text.text, styles)
        story += _entry_decisions(entry, styles)
    return story


def _entry_decisions(entry: EntryRecord, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The decision-flow answers given for this entry, and the steps they recommend, kept with the entry."""
    label = Paragraph("Decision flow", styles["field"])
    if not entry.flow:
        return [KeepTogether([label, Paragraph("Not answered for this entry.", styles["missing"])])]
    table = _table(
        [[_cell("Question", styles["cell_head"]), _cell("Answer", styles["cell_head"])]]
        + [[_cell(a.question, styles["cell"]), _cell(a.answer, styles["cell_bold"])] for a in entry.flow],
        [CONTENT_WIDTH - 20 * mm, 20 * mm],
    )
    block: list[Flowable] = [label, table, Paragraph("Recommended steps", styles["field"])]
    if entry.steps:
        block += _numbered(entry.steps, styles["numbered"])
    else:
        block.append(Paragraph("None: every question was answered no.", styles["missing"]))
    return [KeepTogether(block)]


def _brief_trend(brief: EthicsBrief, catalog: Catalog, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story = _section("Self-check trend and stage history", styles, need=TREND_NEED)
    trend = brief.trend
    moments = [p.taken_at for p in trend.points] + [m.set_at for m in trend.stage_changes]
    if not moments:
        story.append(Paragraph("No self-check was taken and no slope stage was set for this relationship.",
                               styles["missing"]))
        return story
    story.append(Paragraph(
        "The author's red-flag check-ins about this relationship, scored as a share of the highest possible score "
        "(higher means more warning signs); dashed lines mark the slope stages the author set.", styles["caption"]))
    # A little room either side, so a first stage line does not sit on the axis and one day is not the whole chart.
    start, end = min(moments).date(), max(moments).date()
    pad = timedelta(days=max(3, (end - start).days // 20))
    start, end = start - pad, end + pad
    story = _lead_into(story, _trend_block(trend, start, end, styles, list_changes=False,
                                           second_view=_second_view(catalog)))
    story.append(Paragraph("Stage history", styles["h2"]))
    if not trend.stage_changes:
        story.append(Paragraph("No slope stage has been set.", styles["missing"]))
    for mark in trend.stage_changes:
        story += _stage_change(mark, styles)
    story += [Spacer(1, 1.5 * mm), Paragraph(escape(_stage_scale(catalog)), styles["caption"])]
    return story


def _brief_actions(brief: EthicsBrief, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story = _section("Actions", styles)
    if not brief.actions:
        story.append(Paragraph("No actions were recorded for this relationship.", styles["missing"]))
        return story
    open_actions = [a for a in brief.actions if a.status != "done"]
    done = [a for a in brief.actions if a.status == "done"]
    story.append(Paragraph("Open", styles["h2"]))
    if open_actions:
        story.append(_actions_table(open_actions, styles, relationship=False))
    else:
        story.append(Paragraph("None.", styles["missing"]))
    story.append(Paragraph("Done", styles["h2"]))
    if not done:
        story.append(Paragraph("None.", styles["missing"]))
    for action in done:
        when = f"{action.done_at:%Y-%m-%d}" if action.done_at else ""
        story.append(Paragraph(f"<b>Done {when}</b> · {_markup(action.text)}", styles["body"]))
        if action.outcome:
            story += _labelled("Outcome", action.outcome, styles)
        story.append(Spacer(1, 2 * mm))
    return story
