"""Data portability: everything in the journal out as one JSON document, and back into a new, empty journal.

The format is described in docs/export-format.md. Records keep their ids, so every cross-reference (an entry's
relationship, an action's origin, an exercise's action) survives the round trip without renumbering. An import
checks the whole document before it writes anything, then writes it in one transaction: a refused file leaves
the journal exactly as it was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from boundary_journal import __version__, bounded_json
from boundary_journal.catalog import Catalog, shipped_catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.models import (
    RELATIONSHIP_STATUSES,
    Action,
    Base,
    Entry,
    Relationship,
    SelfCheck,
    Setting,
    StageChange,
    WeeklyExercise,
)
from boundary_journal.services import identifier_gate
from boundary_journal.services.actions import ORIGINS
from boundary_journal.services.entries import search_text_for
from boundary_journal.services.escalation import ANSWERS, known_question
from boundary_journal.services.relationships import (
    CONFIRMED_PSEUDONYMS_KEY,
    CONSENT_FIELDS,
    CONTEXT_FIELDS,
    MAX_PSEUDONYM_LENGTH,
    PseudonymLooksIdentifying,
)
from boundary_journal.services.settings import NOT_IDENTIFYING_KEY, REMINDER_KEY
from boundary_journal.services.validation import clean_text, moment_in_range, plausible_day, utcnow
from boundary_journal.services.weekly import OUTCOMES, IsoWeek
from boundary_journal.store import files
from boundary_journal.store.journal import Journal
from boundary_journal.store.storage import create_journal

FORMAT = "boundary-journal-export"
# Raised whenever a change would make an older app lose or misread something; an older app refuses newer files.
VERSION = 1
MAX_ID = 2**62
MAX_SETTING_KEY_LENGTH = 64
# An import is read whole into memory. A gigabyte is some 200,000 entries of a full page each, beyond any journal
# this app is made for; the bound keeps a file picked by mistake (a disk image, a video) from being read at all.
MAX_IMPORT_BYTES = 2**30
_SHOWN_LENGTH = 40

Source = Path | str | bytes | Mapping[str, Any]


# --- values: how each kind of value is written out, and checked when read back ---------------------------------

def _same(value: Any) -> Any:
    return value


def _shown(value: Any) -> str:
    """A value quoted for a message, cut short so a pasted megabyte never ends up on one error line."""
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= _SHOWN_LENGTH else shown[: _SHOWN_LENGTH - 1] + "…"


def _id(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < MAX_ID:
        raise InvalidInput(f"{where} is not an id (a whole number from 1).")
    return value


def _text(value: Any, where: str) -> str:
    # The services' own check (text, no control or bidi control characters, no broken characters, not absurdly
    # long); the value itself is kept as written, so text survives the round trip byte for byte. The services
    # turn a carriage return into a newline, so stored text never holds one: nor does an export.
    clean_text(value, where)
    if "\r" in value:
        raise InvalidInput(f"{where} contains a carriage return (U+000D); an export writes line breaks as \\n.")
    return str(value)


def _line(value: Any, where: str) -> str:
    clean_text(value, where, single_line=True)
    return str(value)


def _pseudonym(value: Any, where: str) -> str:
    _line(value, where)
    tidy = " ".join(value.split())
    if not tidy:
        raise InvalidInput(f"{where} is empty; every relationship needs a pseudonym.")
    if tidy != value:
        # The services look pseudonyms up in this form; any other spelling could never be found again.
        raise InvalidInput(f"{where} has spaces at its ends or doubled inside; write it as {_shown(tidy)}.")
    if len(value) > MAX_PSEUDONYM_LENGTH:
        raise InvalidInput(f"{where} is longer than {MAX_PSEUDONYM_LENGTH} characters.")
    return value


def _choice(allowed: tuple[str, ...]) -> Callable[[Any, str], str]:
    def load(value: Any, where: str) -> str:
        if value not in allowed or not isinstance(value, str):
            raise InvalidInput(f"{where} is {_shown(value)}, not one of: {', '.join(allowed)}.")
        return value

    return load


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(f"{where} must be true or false.")
    return value


def _whole(low: int, high: int) -> Callable[[Any, str], int]:
    def load(value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(f"{where} must be a whole number from {low} to {high}.")
        return value

    return load


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _local_moment(value: Any, where: str) -> datetime:
    """When something happened, as local wall-clock time (how the journal keeps it), within the services' range."""
    moment = _moment(value)
    if moment is None:
        raise InvalidInput(f"{where} is not a date and time like 2026-11-22T14:30.")
    return moment_in_range(moment, where)


