"""The PDFs: the supervision summary and the ethics-consult brief.

`kit` holds what both share (fonts, escaped and chunked user text, styles, tables, headings and cover, the
footer, the atomic write), `chart` the self-check trend both print, `summary` and `brief` one document each.
Imported lazily (ReportLab is slow to load); no Qt here, so the CLI and a worker thread can both use it. Each
document prints one gathered by services.documents and nothing else; services.exports.export is the one way to
write it, through the identifier check.
"""

from boundary_journal.report.brief import BRIEF_NOTE, BRIEF_SECTIONS, BRIEF_TITLE, write_brief_pdf
from boundary_journal.report.kit import RIGHT_TO_LEFT_NOTE, check_output_path, right_to_left, unprintable
from boundary_journal.report.summary import (
    SUPERVISION_NOTE,
    SUPERVISION_SECTIONS,
    SUPERVISION_TITLE,
    write_supervision_pdf,
)

__all__ = [
    "BRIEF_NOTE",
    "BRIEF_SECTIONS",
    "BRIEF_TITLE",
    "RIGHT_TO_LEFT_NOTE",
    "SUPERVISION_NOTE",
    "SUPERVISION_SECTIONS",
    "SUPERVISION_TITLE",
    "check_output_path",
    "right_to_left",
    "unprintable",
    "write_brief_pdf",
    "write_supervision_pdf",
]
