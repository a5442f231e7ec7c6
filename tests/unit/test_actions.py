"""Actions: created from exercises, entries and warnings; open, due, overdue, done."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.services import actions
from boundary_journal.services.entries import EntryDraft, add_entry

TODAY = date(2026, 11, 25)


def make(journal, text: str, due_on: date | None = None) -> actions.ActionView:
    with journal.transaction() as session:
        return actions.create_action(session, text, origin="manual", due_on=due_on)


@pytest.mark.parametrize(
    ("due_on", "status"),
    [(None, "open"), (date(2026, 11, 26), "open"), (TODAY, "due"), (date(2026, 11, 24), "overdue")],
)
def test_status(journal, due_on: date | None, status: str) -> None:
    assert make(journal, "Book supervision", due_on).status(TODAY) == status


def test_done_with_outcome_and_listed_after_open_ones(journal) -> None:
    first = make(journal, "first")
    second = make(journal, "second")
    done = actions.complete_action(journal, first.id, "Talked it through <b>&</b>")
    assert done.status(TODAY) == "done" and done.outcome == "Talked it through <b>&</b>"
    assert [a.id for a in actions.list_actions(journal)] == [second.id, first.id]
    assert [a.id for a in actions.list_actions(journal, open_only=True)] == [second.id]
    assert done.to_json(TODAY)["status"] == "done"


def test_unknown_action(journal) -> None:
    with pytest.raises(NotFound, match="no action with id 99"):
        actions.complete_action(journal, 99)


def test_empty_action_is_refused(journal) -> None:
    with pytest.raises(InvalidInput, match="Say what the action is"):
        make(journal, "   ")


def test_from_an_entrys_next_step(journal, catalog: Catalog) -> None:
    entry = add_entry(journal, catalog, EntryDraft("gift_offered", "Client K", datetime(2026, 11, 20, 10), {
        "what_happened": "x", "documentation_note": "y", "next_step": "Ask  my supervisor\nabout gifts"}))
    action = actions.action_from_entry(journal, entry.id, due_on=TODAY)
    assert (action.text, action.origin, action.origin_id, action.relationship) == (
        "Ask my supervisor about gifts", "entry", entry.id, "Client K")
    bare = add_entry(journal, catalog, EntryDraft("gift_offered", "Client K", datetime(2026, 11, 20, 10), {
        "what_happened": "x", "documentation_note": "y"}))
    with pytest.raises(InvalidInput, match="no next step"):
        actions.action_from_entry(journal, bare.id)


class TestListenAfterHolding:
    """Seed 002's "what to listen for after you hold", as an action due some days after a held request."""

    def draft(self, template: str, listen_after: bool = True) -> EntryDraft:
        return EntryDraft(template, "Client K", datetime(2026, 11, 2, 17, 0),
                          {"what_happened": "Asked for my number at the door.", "documentation_note": "Declined."},
                          listen_after=listen_after)

    @pytest.mark.parametrize(
        "template_id", ["phone_number_request", "late_night_text", "referral_to_official_channels"])
    def test_a_held_request_opens_a_follow_up_due_days_later(self, journal, catalog: Catalog, template_id) -> None:
        entry = add_entry(journal, catalog, self.draft(template_id))
        template = catalog.template(template_id)
        [action] = actions.list_actions(journal)
        assert (action.origin, action.origin_id, action.relationship) == ("entry", entry.id, "Client K")
        assert action.due_on == date(2026, 11, 2) + timedelta(days=template.listen_after_days)
        assert "reworded" in action.text and "rehearsed" in action.text
        # The prompt the user sees: open until then, due on the day, overdue after.
        assert action.status(action.due_on - timedelta(days=1)) == "open"
        assert action.status(action.due_on) == "due"

    def test_templates_that_are_not_a_held_request_refuse_it(self, journal, catalog: Catalog) -> None:
        # Asked for on a template without a follow-up, it is refused (naming those that have one), not ignored.
        holding = {t.id for t in catalog.templates if t.listen_after}
        other = next(t.id for t in catalog.templates if t.id not in holding and len(t.required_keys) == 2)
        with pytest.raises(InvalidInput, match=r"the templates with one are: .*phone_number_request"):
            add_entry(journal, catalog, self.draft(other))
        assert actions.list_actions(journal) == []
        add_entry(journal, catalog, self.draft(other, listen_after=False))
        assert actions.list_actions(journal) == []

    def test_only_when_asked(self, journal, catalog: Catalog) -> None:
        add_entry(journal, catalog, self.draft("phone_number_request", listen_after=False))
        assert actions.list_actions(journal) == []

    def test_every_listening_template_traces_to_seed_002(self, catalog: Catalog) -> None:
        for template in (t for t in catalog.templates if t.listen_after):
            assert any(n.source.startswith("002_") and "listen" in n.source for n in template.notes), template.id