def _utc_moment(value: Any, where: str) -> datetime:
    """A bookkeeping time, in UTC (a time without an offset is read as UTC), within the services' range."""
    moment = _moment(value)
    if moment is None:
        raise InvalidInput(f"{where} is not a date and time like 2026-11-22T14:30:00Z.")
    return moment_in_range(moment, where, utc=True)


def _dump_local(value: datetime) -> str:
    return value.isoformat()


def _dump_utc(value: datetime) -> str:
    return value.isoformat() + "Z"


def _day(value: Any, where: str) -> date:
    try:
        if isinstance(value, str):
            return plausible_day(date.fromisoformat(value), where)
    except ValueError:
        pass
    raise InvalidInput(f"{where} is not a date like 2026-11-22.")


def _clock(value: Any, where: str) -> time:
    try:
        if isinstance(value, str) and (parsed := time.fromisoformat(value)).tzinfo is None:
            return parsed
    except ValueError:
        pass
    raise InvalidInput(f"{where} is not a time of day like 14:30.")


def _dump_iso(value: date | time) -> str:
    return value.isoformat()


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{where} must be an object ({{...}}).")
    return value


def _texts_by_key(keys: Mapping[str, str] | None = None) -> Callable[[Any, str], dict[str, str]]:
    def load(value: Any, where: str) -> dict[str, str]:
        for key, item in _object(value, where).items():
            if keys is not None and key not in keys:
                raise InvalidInput(
                    f"{where} has a field {_shown(key)} that this version does not know; "
                    f"the fields are: {', '.join(keys)}."
                )
            _text(item, f"{where}.{key}")
        return dict(value)

    return load


