"""Warnings computed from stored check-ins and stage changes, with their boundary cases."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.services import drift, selfchecks, slope
from boundary_journal.services.entries import EntryDraft, add_entry
from boundary_journal.services.selfchecks import SelfCheckDraft

START = datetime(2026, 3, 1, 18, 0)
NOW = START + timedelta(days=30)  # warnings are worked out as of this moment


def check(journal, catalog: Catalog, points: int, *, relationship: str | None = "Client K", day: int = 0,
          higher: bool = False) -> None:
    slope_items = [f.id for f in catalog.red_flags if f.group == "slope"]
    answers = {slope_items[i]: 1 for i in range(points)}
    if higher:
        answers[next(f.id for f in catalog.red_flags if f.warrants_higher_input)] = 1
    selfchecks.add_self_check(journal, catalog, SelfCheckDraft(
        answers or {slope_items[0]: 0}, relationship=relationship, taken_at=START + timedelta(days=day)))


def kinds(journal, catalog: Catalog, as_of: datetime = NOW) -> list[tuple[str, str | None]]:
    return [(w.kind, w.relationship) for w in drift.active_warnings(journal, catalog, as_of=as_of)]


def active(journal, catalog: Catalog, as_of: datetime = NOW) -> list[drift.DriftWarning]:
    return drift.active_warnings(journal, catalog, as_of=as_of)


class TestScoreRising:
    def test_first_check_in_gives_no_warning(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 3)
        assert kinds(journal, catalog) == []

    def test_a_rise_warns(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 1, day=0)
        check(journal, catalog, 2, day=7)
        [warning] = active(journal, catalog)
        assert (warning.kind, warning.relationship) == ("score_rising", "Client K")
        assert warning.since == START + timedelta(days=7)
        assert warning.message == catalog.warning("score_rising").message

    def test_equal_scores_do_not_warn(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 2, day=0)
        check(journal, catalog, 2, day=7)
        assert kinds(journal, catalog) == []

    def test_a_fall_clears_it(self, journal, catalog: Catalog) -> None:
        for day, points in ((0, 1), (7, 3), (14, 2)):
            check(journal, catalog, points, day=day)
        assert kinds(journal, catalog) == []

    def test_scopes_are_separate(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 1, relationship="Client K", day=0)
        check(journal, catalog, 3, relationship=None, day=3)
        check(journal, catalog, 2, relationship="Bed 4", day=5)
        assert kinds(journal, catalog) == []
        check(journal, catalog, 4, relationship=None, day=9)
        assert kinds(journal, catalog) == [("score_rising", None)]

    def test_order_is_by_date_not_by_entry(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 3, day=7)
        check(journal, catalog, 1, day=0)  # entered later, happened earlier
        assert kinds(journal, catalog) == [("score_rising", "Client K")]


class TestHigherInput:
    def test_ticked_item_warns_with_the_phrase(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 0, higher=True)
        [warning] = active(journal, catalog)
        assert warning.kind == "higher_input"
        assert "this warrants supervision or ethics input" in warning.message
        assert warning.detail

    def test_only_the_latest_check_in_counts(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 0, higher=True, day=0)
        check(journal, catalog, 0, day=7)
        assert kinds(journal, catalog) == []


class TestStageUp:
    def add_relationship(self, journal, catalog: Catalog) -> None:
        add_entry(journal, catalog, EntryDraft("gift_offered", "Client K", START, {
            "what_happened": "x", "documentation_note": "y"}))

    def test_first_stage_is_not_a_move(self, journal, catalog: Catalog) -> None:
        self.add_relationship(journal, catalog)
        slope.set_stage(journal, "Client K", 3, when=START)
        assert kinds(journal, catalog) == []

    def test_moving_up_warns_and_moving_down_clears(self, journal, catalog: Catalog) -> None:
        self.add_relationship(journal, catalog)
        slope.set_stage(journal, "Client K", 1, when=START)
        slope.set_stage(journal, "Client K", 2, when=START + timedelta(days=1))
        [warning] = active(journal, catalog)
        assert (warning.kind, warning.relationship) == ("stage_up", "Client K")
        assert "1" in warning.detail and "2" in warning.detail
        slope.set_stage(journal, "client k", 1, when=START + timedelta(days=2))
        assert kinds(journal, catalog) == []


class TestExpiry:
    """A warning lasts as long as its evidence is inside the window (90 days as shipped)."""

    def test_a_warning_older_than_the_window_expires(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 1, day=0)
        check(journal, catalog, 2, day=7, higher=True)
        last = START + timedelta(days=7)
        [warning, _rising] = active(journal, catalog, as_of=last + timedelta(days=89))
        assert warning.expires == last + timedelta(days=90)
        assert kinds(journal, catalog, as_of=last + timedelta(days=91)) == []

    def test_a_relationship_quiet_for_months_stops_warning(self, journal, catalog: Catalog) -> None:
        add_entry(journal, catalog, EntryDraft("gift_offered", "Client K", START, {
            "what_happened": "x", "documentation_note": "y"}))
        slope.set_stage(journal, "Client K", 1, when=START)
        slope.set_stage(journal, "Client K", 3, when=START + timedelta(days=1))
        assert kinds(journal, catalog) == [("stage_up", "Client K")]
        assert kinds(journal, catalog, as_of=START + timedelta(days=200)) == []


class TestAcknowledge:
    def test_a_warning_acknowledged_stays_quiet_until_new_evidence(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 0, higher=True, day=0)
        [warning] = active(journal, catalog)
        acked = drift.acknowledge_warning(journal, warning, "Raised with Dr B on Tuesday; plan agreed.",
                                          when=START + timedelta(days=1))
        assert acked.acknowledged and acked.ack_note == "Raised with Dr B on Tuesday; plan agreed."
        assert active(journal, catalog) == []
        [kept] = drift.all_warnings(journal, catalog, as_of=NOW)
        assert kept.acknowledged and kept.to_json()["acknowledged"]["note"].startswith("Raised with Dr B")
        # A calmer check-in, then the item ticked again: new evidence, so it warns again.
        check(journal, catalog, 0, day=7)
        check(journal, catalog, 0, higher=True, day=14)
        [again] = [w for w in active(journal, catalog) if w.kind == "higher_input"]
        assert (again.kind, again.since, again.acknowledged) == ("higher_input", START + timedelta(days=14), False)

    def test_one_acknowledgement_quiets_only_its_own_warning(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 0, higher=True, relationship="Client K")
        check(journal, catalog, 0, higher=True, relationship="Bed 4")
        check(journal, catalog, 0, higher=True, relationship=None)
        warning = drift.find_warning(journal, catalog, "higher_input", "client k", as_of=NOW)
        drift.acknowledge_warning(journal, warning, "seen")
        assert kinds(journal, catalog) == [("higher_input", None), ("higher_input", "Bed 4")]
        overall = drift.find_warning(journal, catalog, "higher_input", None, as_of=NOW)
        drift.acknowledge_warning(journal, overall, "seen too")
        assert kinds(journal, catalog) == [("higher_input", "Bed 4")]

    def test_a_note_is_needed_and_a_warning_must_hold(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 0, higher=True)
        [warning] = active(journal, catalog)
        with pytest.raises(InvalidInput, match="why"):
            drift.acknowledge_warning(journal, warning, "   ")
        with pytest.raises(InvalidInput, match="No 'stage_up' warning"):
            drift.find_warning(journal, catalog, "stage_up", "Client K", as_of=NOW)
        with pytest.raises(InvalidInput, match="not a kind of warning"):
            drift.find_warning(journal, catalog, "loud", "Client K", as_of=NOW)
