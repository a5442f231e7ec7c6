"""Self-checks: scored by the catalogue's rules, stored per relationship or overall."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.services import actions, selfchecks
from boundary_journal.services.selfchecks import SelfCheckDraft


def item(catalog: Catalog, group: str, index: int = 0) -> str:
    return [f.id for f in catalog.red_flags if f.group == group][index]


class TestScore:
    """Points are level x group weight; the maximum is every item answered at the top level."""

    def test_nothing_ticked_scores_zero(self, catalog: Catalog) -> None:
        result = selfchecks.score(catalog, {})
        assert (result.points, result.percent) == (0, 0)
        assert result.maximum > 0

    def test_weights_come_from_the_catalogue(self, catalog: Catalog) -> None:
        weights = {w.group: w.points for w in catalog.weights}
        slope, higher = item(catalog, "slope"), item(catalog, "higher_input")
        assert selfchecks.score(catalog, {slope: 2}).points == 2 * weights["slope"]
        assert selfchecks.score(catalog, {slope: 1, higher: 1}).points == weights["slope"] + weights["higher_input"]

    def test_everything_clearly_is_one_hundred(self, catalog: Catalog) -> None:
        assert selfchecks.score(catalog, {f.id: 2 for f in catalog.red_flags}).percent == 100


class TestAdd:
    def test_stored_and_listed_in_date_order(self, journal, catalog: Catalog) -> None:
        slope = item(catalog, "slope")
        later, _ = selfchecks.add_self_check(journal, catalog, SelfCheckDraft(
            {slope: 2}, relationship="Client K", taken_at=datetime(2026, 3, 9, 18, 0), note="<b>& Ωμέγα",
            context="tired week", item_notes={slope: "thought of her at home"}))
        earlier, _ = selfchecks.add_self_check(journal, catalog, SelfCheckDraft(
            {slope: 1}, relationship="client k", taken_at=datetime(2026, 3, 2, 18, 0)))
        overall, _ = selfchecks.add_self_check(journal, catalog, SelfCheckDraft({slope: 0}))
        listed = selfchecks.list_self_checks(journal, catalog, relationship="Client K")
        assert [c.id for c in listed] == [earlier.id, later.id]
        assert listed[1].note == "<b>& Ωμέγα" and listed[1].context == "tired week"
        assert listed[1].item_notes == {slope: "thought of her at home"}
        assert [c.id for c in selfchecks.list_self_checks(journal, catalog, overall=True)] == [overall.id]
        assert len(selfchecks.list_self_checks(journal, catalog)) == 3

    @pytest.mark.slow
    def test_listed_for_a_period_of_whole_days(self, journal, catalog: Catalog) -> None:
        slope = item(catalog, "slope")
        taken = {}
        for when, who in [(datetime(2026, 9, 30, 23, 59), "Client K"), (datetime(2026, 10, 1, 0, 0), "Client K"),
                          (datetime(2026, 10, 31, 23, 59), None), (datetime(2026, 11, 1, 0, 0), "Client K")]:
            view, _ = selfchecks.add_self_check(journal, catalog, SelfCheckDraft({slope: 1}, relationship=who,
                                                                                  taken_at=when))
            taken[when] = view.id
        october = {"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)}
        listed = selfchecks.list_self_checks(journal, catalog, **october)
        assert [c.taken_at for c in listed] == [datetime(2026, 10, 1, 0, 0), datetime(2026, 10, 31, 23, 59)]
        every = selfchecks.list_self_checks(journal, catalog)
        assert listed == [c for c in every if date(2026, 10, 1) <= c.taken_at.date() <= date(2026, 10, 31)]
        client_k = selfchecks.list_self_checks(journal, catalog, relationship="Client K", **october)
        assert [c.id for c in client_k] == [taken[datetime(2026, 10, 1, 0, 0)]]
        since = selfchecks.list_self_checks(journal, catalog, date_from=date(2026, 10, 31))
        assert [c.taken_at.date() for c in since] == [date(2026, 10, 31), date(2026, 11, 1)]

    def test_higher_input_item_opens_an_action(self, journal, catalog: Catalog) -> None:
        higher = item(catalog, "higher_input")
        view, action = selfchecks.add_self_check(journal, catalog, SelfCheckDraft({higher: 1}, relationship="Bed 4"))
        assert view.higher_input == (higher,)
        assert action is not None and action.origin == "self_check" and action.origin_id == view.id
        assert "Bed 4" in action.text and "{relationship}" not in action.text
        assert [a.id for a in actions.list_actions(journal, open_only=True)] == [action.id]

    def test_no_action_without_a_higher_input_item(self, journal, catalog: Catalog) -> None:
        _, action = selfchecks.add_self_check(journal, catalog, SelfCheckDraft({item(catalog, "slope"): 2}))
        assert action is None and actions.list_actions(journal) == []

    @pytest.mark.parametrize(
        ("answers", "message"),
        [
            ({"no_such_item": 1}, "no red-flag item 'no_such_item'"),
            ({"__slope__": 3}, "0 \\(not at all\\), 1 \\(somewhat\\) or 2"),
            ({"__slope__": True}, "0 \\(not at all\\)"),
            ({}, "at least one"),
        ],
    )
    def test_bad_answers(self, journal, catalog: Catalog, answers: dict, message: str) -> None:
        answers = {(item(catalog, "slope") if k == "__slope__" else k): v for k, v in answers.items()}
        with pytest.raises(InvalidInput, match=message):
            selfchecks.add_self_check(journal, catalog, SelfCheckDraft(answers))
        assert selfchecks.list_self_checks(journal, catalog) == []

    def test_absurd_date(self, journal, catalog: Catalog) -> None:
        with pytest.raises(InvalidInput, match="in the future"):
            selfchecks.add_self_check(journal, catalog, SelfCheckDraft(
                {item(catalog, "slope"): 1}, taken_at=datetime(2999, 1, 1)))
