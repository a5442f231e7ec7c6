"""The supervision summary of a period: it prints a `services.documents.SupervisionPacket` and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from boundary_journal.catalog import Catalog
from boundary_journal.report.chart import _lead_into, _second_view, _trend_block
from boundary_journal.report.kit import (
    _FIRST_FIELDS,
    CELL_TEXT_LIMIT,
    CONTENT_WIDTH,
    ENTRY_NEED,
    FIELD_NEED,
    FONT,
    INK,
    NOTE_LINES,
    RULE,
    TREND_NEED,
    Paragraph,
    _actions_table,
    _cell,
    _channel_text,
    _cover,
    _entry_head,
    _glance,
    _Heading,
    _labelled,
    _markup,
    _numbered,
    _period,
    _plural,
    _questions,
    _report_styles,
    _risk,
    _section,
    _stage_scale,
    _stage_text,
    _suggested_lines,
    _table,
    _write_document,
)

if TYPE_CHECKING:
    from boundary_journal.services.documents import (
        EntryRecord,
        ExerciseRecord,
        SupervisionPacket,
    )

SUPERVISION_TITLE = "Supervision summary"
SUPERVISION_METADATA_TITLE = "Boundary Journal supervision summary"
SUPERVISION_NOTE = "Confidential · pseudonymised notes for clinical supervision · do not copy or forward"
# The section headings, in order: the supervisor (and the tests) can rely on them.
SUPERVISION_SECTIONS = (
    "Overview", "Questions I want to bring", "Relationships and their slope stage", "Self-check trend", "Entries",
    "Weekly exercises",
    "Actions in the period", "Supervisor's notes",
)


def write_supervision_pdf(out: Path, packet: SupervisionPacket, catalog: Catalog) -> None:
    """Write the supervision summary of a period as a PDF at `out`, atomically: all of it or nothing."""
    _write_document(
        out, lambda: _supervision_story(packet, catalog),
        header=f"Boundary Journal — {SUPERVISION_TITLE.lower()} · {_period(packet.date_from, packet.date_to)}",
        metadata_title=SUPERVISION_METADATA_TITLE, footer_note=SUPERVISION_NOTE,
    )


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
