"""The exports the app writes, each declared once: its name, label, file extension, the options it takes, how it is
gathered and its writer. The command line's `export` subcommands and the export window are built from `FORMATS`
and `COMMANDS`; services.exports.export runs one (gather → redact → identifier check → refuse or allow → write).

A new format is one ExportFormat in FORMATS and its writer (and, for the command line, its place in COMMANDS).
Light to import: the command line builds its parser from this module, so the services, SQLAlchemy and ReportLab
are loaded only when an export runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boundary_journal.errors import IdentifiersFound, InvalidInput
from boundary_journal.store import files

if TYPE_CHECKING:
    from boundary_journal.catalog import Catalog
    from boundary_journal.services.documents import EthicsBrief, SupervisionPacket
    from boundary_journal.store.journal import Journal


@dataclass(frozen=True)
class ExportRequest:
    """One export as the clinician asked for it: the format (an ExportFormat name), where to write it and the
    options; a format reads only the options it takes (`ExportFormat.options`)."""

    format: str
    out: Path
    date_from: date | None = None
    date_to: date | None = None
    all_entries: bool = False
    relationship: str | None = None
    display_name: str = ""
    questions: tuple[str, ...] = ()
    redact: tuple[str, ...] = ()  # exact texts replaced by the redaction mark in this export only
    allow_findings: bool = False  # write even though likely identifiers remain
    made: datetime | None = None  # default: now

    def given(self, option: str) -> bool:
        """Whether the request sets this option (an ExportRequest field) to anything but its default."""
        return bool(getattr(self, option))


@dataclass(frozen=True)
class Option:
    """An option an export takes: the ExportRequest field, and how the command line spells it.

    `kind` is date, text (one line; the command line's @ forms apply), texts (repeatable text), switch or path.
    """

    name: str
    flag: str
    kind: str
    metavar: str = ""
    help: str = ""
    required: bool = False


# In the order the command line lists them.
OPTIONS = (
    Option("date_from", "--from", "date", "DATE", "start of the period"),
    Option("date_to", "--to", "date", "DATE", "end of the period"),
    Option("out", "--out", "path", "FILE", required=True),
    Option("relationship", "--relationship", "text", "NAME", "write the ethics-consult brief for this relationship"),
    Option("all_entries", "--all-entries", "switch",
           help="every entry in the period, not only those marked to bring to supervision"),
    Option("display_name", "--name", "text", "TEXT", "a display name for the cover"),
    Option("questions", "--question", "texts", "TEXT", "a question to bring to supervision or to the consultation, "
           "shown first in the brief (repeat for more)"),
    Option("redact", "--redact", "texts", "TEXT",
           "replace this exact text with [redacted] in this export only (repeat for more)"),
    Option("allow_findings", "--allow-findings", "switch", help="write the file even though likely identifiers remain"),
)
_OPTION = {option.name: option for option in OPTIONS}
# What the identifier check needs: a format that runs it takes these.
CHECK_OPTIONS = ("redact", "allow_findings")


@dataclass(frozen=True)
class ExportFormat:
    """One kind of export.

    `command` is the command line's `export` subcommand that writes it; formats sharing a subcommand are told apart
    by `chosen_by`, the option that picks this one (None: the subcommand's default). `checked`: the identifier
    check runs on what it carries and refuses to write while findings remain (unless allowed). `gather` reads the
    journal into the document; `write` writes a gathered document and touches no database (the window runs it off
    the UI thread); `done` is the sentence saying what was written.
    """

    name: str
    label: str
    kind: str  # what the file is, for people: "PDF", "JSON"
    extension: str
    file_name: str  # the suggested name, without the extension
    command: str
    options: tuple[str, ...]
    checked: bool
    gather: Callable[[Journal, Catalog, ExportRequest], Any]
    write: Callable[[Path, Any, Catalog], None]
    done: Callable[[ExportRequest, Any], str]
    validate: Callable[[ExportRequest], None] = lambda _request: None
    # What the file cannot show as typed, from the outgoing texts by location: (where, characters no font draws)
    # and where right-to-left text is. None: it shows every character as typed.
    notes: Callable[[dict[str, str]], tuple[list[tuple[str, str]], list[str]]] | None = None
    chosen_by: str | None = None
    shortcut: str = ""  # the letter of `label` a window underlines
    description: str = ""  # one paragraph for the window

    def takes(self, option: str) -> bool:
        return option in self.options


@dataclass(frozen=True)
class ExportCommand:
    """A command line `export` subcommand: its help, and the formats it writes."""

    name: str
    help: str
    description: str
    formats: tuple[str, ...]

    def options(self) -> tuple[Option, ...]:
        """Every option its formats take, in the command line's order."""
        taken = {o for name in self.formats for o in format_named(name).options}
        return tuple(option for option in OPTIONS if option.name in taken)


def _validate_summary(request: ExportRequest) -> None:
    if not (request.date_from and request.date_to):
        raise InvalidInput("Give the period with --from DATE --to DATE (or --relationship NAME for a brief).")
    if request.date_from > request.date_to:
        raise InvalidInput(f"The start date {request.date_from} is after the end date {request.date_to}.")


def _validate_brief(request: ExportRequest) -> None:
    if request.date_from or request.date_to or request.all_entries:
        raise InvalidInput("The ethics-consult brief covers the whole relationship: leave out --from, --to and "
                           "--all-entries with --relationship.")
    if not (request.relationship or "").strip():
        raise InvalidInput("Say which relationship the ethics-consult brief is for.")


def _gather_summary(journal: Journal, catalog: Catalog, request: ExportRequest) -> SupervisionPacket:
    from boundary_journal.services.documents import gather_supervision

    assert request.date_from is not None and request.date_to is not None
    return gather_supervision(journal, catalog, date_from=request.date_from, date_to=request.date_to,
                              all_entries=request.all_entries, display_name=request.display_name,
                              questions=request.questions, made=request.made)


def _gather_brief(journal: Journal, catalog: Catalog, request: ExportRequest) -> EthicsBrief:
    from boundary_journal.services.documents import gather_brief

    assert request.relationship is not None
    return gather_brief(journal, catalog, request.relationship, display_name=request.display_name,
                        questions=request.questions, made=request.made)


def _write_summary(out: Path, document: SupervisionPacket, catalog: Catalog) -> None:
    from boundary_journal import report  # ReportLab is slow to load: only when writing

    report.write_supervision_pdf(out, document, catalog)


def _write_brief(out: Path, document: EthicsBrief, catalog: Catalog) -> None:
    from boundary_journal import report

    report.write_brief_pdf(out, document, catalog)


def _pdf_notes(texts: dict[str, str]) -> tuple[list[tuple[str, str]], list[str]]:
    from boundary_journal import report

    return report.unprintable(texts), report.right_to_left(texts)


def _gather_json(journal: Journal, _catalog: Catalog, _request: ExportRequest) -> dict[str, Any]:
    from boundary_journal.services import portability

    return portability.export_all(journal)


def _write_json(out: Path, document: dict[str, Any], _catalog: Catalog) -> None:
    from boundary_journal.services import portability

    portability.write_document(out, document)


def _json_done(request: ExportRequest, document: dict[str, Any]) -> str:
    count = len(document["entries"])
    return (f"Wrote everything in the journal ({count} {'entry' if count == 1 else 'entries'}) to {request.out}; "
            "the file is not encrypted, so keep it safe and delete it when it is no longer needed.")


_DOCUMENT_OPTIONS = ("display_name", "questions", *CHECK_OPTIONS)

FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat(
        name="summary", label="Supervision summary", kind="PDF", extension=".pdf", file_name="supervision-summary",
        command="pdf", options=("date_from", "date_to", "out", "all_entries", *_DOCUMENT_OPTIONS), checked=True,
        gather=_gather_summary, write=_write_summary, validate=_validate_summary, notes=_pdf_notes, shortcut="S",
        done=lambda request, _document: (f"Wrote the supervision summary for {request.date_from} to "
                                         f"{request.date_to} to {request.out}."),
        description="The entries of a period for clinical supervision, with the relationships' stages, the "
                    "self-check trend, the weekly exercises and the actions.",
    ),
    ExportFormat(
        name="brief", label="Ethics-consult brief", kind="PDF", extension=".pdf", file_name="ethics-brief",
        command="pdf", options=("out", "relationship", *_DOCUMENT_OPTIONS), checked=True, chosen_by="relationship",
        gather=_gather_brief, write=_write_brief, validate=_validate_brief, notes=_pdf_notes, shortcut="b",
        done=lambda request, _document: f"Wrote the ethics-consult brief for {request.relationship} to {request.out}.",
        description="A factual account of one relationship for an ethics consultation.",
    ),
    ExportFormat(
        name="json", label="Everything as JSON", kind="JSON", extension=".json", file_name="boundary-journal-export",
        command="json", options=("out",), checked=False, gather=_gather_json, write=_write_json, done=_json_done,
        shortcut="J",
        # Not a document to share: the whole journal, for moving it to another computer or another program. It is
        # not checked for identifiers (it holds every pseudonym and every word by design) and not encrypted.
        description="Everything in the journal (relationships, entries, self-checks, stage changes, actions, weekly "
                    "exercises, settings) as one JSON file, for moving to another computer or another program. The "
                    "file is not encrypted and not checked for identifiers: it holds every word you wrote. It is "
                    "readable by you only; keep it safe and delete it when it is no longer needed.",
    ),
)

COMMANDS: tuple[ExportCommand, ...] = (
    ExportCommand(
        "pdf", "the supervision summary of a period; with --relationship, the ethics-consult brief",
        "Write the supervision summary of a period, or with --relationship the ethics-consult brief for one "
        "relationship. Everything that would leave is checked for likely identifiers first; the file is not written "
        f"while any remain (exit status {IdentifiersFound.exit_code}).",
        ("summary", "brief"),
    ),
    ExportCommand(
        "json", "everything in the journal as one JSON file (not encrypted)",
        "Write everything in the journal (relationships, entries, self-checks, stage changes, actions, weekly "
        "exercises, settings) as one JSON file, for moving to another computer or another program. The file is not "
        "encrypted; it is readable by you only (mode 0600). See docs/export-format.md.",
        ("json",),
    ),
)


def format_named(name: str) -> ExportFormat:
    for export_format in FORMATS:
        if export_format.name == name:
            return export_format
    raise InvalidInput(f"There is no export called {name!r}.")


def command_format(command: str, request: ExportRequest) -> str:
    """The format a command line subcommand writes for this request: the one whose `chosen_by` option is given,
    else the subcommand's default."""
    [found] = [c for c in COMMANDS if c.name == command]
    candidates = [format_named(name) for name in found.formats]
    for export_format in candidates:
        if export_format.chosen_by is not None and request.given(export_format.chosen_by):
            return export_format.name
    return next(f.name for f in candidates if f.chosen_by is None)


def check_request(request: ExportRequest) -> ExportFormat:
    """The request's format, once its options fit together and its file can be written; before any work is done
    (the command line checks this before it asks for the passphrase)."""
    export_format = format_named(request.format)
    export_format.validate(request)
    unknown = [o for o in _OPTION if o != "out" and request.given(o) and not export_format.takes(o)]
    if unknown:
        flags = ", ".join(_OPTION[o].flag for o in unknown)
        raise InvalidInput(f"The {export_format.label.lower()} takes no {flags}.")
    files.check_output_path(request.out, export_format.extension)
    return export_format
