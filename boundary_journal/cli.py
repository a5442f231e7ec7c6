"""The command line: `boundary-journal` and `python main.py` are this program.

Exit status: 0 success, 1 a file could not be written, 2 bad usage or input, 3 wrong passphrase or
recovery code, 4 an export refused because likely identifiers remain (or deid-check found some), 5 the
journal file cannot be used (foreign, damaged, too new, failed integrity check), 6 a malformed shipped
catalogue, 7 the journal is open in another window or command, 8 the disk is full (nothing was left half-written).
A user error is one line on stderr, never a traceback.

Each command imports the services it uses when it runs: SQLAlchemy's ORM, the models and the services
take longer to import than a short command takes to do its work.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn

import sqlcipher3

from boundary_journal import APP_NAME, __version__
from boundary_journal.errors import (
    BackupDamaged,
    IdentifiersFound,
    InvalidInput,
    JournalDamaged,
    UserError,
    disk_full,
)
from boundary_journal.hardening import disable_core_dumps
from boundary_journal.moments import local_naive
from boundary_journal.services.validation import MAX_TEXT_LENGTH, escape_for_terminal, for_terminal
from boundary_journal.store.paths import data_dir, ensure_exists, journal_path

if TYPE_CHECKING:
    from boundary_journal.catalog import Catalog
    from boundary_journal.services.entries import EntryView
    from boundary_journal.services.export_formats import ExportCommand
    from boundary_journal.services.queries import EntryFilter

    # The window, as the launcher (ui.launcher) hands it in: run(data folder, catalogue loader) -> exit status.
    # The command line itself never imports Qt.
    Window = Callable[[Path, Callable[[], Catalog]], int]
    from boundary_journal.store.journal import Journal

PROG = "boundary-journal"


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{PROG} --help')\n")


YEARS = range(1900, 3000)


def _iso_date(text: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-22") from None
    if value.year not in YEARS:
        raise argparse.ArgumentTypeError(f"the year of '{text}' is out of range")
    return value


def _iso_datetime(text: str) -> datetime:
    try:
        value = local_naive(datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(f"'{text}' is not a date and time like 2026-11-22T14:30") from None
    if value.year not in YEARS:
        raise argparse.ArgumentTypeError(f"the year of '{text}' is out of range")
    return value


def _record_id(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 2**62:
        raise argparse.ArgumentTypeError(f"'{text}' is not an id (a whole number from 1)")
    return int(text)


def _clock_time(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time like 14:30") from None


def _field(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"'{text}' is not KEY=VALUE")
    return key.strip(), value


class _StandardInput:
    """Stands for an `@-` value until the whole command line is read: see `_read_standard_input`."""


_AS_OF = "the moment the window of recent evidence (the last 90 days) ends; default: now"
_AT = " (@- reads standard input, @FILE a UTF-8 file, @@ a leading @)"
AT_FORMS = (
    "Options that take your words (--relationship, --field, --note, --context, --unease, --other, --question, "
    "--name, --redact, the search query and a relationship's NAME) also take @- to read the text from standard "
    "input, or @FILE to read it from the UTF-8 file FILE, so it stays out of the process list and the shell "
    "history; @@ starts a text that begins with @ (@@home is '@home'). One line end at the end of the input "
    "is dropped. Only one option can read standard input, and not while --passphrase-file - reads it."
)


def _text_argument(value: str) -> str | _StandardInput:
    """The argparse type of every option that takes the clinician's words: @-, @FILE, @@text or the text."""
    if not value.startswith("@"):
        return value
    if value.startswith("@@"):
        return value[1:]
    if value == "@-":
        return _StandardInput()
    if value == "@":
        raise argparse.ArgumentTypeError("'@' names no file; give @FILE, @- for standard input, or @@ for text "
                                         "that starts with @")
    path = value[1:]
    try:
        with open(path, "rb") as stream:
            return _decoded(stream.read(MAX_TEXT_BYTES + 1), f"the file {path}")
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read the file {path}: {exc.strerror or exc}") from None


# Four bytes per character at most in UTF-8: nothing longer than this can be a text the journal keeps.
MAX_TEXT_BYTES = 4 * MAX_TEXT_LENGTH


def _decoded(data: bytes, source: str) -> str:
    """Text read for an option: UTF-8 (a byte order mark dropped), without the one line end a file ends in."""
    if len(data) > MAX_TEXT_BYTES:
        raise argparse.ArgumentTypeError(f"{source} is larger than any text the journal keeps")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise argparse.ArgumentTypeError(f"{source} is not valid text (UTF-8)") from None
    return text[:-2] if text.endswith("\r\n") else text[:-1] if text.endswith("\n") else text


def _text_field(text: str) -> tuple[str, str | _StandardInput]:
    key, value = _field(text)
    return key, _text_argument(value)


def _read_standard_input(args: argparse.Namespace) -> None:
    """Put what standard input holds in place of the one @- value; refuse when two things would read it."""
    setters: list[Callable[[str], None]] = []
    for name, value in vars(args).items():
        if isinstance(value, _StandardInput):
            setters.append(lambda text, name=name: setattr(args, name, text))
        for index, item in enumerate(value if isinstance(value, list) else []):
            if isinstance(item, _StandardInput):
                setters.append(lambda text, items=value, index=index: items.__setitem__(index, text))
            elif isinstance(item, tuple) and isinstance(item[1], _StandardInput):
                setters.append(lambda text, items=value, index=index: items.__setitem__(
                    index, (items[index][0], text)))
    secrets = [option for option, dest in SECRET_OPTIONS.items() if getattr(args, dest, None) == "-"]
    if len(setters) > 1:
        raise InvalidInput("Only one option can read standard input (@-) in one command; give the others as @FILE.")
    if setters and secrets:
        raise InvalidInput(f"Standard input cannot hold both a secret ({secrets[0]} -) and a text (@-); "
                           "give one of them as a file.")
    if len(secrets) > 1:
        raise InvalidInput(f"Only one of {' and '.join(secrets)} can read standard input (-); give the other "
                           "as a file.")
    if setters:
        try:
            text = _decoded(sys.stdin.buffer.read(MAX_TEXT_BYTES + 1), "standard input (@-)")
        except argparse.ArgumentTypeError as error:
            raise InvalidInput(f"{str(error)[0].upper()}{str(error)[1:]}.") from None
        setters[0](text)


