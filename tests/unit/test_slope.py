"""Slope stages: set by the clinician, suggested from the evidence with reasons."""

from __future__ import annotations

from datetime import datetime

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.services import selfchecks, slope
from boundary_journal.services.entries import EntryDraft, EntryFilter, add_entry, list_entries
from boundary_journal.services.relationships import get_or_create_relationship


def log(journal, catalog: Catalog, template: str, *, channel: str | None = None,
        when: datetime = datetime(2026, 3, 2, 14, 0), who: str = "Client K") -> None:
    add_entry(journal, catalog, EntryDraft(template, who, when, {"what_happened": "x", "documentation_note": "y"},
                                           channel=channel))


class TestSuggestion:
    def test_no_evidence_no_suggestion(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "referral_to_official_channels", channel="clinic_portal")
        suggestion = slope.suggest_stage(journal, catalog, "Client K")
        assert suggestion.stage is None and suggestion.reasons == ()

    def test_personal_channel_suggests_at_least_stage_three(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "personal_question", channel="text_message")
        log(journal, catalog, "personal_question", channel="social_dm")
        suggestion = slope.suggest_stage(journal, catalog, "Client K")
        assert suggestion.stage is not None and suggestion.stage >= 3
        [personal] = [r for r in suggestion.reasons if r.stage == 3 and r.count == 2]
        assert personal.reason

    def test_after_hours_entries(self, journal, catalog: Catalog) -> None:
        after = next(e for s in catalog.slope_stages for e in s.evidence if e.kind == "after_hours")
        log(journal, catalog, "personal_question", channel="in_person", when=datetime(2026, 3, 2, 23, 30))
        suggestion = slope.suggest_stage(journal, catalog, "Client K")
        assert after.reason in [r.reason for r in suggestion.reasons]

    def test_red_flags_of_the_latest_check_in(self, journal, catalog: Catalog) -> None:
        stage, evidence = next((s, e) for s in catalog.slope_stages for e in s.evidence if e.kind == "red_flag")
        log(journal, catalog, "referral_to_official_channels", channel="clinic_portal")
        selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
            {evidence.values[0]: 2}, relationship="Client K"))
        suggestion = slope.suggest_stage(journal, catalog, "Client K")
        assert (stage.number, evidence.reason) in [(r.stage, r.reason) for r in suggestion.reasons]

    def test_statuses_list_stage_and_suggestion(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "personal_question", channel="text_message")
        log(journal, catalog, "gift_offered", who="Bed 4")
        slope.set_stage(journal, "Client K", 2)
        statuses = {s.pseudonym: s for s in slope.relationship_statuses(journal, catalog)}
        assert statuses["Client K"].stage == 2 and statuses["Client K"].entry_count == 1
        assert statuses["Client K"].suggestion.stage >= 3
        assert statuses["Bed 4"].stage is None


class TestSetStage:
    def test_history_in_order(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "gift_offered")
        slope.set_stage(journal, "Client K", 1, note="first", when=datetime(2026, 3, 1))
        slope.set_stage(journal, "Client K", 3, when=datetime(2026, 3, 8))
        assert [(c.stage, c.note) for c in slope.stage_history(journal, "Client K")] == [(1, "first"), (3, "")]

    @pytest.mark.parametrize("stage", [0, 6, True, "3"])
    def test_out_of_range(self, journal, catalog: Catalog, stage) -> None:
        log(journal, catalog, "gift_offered")
        with pytest.raises(InvalidInput, match="1 to 5"):
            slope.set_stage(journal, "Client K", stage)

    def test_unknown_relationship(self, journal) -> None:
        with pytest.raises(NotFound, match="Nobody"):
            slope.set_stage(journal, "Nobody", 2)


def counted_one_by_one(journal, catalog: Catalog, pseudonym: str) -> slope.StageSuggestion:
    """The suggestion worked out the plain way: every entry and the latest check-in, one at a time."""
    stored = list_entries(journal, EntryFilter(relationship=pseudonym))
    checks = selfchecks.list_self_checks(journal, catalog, relationship=pseudonym)
    latest = max(checks, key=lambda c: (c.taken_at, c.id), default=None)
    ticked = {item for item, level in (latest.answers if latest else {}).items() if level > 0}

    def matches(evidence, entry) -> bool:
        if evidence.kind == "category":
            return entry.category in evidence.values
        if evidence.kind == "channel":
            return entry.channel in evidence.values
        if evidence.kind == "after_hours":
            hour, start, end = entry.occurred.hour, evidence.from_hour, evidence.to_hour
            return (hour >= start or hour < end) if start > end else start <= hour < end
        return False

    reasons = []
    for stage in catalog.slope_stages:
        for evidence in stage.evidence:
            if evidence.kind == "red_flag":
                count = len(ticked & set(evidence.values))
            else:
                count = sum(1 for entry in stored if matches(evidence, entry))
            if count:
                reasons.append(slope.StageReason(stage.number, evidence.reason, count))
    return slope.StageSuggestion(max((r.stage for r in reasons), default=None),
                                 tuple(sorted(reasons, key=lambda r: -r.stage)))


