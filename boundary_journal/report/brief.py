"""The ethics-consult brief of one relationship: it prints a `services.documents.EthicsBrief` and nothing else."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    Spacer,
)

from boundary_journal.catalog import Catalog
from boundary_journal.report.chart import _lead_into, _second_view, _stage_change, _trend_block
from boundary_journal.report.kit import (
    _FIRST_FIELDS,
    CONTENT_WIDTH,
    ENTRY_NEED,
    FIELD_NEED,
    RULE,
    TREND_NEED,
    Paragraph,
    _actions_table,
    _cell,
    _channel_text,
    _cite,
    _cover,
    _entry_head,
    _labelled,
    _markup,
    _numbered,
    _questions,
    _report_styles,
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
        EthicsBrief,
        LabelledText,
    )

BRIEF_TITLE = "Ethics-consult brief"
BRIEF_METADATA_TITLE = "Boundary Journal ethics-consult brief"
BRIEF_NOTE = "Confidential · pseudonymised notes for an ethics consultation · do not copy or forward"
BRIEF_SECTIONS = (
    "Questions for the consultation", "Context", "Consent record", "Chronology",
    "Self-check trend and stage history", "Actions",
)


def write_brief_pdf(out: Path, brief: EthicsBrief, catalog: Catalog) -> None:
    """Write the ethics-consult brief of one relationship as a PDF at `out`, atomically."""
    _write_document(
        out, lambda: _brief_story(brief, catalog),
        header=f"Boundary Journal — {BRIEF_TITLE.lower()} · {brief.pseudonym}",
        metadata_title=BRIEF_METADATA_TITLE, footer_note=BRIEF_NOTE,
    )


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