SECRET_OPTIONS = {"--passphrase-file": "passphrase_file", "--new-passphrase-file": "new_passphrase_file",
                  "--recovery-code-file": "recovery_code_file", "--backup-passphrase-file": "backup_passphrase_file"}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=f"{APP_NAME}: a private journal for grey-zone moments.",
                     epilog=AT_FORMS)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="folder holding the journal")
    parser.add_argument(
        "--passphrase-file", metavar="FILE",
        help="read the passphrase from the first line of FILE, or of stdin with - (as typed at the prompt)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: Callable[..., int], help_: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_, description=help_)
        sub.set_defaults(handler=handler)
        return sub

    command("gui", _gui, "open the window (the default)")
    init = command("init", _init, "create a new encrypted journal")
    init.add_argument("--recovery-code", action="store_true",
                      help="also make a recovery code (printed once) that can open the journal without the passphrase")

    add = command("add", _add, "add an entry; prints its id")
    add.add_argument("--template", required=True, metavar="ID")
    add.add_argument("--relationship", required=True, type=_text_argument, metavar="NAME",
                     help="the pseudonym" + _AT)
    add.add_argument("--occurred", type=_iso_datetime, metavar="ISO", help="default: now")
    add.add_argument("--channel", metavar="ID", help="default: the template's channel")
    add.add_argument("--field", type=_text_field, action="append", default=[], metavar="KEY=VALUE",
                     help="a field of the template; KEY=@- reads the value from standard input and KEY=@FILE "
                     "from a UTF-8 file, which keeps the text out of the process list and shell history")
    add.add_argument("--tag", action="append", default=[], metavar="T")
    add.add_argument("--supervision", action="store_true", help="bring to supervision")
    add.add_argument("--flow", type=_field, action="append", default=[], metavar="QUESTION_ID=yes|no",
                     help="answer a decision-flow question (see 'catalog --json', escalation)")
    add.add_argument("--listen-after", action="store_true",
                     help="for a held request (templates with listen_after), open an action some days later: "
                     "did the request come back reworded, did the patient use the rehearsed route?")
    add.add_argument("--did", action="append", default=[], metavar="MOVE_ID",
                     help="what you did on your side, a response move (see 'catalog --json', response_moves: "
                     "e.g. personal_channel, partial_cave_in, acknowledge_and_limit); repeatable")
    _confirm_option(add)

    def recent_options(sub: argparse.ArgumentParser) -> None:
        """--json, and --as-of: where the window of recent evidence (slope suggestion, warnings) ends."""
        sub.add_argument("--json", action="store_true", help="print JSON")
        sub.add_argument("--as-of", type=_iso_datetime, metavar="ISO", help=_AS_OF)

    def filters(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--json", action="store_true", help="print JSON")
        sub.add_argument("--relationship", type=_text_argument, metavar="NAME", help="the pseudonym" + _AT)
        sub.add_argument("--category", metavar="ID")
        sub.add_argument("--channel", metavar="ID")
        sub.add_argument("--from", dest="date_from", type=_iso_date, metavar="DATE")
        sub.add_argument("--to", dest="date_to", type=_iso_date, metavar="DATE")
        sub.add_argument("--supervision", action="store_true", default=None,
                         help="only entries marked for supervision")

    filters(command("list", _list, "list entries, newest first"))
    search = command("search", _search, "find entries containing every word of QUERY")
    search.add_argument("query", type=_text_argument, metavar="QUERY", help="the words to find" + _AT)
    filters(search)

    catalog = command("catalog", _catalog, "the shipped templates, red flags, scripts, channels")
    catalog.add_argument("--json", action="store_true", help="print the whole catalogue as JSON")
    catalog.add_argument("--sources", action="store_true",
                         help="only the articles the catalogue is written from, with their full titles")

    export = command("export", _export_help, "write the journal out")
    formats = export.add_subparsers(dest="format", metavar="FORMAT", parser_class=_Parser)
    for export_command in export_commands():
        sub = formats.add_parser(export_command.name, help=export_command.help,
                                 description=export_command.description)
        sub.set_defaults(handler=_export)
        for option in export_command.options():
            kinds = dict(_OPTION_KINDS[option.kind])
            if option.metavar:
                kinds["metavar"] = option.metavar
            if option.help:
                kinds["help"] = option.help + _AT if option.kind in _TEXT_KINDS else option.help
            if option.required:
                kinds["required"] = True
            sub.add_argument(option.flag, dest=option.name, **kinds)

    import_command = command("import", _subcommand_help, "read a journal export into a new, empty journal")
    import_formats = import_command.add_subparsers(dest="format", metavar="FORMAT", parser_class=_Parser)
    json_import = import_formats.add_parser(
        "json", help="a file written by 'export json'",
        description="Read a file written by 'export json' into the journal, which must be empty; without a journal "
        "in the data folder, one is created. The whole file is checked before anything is written.",
    )
    json_import.set_defaults(handler=_import_json)
    json_import.add_argument("file", type=Path, metavar="FILE")
    json_import.add_argument("--confirm-pseudonym", action="append", default=[], type=_text_argument,
                             metavar="NAME", help="a pseudonym in the file that only looks like a name: keep it "
                             "(repeat for more)" + _AT)

    command("check", _check, "verify the journal opens and passes its integrity checks")

    backup = command("backup", _backup, "write a verified, encrypted backup of the journal")
    backup.add_argument("--out", type=Path, metavar="FILE",
                        help="where to write it (a .bjbackup file); default: the backups folder in the data folder")
    backup.add_argument("--list", action="store_true", help="list the backups in the data folder instead")
    backup.add_argument("--json", action="store_true", help="with --list, print JSON")
    restore = command(
        "restore", _restore,
        "replace the journal with a backup; the journal as it is now is backed up first",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="a .bjbackup file (see 'backup --list')")
    restore.add_argument("--backup-passphrase-file", metavar="FILE",
                         help="for a backup made before a change of passphrase: its passphrase (or recovery code) "
                         "from FILE (- for stdin); the journal's passphrase of today is needed as well")

    def old_backups(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--old-backups", choices=("reencrypt", "keep", "remove"), default="reencrypt",
                         help="the backups in the data folder's backups/, which open with the old secret: "
                         "re-encrypt them under the new key (the default), keep them as they are, or remove them "
                         f"(asks you to type {CONFIRM_WORD})")
        sub.add_argument("--confirm-remove", metavar=CONFIRM_WORD, help="with --old-backups remove, without a terminal")

    change = command("change-passphrase", _change_passphrase,
                     "set a new passphrase; the journal gets a new key, so the old passphrase opens nothing new")
    change.add_argument("--new-passphrase-file", metavar="FILE",
                        help="read the new passphrase from the first line of FILE (- for stdin)")
    change.add_argument("--new-recovery-code", action="store_true",
                        help="also replace the recovery code (printed once): do so if the old passphrase may be known, "
                        "as whoever had it could have added a code of their own")
    old_backups(change)
    old_backups(command("recovery-code", _recovery_code,
                        "make a new recovery code (printed once) and a new key; an earlier code stops working"))
    recover = command("unlock-with-recovery-code", _unlock_with_recovery_code,
                      "set a new passphrase using the recovery code, when the passphrase is lost")
    recover.add_argument("--recovery-code-file", metavar="FILE",
                         help="read the code from the first line of FILE (- for stdin)")
    recover.add_argument("--new-passphrase-file", metavar="FILE",
                         help="read the new passphrase from the first line of FILE (- for stdin)")
    old_backups(recover)

    selfcheck = command("selfcheck", _subcommand_help, "red-flag self-checks and their trend")
    selfcheck_commands = selfcheck.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    selfcheck_add = selfcheck_commands.add_parser("add", help="record a check-in; prints its id")
    selfcheck_add.set_defaults(handler=_selfcheck_add)
    selfcheck_add.add_argument("--relationship", type=_text_argument, metavar="NAME",
                               help="default: an overall check-in" + _AT)
    selfcheck_add.add_argument("--answer", type=_field, action="append", default=[], required=True,
                               metavar="ITEM_ID=LEVEL", help="LEVEL 0 not at all, 1 somewhat, 2 clearly")
    selfcheck_add.add_argument("--note", default="", type=_text_argument, metavar="TEXT", help="a note" + _AT)
    selfcheck_add.add_argument("--context", default="", type=_text_argument, metavar="TEXT",
                               help="what is going on for you" + _AT)
    selfcheck_add.add_argument("--date", type=_iso_datetime, metavar="ISO", help="default: now")
    _confirm_option(selfcheck_add)
    trend = selfcheck_commands.add_parser("trend", help="check-ins, stage history and active warnings")
    trend.set_defaults(handler=_selfcheck_trend)
    trend.add_argument("--relationship", type=_text_argument, metavar="NAME",
                       help="default: the overall check-ins" + _AT)
    recent_options(trend)

    relationship = command("relationship", _subcommand_help, "relationships and their slope stage")
    relationship_commands = relationship.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    rel_list = relationship_commands.add_parser("list", help="each relationship with its stage and suggested stage")
    rel_list.set_defaults(handler=_relationship_list)
    recent_options(rel_list)

    rel_stage = relationship_commands.add_parser("stage", help="set a relationship's slope stage (1-5)")
    rel_stage.set_defaults(handler=_relationship_stage)
    rel_stage.add_argument("name", type=_text_argument, metavar="NAME", help="the pseudonym" + _AT)
    rel_stage.add_argument("stage", type=int, choices=range(1, 6), metavar="STAGE")
    rel_stage.add_argument("--note", default="", type=_text_argument, metavar="TEXT", help="why" + _AT)
    from boundary_journal.services.record_fields import CONSENT_FIELDS, CONTEXT_FIELDS

    for group, fields, help_ in (
        ("context", CONTEXT_FIELDS, "the circumstances that change how a boundary question is judged (shown in "
         "the ethics-consult brief); without options, show them"),
        ("consent", CONSENT_FIELDS, "the consent record of a sanctioned exception: informed, voluntary, scope, "
         "documented (shown in the ethics-consult brief); without options, show it"),
    ):
        record = relationship_commands.add_parser(group, help=help_, description=help_ + ". An option given "
                                                  "as '' clears that part; the parts not given are kept.")
        record.set_defaults(handler=_relationship_record, record_group=group)
        record.add_argument("name", type=_text_argument, metavar="NAME", help="the pseudonym" + _AT)
        for key, label in fields.items():
            record.add_argument(f"--{key.replace('_', '-')}", dest=key, type=_text_argument, metavar="TEXT",
                                help=label + _AT)
        record.add_argument("--json", action="store_true", help="print the record as JSON")

    warnings_parser = command("warnings", _subcommand_help, "drift warnings: list them, acknowledge one with a note")
    warning_commands = warnings_parser.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    warn_list = warning_commands.add_parser("list", help="the warnings that hold now (--all: acknowledged ones too)")
    warn_list.set_defaults(handler=_warnings_list)
    warn_list.add_argument("--all", action="store_true", help="also the acknowledged warnings, with their notes")
    recent_options(warn_list)
    warn_ack = warning_commands.add_parser(
        "ack", help="acknowledge a warning with a note; it stays quiet until new evidence arrives")
    warn_ack.set_defaults(handler=_warnings_ack)
    warn_ack.add_argument("kind", metavar="KIND", help="the warning's kind, as `warnings list` shows it")
    warn_ack.add_argument("--relationship", type=_text_argument, metavar="NAME",
                          help="default: the overall check-ins" + _AT)
    warn_ack.add_argument("--note", required=True, type=_text_argument, metavar="TEXT",
                          help="what you made of it or did about it" + _AT)

    exercise = command("exercise", _subcommand_help, "the weekly grey-relationship exercise")
    exercise_commands = exercise.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    ex_add = exercise_commands.add_parser("add", help="write (or redo) this week's exercise")
    ex_add.set_defaults(handler=_exercise_add)
    ex_add.add_argument("--relationship", required=True, type=_text_argument, metavar="NAME",
                        help="the pseudonym" + _AT)
    ex_add.add_argument("--unease", required=True, type=_text_argument, metavar="TEXT",
                        help="one sentence: what makes it feel grey" + _AT)
    ex_add.add_argument("--move", required=True, metavar="MOVE_ID", help="see 'catalog --json', weekly_moves")
    ex_add.add_argument("--other", default="", type=_text_argument, metavar="TEXT",
                        help="the move, when MOVE_ID is 'other'" + _AT)
    ex_add.add_argument("--on", type=_iso_date, required=True, metavar="DATE", help="the day of the step")
    ex_add.add_argument("--at", type=_clock_time, metavar="HH:MM",
                        help="optional time of the step: a local clock time, without an offset")
    ex_add.add_argument("--week", metavar="YYYY-Www", help="default: this week")
    ex_add.add_argument("--ics", type=Path, metavar="FILE", help="also write the step as a calendar file")
    ex_add.add_argument("--ics-details", action="store_true",
                        help="put the pseudonym and the sentence in the calendar event (off by default)")
    _confirm_option(ex_add)
    followup = exercise_commands.add_parser("followup", help="say whether a week's step happened")
    followup.set_defaults(handler=_exercise_followup)
    followup.add_argument("week", metavar="WEEK", help="YYYY-Www")
    followup.add_argument("--outcome", required=True, choices=("done", "not-done", "partly"))
    followup.add_argument("--note", default="", type=_text_argument, metavar="TEXT", help="what happened" + _AT)
    ex_list = exercise_commands.add_parser("list", help="every week's exercise and the current streak")
    ex_list.set_defaults(handler=_exercise_list)
    ex_list.add_argument("--json", action="store_true", help="print JSON")

    action = command("action", _subcommand_help, "actions: open, due, overdue and done")
    action_commands = action.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    act_list = action_commands.add_parser("list", help="all actions with their status")
    act_list.set_defaults(handler=_action_list)
    act_list.add_argument("--json", action="store_true", help="print JSON")
    act_done = action_commands.add_parser("done", help="mark an action done")
    act_done.set_defaults(handler=_action_done)
    act_done.add_argument("id", type=_record_id, metavar="ID")
    act_done.add_argument("--note", default="", type=_text_argument, metavar="TEXT", help="what came of it" + _AT)

    language = command("language-check", _language_check, "flag judgemental wording and suggest neutral wording")
    language.add_argument("--text", required=True, metavar="TEXT", help="the text to check (- for stdin)")
    language.add_argument("--json", action="store_true", help="print JSON")

    deid = command("deid", _subcommand_help,
                   "words and phrases you confirmed as not identifying (kept inside the journal, as in the window)")
    deid_commands = deid.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser)
    deid_allow = deid_commands.add_parser(
        "allow", help="confirm a word that only looks like a name as not identifying (never a number, age or date)")
    deid_allow.set_defaults(handler=_deid_allow)
    deid_allow.add_argument("word", type=_text_argument, metavar="WORD", help="the word or phrase" + _AT)
    deid_list = deid_commands.add_parser("list", help="the confirmed words and phrases")
    deid_list.set_defaults(handler=_deid_list)
    deid_list.add_argument("--json", action="store_true", help="print JSON")
    deid_remove = deid_commands.add_parser("remove", help="take a word or phrase off the list")
    deid_remove.set_defaults(handler=_deid_remove)
    deid_remove.add_argument("word", type=_text_argument, metavar="WORD", help="the word or phrase" + _AT)
    deid_check = command(
        "deid-check", _deid_check,
        "list likely identifiers in what an export would print: a period's summary with every entry, one "
        "relationship's brief, or without either every such text in the journal whatever its date; writes "
        f"nothing (exit status {IdentifiersFound.exit_code} when any are found)")
    deid_check.add_argument("--from", dest="date_from", type=_iso_date, metavar="DATE")
    deid_check.add_argument("--to", dest="date_to", type=_iso_date, metavar="DATE")
    deid_check.add_argument("--relationship", type=_text_argument, metavar="NAME", help="the pseudonym" + _AT)
    deid_check.add_argument("--json", action="store_true", help="print JSON")

    demo = command("demo", _demo, "create a new journal filled with made-up sample entries (to explore or benchmark)")
    demo.add_argument("--entries", type=_sample_size, required=True, metavar="N",
                      help="how many entries (1 to 1000000)")
    demo.add_argument("--seed", type=int, default=1, metavar="S",
                      help="the same seed gives the same journal (default 1)")
    return parser


def _confirm_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--confirm-pseudonym", action="store_true",
                     help="the new pseudonym only looks like a name (a ward called Rose): keep it as it is")


