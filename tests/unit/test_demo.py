"""The sample journal: the same seed gives the same journal, it covers the catalogue and the years, it reads back
through the services like typed entries do, and it is only ever made in an empty journal, marked as sample data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from boundary_journal.catalog import Catalog, shipped_catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.services import actions, demo, entries, relationships, selfchecks, slope, weekly
from boundary_journal.services.entries import EntryDraft
from boundary_journal.store.journal import Journal
from boundary_journal.store.paths import journal_path
from boundary_journal.store.storage import create_journal
from tests.conftest import PASSPHRASE

TODAY = date(2026, 11, 23)


@pytest.fixture
def other_journal(tmp_path: Path) -> Iterator[Journal]:
    folder = tmp_path / "other"
    folder.mkdir()
    opened = create_journal(journal_path(folder), PASSPHRASE)
    try:
        yield opened
    finally:
        opened.close()


def everything(journal: Journal, catalog: Catalog) -> str:
    """All a sample journal holds, as the services show it, in one comparable string."""
    return json.dumps({
        "entries": [e.to_json() for e in entries.list_entries(journal)],
        "relationships": [s.to_json() for s in slope.relationship_statuses(journal, catalog)],
        "checks": [c.to_json() for c in selfchecks.list_self_checks(journal, catalog)],
        "exercises": [e.to_json() for e in weekly.list_exercises(journal)],
        "actions": [a.to_json(TODAY) for a in actions.list_actions(journal)],
        "stages": {r.pseudonym: [c.to_json() for c in slope.stage_history(journal, r.pseudonym)]
                   for r in relationships.list_relationships(journal)},
    }, sort_keys=True)


class TestDeterminism:
    """A seed and a size always give the same journal; another seed gives another."""

    @pytest.mark.slow
    def test_same_seed_same_journal(self, journal: Journal, other_journal: Journal, catalog: Catalog) -> None:
        first = demo.fill_sample_journal(journal, catalog, entries=300, seed=7)
        second = demo.fill_sample_journal(other_journal, catalog, entries=300, seed=7)
        assert first == second
        assert everything(journal, catalog) == everything(other_journal, catalog)

    def test_different_seeds_differ(self, journal: Journal, other_journal: Journal, catalog: Catalog) -> None:
        demo.fill_sample_journal(journal, catalog, entries=300, seed=1)
        demo.fill_sample_journal(other_journal, catalog, entries=300, seed=2)
        one, two = entries.list_entries(journal), entries.list_entries(other_journal)
        assert [e.fields for e in one] != [e.fields for e in two]
        assert {e.relationship for e in one} != {e.relationship for e in two}


class TestContent:
    """Years of entries across the catalogue, with everything that goes around them."""

    @pytest.fixture(scope="class")
    @classmethod
    def sampled(cls, class_journal: Journal) -> tuple[demo.SampleSummary, Journal]:
        """1,500 entries written once for the class (the tests that use them only read), and their journal."""
        return demo.fill_sample_journal(class_journal, shipped_catalog(), entries=1_500, seed=3), class_journal

    def test_entries_cover_templates_categories_channels_and_years(
        self, sampled: tuple[demo.SampleSummary, Journal], catalog: Catalog
    ) -> None:
        sample, journal = sampled
        found = entries.list_entries(journal)
        assert len(found) == sample.entries == entries.count_entries(journal) == 1_500
        assert len({e.template for e in found}) >= len(catalog.templates) - 2
        assert len({e.category for e in found}) >= len(catalog.categories) - 1
        assert len({e.channel for e in found}) >= 5
        years = {e.occurred.year for e in found}
        assert len(years) >= 3 and max(years) == demo.LAST_DAY.year
        assert max(e.occurred for e in found) <= datetime.combine(demo.LAST_DAY, datetime.max.time())
        assert sample.first_day == min(e.occurred.date() for e in found)
        assert 0.03 < sum(e.supervision for e in found) / len(found) < 0.5
        assert any(e.tags for e in found) and any(e.flow for e in found) and any(e.response_review for e in found)
        assert any(e.occurred.hour >= 19 for e in found)  # after-hours moments, which the slope counts

    @pytest.mark.slow
    def test_suggested_stages_are_plausible_and_come_with_reasons(self, journal: Journal, catalog: Catalog) -> None:
        demo.fill_sample_journal(journal, catalog, entries=3_000, seed=demo.DEFAULT_SEED)
        end = datetime.combine(demo.LAST_DAY, datetime.max.time()).replace(microsecond=0)
        statuses = slope.relationship_statuses(journal, catalog, as_of=end)
        suggested = [s.suggestion.stage for s in statuses]
        # Most relationships: no stage, or the first two; a few show real drift of the clinician's own.
        assert sum(1 for stage in suggested if stage is None or stage <= 2) >= 0.8 * len(statuses)
        high = [s for s in statuses if (s.suggestion.stage or 0) >= 3]
        assert 1 <= len(high) <= 0.15 * len(statuses)
        for status in high:
            assert any(r.stage == status.suggestion.stage for r in status.suggestion.reasons)
        assert any(s.suggestion.held for s in statuses)  # requests held by the book count in favour
        everything = entries.list_entries(journal)
        own = {m.id for m in catalog.response_moves if m.kind == "conduct"}
        assert 0 < sum(1 for e in everything if own & set(e.response_review)) < 0.1 * len(everything)

    def test_about_two_entries_per_working_day(self, sampled: tuple[demo.SampleSummary, Journal]) -> None:
        sample, journal = sampled
        days = {e.occurred.date() for e in entries.list_entries(journal)}
        assert 1.5 < sample.entries / len(days) < 3

    def test_pseudonyms_are_made_up_and_many(self, sampled: tuple[demo.SampleSummary, Journal]) -> None:
        sample, journal = sampled
        names = [r.pseudonym for r in relationships.list_relationships(journal)]
        assert 40 <= len(names) == sample.relationships <= 200
        prefixes = ("Client ", "Bed ", "Patient ", "Resident ", "Student ", "Caller ", "Parent of ", "Youth ")
        assert all(name.startswith(prefixes) for name in names)

    def test_self_checks_stages_exercises_and_actions(
        self, sampled: tuple[demo.SampleSummary, Journal], catalog: Catalog
    ) -> None:
        sample, journal = sampled
        checks = selfchecks.list_self_checks(journal, catalog)
        assert len(checks) == sample.self_checks > 20
        assert any(c.relationship is None for c in checks) and any(c.relationship for c in checks)
        assert any(c.score.points for c in checks)
        statuses = slope.relationship_statuses(journal, catalog)
        assert sum(1 for s in statuses if s.stage is not None) > 0
        exercises = weekly.list_exercises(journal)
        assert len(exercises) == sample.exercises > 20
        assert {e.outcome for e in exercises} >= {"done", "partly", "not_done", None}
        for exercise in exercises:
            assert exercise.week.contains(exercise.on)
            assert weekly.clean_unease(exercise.unease) == exercise.unease
        listed = actions.list_actions(journal)
        assert len(listed) == sample.actions
        assert {a.origin for a in listed} == {"entry", "exercise", "self_check"}
        by_id = {a.id: a for a in listed}
        for exercise in exercises:
            linked = by_id[exercise.action_id]
            assert linked.origin == "exercise" and (linked.done_at is not None) == (exercise.outcome is not None)
        assert weekly.streak(journal, demo.LAST_DAY) >= 0

    def test_stored_entries_pass_the_editor_checks_unchanged(
        self, sampled: tuple[demo.SampleSummary, Journal], catalog: Catalog
    ) -> None:
        """Only the first entry of each template is validated while filling; every other one would pass too."""
        _sample, journal = sampled
        for view in entries.list_entries(journal)[::7]:
            draft = EntryDraft(view.template, view.relationship, view.occurred, dict(view.fields), view.channel,
                               view.tags, view.supervision, view.flow, view.response_review)
            checked = entries.validate_draft(catalog, draft)
            assert (checked.fields, checked.tags, checked.category) == (view.fields, list(view.tags), view.category)
            assert "[" not in view.fields["documentation_note"]  # the catalogue's placeholders are filled in


class TestSearch:
    """The full-text index is built for the sample and stays in step afterwards."""

    @pytest.mark.slow
    def test_search_finds_what_a_plain_scan_finds(self, journal: Journal, catalog: Catalog) -> None:
        demo.fill_sample_journal(journal, catalog, entries=400, seed=5)
        stored = entries.list_entries(journal)
        for word in ("phone", "gift", "supervision", "corridor", "chocolates", "zanzibar"):
            # What the index matches: a word starting with the typed letters, any case.
            starts = re.compile(rf"(?<![^\W_]){re.escape(word)}", re.IGNORECASE)
            scanned = {e.id for e in stored if starts.search(entries.search_text_for(e.relationship, e.fields, e.tags))}
            found = [e.id for e in entries.search_entries(journal, word)]
            assert len(found) == len(scanned) and set(found) == scanned, word

    def test_entries_added_afterwards_are_indexed(self, journal: Journal, catalog: Catalog) -> None:
        demo.fill_sample_journal(journal, catalog, entries=50, seed=5)
        added = entries.add_entry(journal, catalog, EntryDraft(
            "gift_offered", "Client Q1", datetime(2026, 11, 2, 10, 0),
            {"what_happened": "A pomegranate.", "documentation_note": "Gift declined with thanks."},
        ))
        assert [e.id for e in entries.search_entries(journal, "pomegranate")] == [added.id]


class TestMarkedAndRefused:
    """A sample journal says it is one; a journal that holds anything is never filled."""

    def test_marked_as_sample(self, journal: Journal, catalog: Catalog) -> None:
        assert not demo.is_sample(journal) and demo.sample_info(journal) is None
        demo.fill_sample_journal(journal, catalog, entries=20, seed=9)
        assert demo.is_sample(journal)
        assert demo.sample_info(journal) == demo.SampleInfo(seed=9, entries=20)

    def test_refuses_a_journal_with_entries(self, journal: Journal, catalog: Catalog) -> None:
        entries.add_entry(journal, catalog, EntryDraft(
            "gift_offered", "Client K", datetime(2026, 3, 2, 10, 0),
            {"what_happened": "Flowers.", "documentation_note": "Declined with thanks."},
        ))
        with pytest.raises(InvalidInput, match="only ever made in a new, empty journal"):
            demo.fill_sample_journal(journal, catalog, entries=20)
        assert entries.count_entries(journal) == 1
        assert not demo.is_sample(journal)
        assert [r.pseudonym for r in relationships.list_relationships(journal)] == ["Client K"]

    def test_refuses_a_second_fill(self, journal: Journal, catalog: Catalog) -> None:
        demo.fill_sample_journal(journal, catalog, entries=20)
        with pytest.raises(InvalidInput):
            demo.fill_sample_journal(journal, catalog, entries=20)
        assert entries.count_entries(journal) == 20

    @pytest.mark.parametrize("count", [0, -1, demo.MAX_ENTRIES + 1])
    def test_size_bounds(self, journal: Journal, catalog: Catalog, count: int) -> None:
        with pytest.raises(InvalidInput, match="from 1 to 1,000,000 entries"):
            demo.fill_sample_journal(journal, catalog, entries=count)
        assert not demo.is_sample(journal)

    def test_one_entry(self, journal: Journal, catalog: Catalog) -> None:
        summary = demo.fill_sample_journal(journal, catalog, entries=1)
        assert entries.count_entries(journal) == summary.entries == 1
