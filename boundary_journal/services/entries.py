"""Use cases for journal entries: add, edit, delete (and undo), list with filters, search."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, NamedTuple

import sqlcipher3
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session, joinedload

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.models import Action, Entry
from boundary_journal.services.actions import listen_after_hold
from boundary_journal.services.escalation import clean_flow
from boundary_journal.services.queries import (  # noqa: F401 (part of this service's interface)
    MAX_SEARCH_WORDS,
    EntryFilter,
    fts_query,
    fts_query_or_fail,
    search_words,
)
from boundary_journal.services.relationships import clean_pseudonym, get_or_create_relationship
from boundary_journal.services.validation import clean_text, plausible_moment, utcnow
from boundary_journal.store.journal import Journal, damage_from

MAX_TAGS = 30
MAX_TAG_LENGTH = 40


@dataclass(frozen=True)
class EntryDraft:
    """What the clinician filled in; validated against the catalogue before it is stored."""

    template: str
    relationship: str
    occurred: datetime
    fields: dict[str, str]
    channel: str | None = None
    tags: Sequence[str] = ()
    supervision: bool = False
    flow: Mapping[str, str] = field(default_factory=dict)
    response_review: Mapping[str, bool] = field(default_factory=dict)
    # On add: for a held request (a template with `listen_after`), open the follow-up action seed 002 asks for.
    listen_after: bool = False


@dataclass(frozen=True)
class EntryView:
    """A stored entry as the UI, the CLI and the reports see it."""

    id: int
    occurred: datetime
    relationship: str
    category: str
    channel: str
    template: str
    fields: dict[str, str]
    tags: tuple[str, ...]
    supervision: bool
    created: datetime
    updated: datetime
    flow: dict[str, str] = field(default_factory=dict)
    response_review: dict[str, bool] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "occurred": self.occurred.isoformat(timespec="minutes"),
            "relationship": self.relationship,
            "category": self.category,
            "channel": self.channel,
            "template": self.template,
            "fields": dict(self.fields),
            "tags": list(self.tags),
            "supervision": self.supervision,
            "flow": dict(self.flow),
            "response_review": dict(self.response_review),
            "created": self.created.isoformat(timespec="seconds") + "Z",
            "updated": self.updated.isoformat(timespec="seconds") + "Z",
        }


class EntryRow(NamedTuple):
    """One line of the entry list: what a table shows before the entry's text is needed.

    A named tuple, not a dataclass: a list is built of tens of thousands of these, and a frozen dataclass
    takes three times as long to make.
    """

    id: int
    occurred: datetime
    relationship: str
    category: str
    channel: str
    supervision: bool


@dataclass(frozen=True)
class DeletedEntry:
    """Everything needed to put a deleted entry back exactly as it was (undo)."""

    view: EntryView


def _view(entry: Entry) -> EntryView:
    return EntryView(
        id=entry.id,
        occurred=entry.occurred,
        relationship=entry.relationship.pseudonym,
        category=entry.category,
        channel=entry.channel,
        template=entry.template,
        fields=dict(entry.fields),
        tags=tuple(entry.tags),
        supervision=entry.supervision,
        created=entry.created_at,
        updated=entry.updated_at,
        flow=dict(entry.flow or {}),
        response_review=dict(entry.response_review or {}),
    )


# InvalidInput.field of a problem with one of the template's fields: this prefix and the field's key.
TEMPLATE_FIELD_PREFIX = "fields."


def _clean_tags(tags: Sequence[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in tags:
        tag = clean_text(raw, "A tag", single_line=True, limit=MAX_TAG_LENGTH, field="tags").strip()
        if tag and tag.casefold() not in {t.casefold() for t in cleaned}:
            cleaned.append(tag)
    if len(cleaned) > MAX_TAGS:
        raise InvalidInput(f"An entry can have at most {MAX_TAGS} tags.", field="tags")
    return cleaned


@dataclass(frozen=True)
class CheckedDraft:
    occurred: datetime
    category: str
    channel: str
    fields: dict[str, str]
    tags: list[str]
    flow: dict[str, str]
    response_review: dict[str, bool]


def validate_draft(catalog: Catalog, draft: EntryDraft) -> CheckedDraft:
    """Check a draft against its template and the catalogue; returns the cleaned values."""
    template = catalog.template(draft.template)
    if template is None:
        raise InvalidInput(
            f"There is no template '{draft.template}'; 'boundary-journal catalog' lists them.", field="template"
        )
    channel = draft.channel or template.default_channel
    if catalog.channel(channel) is None:
        known = ", ".join(c.id for c in catalog.channels)
        raise InvalidInput(f"There is no channel '{channel}'; choose one of: {known}.", field="channel")
    occurred = plausible_moment(draft.occurred, "the interaction", field="when")

    fields: dict[str, str] = {}
    for key, value in draft.fields.items():
        spec = template.field(key)
        if spec is None:
            known = ", ".join(f.key for f in template.fields)
            raise InvalidInput(
                f"The template '{template.id}' has no field '{key}'; its fields are: {known}.",
                field=TEMPLATE_FIELD_PREFIX + key,
            )
        cleaned = clean_text(value, f"The field '{spec.label}'", field=TEMPLATE_FIELD_PREFIX + key)
        if cleaned.strip():
            fields[key] = cleaned
    missing = [key for key in template.required_keys if key not in fields]
    if missing:
        labels = [template.field(key).label for key in missing]  # type: ignore[union-attr]
        raise InvalidInput(f"Please fill in: {', '.join(labels)}.", field=TEMPLATE_FIELD_PREFIX + missing[0])
    if draft.listen_after and not template.listen_after:
        having = ", ".join(t.id for t in catalog.templates if t.listen_after)
        raise InvalidInput(f"The template '{template.id}' has no follow-up to listen back after holding the line; "
                           f"the templates with one are: {having}.", field="listen_after")
    return CheckedDraft(
        occurred,
        template.category, channel, fields, _clean_tags(draft.tags), clean_flow(catalog, draft.flow),
        _clean_review(catalog, draft.response_review),
    )


def _clean_review(catalog: Catalog, review: Mapping[str, bool]) -> dict[str, bool]:
    known = {move.id for move in catalog.response_moves}
    for move_id in review:
        if move_id not in known:
            raise InvalidInput(f"There is no response move '{move_id}'; the moves are: {', '.join(sorted(known))}.",
                               field="response_review")
    return {move_id: bool(value) for move_id, value in review.items() if value}


def search_text_for(pseudonym: str, fields: Mapping[str, str], tags: Sequence[str]) -> str:
    """What the full-text index holds for an entry; every path that writes an entry (add, edit, undo, import)
    uses this, so search finds the same words whichever way the entry got in."""
    return "\n".join([pseudonym, *fields.values(), *tags])


def _apply(session: Session, entry: Entry, draft: EntryDraft, checked: CheckedDraft, now: datetime) -> None:
    relationship = get_or_create_relationship(session, draft.relationship)
    entry.occurred = checked.occurred
    entry.relationship = relationship
    entry.category = checked.category
    entry.channel = checked.channel
    entry.template = draft.template
    entry.fields = checked.fields
    entry.tags = checked.tags
    entry.supervision = bool(draft.supervision)
    entry.flow = checked.flow
    entry.response_review = checked.response_review
    entry.search_text = search_text_for(relationship.pseudonym, checked.fields, checked.tags)
    entry.updated_at = now


def add_entry(journal: Journal, catalog: Catalog, draft: EntryDraft) -> EntryView:
    """Store a new entry (creating its relationship if the pseudonym is new) and commit."""
    checked = validate_draft(catalog, draft)
    now = utcnow()
    with journal.transaction() as session:
        entry = Entry(created_at=now)
        _apply(session, entry, draft, checked, now)
        session.add(entry)
        session.flush()
        if draft.listen_after:
            listen_after_hold(session, catalog.template(draft.template), entry)
        return _view(entry)


def update_entry(journal: Journal, catalog: Catalog, entry_id: int, draft: EntryDraft) -> EntryView:
    """Replace an entry's contents with the draft and commit."""
    checked = validate_draft(catalog, draft)
    with journal.transaction() as session:
        entry = _load(session, entry_id)
        _apply(session, entry, draft, checked, utcnow())
        session.flush()
        return _view(entry)