def _lines(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise InvalidInput(f"{where} must be a list ([...]).")
    for index, item in enumerate(value):
        _line(item, f"{where}[{index}]")
    return list(value)


def _bools_by_key(value: Any, where: str) -> dict[str, bool]:
    for key, item in _object(value, where).items():
        _bool(item, f"{where}.{key}")
    return dict(value)


def _levels_by_key(value: Any, where: str) -> dict[str, int]:
    for key, item in _object(value, where).items():
        if isinstance(item, bool) or not isinstance(item, int):
            raise InvalidInput(f"{where}.{key} must be a whole number.")
    return dict(value)


def _dump_dict(value: Mapping[str, Any] | None) -> dict[str, Any]:
    return dict(value or {})  # rows from before a column existed may hold NULL; the services read that as {}


def _dump_list(value: list[str] | None) -> list[str]:
    return list(value or [])


# --- records: one table each, its fields in the order they are written ----------------------------------------

@dataclass(frozen=True)
class _Field:
    """One field of a record: its name (the model attribute), how it is read and written, what it points to."""

    name: str
    load: Callable[[Any, str], Any]
    dump: Callable[[Any], Any] = _same
    nullable: bool = False
    refers_to: str | None = None  # the list (kind name) whose ids this field holds


@dataclass(frozen=True)
class _Kind:
    name: str  # the list's key in the document
    one: str  # in messages: "1 entry", "2 entries"
    many: str
    model: type[Base]
    fields: tuple[_Field, ...]

    def counted(self, count: int) -> str:
        return f"{count} {self.one if count == 1 else self.many}"


def _ref(name: str, kind: str, *, nullable: bool = False) -> _Field:
    return _Field(name, _id, nullable=nullable, refers_to=kind)


# In the order they are written: every reference points at a kind written before it (foreign keys are on).
KINDS: tuple[_Kind, ...] = (
    _Kind("relationships", "relationship", "relationships", Relationship, (
        _Field("id", _id),
        _Field("pseudonym", _pseudonym),
        _Field("status", _choice(RELATIONSHIP_STATUSES)),
        _Field("created_at", _utc_moment, _dump_utc),
        _Field("context", _texts_by_key(CONTEXT_FIELDS), _dump_dict),
        _Field("consent", _texts_by_key(CONSENT_FIELDS), _dump_dict),
    )),
    _Kind("entries", "entry", "entries", Entry, (
        _Field("id", _id),
        _ref("relationship_id", "relationships"),
        _Field("occurred", _local_moment, _dump_local),
        _Field("category", _line),
        _Field("channel", _line),
        _Field("template", _line),
        _Field("fields", _texts_by_key(), _dump_dict),
        _Field("tags", _lines, _dump_list),
        _Field("supervision", _bool),
        _Field("flow", _texts_by_key(), _dump_dict),
        _Field("response_review", _bools_by_key, _dump_dict),
        _Field("created_at", _utc_moment, _dump_utc),
        _Field("updated_at", _utc_moment, _dump_utc),
    )),
    _Kind("self_checks", "self-check", "self-checks", SelfCheck, (
        _Field("id", _id),
        _ref("relationship_id", "relationships", nullable=True),
        _Field("taken_at", _local_moment, _dump_local),
        _Field("answers", _levels_by_key, _dump_dict),
        _Field("item_notes", _texts_by_key(), _dump_dict),
        _Field("note", _text),
        _Field("context", _text),
        _Field("created_at", _utc_moment, _dump_utc),
    )),
    _Kind("stage_changes", "stage change", "stage changes", StageChange, (
        _Field("id", _id),
        _ref("relationship_id", "relationships"),
        _Field("stage", _whole(1, 5)),
        _Field("set_at", _local_moment, _dump_local),
        _Field("note", _text),
    )),
    _Kind("actions", "action", "actions", Action, (
        _Field("id", _id),
        _Field("text", _text),
        _Field("origin", _choice(ORIGINS)),
        _Field("origin_id", _id, nullable=True),  # which list it points into depends on `origin`
        _ref("relationship_id", "relationships", nullable=True),
        _Field("created_at", _utc_moment, _dump_utc),
        _Field("due_on", _day, _dump_iso, nullable=True),
        _Field("done_at", _utc_moment, _dump_utc, nullable=True),
        _Field("outcome", _text),
    )),
    _Kind("weekly_exercises", "weekly exercise", "weekly exercises", WeeklyExercise, (
        _Field("id", _id),
        _Field("iso_year", _whole(1950, 2999)),
        _Field("iso_week", _whole(1, 53)),
        _ref("relationship_id", "relationships"),
        _Field("unease", _text),
        _Field("move", _line),
        _Field("move_other", _text),
        _Field("on_date", _day, _dump_iso),
        _Field("at_time", _clock, _dump_iso, nullable=True),
        _ref("action_id", "actions", nullable=True),
        _Field("outcome", _choice(OUTCOMES), nullable=True),
        _Field("outcome_note", _text),
        _Field("outcome_at", _utc_moment, _dump_utc, nullable=True),
        _Field("followup_offered_on", _day, _dump_iso, nullable=True),
        _Field("created_at", _utc_moment, _dump_utc),
        _Field("updated_at", _utc_moment, _dump_utc),
    )),
)
_ORIGIN_KINDS = {"self_check": "self_checks", "entry": "entries", "exercise": "weekly_exercises"}
_HEADER = ("format", "version", "exported_at", "app_version", "schema_revision")
_TOP_LEVEL = (*_HEADER, *(kind.name for kind in KINDS), "settings")

# The settings the app reads, checked field by field; any other key is kept as it is (the app ignores it).
_SETTINGS: dict[str, tuple[_Field, ...]] = {
    REMINDER_KEY: (_Field("enabled", _bool), _Field("weekday", _whole(0, 6)), _Field("at", _clock)),
    NOT_IDENTIFYING_KEY: (_Field("words", _lines),),
}


# --- export -----------------------------------------------------------------------------------------------------

def export_all(journal: Journal) -> dict[str, Any]:
    """Everything in the journal as one JSON-ready document, read in one transaction so it is consistent."""
    with journal.read() as session:
        document: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": _dump_utc(utcnow().replace(microsecond=0)),
            "app_version": __version__,
            "schema_revision": session.scalar(text("SELECT version_num FROM alembic_version")),
        }
        for kind in KINDS:
            rows = session.scalars(select(kind.model).order_by(kind.model.__table__.c.id))
            document[kind.name] = [
                {f.name: None if (value := getattr(row, f.name)) is None else f.dump(value) for f in kind.fields}
                for row in rows
            ]
        document["settings"] = {s.key: s.value for s in session.scalars(select(Setting).order_by(Setting.key))}
    return document


