"""Exporting, one use case for the command line and the window: gather → redact → identifier check → refuse or
allow → write (`export`; the window runs `check`, then `write` off the UI thread).

The formats are declared in services.export_formats; what the summary and the brief show, and the
de-identification step itself, is services.documents (its names are importable from here too).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from boundary_journal.catalog import Catalog
from boundary_journal.services import deidentify
from boundary_journal.services.documents import (
    BRIEF_FIELDS,
    MAX_DISPLAY_NAME_LENGTH,
    MAX_QUESTIONS,
    OUTCOME_LABELS,
    PSEUDONYM_RECORD,
    ActionRecord,
    Count,
    Document,
    EntryRecord,
    EthicsBrief,
    ExerciseRecord,
    FieldText,
    FlowAnswer,
    LabelledText,
    OutgoingText,
    RelationshipStage,
    StageMark,
    SupervisionPacket,
    Trend,
    TrendPoint,
    entry_findings,
    gather_brief,
    gather_supervision,
    identifier_check,
    outgoing,
    outgoing_texts,
    printed_texts,
    redacted,
    scan,
    scan_outgoing,
    with_check,
)
from boundary_journal.services.export_formats import ExportFormat, ExportRequest, check_request, format_named
from boundary_journal.store import files
from boundary_journal.store.journal import Journal

__all__ = [
    "BRIEF_FIELDS",
    "MAX_DISPLAY_NAME_LENGTH",
    "MAX_QUESTIONS",
    "OUTCOME_LABELS",
    "PSEUDONYM_RECORD",
    "ActionRecord",
    "CheckedExport",
    "Count",
    "Document",
    "EntryRecord",
    "EthicsBrief",
    "ExerciseRecord",
    "ExportRequest",
    "ExportResult",
    "FieldText",
    "FlowAnswer",
    "LabelledText",
    "OutgoingText",
    "RelationshipStage",
    "StageMark",
    "SupervisionPacket",
    "Trend",
    "TrendPoint",
    "check",
    "entry_findings",
    "export",
    "gather_brief",
    "gather_supervision",
    "identifier_check",
    "outgoing",
    "outgoing_texts",
    "printed_texts",
    "redacted",
    "scan",
    "scan_outgoing",
    "with_check",
    "write",
]


# -- the use case: gather → redact → identifier check → refuse or allow → write --------------------------------


@dataclass(frozen=True)
class CheckedExport:
    """An export gathered and checked, ready to write: the document as it would be written (this export's
    redactions applied), the likely identifiers left in it, and what the PDF cannot print as typed."""

    format: ExportFormat
    request: ExportRequest
    document: Any
    findings: tuple[deidentify.Finding, ...] = ()
    sources: dict[str, OutgoingText] = field(default_factory=dict)  # each outgoing text by its location
    unprintable: tuple[tuple[str, str], ...] = ()  # (where, the characters no shipped font draws)
    right_to_left: tuple[str, ...] = ()  # where right-to-left text is

    def source_of(self, finding: deidentify.Finding) -> OutgoingText | None:
        return self.sources.get(finding.location)


@dataclass(frozen=True)
class ExportResult:
    """What `write` did: `written` False means refused (likely identifiers remain); nothing was written then."""

    checked: CheckedExport
    written: bool
    out: Path
    message: str = ""  # what was written, where

    @property
    def findings(self) -> tuple[deidentify.Finding, ...]:
        return self.checked.findings


def check(journal: Journal, catalog: Catalog, request: ExportRequest) -> CheckedExport:
    """Gather the export as it would be written, apply this export's redactions and scan what would leave; nothing
    is written. A format that is not checked (the JSON export) is only gathered."""
    export_format = format_named(request.format)
    document = export_format.gather(journal, catalog, request)
    if not export_format.checked:
        return CheckedExport(export_format, request, document)
    document = redacted(document, [text for text in request.redact if text.strip()])
    findings = tuple(scan(journal, document))
    sources: dict[str, OutgoingText] = {item.location: item for item in outgoing(document)}
    unprintable: list[tuple[str, str]] = []
    right_to_left: list[str] = []
    if export_format.notes is not None:
        unprintable, right_to_left = export_format.notes({location: item.text for location, item in sources.items()})
    return CheckedExport(export_format, request, document, findings, sources, tuple(unprintable),
                         tuple(right_to_left))


def write(checked: CheckedExport, catalog: Catalog, out: Path | None = None, *, allow_findings: bool | None = None
          ) -> ExportResult:
    """Write a checked export to `out` (default: the request's), all of it or nothing; touches no database.

    Refused, with nothing written, while likely identifiers remain and they are not allowed (`allow_findings`,
    default: the request's); a written document notes how many were left in."""
    allowed = checked.request.allow_findings if allow_findings is None else allow_findings
    request = replace(checked.request, out=Path(out)) if out is not None else checked.request
    if checked.findings and not allowed:
        return ExportResult(checked, written=False, out=request.out)
    document = checked.document
    if checked.format.checked:
        document = with_check(document, checked.findings)
    files.check_output_path(request.out, checked.format.extension)
    checked.format.write(request.out, document, catalog)
    return ExportResult(checked, written=True, out=request.out, message=checked.format.done(request, checked.document))


def export(journal: Journal, catalog: Catalog, request: ExportRequest) -> ExportResult:
    """The whole export, as the command line runs it: check the request, gather, redact, scan, then write or
    refuse (`ExportResult.written`)."""
    check_request(request)
    return write(check(journal, catalog, request), catalog)