def delete_entry(journal: Journal, entry_id: int) -> DeletedEntry:
    """Delete an entry for good; the returned snapshot lets `restore_entry` undo it.

    Actions made from the entry stay, but no longer point at it: its id may be given to a new entry.
    """
    with journal.transaction() as session:
        entry = _load(session, entry_id)
        snapshot = DeletedEntry(_view(entry))
        session.execute(
            update(Action).where(Action.origin == "entry", Action.origin_id == entry_id).values(origin_id=None)
        )
        session.delete(entry)
        # Compact the full-text index so the deleted entry's words leave the file now, not at some
        # later merge (see migration 0007 for why FTS5's own secure-delete is not used).
        session.execute(text("INSERT INTO entries_fts(entries_fts) VALUES ('optimize')"))
    return snapshot


def restore_entry(journal: Journal, deleted: DeletedEntry) -> EntryView:
    """Put a deleted entry back with its times (undo of delete); its old id if still free, else a new one."""
    view = deleted.view
    with journal.transaction() as session:
        taken = session.get(Entry, view.id) is not None
        relationship = get_or_create_relationship(session, view.relationship, check=False)
        entry = Entry(
            id=None if taken else view.id,
            occurred=view.occurred,
            relationship=relationship,
            category=view.category,
            channel=view.channel,
            template=view.template,
            fields=dict(view.fields),
            tags=list(view.tags),
            supervision=view.supervision,
            flow=dict(view.flow),
            response_review=dict(view.response_review),
            search_text=search_text_for(relationship.pseudonym, view.fields, view.tags),
            created_at=view.created,
            updated_at=view.updated,
        )
        session.add(entry)
        session.flush()
        return _view(entry)


