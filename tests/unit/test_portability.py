"""Data portability: the whole journal out as JSON and back into a new journal, unchanged, or refused whole."""

from __future__ import annotations

import copy
import json
import stat
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from boundary_journal.catalog import Catalog, shipped_catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.services import actions, entries, portability, relationships, settings, slope, weekly
from boundary_journal.services.entries import EntryDraft
from boundary_journal.services.selfchecks import SelfCheckDraft, add_self_check
from boundary_journal.store import migrations
from boundary_journal.store.journal import Journal
from boundary_journal.store.models import Relationship, Setting
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import open_journal
from tests.conftest import PASSPHRASE, TEST_KDF, JournalTemplates

MEGABYTE_TEXT = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 18_400 + "needleword"
HOSTILE = (
    "Emoji 😀👩🏽‍⚕️, RTL שלום עולם and مرحبا \u200f\u200e marks\u061c, markup <b>bold</b> & <script>&amp;"
    "\ttab\nnew line\u2028line separator\u2029next paragraph \"quotes\" \\backslash\\ \u00e9 q\u0301 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"
)


def _draft(catalog: Catalog, pseudonym: str, what: str, **overrides: Any) -> EntryDraft:
    values: dict[str, Any] = {
        "template": "late_night_text",
        "relationship": pseudonym,
        "occurred": datetime(2026, 11, 2, 23, 40),
        "fields": {"what_happened": what, "documentation_note": "Patient texted after hours; redirected to portal."},
    }
    return EntryDraft(**(values | overrides))


def _fill(journal: Journal, catalog: Catalog) -> None:
    """A journal with every kind of record, hostile text, a gap in the entry ids and both kinds of time."""
    first = entries.add_entry(journal, catalog, _draft(
        catalog, "Client K", HOSTILE, tags=["night", "😀 tag", "<tag & more>"], supervision=True,
        flow={"outside_channels": "yes", "romantic_involvement": "no"},
        fields={"what_happened": HOSTILE, "documentation_note": "Neutral <note> & more.",
                "my_response": "Redirected.", "next_step": "Raise it in supervision"},
        response_review={"acknowledge_and_limit": True, "policy_defence": True},
    ))
    deleted = entries.add_entry(journal, catalog, _draft(catalog, "Bed 4 in March", "to be deleted"))
    entries.add_entry(journal, catalog, _draft(
        catalog, "Bed 4 in March", MEGABYTE_TEXT, template="phone_number_request", channel="in_person",
        occurred=datetime(2026, 10, 1, 9, 5),
    ))
    entries.delete_entry(journal, deleted.id)
    relationships.set_context(journal, "Client K", {"emergency": "None.", "relationship_type": HOSTILE})
    relationships.set_consent(journal, "Client K", {"informed": "Told & understood <yes>."})
    with journal.transaction() as session:
        session.execute(update(Relationship).where(Relationship.pseudonym == "Bed 4 in March").values(status="closed"))
    flags = [flag.id for flag in catalog.red_flags]
    add_self_check(journal, catalog, SelfCheckDraft(
        answers={flags[0]: 2, flags[1]: 1}, relationship="Client K", item_notes={flags[0]: HOSTILE},
        note="Note <&>", context="A long week.", taken_at=datetime(2026, 11, 3, 8, 0),
    ))
    add_self_check(journal, catalog, SelfCheckDraft(answers={flags[2]: 0}, taken_at=datetime(2026, 11, 4, 8, 0)))
    # An item that warrants higher-level input opens an action pointing back at its self-check.
    higher = next(flag.id for flag in catalog.red_flags if flag.warrants_higher_input)
    add_self_check(journal, catalog, SelfCheckDraft(answers={higher: 2}, relationship="Bed 4 in March"))
    slope.set_stage(journal, "Client K", 2, note="Softening.", when=datetime(2026, 11, 1, 10, 0))
    slope.set_stage(journal, "Client K", 3, note=HOSTILE, when=datetime(2026, 11, 5, 10, 0))
    from_entry = actions.action_from_entry(journal, first.id, due_on=date(2026, 11, 20))
    actions.complete_action(journal, from_entry.id, "Done & dusted <ok>.")
    with journal.transaction() as session:
        actions.create_action(session, "A manual action 😀", origin="manual")
    today = date(2026, 11, 23)
    week = weekly.IsoWeek.of(today).previous()
    weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
        relationship="Client K", unease="The texts feel personal 😀 <b>.", move="talk_to_supervisor",
        on=week.monday + timedelta(days=2), at=time(14, 30), week=week,
    ), today=today)
    weekly.record_followup(journal, week, "partly", HOSTILE)
    weekly.mark_followup_offered(journal, week, today)
    weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
        relationship="Bed 4 in March", unease="Something else.", move="other", move_other="Call the ward",
        on=today,
    ), today=today)
    settings.set_reminder(journal, settings.ReminderSetting(True, 2, time(18, 15)))
    settings.remember_not_identifying(journal, "Ward Seven")


