"""What the PDFs share: the embedded Unicode fonts, escaped and chunked user text, the styles, tables, headings
and cover, the "Page X of Y" footer and the atomic write.

Also what an export tells before writing: the characters no shipped font draws (`unprintable`) and right-to-left
text (`right_to_left`).
"""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
import weakref
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import partial
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from xml.sax.saxutils import escape

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
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as ReportLabParagraph

from boundary_journal.catalog import Catalog
from boundary_journal.store import files
from boundary_journal.store.paths import resources_root

if TYPE_CHECKING:
    from boundary_journal.services.documents import (
        ActionRecord,
        EntryRecord,
        EthicsBrief,
        RelationshipStage,
        SupervisionPacket,
    )

CREATOR = "Boundary Journal"
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

    def __init__(self, *args: Any, footer_note: str, **kwargs: Any) -> None:
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


ACCENT = colors.HexColor("#2f5d7c")
WARN = colors.HexColor("#8a2b1d")
CHART_HEIGHT = 42 * mm
# Room a section needs below its heading before it starts a new page instead.
TREND_NEED = CHART_HEIGHT + 40 * mm
ENTRY_NEED = 75 * mm
NOTE_LINES = 12
# A table row cannot break across pages, so longer user text goes below the table instead of in a cell.
CELL_TEXT_LIMIT = 400


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


def _questions(document: SupervisionPacket | EthicsBrief, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    brief = not hasattr(document, "date_from")
    title = "Questions for the consultation" if brief else "Questions I want to bring"
    story = _section(title, styles, need=25 * mm)
    if not document.questions:
        what = "consultation" if brief else "supervision"
        story.append(Paragraph(f"No questions were added for this {what}.", styles["missing"]))
        return story
    return story + _numbered(document.questions, styles["numbered"])