def _confirmed_pseudonym(args: argparse.Namespace, journal: Journal) -> None:
    """With --confirm-pseudonym, record that this relationship's pseudonym only looks like a name."""
    from boundary_journal.services import relationships

    if getattr(args, "confirm_pseudonym", False) and args.relationship:
        relationships.confirm_pseudonym(journal, args.relationship)


def _pseudonym_hint(error: InvalidInput) -> InvalidInput:
    """The service's refusal of a pseudonym, saying how to confirm one that only looks like a name."""
    if getattr(error, "confirmable", False):
        return InvalidInput(f"{error} Add --confirm-pseudonym to keep it.", field=error.field)
    return error


def read_passphrase(args: argparse.Namespace, *, confirm: bool = False) -> str:
    """The passphrase from --passphrase-file (a file, or - for stdin), else asked at the terminal."""
    return read_secret(args.passphrase_file, "passphrase", "--passphrase-file", confirm=confirm)


# Longer than any line a terminal prompt takes; a "passphrase file" without a line end is not one.
MAX_SECRET_BYTES = 65_536


def read_secret(source: str | None, what: str, option: str, *, confirm: bool = False) -> str:
    """One line from a file, or - for stdin, else asked at the terminal without echo; never from argv.

    A file or standard input gives its first line as the prompt would give the line typed: a leading byte order
    mark and the line's end (\\n or \\r\\n) are removed, every other character is the secret's.
    """
    if source == "-":
        secret = _first_line(sys.stdin.buffer, what, f"{option} -")
    elif source:
        try:
            with open(source, "rb") as stream:
                secret = _first_line(stream, what, f"{option} {source}")
        except OSError as exc:
            raise InvalidInput(f"Cannot read the {what} file ({option} {source}): {exc.strerror or exc}.") from None
    elif sys.stdin.isatty():
        secret = getpass.getpass(f"{what[0].upper()}{what[1:]}: ")
        if confirm and getpass.getpass(f"{what[0].upper()}{what[1:]} again: ") != secret:
            raise InvalidInput(f"The two {what}s differ; nothing was changed.")
    else:
        raise InvalidInput(f"No {what}: give {option} FILE, or - to read standard input.")
    if not secret:
        raise InvalidInput(f"The {what} is empty.")
    return secret