def write_json_export(journal: Journal, out: Path) -> dict[str, Any]:
    """Write `export_all` to `out` (a .json file) in full or not at all; returns the document written."""
    out = Path(out)
    files.check_output_path(out, ".json")
    document = export_all(journal)
    write_document(out, document)
    return document


def write_document(out: Path, document: dict[str, Any]) -> None:
    """Write a document made by `export_all` to `out` (a .json file), owner-only, in full or not at all."""
    out = Path(out)
    files.check_output_path(out, ".json")
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    def write(target: IO[bytes]) -> None:
        # The export is the whole journal in plain text: owner-only, whatever the temporary file's default.
        if hasattr(os, "fchmod"):
            os.fchmod(target.fileno(), 0o600)
        target.write(data)

    files.atomic_write(out, write, what="export")


# --- import -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckedExport:
    """An export that passed every check: its records as the journal stores them, ready for an empty journal."""

    records: dict[str, list[dict[str, Any]]]  # by kind name
    settings: dict[str, dict[str, Any]]
    exported_at: datetime
    app_version: str

    def summary(self) -> str:
        """What the export holds, e.g. "2 relationships, 5 entries, 0 self-checks, ... and 1 setting"."""
        parts = [kind.counted(len(self.records[kind.name])) for kind in KINDS]
        count = len(self.settings)
        return ", ".join(parts) + f" and {count} setting{'' if count == 1 else 's'}"


def load_export(source: Source, catalog: Catalog, *, confirmed_pseudonyms: Iterable[str] = ()) -> CheckedExport:
    """Read and check a whole export (a file path, its bytes, or the parsed document); nothing is written.

    Refuses with InvalidInput naming the first problem: not JSON, not an export, too new, a missing or
    ill-typed field, a duplicate id, a reference to nothing, or a catalogue id this version does not know;
    and, as when a relationship is created, a pseudonym holding a likely identifier (PseudonymLooksIdentifying)
    unless it only looks like a name and was confirmed (in the file, or in `confirmed_pseudonyms`).
    """
    if isinstance(source, Mapping):
        checked = _check_document(source, catalog, "The export")
    elif isinstance(source, bytes):
        checked = _check_document(_parse(source, "The export"), catalog, "The export")
    else:
        path = Path(source)
        label = f"The file {path}"
        try:
            raw = bounded_json.read_at_most(path, MAX_IMPORT_BYTES)
        except OSError as exc:
            raise InvalidInput(f"Cannot read {path}: {exc.strerror or exc}.") from None
        except bounded_json.NotJson as exc:
            raise InvalidInput(f"{label} {exc}.") from None
        checked = _check_document(_parse(raw, label), catalog, label)
    return _checked_pseudonyms(checked, confirmed_pseudonyms)