@pytest.fixture
def full(journal: Journal, catalog: Catalog) -> Journal:
    _fill(journal, catalog)
    return journal


@pytest.fixture
def fresh(tmp_path: Path, journal_templates: JournalTemplates) -> Iterator[Journal]:
    opened = journal_templates.open(journal_path(tmp_path / "fresh"), PASSPHRASE)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, journal_templates: JournalTemplates) -> dict[str, Any]:
    """One filled journal's export for the whole module: filling one takes about a second."""
    opened = journal_templates.open(journal_path(tmp_path_factory.mktemp("exported")), PASSPHRASE, TEST_KDF)
    try:
        _fill(opened, shipped_catalog())
        return portability.export_all(opened)
    finally:
        opened.close()


@pytest.fixture(scope="module")
def shared_empty(tmp_path_factory: pytest.TempPathFactory, journal_templates: JournalTemplates) -> Iterator[Journal]:
    """One empty journal for every refusal: as none may write, each test also checks the ones before it."""
    opened = journal_templates.open(journal_path(tmp_path_factory.mktemp("empty")), PASSPHRASE, TEST_KDF)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def document(exported: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(exported)


def _without_time(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "exported_at"}


def _row_counts(journal: Journal) -> dict[str, int]:
    with journal.read() as session:
        counts = {k.name: session.scalar(select(func.count()).select_from(k.model)) for k in portability.KINDS}
        counts["settings"] = session.scalar(select(func.count()).select_from(Setting))
    return counts


class TestExport:
    """The export holds everything, keeps ids, and is written in full, readable by the owner only."""

    @pytest.mark.slow
    def test_header(self, document: dict[str, Any]) -> None:
        assert document["format"] == "boundary-journal-export"
        assert document["version"] == 1
        assert document["schema_revision"] == migrations.head()
        assert document["exported_at"].endswith("Z")
        datetime.fromisoformat(document["exported_at"])

    def test_every_kind_of_record(self, document: dict[str, Any]) -> None:
        counts = {kind.name: len(document[kind.name]) for kind in portability.KINDS}
        assert counts == {"relationships": 2, "entries": 2, "self_checks": 3, "stage_changes": 2, "actions": 5,
                          "weekly_exercises": 2}
        assert set(document["settings"]) == {"weekly_reminder", "not_identifying"}
        assert [e["id"] for e in document["entries"]] == [1, 3]  # the deleted entry's id stays a gap
        first = document["entries"][0]
        assert first["fields"]["what_happened"] == HOSTILE
        assert first["occurred"] == "2026-11-02T23:40:00"
        assert first["created_at"].endswith("Z")
        assert first["flow"] == {"outside_channels": "yes", "romantic_involvement": "no"}
        assert first["supervision"] is True
        closed = next(r for r in document["relationships"] if r["pseudonym"] == "Bed 4 in March")
        assert closed["status"] == "closed"
        exercise = document["weekly_exercises"][0]
        assert exercise["at_time"] == "14:30:00" and exercise["outcome"] == "partly"
        assert exercise["action_id"] in {a["id"] for a in document["actions"]}

    @pytest.mark.slow
    def test_file_is_utf8_json_mode_0600(self, full: Journal, tmp_path: Path) -> None:
        out = tmp_path / "everything.json"
        out.write_text("old", encoding="utf-8")
        out.chmod(0o644)
        portability.write_json_export(full, out)
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        raw = out.read_bytes()
        assert "שלום".encode() in raw and "😀".encode() in raw  # ensure_ascii=False
        assert json.loads(raw)["entries"][0]["fields"]["what_happened"] == HOSTILE
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("boundary-journal-")] == []

    @pytest.mark.parametrize("name", ["everything.txt", "missing-folder/everything.json"])
    def test_refused_output_path_writes_nothing(self, full: Journal, tmp_path: Path, name: str) -> None:
        before = sorted(tmp_path.iterdir())
        with pytest.raises(InvalidInput):
            portability.write_json_export(full, tmp_path / name)
        assert sorted(tmp_path.iterdir()) == before

    def test_failed_write_leaves_no_partial_file(self, full: Journal, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
        def broken(*_args: Any, **_kwargs: Any) -> str:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(portability.json, "dumps", broken)
        with pytest.raises(OSError):
            portability.write_json_export(full, tmp_path / "everything.json")
        assert list(tmp_path.glob("*.json*")) == []


class TestRoundTrip:
    """Export, import into a new journal, export again: the same document apart from exported_at."""

    def test_identical(self, document: dict[str, Any], fresh: Journal, tmp_path: Path, catalog: Catalog) -> None:
        out = tmp_path / "export.json"
        out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        checked = portability.import_json(fresh, out, catalog=catalog)
        assert checked.summary().startswith("2 relationships, 2 entries, 3 self-checks")
        again = portability.export_all(fresh)
        assert _without_time(again) == _without_time(document)
        # The text itself, not only its JSON escape, is unchanged.
        assert again["entries"][1]["fields"]["what_happened"] == MEGABYTE_TEXT

    @pytest.mark.slow
    def test_file_round_trip(self, full: Journal, fresh: Journal, tmp_path: Path) -> None:
        first, second = tmp_path / "first.json", tmp_path / "second.json"
        written = portability.write_json_export(full, first)
        portability.import_json(fresh, first)
        portability.write_json_export(fresh, second)
        assert _without_time(json.loads(second.read_bytes())) == _without_time(written)

    def test_search_finds_imported_entries(self, document: dict[str, Any], fresh: Journal) -> None:
        portability.import_json(fresh, document)
        assert [v.id for v in entries.search_entries(fresh, "שלום")] == [1]
        assert [v.id for v in entries.search_entries(fresh, "needleword")] == [3]
        assert [v.id for v in entries.search_entries(fresh, "client")] == [1]  # the pseudonym is indexed
        assert [v.id for v in entries.search_entries(fresh, "night")] == [1]  # and so are the tags

    @pytest.mark.slow
    def test_services_work_on_imported_records(self, document: dict[str, Any], fresh: Journal,
                                               catalog: Catalog) -> None:
        portability.import_json(fresh, document)
        # New records get ids after the imported ones, and lookups by pseudonym find imported relationships.
        added = entries.add_entry(fresh, catalog, _draft(catalog, "client k", "Another one."))
        assert added.id == 4 and added.relationship == "Client K"
        assert [c.stage for c in slope.stage_history(fresh, "Client K")] == [2, 3]
        assert settings.get_reminder(fresh) == settings.ReminderSetting(True, 2, time(18, 15))
        assert settings.not_identifying(fresh) == ["Ward Seven"]
        assert weekly.streak(fresh, date(2026, 11, 23)) == 2

    def test_into_a_new_journal_file(self, document: dict[str, Any], tmp_path: Path, catalog: Catalog) -> None:
        path = journal_path(tmp_path / "new")
        portability.import_into_new_journal(path, PASSPHRASE, portability.load_export(document, catalog))
        reopened = open_journal(path, PASSPHRASE)
        try:
            assert _without_time(portability.export_all(reopened)) == _without_time(document)
        finally:
            reopened.close()

    def test_link_to_a_deleted_entry_is_imported_as_no_link(self, document: dict[str, Any], fresh: Journal) -> None:
        # Older journals kept an action's link to an entry after the entry was deleted.
        linked = next(a for a in document["actions"] if a["origin"] == "entry")
        linked["origin_id"] = 99
        portability.import_json(fresh, document)
        again = portability.export_all(fresh)
        assert next(a for a in again["actions"] if a["id"] == linked["id"])["origin_id"] is None

    def test_empty_journal_round_trip(self, journal: Journal, fresh: Journal) -> None:
        document = portability.export_all(journal)
        assert all(document[kind.name] == [] for kind in portability.KINDS) and document["settings"] == {}
        portability.import_json(fresh, document)
        assert _without_time(portability.export_all(fresh)) == _without_time(document)


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change to the document at a dotted path like "entries.0.occurred"."""
    *parents, last = path.split(".")

    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        elif value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return change


_DELETE = object()


def _append_copy(kind: str, index: int) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        document[kind].append(copy.deepcopy(document[kind][index]))

    return change


REFUSALS: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("format", _set("format", "something-else"), "is not a Boundary Journal export"),
    ("no format", _set("format", _DELETE), "is not a Boundary Journal export"),
    ("newer", _set("version", 2), "made by a newer version of Boundary Journal"),
    ("bad version", _set("version", "1"), 'has no valid "version"'),
    ("unknown part", _set("photos", []), 'has a part "photos" that this version does not know'),
    ("missing list", _set("actions", _DELETE), 'has no "actions"'),
    ("list not a list", _set("entries", {}), '"entries" must be a list'),
    ("record not an object", _set("entries.1", "x"), "entries[1] must be an object"),
    ("occurred", _set("entries.1.occurred", "yesterday"), "entries[1].occurred is not a date and time"),
    ("occurred number", _set("entries.0.occurred", 20261122), "entries[0].occurred is not a date and time"),
    ("missing field", _set("entries.0.tags", _DELETE), 'entries[0] has no field "tags"'),
    ("unknown field", _set("entries.0.mood", "ok"), 'entries[0] has a field "mood" that this version does not know'),
    ("bool", _set("entries.0.supervision", "yes"), "entries[0].supervision must be true or false"),
    ("field text", _set("entries.0.fields.what_happened", 5), "entries[0].fields.what_happened must be text"),
    ("control", _set("entries.0.fields.what_happened", "a\x00b"), "entries[0].fields.what_happened contains control"),
    ("surrogate", _set("self_checks.0.note", "\ud800"), "self_checks[0].note contains broken characters"),
    # What docs/export-format.md promises: no control characters other than tab and newline, no bidi controls.
    ("C1 control", _set("entries.0.fields.what_happened", "a\x9bb"),
     "entries[0].fields.what_happened contains control characters (U+009B"),
    ("C1 in a line", _set("entries.0.tags.0", "\x85"), "entries[0].tags[0] contains control characters"),
    ("carriage return", _set("self_checks.0.note", "a\rb"), "self_checks[0].note contains a carriage return"),
    ("bidi override", _set("relationships.0.pseudonym", "Client \u202eK"),
     "relationships[0].pseudonym contains an invisible text-direction control (U+202E"),
    ("bidi isolate", _set("stage_changes.0.note", "\u2067x\u2069"), "stage_changes[0].note contains an invisible"),
    ("C1 in a setting", _set("settings.theme", {"x": "\x90"}), "settings.theme.x contains control characters"),
    ("tag lines", _set("entries.0.tags.0", "two\nlines"), "entries[0].tags[0] must fit on one line"),
    ("id", _set("entries.0.id", 0), "entries[0].id is not an id"),
    ("id bool", _set("relationships.0.id", True), "relationships[0].id is not an id"),
    ("duplicate id", _append_copy("stage_changes", 0), "stage_changes[2].id 1 is a duplicate id"),
    ("dangling relationship", _set("entries.0.relationship_id", 99),
     "entries[0].relationship_id 99 refers to no relationship in the export"),
    ("dangling action", _set("weekly_exercises.0.action_id", 99),
     "weekly_exercises[0].action_id 99 refers to no action"),
    ("manual with origin", lambda d: next(a for a in d["actions"] if a["origin"] == "manual").update(origin_id=1),
     'must be null for an action of origin "manual"'),
    ("origin", _set("actions.0.origin", "magic"), "actions[0].origin is \"magic\", not one of"),
    ("status", _set("relationships.0.status", "paused"), "relationships[0].status is \"paused\""),
    ("stage", _set("stage_changes.0.stage", 6), "stage_changes[0].stage must be a whole number from 1 to 5"),
    ("due date", _set("actions.0.due_on", "next week"), "actions[0].due_on is not a date"),
    ("clock", _set("weekly_exercises.0.at_time", "half past two"), "weekly_exercises[0].at_time is not a time"),
    ("week", lambda d: d["weekly_exercises"][0].update(iso_year=2025, iso_week=53),
     "weekly_exercises[0].iso_week 53 does not exist in 2025"),
    ("same week", lambda d: d["weekly_exercises"].append(d["weekly_exercises"][0] | {"id": 9, "action_id": None}),
     "weekly_exercises[2] is a second exercise for week 2026-W47"),
    ("pseudonym case", _set("relationships.1.pseudonym", "CLIENT k"), "relationships[1].pseudonym \"CLIENT k\" is a"),
    ("pseudonym spaces", _set("relationships.0.pseudonym", " Client  K"), "has spaces at its ends or doubled"),
    ("context key", _set("relationships.0.context.mood", "x"), 'relationships[0].context has a field "mood"'),
    ("template", _set("entries.0.template", "nope"), "entries[0].template \"nope\" is not a template"),
    ("category", _set("entries.0.category", "nope"), "entries[0].category \"nope\" is not a category"),
    ("channel", _set("entries.1.channel", "pigeon"), "entries[1].channel \"pigeon\" is not a channel"),
    ("template field", _set("entries.0.fields.mood", "x"), 'entries[0].fields "mood" is not a field of the template'),
    ("flow question", _set("entries.0.flow.why", "yes"), 'entries[0].flow "why" is not a decision-flow question'),
    ("flow answer", _set("entries.0.flow.outside_channels", "maybe"), 'entries[0].flow.outside_channels must be "yes"'),
    ("review move", _set("entries.0.response_review.shrug", True), 'entries[0].response_review "shrug" is not'),
    ("red flag", _set("self_checks.1.answers.unknown_flag", 1), 'self_checks[1].answers "unknown_flag" is not a red'),
    ("level", _set("self_checks.1.answers", {"slope_look_forward": 7}), "self_checks[1].answers.slope_look_forward"),
    ("weekly move", _set("weekly_exercises.1.move", "run"), 'weekly_exercises[1].move "run" is not a weekly move'),
    ("setting shape", _set("settings.weekly_reminder.weekday", 9), "settings.weekly_reminder.weekday must be"),
    ("setting words", _set("settings.not_identifying.words", "Ward"), "settings.not_identifying.words must be a list"),
    ("setting object", _set("settings.theme", "dark"), "settings.theme must be an object"),
    ("exported_at", _set("exported_at", "now"), "exported_at is not a date and time"),
    # The services' date rules: moments from 1950 to a day from now, days and weeks within 1950 to 2999.
    ("occurred year 9999", _set("entries.0.occurred", "9999-12-31T23:59:00"),
     "The date 9999-12-31 of entries[0].occurred is in the future"),
    ("occurred year 1", _set("entries.0.occurred", "0001-01-01T00:00:00"),
     "The date 0001-01-01 of entries[0].occurred is before 1950"),
    ("occurred before 1950", _set("entries.1.occurred", "1949-12-31T23:59:00"), "of entries[1].occurred is before"),
    ("offset past 9999", _set("entries.0.occurred", "9999-12-31T23:59:00-12:00"),
     "entries[0].occurred are out of range"),
    ("offset before year 1", _set("entries.0.occurred", "0001-01-01T00:00:00+05:00"),
     "entries[0].occurred are out of range"),
    ("set_at year 9999", _set("stage_changes.0.set_at", "9999-12-31T23:59:00"), "of stage_changes[0].set_at is in"),
    ("taken_at year 1", _set("self_checks.0.taken_at", "0001-01-01T08:00:00"), "of self_checks[0].taken_at is before"),
    ("utc offset before year 1", _set("relationships.0.created_at", "0001-01-01T00:00:00+01:00"),
     "relationships[0].created_at are out of range"),
    ("utc offset past 9999", _set("entries.0.updated_at", "9999-12-31T23:00:00-05:00"),
     "entries[0].updated_at are out of range"),
    ("done_at year 9999", lambda d: d["actions"][0].update(done_at="9999-12-31T00:00:00Z"),
     "of actions[0].done_at is in the future"),
    ("exported_at year 1", _set("exported_at", "0001-01-01T00:00:00Z"), "of exported_at is before 1950"),
    ("due_on year 1", _set("actions.0.due_on", "0001-01-01"), "The date 0001-01-01 of actions[0].due_on is before"),
    ("due_on year 9999", _set("actions.0.due_on", "9999-12-31"), "of actions[0].due_on is after 2999"),
    ("followup day", _set("weekly_exercises.0.followup_offered_on", "0001-01-01"),
     "of weekly_exercises[0].followup_offered_on is before 1950"),
    ("step outside its week", _set("weekly_exercises.0.on_date", "9999-12-31"),
     "weekly_exercises[0].on_date"),
    ("step in another week", lambda d: d["weekly_exercises"][0].update(on_date="2026-01-05"),
     "weekly_exercises[0].on_date 2026-01-05 is not in week 2026-W47"),
]


class TestRefusals:
    """Each problem is named in one sentence, and a refused import writes nothing at all."""

    @pytest.mark.parametrize(("change", "message"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
    def test_named_and_nothing_written(self, document: dict[str, Any], shared_empty: Journal, catalog: Catalog,
                                       change: Callable[[dict[str, Any]], None], message: str) -> None:
        change(document)
        with pytest.raises(InvalidInput) as refused:
            portability.import_json(shared_empty, document, catalog=catalog)
        assert message in str(refused.value)
        assert "\n" not in str(refused.value)
        assert set(_row_counts(shared_empty).values()) == {0}

    def test_problem_in_the_last_record_writes_nothing(self, document: dict[str, Any], fresh: Journal) -> None:
        document["weekly_exercises"][-1]["move"] = "run"
        with pytest.raises(InvalidInput):
            portability.import_json(fresh, document)
        assert set(_row_counts(fresh).values()) == {0}

    def test_unknown_settings_are_kept(self, document: dict[str, Any], fresh: Journal) -> None:
        document["settings"]["window_layout"] = {"sizes": [1, 2], "note": "é"}
        portability.import_json(fresh, document)
        assert portability.export_all(fresh)["settings"]["window_layout"] == {"sizes": [1, 2], "note": "é"}

    @pytest.mark.parametrize(("raw", "message"), [
        (b'{"format": "boundary-journal-export",\n  "version": }', "is not JSON: Expecting value at line 2, column 14"),
        (b"", "is not JSON: Expecting value at line 1, column 1"),
        (b"\xff\xfe{}", "is not JSON: byte 0 is not UTF-8 text"),
        (b"[1, 2]", "is not a Boundary Journal export"),
        (b'{"format": "boundary-journal-export", "version": NaN}', "it contains NaN"),
        (b'{"format": "a", "format": "b"}', 'has the key "format" twice'),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b'{"format": "boundary-journal-export", "version": ' + b"1" * 5000 + b"}", "a number of more than"),
        (b'{"format": "boundary-journal-export", "version": 1e999}', "a number too large"),
    ])
    def test_not_an_export(self, shared_empty: Journal, catalog: Catalog, raw: bytes, message: str) -> None:
        with pytest.raises(InvalidInput) as refused:
            portability.import_json(shared_empty, raw, catalog=catalog)
        assert message in str(refused.value)

    def test_file_problems_name_the_file(self, tmp_path: Path, shared_empty: Journal) -> None:
        bad = tmp_path / "notes.json"
        bad.write_text("not json", encoding="utf-8")
        with pytest.raises(InvalidInput, match=r"The file .*notes\.json is not JSON: .* line 1, column 1"):
            portability.import_json(shared_empty, bad)
        with pytest.raises(InvalidInput, match=r"Cannot read .*missing\.json"):
            portability.import_json(shared_empty, tmp_path / "missing.json")

    def test_a_file_larger_than_an_import_reads_is_refused_unread(
        self, tmp_path: Path, shared_empty: Journal, document: dict[str, Any], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(portability, "MAX_IMPORT_BYTES", 10 * 1024)
        big = tmp_path / "big.json"
        big.write_text(json.dumps(document), encoding="utf-8")
        assert big.stat().st_size > 10 * 1024
        with pytest.raises(InvalidInput, match=r"big\.json is larger than 10 KiB"):
            portability.import_json(shared_empty, big)

    def test_a_huge_file_is_refused_by_its_size_unread(self, tmp_path: Path, shared_empty: Journal) -> None:
        huge = tmp_path / "huge.json"
        with huge.open("wb") as handle:
            handle.truncate(64 * 2**30)  # sparse: takes no room on the disk
        tracemalloc.start()
        try:
            with pytest.raises(InvalidInput, match=r"huge\.json is larger than 1 GiB"):
                portability.import_json(shared_empty, huge)
            _now, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 2**20

    def test_byte_order_mark_is_accepted(self, document: dict[str, Any], fresh: Journal) -> None:
        portability.import_json(fresh, b"\xef\xbb\xbf" + json.dumps(document).encode())
        assert _row_counts(fresh)["entries"] == 2


class TestOnlyIntoAnEmptyJournal:
    """An import never mixes with records already in a journal."""

    def test_refuses_a_journal_with_records(self, full: Journal, document: dict[str, Any]) -> None:
        before = _row_counts(full)
        with pytest.raises(InvalidInput, match=r"already holds 2 relationships, 2 entries.*new, empty journal"):
            portability.import_json(full, document)
        assert _row_counts(full) == before

    def test_a_single_self_check_counts(self, fresh: Journal, catalog: Catalog, document: dict[str, Any]) -> None:
        add_self_check(fresh, catalog, SelfCheckDraft(answers={catalog.red_flags[0].id: 0}))
        with pytest.raises(InvalidInput, match="already holds 1 self-check"):
            portability.import_json(fresh, document)

    def test_a_setting_alone_gives_way(self, fresh: Journal, document: dict[str, Any]) -> None:
        settings.set_reminder(fresh, settings.ReminderSetting(False, 0, time(9, 0)))
        portability.import_json(fresh, document)
        assert settings.get_reminder(fresh) == settings.ReminderSetting(True, 2, time(18, 15))

    def test_failed_write_removes_the_new_journal(self, document: dict[str, Any], tmp_path: Path, catalog: Catalog,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
        checked = portability.load_export(document, catalog)

        def broken(*_args: Any) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(portability, "_write", broken)
        folder = tmp_path / "new"
        with pytest.raises(OSError):
            portability.import_into_new_journal(journal_path(folder), PASSPHRASE, checked)
        assert sorted(p.name for p in folder.iterdir()) == []
