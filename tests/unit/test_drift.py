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


def kinds(journal, catalog: Catalog, as_of: datetime = NOW, *, every: bool = False) -> list[tuple[str, str | None]]:
    return [(w.kind, w.relationship) for w in active(journal, catalog, as_of, every=every)]


def active(journal, catalog: Catalog, as_of: datetime = NOW, *, every: bool = False) -> list[drift.DriftWarning]:
    """The warnings that hold; the check-in tests leave out `suggested_above` (the red flags of a check-in also
    suggest a stage, see TestSuggestedAbove) unless `every`."""
    return [w for w in drift.active_warnings(journal, catalog, as_of=as_of)
            if every or w.kind != "suggested_above"]


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

    @pytest.mark.slow
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


def conduct(journal, catalog: Catalog, day: float, *, did: tuple[str, ...] = ("personal_channel",),
            template: str = "late_night_text") -> None:
    add_entry(journal, catalog, EntryDraft(template, "Client K", START + timedelta(days=day), {
        "what_happened": "x", "documentation_note": "y"}, response_review=dict.fromkeys(did, True)))


class TestSuggestedAbove:
    """A suggestion from recent conduct above the stage the clinician set (or at 2 or more, none set) warns."""

    def test_the_rule_is_the_apps_own(self, catalog: Catalog) -> None:
        rule = catalog.warning("suggested_above")
        assert rule.own_addition and rule.title and rule.message

    def test_conduct_above_the_stage_set_warns(self, journal, catalog: Catalog) -> None:
        conduct(journal, catalog, 0, did=("shared_personal_life",))
        slope.set_stage(journal, "Client K", 1, when=START)
        assert kinds(journal, catalog, every=True) == []  # suggested 1, set 1
        conduct(journal, catalog, 2)
        [warning] = active(journal, catalog, every=True)
        assert (warning.kind, warning.relationship, warning.since) == (
            "suggested_above", "Client K", START + timedelta(days=2))
        assert warning.expires == START + timedelta(days=92)
        assert "Suggested 3 · Personal channel shift" in warning.detail and "you set 1" in warning.detail
        assert warning.message == catalog.warning("suggested_above").message

    def test_at_or_below_the_stage_set_is_quiet(self, journal, catalog: Catalog) -> None:
        conduct(journal, catalog, 2)
        slope.set_stage(journal, "Client K", 3, when=START)
        assert kinds(journal, catalog, every=True) == []

    def test_with_no_stage_set_two_or_more_warns(self, journal, catalog: Catalog) -> None:
        conduct(journal, catalog, 1, did=("shared_personal_life",))
        assert kinds(journal, catalog, every=True) == []  # suggested 1: no warning
        conduct(journal, catalog, 2, did=("extra_availability",))
        [warning] = active(journal, catalog, every=True)
        assert warning.kind == "suggested_above" and "no stage set" in warning.detail

    def test_it_expires_with_its_evidence(self, journal, catalog: Catalog) -> None:
        conduct(journal, catalog, 2)
        assert kinds(journal, catalog, as_of=START + timedelta(days=91), every=True) == [
            ("suggested_above", "Client K")]
        assert kinds(journal, catalog, as_of=START + timedelta(days=93), every=True) == []

    def test_acknowledged_it_stays_quiet_until_new_evidence(self, journal, catalog: Catalog) -> None:
        conduct(journal, catalog, 2)
        warning = drift.find_warning(journal, catalog, "suggested_above", "Client K", as_of=NOW)
        drift.acknowledge_warning(journal, warning, "Talked it through in supervision.", when=START + timedelta(3))
        assert kinds(journal, catalog, every=True) == []
        conduct(journal, catalog, 5, did=("shared_personal_life",))  # lower than the stage warned about
        assert kinds(journal, catalog, every=True) == []
        conduct(journal, catalog, 9)
        [again] = active(journal, catalog, every=True)
        assert (again.kind, again.since) == ("suggested_above", START + timedelta(days=9))


class TestAsOf:
    def test_evidence_after_the_moment_asked_about_is_not_counted(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 1, day=0)
        check(journal, catalog, 2, day=7, higher=True)
        conduct(journal, catalog, 8)
        slope.set_stage(journal, "Client K", 1, when=START + timedelta(days=9))
        slope.set_stage(journal, "Client K", 2, when=START + timedelta(days=10))
        assert kinds(journal, catalog, as_of=START + timedelta(days=3)) == []
        assert sorted(kinds(journal, catalog, as_of=START + timedelta(days=7, hours=1))) == [
            ("higher_input", "Client K"), ("score_rising", "Client K")]
        assert ("stage_up", "Client K") in kinds(journal, catalog, as_of=START + timedelta(days=11))

    def test_the_score_detail_gives_percentages(self, journal, catalog: Catalog) -> None:
        check(journal, catalog, 1, day=0)
        check(journal, catalog, 2, day=7)
        [warning] = active(journal, catalog)
        assert warning.detail.startswith("Score ") and " % → " in warning.detail and warning.detail.endswith(" %")

    def test_a_check_ins_red_flags_above_the_stage_set_warn(self, journal, catalog: Catalog) -> None:
        stage_4 = next(e.values[0] for s in catalog.slope_stages if s.number == 4 for e in s.evidence)
        conduct(journal, catalog, 0, template="gift_offered", did=())
        slope.set_stage(journal, "Client K", 2, when=START)
        selfchecks.add_self_check(journal, catalog, SelfCheckDraft(
            {stage_4: 1}, relationship="Client K", taken_at=START + timedelta(days=4)))
        [warning] = active(journal, catalog, every=True)
        assert (warning.kind, warning.since) == ("suggested_above", START + timedelta(days=4))
        assert "Suggested 4" in warning.detail and "you set 2" in warning.detail
