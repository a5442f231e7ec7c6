"""The journal against a plain in-memory model (issue 6).

A Hypothesis state machine adds, edits, deletes and searches entries, locks, unlocks and reopens the
journal, makes backups and restores them, and after every step compares what the journal lists with a
dictionary that knows nothing of SQL, encryption or files.
"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from boundary_journal.catalog import Catalog, shipped_catalog
from boundary_journal.errors import NotFound
from boundary_journal.services import entries
from boundary_journal.store import backups
from boundary_journal.store import journal as journal_module
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import create_journal, open_journal, open_with_key
from tests.conftest import PASSPHRASE

# Words with prefixes of one another, so that search's prefix matching is put to the test.
VOCABULARY = ["care", "careful", "carefully", "gift", "gifts", "text", "texted", "late", "night", "nightly",
              "phone", "portal", "client", "bed", "pine", "k"]
QUERY_WORDS = [*VOCABULARY, "car", "gif", "tex", "ni", "po", "be", "cli", "absent"]
# Pseudonyms are matched ignoring case and repeated spaces: the first spelling is the one kept.
PSEUDONYMS = ["Client K", "client  k", "Bed 4", "BED 4", "Mr Pine"]
TAGS = ["night", "Night", "urgent", "follow-up", "gift"]
TEMPLATES = ["late_night_text", "gift_offered", "phone_number_request"]
SEPARATORS = [" ", ", ", "-", ".\n", " (", "'", "  "]
# Few moments, so entries share them and the order falls back on the id.
MOMENTS = [datetime(2025, 3, day, hour, 30) for day in (2, 9) for hour in (8, 23)]


def words_text(pieces: Sequence[tuple[str, Callable[[str], str], str]]) -> str:
    return "".join(case(word) + separator for word, case, separator in pieces)


CASES: list[Callable[[str], str]] = [str.lower, str.title, str.upper]
texts = st.lists(
    st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(CASES), st.sampled_from(SEPARATORS)),
    min_size=1, max_size=6,
).map(words_text)
optional_texts = st.one_of(texts, st.sampled_from(["", "   ", "\n"]))


@st.composite
def drafts(draw: st.DrawFn) -> entries.EntryDraft:
    fields = {"what_happened": draw(texts), "documentation_note": draw(texts)}
    if draw(st.booleans()):
        fields["my_response"] = draw(optional_texts)
    return entries.EntryDraft(
        template=draw(st.sampled_from(TEMPLATES)),
        relationship=draw(st.sampled_from(PSEUDONYMS)),
        occurred=draw(st.sampled_from(MOMENTS)),
        fields=fields,
        tags=draw(st.lists(st.sampled_from(TAGS), max_size=3)),
        supervision=draw(st.booleans()),
    )


queries = st.lists(st.tuples(st.sampled_from(QUERY_WORDS), st.sampled_from(CASES)), min_size=1, max_size=3).map(
    lambda words: " ".join(case(word) for word, case in words)
)


@dataclass(frozen=True)
class ModelEntry:
    occurred: datetime
    relationship: str
    template: str
    channel: str
    fields: dict[str, str]
    tags: tuple[str, ...]
    supervision: bool


@dataclass
class Model:
    """What the journal should hold: entries by id, and each pseudonym's kept spelling by its lower case."""

    entries: dict[int, ModelEntry] = field(default_factory=dict)
    pseudonyms: dict[str, str] = field(default_factory=dict)

    def entry(self, catalog: Catalog, draft: entries.EntryDraft) -> ModelEntry:
        pseudonym = " ".join(draft.relationship.split())
        template = catalog.template(draft.template)
        assert template is not None
        tags: list[str] = []
        for tag in draft.tags:
            if tag.casefold() not in {t.casefold() for t in tags}:
                tags.append(tag)
        return ModelEntry(
            occurred=draft.occurred,
            relationship=self.pseudonyms.setdefault(pseudonym.lower(), pseudonym),
            template=draft.template,
            channel=template.default_channel,
            fields={key: text for key, text in draft.fields.items() if text.strip()},
            tags=tuple(tags),
            supervision=draft.supervision,
        )

    def listed(self) -> list[tuple[int, ModelEntry]]:
        """Newest first, then the higher id first, as list_entries and search_entries order them."""
        return sorted(self.entries.items(), key=lambda item: (item[1].occurred, item[0]), reverse=True)

    def search(self, query: str) -> list[int]:
        """A plain scan with search's rules: every query word starts some word of the entry's text
        (pseudonym, fields, tags), ignoring case; a word is a run of letters and digits."""
        wanted = [word.lower() for word in query.split()]
        found = []
        for entry_id, entry in self.listed():
            text = entries.search_text_for(entry.relationship, entry.fields, entry.tags)
            words = re.findall(r"[a-z0-9]+", text.lower())
            if all(any(word.startswith(w) for word in words) for w in wanted):
                found.append(entry_id)
        return found