def _checked_pseudonyms(checked: CheckedExport, confirm: Iterable[str]) -> CheckedExport:
    """The export with the pseudonyms confirmed now added to its confirmed list, once every pseudonym passes."""
    stored = checked.settings.get(CONFIRMED_PSEUDONYMS_KEY, {}).get("pseudonyms", [])
    confirmed = [p for p in stored if isinstance(p, str)] + [" ".join(p.split()) for p in confirm if p.strip()]
    folded = {p.casefold() for p in confirmed}
    for row in checked.records["relationships"]:
        pseudonym = row["pseudonym"]
        # As at creation: without the "not identifying" list, and a confirmation only for what may be confirmed.
        findings = identifier_gate.pseudonym_findings(pseudonym, f"Relationship · {pseudonym}", confirmed=folded)
        if findings:
            raise PseudonymLooksIdentifying(pseudonym, findings)
    if not confirmed:
        return checked
    unique = list({p.casefold(): p for p in confirmed}.values())
    settings = checked.settings | {CONFIRMED_PSEUDONYMS_KEY: {"pseudonyms": unique}}
    return replace(checked, settings=settings)


def import_json(journal: Journal, source: Source | CheckedExport, *, catalog: Catalog | None = None) -> CheckedExport:
    """Check an export in full, then write it into `journal` in one transaction; only an empty journal takes it."""
    checked = source if isinstance(source, CheckedExport) else load_export(source, catalog or shipped_catalog())
    with journal.transaction() as session:
        _refuse_unless_empty(session)
        _write(session, checked)
    return checked


def import_into_new_journal(path: Path, passphrase: str, checked: CheckedExport) -> None:
    """Create a journal at `path` holding a checked export. It gets its name only once the import is written, so
    a failed or killed import leaves no journal behind to block the next try (see storage.create_journal)."""
    create_journal(path, passphrase, fill=lambda journal: import_json(journal, checked)).close()


def _parse(raw: bytes, label: str) -> Any:
    try:
        return bounded_json.loads(raw, max_bytes=MAX_IMPORT_BYTES)
    except bounded_json.NotJson as exc:
        raise InvalidInput(f"{label} {exc}.") from None


def _check_document(document: Any, catalog: Catalog, label: str) -> CheckedExport:
    if not isinstance(document, Mapping) or document.get("format") != FORMAT:
        raise InvalidInput(f"{label} is not a Boundary Journal export (its \"format\" is not \"{FORMAT}\").")
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInput(f"{label} has no valid \"version\" (a whole number from 1).")
    if version > VERSION:
        raise InvalidInput(
            f"{label} was made by a newer version of Boundary Journal (export format {version}; this version "
            f"reads up to {VERSION}); update the app to import it."
        )
    for key in document:
        if key not in _TOP_LEVEL:
            raise InvalidInput(f"{label} has a part {_shown(key)} that this version does not know.")
    for key in (*_HEADER, *(kind.name for kind in KINDS), "settings"):
        if key not in document:
            raise InvalidInput(f"{label} has no \"{key}\".")
    exported_at = _utc_moment(document["exported_at"], "exported_at")
    app_version = _line(document["app_version"], "app_version")
    _line(document["schema_revision"], "schema_revision")

    records = {kind.name: _records(kind, document[kind.name]) for kind in KINDS}
    ids = {kind.name: _unique_ids(kind, records[kind.name]) for kind in KINDS}
    for kind in KINDS:
        _check_references(kind, records[kind.name], ids)
    _check_actions(records["actions"], ids)
    _check_relationships(records["relationships"])
    _check_weeks(records["weekly_exercises"])
    _check_catalogue(catalog, records)
    return CheckedExport(records, _settings(document["settings"]), exported_at, app_version)