class TestSuggestionsAtOnce:
    """Many relationships' suggestions in a few queries are the same as counting each entry one by one."""

    @pytest.fixture
    def several(self, journal, catalog: Catalog) -> list[str]:
        after = next(e for s in catalog.slope_stages for e in s.evidence if e.kind == "after_hours")
        start, end = after.from_hour, after.to_hour
        assert start is not None and end is not None
        edges = [(start - 1, 59), (start, 0), (23, 59), (0, 0), (end - 1, 59), (end, 0), (12, 0)]
        templates = ["personal_question", "gift_offered", "late_night_text", "referral_to_official_channels"]
        channels = ["in_person", "text_message", "clinic_portal", "social_dm"]
        names = ["Client K", "Bed 4", "Ärztin Ö", "Mr Quiet", "Room 9", "Client Z", "Only checked", "Nothing"]
        for index, who in enumerate(names[:6]):
            for number, (hour, minute) in enumerate(edges[: index + 2]):
                log(journal, catalog, templates[(index + number) % 4], channel=channels[(index * number) % 4],
                    when=datetime(2026, 3, 2 + number, hour, minute), who=who)
        flags = [e.values[0] for s in catalog.slope_stages for e in s.evidence if e.kind == "red_flag"]
        for when, who, answers in [
            (datetime(2026, 3, 1, 9), "Client K", {flags[-1]: 2}),
            (datetime(2026, 3, 8, 9), "Client K", {flags[0]: 1}),  # the latest counts
            (datetime(2026, 3, 8, 9), "Bed 4", {flags[1]: 2}),
            (datetime(2026, 3, 8, 9), "Bed 4", {flags[2]: 1}),  # same minute: the later one counts
            (datetime(2026, 3, 8, 9), "Only checked", {flags[-1]: 1}),
            (datetime(2026, 3, 9, 9), None, {flags[-1]: 2}),  # overall: about no relationship
        ]:
            selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
                answers, relationship=who, taken_at=when))
        with journal.transaction() as session:
            get_or_create_relationship(session, "Nothing")
        return names

    def test_each_relationship_alone(self, journal, catalog: Catalog, several: list[str]) -> None:
        for pseudonym in several:
            assert slope.suggest_stage(journal, catalog, pseudonym) == counted_one_by_one(journal, catalog, pseudonym)

    def test_all_at_once(self, journal, catalog: Catalog, several: list[str]) -> None:
        found = slope.suggest_stages(journal, catalog, several)
        assert found == {p: counted_one_by_one(journal, catalog, p) for p in several}
        assert list(found) == [s.pseudonym for s in slope.relationship_statuses(journal, catalog)]
        assert any(s.reasons for s in found.values()) and found["Nothing"] == slope.StageSuggestion(None, ())

    def test_a_few_of_many(self, journal, catalog: Catalog, several: list[str]) -> None:
        found = slope.suggest_stages(journal, catalog, ["bed 4", "Nobody at all"])
        assert found == {"Bed 4": counted_one_by_one(journal, catalog, "Bed 4")}
        assert slope.suggest_stages(journal, catalog, []) == {}

    def test_statuses_carry_the_same_suggestions(self, journal, catalog: Catalog, several: list[str]) -> None:
        for status in slope.relationship_statuses(journal, catalog):
            assert status.suggestion == counted_one_by_one(journal, catalog, status.pseudonym)

    def test_every_history_at_once(self, journal, catalog: Catalog, several: list[str]) -> None:
        slope.set_stage(journal, "Client K", 3, note="later", when=datetime(2026, 3, 9))
        slope.set_stage(journal, "Client K", 1, note="earlier", when=datetime(2026, 3, 1))
        slope.set_stage(journal, "Bed 4", 2, when=datetime(2026, 3, 5))
        histories = slope.stage_histories(journal)
        assert histories == {p: slope.stage_history(journal, p) for p in ("Client K", "Bed 4")}
        assert [c.note for c in histories["Client K"]] == ["earlier", "later"]