def as_model(view: entries.EntryView) -> tuple[int, ModelEntry]:
    return view.id, ModelEntry(
        occurred=view.occurred, relationship=view.relationship, template=view.template, channel=view.channel,
        fields=view.fields, tags=view.tags, supervision=view.supervision,
    )


@dataclass(frozen=True)
class RememberedBackup:
    """A backup with the model as it was when the backup was made."""

    path: Path
    model: Model
    manual: bool  # manual backups are never removed; those made before a restore are thinned out


class JournalMachine(RuleBasedStateMachine):
    """One journal in a fresh folder per example, driven like the window and the CLI drive it."""

    def __init__(self, pristine: Path, catalog: Catalog) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory(prefix="boundary-journal-model-")
        data = Path(self.folder.name)
        for source in pristine.iterdir():
            shutil.copy2(source, data / source.name)
        self.path = journal_path(data)
        self.catalog = catalog
        self.journal: Journal | None = open_journal(self.path, PASSPHRASE)
        self.model = Model()
        self.backups: list[RememberedBackup] = []

    def teardown(self) -> None:
        if self.journal is not None:
            self.journal.close()
        self.folder.cleanup()

    @property
    def open(self) -> Journal:
        assert self.journal is not None
        return self.journal

    def is_open(self) -> bool:
        return self.journal is not None

    def has_entries(self) -> bool:
        return self.journal is not None and bool(self.model.entries)

    @rule(draft=drafts())
    @precondition(is_open)
    def add(self, draft: entries.EntryDraft) -> None:
        entry_id, stored = as_model(entries.add_entry(self.open, self.catalog, draft))
        assert entry_id not in self.model.entries
        self.model.entries[entry_id] = self.model.entry(self.catalog, draft)
        assert stored == self.model.entries[entry_id]

    @rule(data=st.data(), draft=drafts())
    @precondition(has_entries)
    def edit(self, data: st.DataObject, draft: entries.EntryDraft) -> None:
        entry_id = data.draw(st.sampled_from(sorted(self.model.entries)), label="entry id")
        _, stored = as_model(entries.update_entry(self.open, self.catalog, entry_id, draft))
        self.model.entries[entry_id] = self.model.entry(self.catalog, draft)
        assert stored == self.model.entries[entry_id]

    @rule(data=st.data())
    @precondition(has_entries)
    def delete(self, data: st.DataObject) -> None:
        entry_id = data.draw(st.sampled_from(sorted(self.model.entries)), label="entry id")
        entries.delete_entry(self.open, entry_id)
        del self.model.entries[entry_id]

    @rule(entry_id=st.integers(min_value=1, max_value=40), draft=drafts())
    @precondition(is_open)
    def edit_or_delete_missing(self, entry_id: int, draft: entries.EntryDraft) -> None:
        if entry_id in self.model.entries:
            return
        with pytest.raises(NotFound):
            entries.update_entry(self.open, self.catalog, entry_id, draft)
        with pytest.raises(NotFound):
            entries.delete_entry(self.open, entry_id)

    @rule(query=queries)
    @precondition(is_open)
    def search(self, query: str) -> None:
        found = [view.id for view in entries.search_entries(self.open, query)]
        assert found == self.model.search(query), query

    @rule()
    @precondition(is_open)
    def lock(self) -> None:
        self.open.close()
        assert not self.open.is_open
        self.journal = None

    @rule()
    @precondition(lambda self: self.journal is None)
    def unlock(self) -> None:
        self.journal = open_journal(self.path, PASSPHRASE)

    @rule()
    @precondition(is_open)
    def reopen(self) -> None:
        self.open.close()
        self.journal = open_journal(self.path, PASSPHRASE)

    @rule()
    @precondition(is_open)
    def backup(self) -> None:
        info = backups.make_backup(self.open)
        self.remember(RememberedBackup(info.path, copy.deepcopy(self.model), manual=True))

    def remember(self, backup: RememberedBackup) -> None:
        assert backup.path not in [b.path for b in self.backups], "a new backup replaced an earlier one"
        backups.read_info(backup.path, verify=True)
        self.backups.append(backup)
        # Forget the backups the schedule removed, so a later backup may take a freed name.
        assert all(b.path.exists() for b in self.backups if b.manual), "a manual backup was removed"
        self.backups = [b for b in self.backups if b.path.exists()]

    @rule(data=st.data())
    @precondition(lambda self: bool(self.backups))
    def restore(self, data: st.DataObject) -> None:
        chosen = data.draw(st.sampled_from(self.backups), label="backup")
        before = copy.deepcopy(self.model)
        if self.journal is not None:
            self.journal.close()
            self.journal = None
        restored = backups.restore_backup(self.path, chosen.path, PASSPHRASE)
        self.journal = open_with_key(self.path, restored.key)
        self.model = copy.deepcopy(chosen.model)
        # The journal as it was just before is kept as a backup of its own, which can be restored too.
        assert restored.previous is not None and restored.previous.suffix == backups.BACKUP_SUFFIX
        # Or a backup that already held exactly that: then it is one remembered already, holding the same.
        same = [b for b in self.backups if b.path == restored.previous]
        if same:
            assert same[0].model == before
        else:
            self.remember(RememberedBackup(restored.previous, before, manual=False))

    @invariant()
    def journal_lists_the_model(self) -> None:
        if self.journal is None:
            return
        listed = [as_model(view) for view in entries.list_entries(self.journal)]
        assert listed == self.model.listed()