def _record(value: Any, where: str, fields: tuple[_Field, ...]) -> dict[str, Any]:
    names = {f.name for f in fields}
    for key in _object(value, where):
        if key not in names:
            raise InvalidInput(f"{where} has a field {_shown(key)} that this version does not know.")
    row: dict[str, Any] = {}
    for f in fields:
        if f.name not in value:
            raise InvalidInput(f"{where} has no field \"{f.name}\".")
        item = value[f.name]
        row[f.name] = None if item is None and f.nullable else f.load(item, f"{where}.{f.name}")
    return row


def _records(kind: _Kind, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise InvalidInput(f"\"{kind.name}\" must be a list ([...]).")
    return [_record(item, f"{kind.name}[{index}]", kind.fields) for index, item in enumerate(value)]


def _unique_ids(kind: _Kind, rows: list[dict[str, Any]]) -> dict[int, int]:
    """The list's ids and where each is; a second record with the same id is refused."""
    seen: dict[int, int] = {}
    for index, row in enumerate(rows):
        if row["id"] in seen:
            raise InvalidInput(
                f"{kind.name}[{index}].id {row['id']} is a duplicate id: {kind.name}[{seen[row['id']]}] has it too."
            )
        seen[row["id"]] = index
    return seen


def _check_references(kind: _Kind, rows: list[dict[str, Any]], ids: dict[str, dict[int, int]]) -> None:
    by_name = {k.name: k for k in KINDS}
    for f in kind.fields:
        if f.refers_to is None:
            continue
        for index, row in enumerate(rows):
            target = row[f.name]
            if target is not None and target not in ids[f.refers_to]:
                raise InvalidInput(
                    f"{kind.name}[{index}].{f.name} {target} refers to no {by_name[f.refers_to].one} in the export."
                )


def _check_actions(rows: list[dict[str, Any]], ids: dict[str, dict[int, int]]) -> None:
    for index, row in enumerate(rows):
        origin_id, where = row["origin_id"], f"actions[{index}].origin_id"
        if origin_id is None:
            continue
        target = _ORIGIN_KINDS.get(row["origin"])
        if target is None:
            raise InvalidInput(f"{where} must be null for an action of origin \"{row['origin']}\".")
        if origin_id not in ids[target]:
            # Journals from before entries cleared their actions' links on delete can hold a link to a
            # deleted entry; it is imported as no link, as deleting the entry does now.
            row["origin_id"] = None


def _ascii_folded(text: str) -> str:
    # The pseudonym column compares with SQLite's NOCASE, which folds A-Z only.
    return text.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"))


def _check_relationships(rows: list[dict[str, Any]]) -> None:
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        key = _ascii_folded(row["pseudonym"])
        if key in seen:
            raise InvalidInput(
                f"relationships[{index}].pseudonym {_shown(row['pseudonym'])} is a duplicate: "
                f"relationships[{seen[key]}] has it too."
            )
        seen[key] = index


def _check_weeks(rows: list[dict[str, Any]]) -> None:
    seen: dict[tuple[int, int], int] = {}
    for index, row in enumerate(rows):
        where, week = f"weekly_exercises[{index}]", (row["iso_year"], row["iso_week"])
        try:
            date.fromisocalendar(*week, 1)
        except ValueError:
            raise InvalidInput(f"{where}.iso_week {week[1]} does not exist in {week[0]}.") from None
        if not IsoWeek(*week).contains(row["on_date"]):  # as the service: the step is on that week's calendar
            raise InvalidInput(f"{where}.on_date {row['on_date']} is not in week {IsoWeek(*week)}.")
        if week in seen:
            raise InvalidInput(
                f"{where} is a second exercise for week {week[0]}-W{week[1]:02d}: "
                f"weekly_exercises[{seen[week]}] is for that week too."
            )
        seen[week] = index


def _unknown(where: str, value: str, what: str) -> InvalidInput:
    return InvalidInput(f"{where} {_shown(value)} is not {what} in this version's catalogue.")


def _check_catalogue(catalog: Catalog, records: dict[str, list[dict[str, Any]]]) -> None:
    """The catalogue ids the services would refuse for a new record are refused here too."""
    levels = {level.value for level in catalog.levels}
    moves = {move.id for move in catalog.response_moves}
    for index, row in enumerate(records["entries"]):
        where = f"entries[{index}]"
        template = catalog.template(row["template"])
        if template is None:
            raise _unknown(f"{where}.template", row["template"], "a template")
        if catalog.category(row["category"]) is None:
            raise _unknown(f"{where}.category", row["category"], "a category")
        if catalog.channel(row["channel"]) is None:
            raise _unknown(f"{where}.channel", row["channel"], "a channel")
        for key in row["fields"]:
            if template.field(key) is None:
                raise _unknown(f"{where}.fields", key, f"a field of the template \"{template.id}\"")
        for rule_id, answer in row["flow"].items():
            if not known_question(catalog, rule_id):
                raise _unknown(f"{where}.flow", rule_id, "a decision-flow question")
            if answer not in ANSWERS:
                raise InvalidInput(f"{where}.flow.{rule_id} must be \"yes\" or \"no\".")
        for move_id in row["response_review"]:
            if move_id not in moves:
                raise _unknown(f"{where}.response_review", move_id, "a response move")
    for index, row in enumerate(records["self_checks"]):
        where = f"self_checks[{index}]"
        for item_id, level in row["answers"].items():
            if catalog.red_flag(item_id) is None:
                raise _unknown(f"{where}.answers", item_id, "a red-flag item")
            if level not in levels:
                raise InvalidInput(f"{where}.answers.{item_id} must be one of {', '.join(map(str, sorted(levels)))}.")
        for item_id in row["item_notes"]:
            if catalog.red_flag(item_id) is None:
                raise _unknown(f"{where}.item_notes", item_id, "a red-flag item")
    for index, row in enumerate(records["weekly_exercises"]):
        if catalog.weekly_move(row["move"]) is None:
            raise _unknown(f"weekly_exercises[{index}].move", row["move"], "a weekly move")


def _plain_json(value: Any, where: str) -> None:
    """Every string inside a kept setting is text the journal can store and export again."""
    if isinstance(value, str):
        _text(value, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _plain_json(item, f"{where}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            _text(key, f"{where} (a key)")
            _plain_json(item, f"{where}.{key}")


def _settings(value: Any) -> dict[str, dict[str, Any]]:
    settings: dict[str, dict[str, Any]] = {}
    for key, item in _object(value, "settings").items():
        where = f"settings.{key}"
        if not key.strip() or len(key) > MAX_SETTING_KEY_LENGTH:
            raise InvalidInput(f"settings has a key {_shown(key)} that is empty or longer than 64 characters.")
        _line(key, f"settings key {_shown(key)}")
        fields = _SETTINGS.get(key)
        if fields:
            _record(item, where, fields)
        _plain_json(_object(item, where), where)
        settings[key] = dict(item)  # stored as written: the app reads settings from their JSON form
    return settings


def _refuse_unless_empty(session: Session) -> None:
    held = [
        kind.counted(count) for kind in KINDS
        if (count := session.scalar(select(func.count()).select_from(kind.model)) or 0)
    ]
    if held:
        raise InvalidInput(
            f"This journal already holds {', '.join(held)}; import only into a new, empty journal "
            "(nothing was imported)."
        )


def _write(session: Session, checked: CheckedExport) -> None:
    pseudonyms = {row["id"]: row["pseudonym"] for row in checked.records["relationships"]}
    for kind in KINDS:
        rows = checked.records[kind.name]
        if kind.model is Entry:
            rows = [
                row | {"search_text": search_text_for(pseudonyms[row["relationship_id"]], row["fields"], row["tags"])}
                for row in rows
            ]
        if rows:
            session.execute(insert(kind.model), rows)
    for key, value in checked.settings.items():
        # A setting made in the new journal before the import (a reminder, say) gives way to the imported one.
        session.merge(Setting(key=key, value=value))