def _first_line(stream: BinaryIO, what: str, where: str) -> str:
    # Bytes up to the first \n only: str.splitlines would also end the line at \f, \v, U+2028 and the like,
    # which a prompt takes as part of the passphrase.
    line = stream.readline(MAX_SECRET_BYTES + 2)
    line = line[:-2] if line.endswith(b"\r\n") else line[:-1] if line.endswith(b"\n") else line
    if len(line) > MAX_SECRET_BYTES:
        raise InvalidInput(f"The first line of {where} is longer than {MAX_SECRET_BYTES:,} bytes; "
                           f"it does not hold a {what}.")
    try:
        return line.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise InvalidInput(f"The {what} from {where} is not valid text (UTF-8).") from None


def _journal_file(args: argparse.Namespace) -> Path:
    return journal_path(data_dir(args.data_dir))


def _hold_data_folder(args: argparse.Namespace) -> None:
    """Hold the data folder for the rest of the command (released when it exits): see journal_access.hold.

    Commands that write need it and fail with exit status 7 while the window or another command has the
    journal; commands that only read never take it (WAL lets them read beside a writer).
    """
    from boundary_journal.services import journal_access

    if getattr(args, "instance_lock", None) is not None:
        return
    args.instance_lock = journal_access.hold(data_dir(args.data_dir))


def _open(args: argparse.Namespace, *, write: bool = True) -> Journal:
    return _open_with_passphrase(args, write=write)[0]


def _open_with_passphrase(args: argparse.Namespace, *, write: bool = True) -> tuple[Journal, str]:
    """The journal, opened with the passphrase (returned too, for commands that wrap a new key with it).

    A reader holds nothing: should the journal need an upgrade by this version (which writes), it takes the
    data folder for that, as a writer would.
    """
    from boundary_journal.errors import UpgradeNeeded
    from boundary_journal.services import journal_access

    path = _journal_file(args)
    ensure_exists(path)  # say so before asking for a passphrase that cannot help
    if write:
        _hold_data_folder(args)
    passphrase = read_passphrase(args)
    # The key derivation (about half a second) runs in a thread while the storage layer (SQLAlchemy) loads.
    pending = journal_access.start_unlock(path, passphrase)
    try:
        return journal_access.unlock(path, passphrase, pending=pending, upgrade=write), passphrase
    except UpgradeNeeded:
        _hold_data_folder(args)
        return journal_access.unlock(path, passphrase), passphrase


@contextlib.contextmanager
def _opened(args: argparse.Namespace, *, write: bool = True) -> Iterator[Journal]:
    """The journal for one command, closed when the command is done with it, however it ends."""
    with _opened_with_passphrase(args, write=write) as (journal, _passphrase):
        yield journal


@contextlib.contextmanager
def _opened_with_passphrase(args: argparse.Namespace, *, write: bool = True) -> Iterator[tuple[Journal, str]]:
    """`_open_with_passphrase`, closed when the command is done with it."""
    journal, passphrase = _open_with_passphrase(args, write=write)
    try:
        yield journal, passphrase
    finally:
        journal.close()


def _backup_hint(args: argparse.Namespace) -> str:
    """Where the newest backup of the damaged journal is."""
    from boundary_journal.services import journal_access

    try:
        found = journal_access.list_backups(data_dir(args.data_dir))
    except (OSError, UserError):
        return ""
    if not found:
        return " There is no backup in the data folder."
    return f" The newest backup is {found[0].path} (restore it with '{PROG} restore FILE')."


def _print_json(value: Any) -> None:
    sys.stdout.write(escape_for_terminal(json.dumps(value, ensure_ascii=False, indent=2)) + "\n")


def _show(line: str) -> None:
    """Print a line holding text from the journal: never a control or bidi character a terminal would obey."""
    print(for_terminal(line))


def _gui(args: argparse.Namespace, _catalog: Catalog | None) -> int:
    window: Window | None = getattr(args, "window", None)
    if window is None:
        raise InvalidInput(f"This is the command line only; start the window with '{PROG}' (no command) or "
                           "'python main.py'.")
    return window(data_dir(args.data_dir), _shipped_catalog)  # loaded once unlocked: the first window is quicker