class TestSearchIndex:
    """Search forgets what was deleted, however long it was."""

    def test_a_deleted_long_entry_is_not_found(self, journal: Journal, catalog: Catalog) -> None:
        def draft(text: str) -> entries.EntryDraft:
            return entries.EntryDraft("late_night_text", "Client K", MOMENTS[0],
                                      {"what_happened": text, "documentation_note": "Noted."})

        first = entries.add_entry(journal, catalog, draft("Asked about my weekend"))
        entries.update_entry(journal, catalog, first.id, draft(" ".join(["weekend"] * 3000)))  # a long paste
        entries.delete_entry(journal, first.id)
        second = entries.add_entry(journal, catalog, draft("Thanked me for the session"))
        assert second.id == first.id  # the id of the last entry is free again
        assert entries.search_entries(journal, "weekend") == []
        assert journal_module.integrity_problems(journal) == []  # includes FTS5's check against the entries

    def test_deleted_words_leave_the_index_at_once(self, journal: Journal, catalog: Catalog) -> None:
        draft = entries.EntryDraft("late_night_text", "Client K", MOMENTS[0],
                                   {"what_happened": "zanzibarian quixotry", "documentation_note": "Noted."})
        kept = entries.add_entry(journal, catalog, draft)
        gone = entries.add_entry(journal, catalog, replace(draft, fields={**draft.fields, "what_happened": "rutabaga"}))
        entries.delete_entry(journal, gone.id)
        with journal.engine.connect() as conn:
            blocks = b"".join(row[0] or b"" for row in conn.exec_driver_sql("SELECT block FROM entries_fts_data"))
        assert b"rutabaga" not in blocks and b"zanzibarian" in blocks
        assert [v.id for v in entries.search_entries(journal, "zanzibarian")] == [kept.id]


@pytest.fixture
def pristine(tmp_path: Path) -> Path:
    """An empty journal made once (with the cheap key derivation) and copied into each example's folder."""
    folder = tmp_path / "pristine"
    create_journal(journal_path(folder), PASSPHRASE).close()
    return folder


@pytest.mark.slow
def test_journal_behaves_like_the_model(pristine: Path) -> None:
    catalog = shipped_catalog()
    run_state_machine_as_test(
        lambda: JournalMachine(pristine, catalog),
        settings=settings(
            max_examples=25, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        ),
    )