def get_entry(journal: Journal, entry_id: int) -> EntryView:
    with journal.read() as session:
        return _view(_load(session, entry_id))


def _load(session: Session, entry_id: int) -> Entry:
    entry = session.get(Entry, entry_id, options=[joinedload(Entry.relationship)])
    if entry is None:
        raise NotFound(f"There is no entry with id {entry_id}.")
    return entry


def list_entries(journal: Journal, filters: EntryFilter | None = None) -> list[EntryView]:
    """Entries matching the filters, newest first."""
    return list(iter_entries(journal, filters))


def iter_entries(
    journal: Journal, filters: EntryFilter | None = None, query: str | None = None
) -> Iterator[EntryView]:
    """`list_entries`, or with `query` `search_entries`, one entry at a time (the CLI prints them as they come)."""
    where, parameters = _where(filters or EntryFilter(), query)
    with _reading(journal) as cursor:
        cursor.execute(f"SELECT {_ENTRY_COLUMNS} {where}", parameters)
        for row in cursor:
            yield _view_of_row(row)


# The SQL below is written out rather than built with the ORM: a list or search returns thousands of rows,
# and ORM objects (or SQLAlchemy rows) for each cost more than the query. The column types are converted
# here as SQLAlchemy's SQLite dialect does: DATETIME is ISO text, BOOLEAN 0/1, JSON text.
_ROW_COLUMNS = "e.id, e.occurred, r.pseudonym, e.category, e.channel, e.supervision"
_ENTRY_COLUMNS = (
    "e.id, e.occurred, r.pseudonym, e.category, e.channel, e.template, e.fields, e.tags, e.supervision, "
    "e.created_at, e.updated_at, e.flow, e.response_review"
)
# The unary + keeps SQLite from looking each match up by id in the table, whose pages hold the entry text:
# it scans the list's own index (ix_entries_list, already in the list's order) and keeps the matching ids.
_MATCHING = "+e.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)"


