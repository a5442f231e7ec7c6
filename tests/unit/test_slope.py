"""Slope stages: set by the clinician, suggested from the evidence with reasons."""

from __future__ import annotations

from datetime import datetime

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.services import selfchecks, slope
from boundary_journal.services.entries import EntryDraft, add_entry


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