def _init(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import journal_access

    path = _journal_file(args)
    journal_access.ensure_absent(path)
    _hold_data_folder(args)
    created = journal_access.create(path, read_passphrase(args, confirm=True), recovery_code=args.recovery_code)
    created.journal.close()
    code = created.recovery_code
    print(f"Created an encrypted journal at {path}.")
    if code is None:
        print("Keep the passphrase safe: without it nobody, including us, can open the journal.")
    else:
        print(f"Recovery code: {code}")
        print("Write the recovery code down or print it, and keep it apart from this computer. Without the "
              "passphrase and without this code nobody, including us, can open the journal.")
    return 0


def _add(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import entries

    draft = entries.EntryDraft(
        template=args.template,
        relationship=args.relationship,
        occurred=args.occurred or datetime.now(),
        channel=args.channel,
        fields=dict(args.field),
        tags=args.tag,
        supervision=args.supervision,
        flow=dict(args.flow),
        listen_after=args.listen_after,
        response_review=dict.fromkeys(args.did, True),
    )
    # Validate before asking for the passphrase, so a typo costs no key derivation.
    entries.validate_draft(catalog, draft)
    with _opened(args) as journal:
        try:
            _confirmed_pseudonym(args, journal)
            view = entries.add_entry(journal, catalog, draft)
        except InvalidInput as error:
            raise _pseudonym_hint(error) from None
    print(view.id)
    return 0


def _filters(args: argparse.Namespace, catalog: Catalog) -> EntryFilter:
    from boundary_journal.services.queries import EntryFilter

    if args.category is not None and catalog.category(args.category) is None:
        raise InvalidInput(f"There is no category '{args.category}'.")
    if args.channel is not None and catalog.channel(args.channel) is None:
        raise InvalidInput(f"There is no channel '{args.channel}'.")
    filters = EntryFilter(
        relationship=args.relationship,
        category=args.category,
        channel=args.channel,
        date_from=args.date_from,
        date_to=args.date_to,
        supervision=args.supervision,
    )
    filters.check()
    return filters


def _print_entries(found: Iterable[EntryView], as_json: bool, catalog: Catalog) -> None:
    """Each entry as it is read: thousands of matches never wait for the last one, nor sit in memory twice."""
    write = sys.stdout.write
    if as_json:
        from boundary_journal.services.escalation import recommended_steps

        steps: dict[tuple[tuple[str, str], ...], list[str]] = {}  # most entries share a handful of answers
        # The same bytes as `_print_json` of the whole list: a list item sits one level (two spaces) in.
        write("[")
        separator = "\n  "
        for view in found:
            answers = tuple(view.flow.items())
            if answers not in steps:
                steps[answers] = recommended_steps(catalog, view.flow)
            item = view.to_json() | {"recommended_steps": steps[answers]}
            write(separator + escape_for_terminal(json.dumps(item, ensure_ascii=False, indent=2)).replace("\n", "\n  "))
            separator = ",\n  "
        write("]\n" if separator == "\n  " else "\n]\n")
        return
    for view in found:
        first = view.fields.get("what_happened", "").strip().splitlines() or [""]
        mark = "S" if view.supervision else " "
        write(for_terminal(
            f"{view.id:>6}  {view.occurred:%Y-%m-%d %H:%M}  {mark}  {view.relationship}  "
            f"[{view.category} / {view.channel}]  {first[0][:70]}"
        ) + "\n")


def _list(args: argparse.Namespace, catalog: Catalog) -> int:
    filters = _filters(args, catalog)
    with _opened(args, write=False) as journal:  # before the entries service: SQLAlchemy loads beside the KDF
        from boundary_journal.services import entries

        _print_entries(entries.iter_entries(journal, filters), args.json, catalog)
    return 0


def _search(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services.queries import fts_query_or_fail

    filters = _filters(args, catalog)
    fts_query_or_fail(args.query)  # nothing to search for is said before the passphrase is asked for
    with _opened(args, write=False) as journal:  # before the entries service: SQLAlchemy loads beside the KDF
        from boundary_journal.services import entries

        _print_entries(entries.iter_entries(journal, filters, args.query), args.json, catalog)
    return 0


def _catalog(args: argparse.Namespace, catalog: Catalog) -> int:
    if args.sources:
        _print_sources(catalog, args.json)
        return 0
    if args.json:
        _print_json(catalog.to_dict())
        return 0
    by_category = {c.id: c for c in catalog.categories}
    sections: list[tuple[str, Iterable[Any], Callable[[Any], str]]] = [
        ("Templates", catalog.templates, lambda t: f"{by_category[t.category].label}: {t.title}"),
        ("Channels", catalog.channels, lambda c: f"{c.label} ({catalog.channel_rank(c)})"),
        ("Categories", catalog.categories, lambda c: c.label),
        ("Red flags (self-check)", catalog.red_flags, lambda f: f.text),
        ("Slope stages", catalog.slope_stages, lambda s: f"{s.number} · {s.label}"),
        ("Slope stage rule (how a stage is suggested)", [catalog.slope_rule],
         lambda r: f"window: the last {r.window_days} days; own addition: {'yes' if r.own_addition else 'no'}\n"
         + "\n".join(f"{'':<32} {line}".rstrip() for line in _wrapped(r.explanation()))),
        ("Decision-flow questions", catalog.escalation, lambda r: f"{r.question} → {r.step}"),
        ("Response scripts", catalog.scripts, lambda s: s.title),
        ("Looking back at a response", catalog.response_moves, lambda m: m.label),
        ("Weekly exercise moves", catalog.weekly_moves, lambda m: m.label),
        ("Self-check weights", catalog.weights, lambda w: f"{w.group}: {w.points} point(s) per step"),
        ("Language check", catalog.language, lambda t: ", ".join(t.words)),
    ]
    for number, (heading, items, describe) in enumerate(sections):
        if number:
            print()
        print(heading)
        if heading == "Channels":
            print(catalog.channel_ranking_note())
        for item in items:
            print(f"{item.id:<32} {describe(item)}")
            print(f"{'':<32} Source: {catalog.item_source(item)}")
    print()
    print(f"The articles, with their full titles: {PROG} catalog --sources")
    return 0


def _wrapped(text: str, width: int = 86) -> list[str]:
    """A long text as lines for the plain `catalog` output, paragraph breaks kept as empty-looking lines."""
    import textwrap

    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        lines += [*textwrap.wrap(paragraph, width, break_on_hyphens=False), ""]
    return lines[:-1]


def _print_sources(catalog: Catalog, as_json: bool) -> None:
    from boundary_journal.catalog import OWN_RULES_NOTE

    page = catalog.sources_page()
    if as_json:
        _print_json({"sources": page, "own_rules": OWN_RULES_NOTE})
        return
    print("Boundary Journal's catalogue is written in its own words from these public articles.")
    for number, source in enumerate(page, start=1):
        print()
        print(f"{number}. {source['title']}")
        print(f"   {catalog.source_origin(source)}; cited by {source['items']} catalogue items")
        print(f"   Shown as: {source['short_title']}")
        print(f"   What the app takes from it: {source['uses']}")
    print()
    print(OWN_RULES_NOTE)


def _export_help(args: argparse.Namespace, catalog: Catalog) -> int:
    raise InvalidInput(f"Say what to export, e.g. '{PROG} export pdf --from DATE --to DATE --out FILE'.")


def _subcommand_help(args: argparse.Namespace, catalog: Catalog) -> int:
    raise InvalidInput(f"Say what to do, e.g. '{PROG} {args.command} --help' lists the actions.")


def _level(item: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(f"Answer '{item}' with 0, 1 or 2, not '{text}'.") from None


def _selfcheck_add(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import selfchecks

    draft = selfchecks.SelfCheckDraft(
        answers={item: _level(item, level) for item, level in args.answer},
        relationship=args.relationship, note=args.note, context=args.context, taken_at=args.date,
    )
    selfchecks.clean_answers(catalog, draft.answers, draft.item_notes)
    with _opened(args) as journal:
        try:
            _confirmed_pseudonym(args, journal)
            view, _action = selfchecks.add_self_check(journal, catalog, draft)
        except InvalidInput as error:
            raise _pseudonym_hint(error) from None
    print(view.id)
    return 0


def _selfcheck_trend(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import drift, selfchecks, slope
    from boundary_journal.services.relationships import clean_pseudonym

    with _opened(args, write=False) as journal:
        if args.relationship:
            checks = selfchecks.list_self_checks(journal, catalog, relationship=args.relationship)
            stages = slope.stage_history(journal, args.relationship)
        else:
            checks = selfchecks.list_self_checks(journal, catalog, overall=True)
            stages = []
        wanted = clean_pseudonym(args.relationship).casefold() if args.relationship else None
        warnings = [w for w in drift.active_warnings(journal, catalog, as_of=args.as_of)
                    if wanted is None or (w.relationship or "").casefold() == wanted]
    if args.json:
        _print_json({
            "relationship": args.relationship,
            "checkins": [c.to_json() for c in checks],
            "stages": [s.to_json() for s in stages],
            "warnings": [w.to_json() for w in warnings],
        })
        return 0
    for check in checks:
        ticked = ", ".join(check.ticked) or "-"
        _show(f"{check.taken_at:%Y-%m-%d %H:%M}  score {check.score.percent:>3}  ticked: {ticked}")
    for change in stages:
        _show(f"{change.set_at:%Y-%m-%d %H:%M}  stage {change.stage}  {change.note}")
    for warning in warnings:
        _show(f"WARNING {warning.relationship or 'overall'}: {warning.title} — {warning.message} ({warning.detail})")
    return 0


def _relationship_list(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import slope

    with _opened(args, write=False) as journal:
        statuses = slope.relationship_statuses(journal, catalog, as_of=args.as_of)
    if args.json:
        _print_json([s.to_json() for s in statuses])
        return 0
    for status in statuses:
        stage, suggested = status.stage or "-", status.suggestion.stage or "-"
        _show(f"{status.pseudonym}  entries {status.entry_count}  stage {stage}  suggested {suggested} "
              f"({status.suggestion.basis})")
        for line in status.suggestion.reason_lines():
            _show(f"    {line}")
    return 0


def _warning_line(warning: Any) -> str:
    line = f"{warning.kind}  {warning.relationship or 'overall'}: {warning.title} — {warning.detail or warning.message}"
    line += f" (since {warning.since:%Y-%m-%d}"
    if warning.acknowledged:
        line += "; quiet until new evidence arrives"
        line += f"; expires on {warning.expires:%Y-%m-%d} at the latest)" if warning.expires else ")"
        line += f"  [acknowledged {warning.acked_at:%Y-%m-%d}: {warning.ack_note}]"
    else:
        line += f"; expires on {warning.expires:%Y-%m-%d} unless new evidence renews it)" if warning.expires else ")"
    return line


def _warnings_list(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import drift

    with _opened(args, write=False) as journal:
        found = (drift.all_warnings if args.all else drift.active_warnings)(journal, catalog, as_of=args.as_of)
    if args.json:
        _print_json([w.to_json() for w in found])
        return 0
    for warning in found:
        _show(_warning_line(warning))
    return 0


def _warnings_ack(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import drift
    from boundary_journal.services.validation import clean_text

    clean_text(args.note, "The note", limit=5_000)  # said before the passphrase is asked for
    with _opened(args) as journal:
        warning = drift.find_warning(journal, catalog, args.kind, args.relationship)
        drift.acknowledge_warning(journal, warning, args.note)
    return 0


def _relationship_stage(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import slope

    with _opened(args) as journal:
        slope.set_stage(journal, args.name, args.stage, note=args.note)
    return 0


def _relationship_record(args: argparse.Namespace, catalog: Catalog) -> int:
    """Show, or change part of, a relationship's context or consent record, as the export dialog does."""
    from boundary_journal.services import relationships

    group = args.record_group
    fields = relationships.CONTEXT_FIELDS if group == "context" else relationships.CONSENT_FIELDS
    changes = {key: getattr(args, key) for key in fields if getattr(args, key) is not None}
    with _opened(args, write=bool(changes)) as journal:
        detail = relationships.get_relationship(journal, args.name)
        if changes:
            save = relationships.set_context if group == "context" else relationships.set_consent
            detail = save(journal, args.name, {**getattr(detail, group), **changes})
    values = getattr(detail, group)
    if args.json:
        _print_json({"relationship": detail.pseudonym, group: {key: values.get(key, "") for key in fields}})
    elif not changes:
        for key, label in fields.items():
            _show(f"{label} (--{key.replace('_', '-')}):")
            for line in (values.get(key) or "(not recorded)").splitlines():
                _show(f"  {line}")
    return 0


def _exercise_add(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import weekly

    today = date.today()
    draft = weekly.ExerciseDraft(
        relationship=args.relationship, unease=args.unease, move=args.move, on=args.on, at=args.at,
        move_other=args.other, week=weekly.IsoWeek.parse(args.week) if args.week else None,
    )
    weekly.clean_step_time(args.at)  # said before the passphrase is asked for
    if args.ics is not None:
        weekly.check_calendar_path(args.ics)
    with _opened(args) as journal:
        try:
            _confirmed_pseudonym(args, journal)
            saved = weekly.save_with_calendar(journal, catalog, draft, today=today, calendar=args.ics,
                                              details=args.ics_details)
        except InvalidInput as error:
            raise _pseudonym_hint(error) from None
    if saved.calendar_error is not None:
        raise saved.calendar_error
    print(saved.exercise.week)
    return 0


def _exercise_followup(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import weekly

    week = weekly.IsoWeek.parse(args.week)
    with _opened(args) as journal:
        weekly.record_followup(journal, week, args.outcome.replace("-", "_"), args.note)
    return 0


def _exercise_list(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import weekly

    today = date.today()
    with _opened(args, write=False) as journal:
        exercises = weekly.list_exercises(journal)
        current = weekly.streak(journal, today)
    if args.json:
        _print_json({"exercises": [e.to_json() for e in exercises], "streak": current})
        return 0
    for exercise in exercises:
        outcome = (exercise.outcome or "no follow-up yet").replace("_", " ")
        _show(f"{exercise.week}  {exercise.relationship}  {exercise.move}  on {exercise.on}  ({outcome})")
    print(f"Streak: {current} week{'s' if current != 1 else ''}")
    return 0


def _action_list(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import actions

    today = date.today()
    with _opened(args, write=False) as journal:
        found = actions.list_actions(journal)
    if args.json:
        _print_json([a.to_json(today) for a in found])
        return 0
    for item in found:
        due = f" due {item.due_on}" if item.due_on else ""
        _show(f"{item.id:>5}  [{item.status(today)}]{due}  {item.text}")
    return 0


def _action_done(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import actions

    with _opened(args) as journal:
        actions.complete_action(journal, args.id, args.note)
    return 0


def _language_check(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import language

    text = sys.stdin.read() if args.text == "-" else args.text
    findings = language.check_language(catalog, text)
    if args.json:
        _print_json([f.to_json() for f in findings])
        return 0
    for finding in findings:
        _show(f"{finding.start}-{finding.end}  '{finding.word}' ({finding.kind}): try '{finding.suggestion}'")
    return 0


def _deid_allow(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import settings

    with _opened(args) as journal:
        words = settings.remember_not_identifying(journal, args.word)
    _show(f"Confirmed as not identifying ({len(words)} on the list).")
    return 0


def _deid_list(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import settings

    with _opened(args, write=False) as journal:
        words = settings.not_identifying(journal)
    if args.json:
        _print_json(words)
        return 0
    for word in words:
        _show(word)
    return 0


def _deid_remove(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import settings

    with _opened(args) as journal:
        words = settings.forget_not_identifying(journal, args.word)
    _show(f"Removed; {len(words)} left on the list.")
    return 0


def _deid_check(args: argparse.Namespace, catalog: Catalog) -> int:
    """Findings on standard output (one a line, or JSON); exit status 4 when there are any, 0 when none."""
    from boundary_journal.services import exports

    if args.relationship and (args.date_from or args.date_to):
        raise InvalidInput("Give either --from/--to or --relationship, not both.")
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise InvalidInput(f"The start date {args.date_from} is after the end date {args.date_to}.")
    with _opened(args, write=False) as journal:
        findings = exports.identifier_check(journal, catalog, date_from=args.date_from, date_to=args.date_to,
                                            relationship=args.relationship)
    if args.json:
        _print_json([f.to_json() for f in findings])
    else:
        for finding in findings:
            _show(f"{finding.location}: {finding.label}: {finding.context}")
        if not findings:
            print("The heuristic check found nothing it recognises as an identifier.")
    if findings:
        print(f"{PROG}: {len(findings)} likely identifier{'s' if len(findings) != 1 else ''} found; nothing was "
              "written.", file=sys.stderr)
        return IdentifiersFound.exit_code
    return 0


def export_commands() -> tuple[ExportCommand, ...]:
    """The `export` subcommands, from the registry of export formats (light to import: see export_formats)."""
    from boundary_journal.services import export_formats

    return export_formats.COMMANDS


_TEXT_KINDS = ("text", "texts")
# How the command line reads each kind of export option (services.export_formats.Option.kind).
_OPTION_KINDS: dict[str, dict[str, Any]] = {
    "date": {"type": _iso_date},
    "text": {"type": _text_argument},
    "texts": {"type": _text_argument, "action": "append", "default": []},
    "switch": {"action": "store_true"},
    "path": {"type": Path},
}


def _export(args: argparse.Namespace, catalog: Catalog) -> int:
    """Every `export` subcommand: the request from the options the format takes, then services.exports.export."""
    from boundary_journal.services import export_formats, exports

    given = {o.name: getattr(args, o.name) for o in export_formats.OPTIONS if getattr(args, o.name, None) is not None}
    given = {name: tuple(value) if isinstance(value, list) else value for name, value in given.items()}
    request = export_formats.ExportRequest(format="", **given)
    request = replace(request, format=export_formats.command_format(args.format, request))
    export_formats.check_request(request)  # before the passphrase is asked
    journal = _open(args, write=False)
    try:
        result = exports.export(journal, catalog, request)
    finally:
        journal.close()
    if not result.written:
        for finding in result.findings:
            _show(f"{finding.location}: {finding.label}: {finding.context}")
        count = len(result.findings)
        raise IdentifiersFound(
            f"{count} likely identifier{'s' if count != 1 else ''} would leave the journal; "
            "change the text, add --redact TEXT for this export, or --allow-findings to write anyway. "
            "Nothing was written."
        )
    for where, what in result.checked.unprintable:
        print(for_terminal(f"Note: {where}: the PDF's fonts cannot draw {what}; the PDF prints each as its name "
                           "in brackets."), file=sys.stderr)
    if result.checked.right_to_left:
        from boundary_journal.report import RIGHT_TO_LEFT_NOTE

        for where in result.checked.right_to_left:
            print(for_terminal(f"Note: {where}: {RIGHT_TO_LEFT_NOTE}."), file=sys.stderr)
    print(result.message)
    return 0


def _import_json(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import portability

    # Check the whole file before asking for a passphrase or creating a journal: a refused file changes nothing.
    try:
        checked = portability.load_export(args.file, catalog, confirmed_pseudonyms=args.confirm_pseudonym)
    except InvalidInput as error:
        if getattr(error, "confirmable", False):
            raise InvalidInput(f"{error} Add --confirm-pseudonym NAME to keep it; nothing was imported.") from None
        raise
    path = _journal_file(args)
    _hold_data_folder(args)  # an import writes, and nothing may create or fill the journal meanwhile
    if path.exists():
        with _opened(args) as journal:
            portability.import_json(journal, checked)
    else:
        portability.import_into_new_journal(path, read_passphrase(args, confirm=True), checked)
    print(f"Imported {checked.summary()} into {path}.")
    return 0


def _check(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import access, entries
    from boundary_journal.store.journal import integrity_problems

    with _opened(args, write=False) as journal:
        problems = integrity_problems(journal)
        count = entries.count_entries(journal)
        older = access.backups_of_older_keys(journal, certain=True)
    if problems:
        raise JournalDamaged(f"The journal failed its integrity check: {problems[0]}")
    print(f"The journal opens and passes its integrity checks ({count} {'entry' if count == 1 else 'entries'}).")
    if older:
        # Kept by a change of passphrase, or left by one that was cut short: they open with a retired secret.
        one = len(older) == 1
        print(f"{len(older)} backup{'' if one else 's'} in {older[0].parent} open{'s' if one else ''} only with an "
              f"earlier passphrase or recovery code: {', '.join(path.name for path in older)}. If that secret may "
              "be known, delete them.")
    return 0


def _backup(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import journal_access

    if args.list:
        scan = journal_access.scan_backups(data_dir(args.data_dir))
        if args.json:
            _print_json([info.to_json() for info in scan.found])
        for info in [] if args.json else scan.found:
            print(f"{info.created_at:%Y-%m-%d %H:%M}  {info.reason:<15} {info.path}")
        for _path, why in scan.skipped:
            print(f"{PROG}: skipped: {why}", file=sys.stderr)
        return 0
    if args.out is not None:
        journal_access.check_backup_path(args.out)
    with _opened(args, write=False) as journal:
        info = journal_access.make_backup(journal, args.out)
    print(f"Wrote a verified backup to {info.path}; it opens with the current passphrase.")
    return 0


def _restore(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.errors import BackupSecretNeeded
    from boundary_journal.services import journal_access

    if not args.file.is_file():
        raise InvalidInput(f"There is no backup file {args.file}.")
    journal_access.read_backup(args.file)  # a file that is not a backup is refused before the passphrase is asked
    path = _journal_file(args)
    _hold_data_folder(args)
    passphrase = read_passphrase(args)
    backup_secret = (read_secret(args.backup_passphrase_file, "backup's passphrase", "--backup-passphrase-file")
                     if args.backup_passphrase_file else None)
    try:
        restored = journal_access.restore(path, args.file, passphrase, backup_secret=backup_secret)
    except BackupSecretNeeded as error:
        raise BackupSecretNeeded(f"{error} Give it with --backup-passphrase-file FILE.") from None
    restored.journal.close()
    print(f"Restored the backup of {restored.backup.created_at:%Y-%m-%d %H:%M} into {path}.")
    if restored.rekeyed:
        print("It was made under another key, so it was re-encrypted with the journal's key of today: today's "
              "passphrase opens it, the passphrase of the backup's day does not.")
    if restored.previous is not None:
        print(f"The journal as it was before is kept at {restored.previous}.")
    return 0


_RECOVERY_DROPPED = (
    "Your recovery code was made by an earlier version and cannot open the new key, so it no longer works: make a "
    f"new one now with '{PROG} recovery-code'."
)
_ELSEWHERE = (
    "Backups you saved elsewhere (backup --out, Back Up Now…) still open with the old secret: if it may be known "
    "to someone, delete them."
)
CONFIRM_WORD = "DELETE"


def _confirm_old_backups(args: argparse.Namespace) -> None:
    """For --old-backups remove: the typed confirmation, asked before anything changes."""
    if args.old_backups != "remove" or args.confirm_remove == CONFIRM_WORD:
        return
    if args.confirm_remove is None and sys.stdin.isatty():
        from boundary_journal.services.journal_access import backup_folder

        folder = backup_folder(data_dir(args.data_dir))
        typed = input(f"This removes every backup in {folder} made before this change, for good. "
                      f"Type {CONFIRM_WORD} to go ahead: ")
        if typed.strip() == CONFIRM_WORD:
            return
    raise InvalidInput(f"Removing the old backups needs the word {CONFIRM_WORD} typed at the terminal, or "
                       f"--confirm-remove {CONFIRM_WORD}; nothing was changed.")


def _after_key_change(args: argparse.Namespace, journal: Journal, change: Any) -> None:
    """Say what a new key means for the backups, and re-encrypt or remove those in the backups folder."""
    from boundary_journal.services import access, journal_access

    if change.recovery_dropped:
        print(_RECOVERY_DROPPED)
    folder = journal_access.backup_folder(journal.folder)
    choice = access.OldBackups(args.old_backups)
    result = access.settle_old_backups(journal, change.previous_key, choice)
    count = len(result.done)
    if count and choice is access.OldBackups.REENCRYPT:
        print(f"Re-encrypted {count} backup{'s' if count != 1 else ''} in {folder} under the new key.")
    elif count and choice is access.OldBackups.REMOVE:
        print(f"Removed {count} backup{'s' if count != 1 else ''} made before the change from {folder}.")
    left = result.left
    if left:
        print(f"{len(left)} backup{'s' if len(left) != 1 else ''} in {folder} still open only with an earlier "
              f"passphrase or recovery code: {', '.join(path.name for path in left)}. "
              f"'--old-backups remove' on the next change removes them.")
    print(_ELSEWHERE)


def _change_passphrase(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import access

    _confirm_old_backups(args)
    with _opened_with_passphrase(args) as (journal, current):
        new = read_secret(args.new_passphrase_file, "new passphrase", "--new-passphrase-file", confirm=True)
        had_code = access.has_recovery_code(journal)
        change = access.change_passphrase(journal, new, current=current, new_recovery_code=args.new_recovery_code)
        print("The passphrase is changed, and the journal has a new key: the old passphrase, and any copy of the old "
              "key file, open nothing written from now on.")
        if change.recovery_code is not None:
            print(f"Recovery code: {change.recovery_code}")
            print("Write it down or print it and keep it apart from this computer; any earlier code no longer works.")
        elif had_code and not change.recovery_dropped:
            print("The recovery code keeps working. If the old passphrase may be known to someone, replace the code "
                  "too (--new-recovery-code, or 'recovery-code'): with the old passphrase they could have added a "
                  "code of their own.")
        _after_key_change(args, journal, change)
    return 0


def _recovery_code(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import access

    _confirm_old_backups(args)
    with _opened_with_passphrase(args) as (journal, passphrase):
        change = access.new_recovery_code(journal, passphrase=passphrase)
        print(f"Recovery code: {change.recovery_code}")
        print("Write it down or print it and keep it apart from this computer. The journal has a new key: an "
              "earlier code, and any copy of the old key file, open nothing written from now on.")
        _after_key_change(args, journal, change)
    return 0


def _unlock_with_recovery_code(args: argparse.Namespace, catalog: Catalog) -> int:
    from boundary_journal.services import access
    from boundary_journal.store import keys

    _confirm_old_backups(args)
    path = _journal_file(args)
    ensure_exists(path)
    _hold_data_folder(args)
    code = read_secret(args.recovery_code_file, "recovery code", "--recovery-code-file")
    keys.normalise_recovery_code(code)  # a mistyped code is reported before the new passphrase is asked
    new = read_secret(args.new_passphrase_file, "new passphrase", "--new-passphrase-file", confirm=True)
    journal, change = access.open_with_recovery_code(path, code, new)
    try:
        print("The journal opens with the new passphrase now, and has a new key: the old passphrase opens nothing "
              "written from now on. The recovery code still works.")
        _after_key_change(args, journal, change)
    finally:
        journal.close()
    return 0


def _sample_size(text: str) -> int:
    from boundary_journal.services.demo import MAX_ENTRIES, MIN_ENTRIES

    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not MIN_ENTRIES <= count <= MAX_ENTRIES:
        raise argparse.ArgumentTypeError(
            f"a sample journal holds from {MIN_ENTRIES} to {MAX_ENTRIES} entries, not {count}"
        )
    return count


def _demo(args: argparse.Namespace, catalog: Catalog) -> int:
    """Create a new journal holding only sample data; an existing journal is never touched (exit 2)."""
    from boundary_journal.errors import JournalExists
    from boundary_journal.services import demo

    path = _journal_file(args)
    if path.exists():
        raise JournalExists(f"A journal already exists at {path}; sample data only ever goes into a new journal, "
                            "so give an empty folder with --data-dir.")
    _hold_data_folder(args)
    summary = demo.create_sample_journal(path, read_passphrase(args, confirm=True), catalog,
                                         entries=args.entries, seed=args.seed)
    print(f"Created a sample journal at {path}: {summary.entries} made-up entries from {summary.first_day} to "
          f"{summary.last_day}, {summary.relationships} relationships, {summary.self_checks} self-checks, "
          f"{summary.exercises} weekly exercises and {summary.actions} actions (seed {summary.seed}).")
    print("Everything in it is sample data; keep your real journal in another data folder.")
    return 0


def _sqlalchemy_errors() -> tuple[type[BaseException], ...]:
    """SQLAlchemy's wrapper of driver errors, if the command loaded SQLAlchemy (nothing else raises it)."""
    loaded = sys.modules.get("sqlalchemy.exc")
    return (loaded.DBAPIError,) if loaded is not None else ()


def _shipped_catalog() -> Catalog:
    from boundary_journal.catalog import shipped_catalog

    return shipped_catalog()


def main(argv: Sequence[str] | None = None, *, window: Window | None = None) -> int:
    """Run one command (argv, else sys.argv); `window` starts the window for no command or `gui` (the launcher's)."""
    disable_core_dumps()  # before any secret is read: a core file would hold the key and entries in the clear
    args = build_parser().parse_args(argv)
    if args.command is None:
        args.handler = _gui
    args.window = window
    try:
        try:
            _read_standard_input(args)
            return args.handler(args, None if args.handler is _gui else _shipped_catalog())
        except UserError:
            raise
        except Exception as error:  # a full disk met where no service said so (a library, a raw connection)
            full = disk_full(error)
            if full is None:
                raise
            raise full from None
        finally:
            if getattr(args, "instance_lock", None) is not None:
                args.instance_lock.release()
    except JournalDamaged as error:  # found at open, by `check`, or by a read that met a damaged page
        hint = "" if isinstance(error, BackupDamaged) else _backup_hint(args)
        print(f"{PROG}: {for_terminal(str(error))}{hint}", file=sys.stderr)
        return error.exit_code
    except UserError as error:
        print(f"{PROG}: {for_terminal(str(error))}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        return 0
    except _sqlalchemy_errors() as error:
        # Parameters are hidden (see storage), so the message carries no entry text.
        print(f"{PROG}: the journal could not be read or written ({error.orig})", file=sys.stderr)
        return JournalDamaged.exit_code
    except (sqlcipher3.DatabaseError, json.JSONDecodeError) as error:
        print(f"{PROG}: the journal could not be read; it may be damaged ({type(error).__name__})", file=sys.stderr)
        return JournalDamaged.exit_code
    except OSError as error:
        print(f"{PROG}: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