def _where(filters: EntryFilter, query: str | None) -> tuple[str, list[object]]:
    """FROM, WHERE and ORDER BY of a list or search, and its bound parameters (never text in the SQL)."""
    clauses: list[str] = []
    parameters: list[object] = []
    if query is not None:
        clauses.append(_MATCHING)
        parameters.append(fts_query_or_fail(query))
    filters.check()
    if filters.relationship is not None:
        clauses.append("r.pseudonym = ?")  # the column's collation is NOCASE, as pseudonyms are everywhere
        parameters.append(clean_pseudonym(filters.relationship))
    if filters.category is not None:
        clauses.append("e.category = ?")
        parameters.append(filters.category)
    if filters.channel is not None:
        clauses.append("e.channel = ?")
        parameters.append(filters.channel)
    if filters.date_from is not None:
        clauses.append("e.occurred >= ?")
        parameters.append(_sql_datetime(datetime.combine(filters.date_from, time.min)))
    if filters.date_to is not None:
        clauses.append("e.occurred <= ?")
        parameters.append(_sql_datetime(datetime.combine(filters.date_to, time.max)))
    if filters.supervision is not None:
        clauses.append("e.supervision IS ?")
        parameters.append(int(filters.supervision))
    sql = "FROM entries AS e JOIN relationships AS r ON r.id = e.relationship_id"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += " ORDER BY e.occurred DESC, e.id DESC"
    if filters.limit is not None:
        sql += " LIMIT ?"
        parameters.append(filters.limit)
    return sql, parameters


def _sql_datetime(value: datetime) -> str:
    """A moment as SQLAlchemy stores a DateTime in SQLite, so text comparison orders it correctly."""
    return value.isoformat(sep=" ", timespec="microseconds")


@contextlib.contextmanager
def _reading(journal: Journal) -> Iterator[sqlcipher3.Cursor]:
    """A driver cursor inside a session's transaction: one consistent view of the journal for every statement."""
    with journal.read() as session:
        connection = session.connection().connection.driver_connection
        cursor = connection.cursor()  # type: ignore[union-attr]
        try:
            yield cursor
        except sqlcipher3.DatabaseError as error:  # past SQLAlchemy, so said as damage here (see storage)
            damage = damage_from(error, journal.path)
            if damage is None:
                raise
            raise damage from None
        finally:
            cursor.close()


def _view_of_row(row: Sequence[Any]) -> EntryView:
    (entry_id, occurred, pseudonym, category, channel, template, fields, tags, supervision, created, updated,
     flow, review) = row
    return EntryView(
        id=entry_id,
        occurred=_parse_datetime(occurred),
        relationship=pseudonym,
        category=category,
        channel=channel,
        template=template,
        fields=json.loads(fields),
        tags=tuple(json.loads(tags)),
        supervision=bool(supervision),
        created=_parse_datetime(created),
        updated=_parse_datetime(updated),
        flow=json.loads(flow) or {},
        response_review=json.loads(review) or {},
    )


_parse_datetime = datetime.fromisoformat  # reads "2026-11-22 14:30:00.000000", as SQLAlchemy writes it


def search_entries(
    journal: Journal, query: str, filters: EntryFilter | None = None
) -> list[EntryView]:
    """Entries whose text contains every word of `query` (as word prefixes), newest first."""
    return list(iter_entries(journal, filters, query))


def list_rows(journal: Journal, filters: EntryFilter | None = None, query: str | None = None) -> list[EntryRow]:
    """The list's lines for the filters (and search words, if any), newest first, without entry text.

    Reading a few narrow columns, all in one index, keeps a list of years of entries quick to fill; the
    text of the rows on screen comes from `entry_fields`.
    """
    where, parameters = _where(filters or EntryFilter(), query)
    with _reading(journal) as cursor:
        cursor.execute(f"SELECT {_ROW_COLUMNS} {where}", parameters)
        parse, make = _parse_datetime, EntryRow._make
        return [make((i, parse(occurred), name, category, channel, bool(supervision)))
                for i, occurred, name, category, channel, supervision in cursor]


def entry_fields(journal: Journal, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The fields of the given entries (the rows a list is about to show), by id."""
    found: dict[int, dict[str, str]] = {}
    with journal.read() as session:
        for start in range(0, len(ids), 500):  # well under SQLite's limit on bound parameters
            chunk = list(ids[start:start + 500])
            rows = session.execute(select(Entry.id, Entry.fields).where(Entry.id.in_(chunk)))
            found.update((row.id, row.fields) for row in rows)
    return found


def count_entries(journal: Journal) -> int:
    with journal.read() as session:
        return session.scalar(select(func.count()).select_from(Entry)) or 0
