"""What the supervision summary and the ethics-consult brief carry, and the de-identification step before they leave."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.report import write_brief_pdf, write_supervision_pdf
from boundary_journal.services import actions, exports, relationships, settings, slope, weekly
from boundary_journal.services.deidentify import REDACTION
from boundary_journal.services.entries import EntryDraft, EntryFilter, add_entry, list_entries
from boundary_journal.services.escalation import recommended_steps, step_text
from boundary_journal.services.relationships import (
    CONSENT_FIELDS,
    CONTEXT_FIELDS,
    find_relationship,
    get_or_create_relationship,
)
from boundary_journal.services.selfchecks import SelfCheckDraft, add_self_check, list_self_checks
from boundary_journal.store.models import Action

OCTOBER = {"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)}
MADE = datetime(2026, 11, 2, 9, 30)
PHONE = "07700 900123"


def log(
    journal, catalog: Catalog, when: datetime, *, who: str = "Client K", template: str = "late_night_text",
    channel: str | None = None, supervision: bool = False, flow: dict[str, str] | None = None,
    did: tuple[str, ...] = (), **fields: str,
) -> int:
    values = {"what_happened": "Texted after hours.", "documentation_note": "Patient texted; redirected to portal."}
    values.update(fields)
    return add_entry(journal, catalog, EntryDraft(template, who, when, values, channel=channel,
                                                  supervision=supervision, flow=flow or {},
                                                  response_review=dict.fromkeys(did, True))).id


def check_in(journal, catalog: Catalog, when: datetime, who: str | None, level: int) -> None:
    flag = catalog.red_flags[0].id
    add_self_check(journal, catalog, SelfCheckDraft({flag: level}, relationship=who, taken_at=when))


def manual_action(journal, text: str, *, due_on: date | None = None, who: str | None = None,
                  created: datetime | None = None, done: datetime | None = None) -> int:
    with journal.transaction() as session:
        relationship = find_relationship(session, who) if who else None
        made = actions.create_action(session, text, origin="manual", due_on=due_on, relationship=relationship).id
        row = session.get(Action, made)
        if created is not None:
            row.created_at = created
        if done is not None:
            row.done_at = done
        return made


def texts_of(document: exports.SupervisionPacket | exports.EthicsBrief) -> list[str]:
    return list(exports.outgoing_texts(document).values())


class TestGatherSupervision:
    """The summary covers exactly the period, and by default only the entries marked for supervision."""

    def test_period_boundaries_are_whole_days(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 9, 30, 23, 59), supervision=True, documentation_note="Day before.")
        log(journal, catalog, datetime(2026, 10, 1, 0, 0), supervision=True, documentation_note="First minute.")
        log(journal, catalog, datetime(2026, 10, 31, 23, 59), supervision=True, documentation_note="Last minute.")
        log(journal, catalog, datetime(2026, 11, 1, 0, 0), supervision=True, documentation_note="Day after.")
        check_in(journal, catalog, datetime(2026, 9, 30, 22), None, 1)
        check_in(journal, catalog, datetime(2026, 10, 31, 22), None, 2)
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        assert [e.documentation_note for e in packet.entries] == ["First minute.", "Last minute."]
        assert packet.entries_in_period == 2
        [overall] = packet.trends
        assert overall.relationship is None
        assert [p.taken_at for p in overall.points] == [datetime(2026, 10, 31, 22)]

    def test_only_marked_entries_unless_all_are_asked_for(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 10, 20, 9), supervision=True, documentation_note="Marked, later.")
        log(journal, catalog, datetime(2026, 10, 5, 9), documentation_note="Not marked.")
        log(journal, catalog, datetime(2026, 10, 2, 9), supervision=True, documentation_note="Marked, earlier.")
        marked = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        everything = exports.gather_supervision(journal, catalog, **OCTOBER, all_entries=True, made=MADE)
        assert not marked.all_entries and everything.all_entries
        assert [e.documentation_note for e in marked.entries] == ["Marked, earlier.", "Marked, later."]
        assert [e.documentation_note for e in everything.entries] == ["Marked, earlier.", "Not marked.",
                                                                       "Marked, later."]
        assert marked.entries_in_period == everything.entries_in_period == 3
        # The overview counts the whole period either way.
        assert marked.categories == everything.categories

    def test_counts_by_category_and_by_channel_with_seed_risk(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 10, 2, 22), channel="text_message")
        log(journal, catalog, datetime(2026, 10, 3, 22), channel="text_message")
        log(journal, catalog, datetime(2026, 10, 4, 11), template="gift_offered", channel="in_person")
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        messaging, gifts = catalog.category("messaging"), catalog.category("gifts_money_favours")
        assert [(c.id, c.label, c.count) for c in packet.categories] == [
            ("messaging", messaging.label, 2), ("gifts_money_favours", gifts.label, 1),  # type: ignore[union-attr]
        ]
        assert [(c.id, c.count, c.risk) for c in packet.channels] == [("text_message", 2, 85), ("in_person", 1, None)]

    def test_an_entry_carries_its_note_response_reflection_and_steps(self, journal, catalog: Catalog) -> None:
        flow = {"acute_risk": "no", "outside_channels": "yes"}
        log(journal, catalog, datetime(2026, 10, 9, 23, 12), supervision=True, flow=flow,
            my_response="Replied next day via the portal.", reflection="Felt flattered.", next_step="Raise it.")
        [entry] = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE).entries
        template = catalog.template("late_night_text")
        assert template is not None
        assert entry.documentation_note == "Patient texted; redirected to portal."
        assert entry.my_response == "Replied next day via the portal."
        assert entry.reflection == "Felt flattered."
        assert entry.next_step == "Raise it."
        assert [f.key for f in entry.fields] == ["what_happened", "my_response", "documentation_note", "reflection",
                                                 "next_step"]
        assert entry.fields[0].label == template.field("what_happened").label  # type: ignore[union-attr]
        assert entry.steps == tuple(step_text(catalog, s) for s in recommended_steps(catalog, flow))
        assert len(entry.steps) == 2  # redirect, then the consult it leads to
        assert [(a.rule_id, a.answer) for a in entry.flow] == [("acute_risk", "no"), ("outside_channels", "yes")]
        assert entry.channel_risk == 85 and entry.template_title == template.title

    def test_the_moves_ticked_say_which_kind_they_are(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 10, 9, 23), supervision=True,
            did=("over_justification", "acknowledge_and_limit", "personal_channel"))
        [entry] = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE).entries
        assert entry.response_moves == (
            "Over-justification (tends to make it worse)", "Acknowledge the feeling, state the limit (tends to work)",
            "I replied or wrote from my personal phone, email or account (my own conduct)")

    def test_relationships_in_the_period_with_their_stage(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 10, 9, 23), who="Client K")
        log(journal, catalog, datetime(2026, 10, 10, 23), who="Client K", did=("personal_channel",))
        log(journal, catalog, datetime(2026, 10, 12, 10), who="Bed 4", template="gift_offered")
        log(journal, catalog, datetime(2026, 8, 1, 10), who="Quiet in October", template="gift_offered")
        slope.set_stage(journal, "Client K", 2, when=datetime(2026, 9, 1, 9))
        slope.set_stage(journal, "Client K", 3, note="Personal phone now.", when=datetime(2026, 10, 10, 9))
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        assert [r.pseudonym for r in packet.relationships] == ["Client K", "Bed 4"]  # furthest along first
        client_k, bed_4 = packet.relationships
        assert (client_k.entries, client_k.stage, client_k.stage_label) == (2, 3, catalog.stage(3).label)  # type: ignore[union-attr]
        assert (client_k.suggested_stage, client_k.suggested_label) == (3, catalog.stage(3).label)  # type: ignore[union-attr]
        # The window of recent conduct ends with the period; the reasons travel with the suggestion.
        assert client_k.suggested_basis == "based on the last 90 days to 2026-10-31"
        assert client_k.suggested_reasons[0].startswith(
            "Stage 3: The author replied or wrote from their personal phone")
        assert client_k.suggested_reasons[-1].startswith("In the author's favour: 1 request")  # the first text, held
        assert (bed_4.stage, bed_4.stage_label, bed_4.suggested_stage) == (None, "", None)
        assert bed_4.suggested_reasons == ("In the author's favour: 1 request, remark or gift from the patient met "
                                           "with a documented professional response",)
        [trend] = packet.trends
        assert trend.relationship == "Client K" and trend.points == ()
        [mark] = trend.stage_changes  # September's change is outside the period
        assert (mark.stage, mark.previous, mark.note) == (3, 2, "Personal phone now.")

    @pytest.mark.slow
    def test_trends_overall_first_then_by_relationship(self, journal, catalog: Catalog) -> None:
        check_in(journal, catalog, datetime(2026, 10, 3, 18), "Client K", 1)
        check_in(journal, catalog, datetime(2026, 10, 17, 18), "Client K", 2)
        check_in(journal, catalog, datetime(2026, 10, 1, 8), None, 0)
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        assert [t.relationship for t in packet.trends] == [None, "Client K"]
        points = packet.trends[1].points
        assert [p.taken_at.date() for p in points] == [date(2026, 10, 3), date(2026, 10, 17)]
        assert 0 < points[0].percent < points[1].percent <= 100
        assert packet.check_ins == 3

    def test_actions_due_done_or_opened_in_the_period(self, journal, catalog: Catalog) -> None:
        """Not every action ever opened: those of the period, with a count of older open ones."""
        log(journal, catalog, datetime(2026, 10, 2, 9))
        september, october = datetime(2026, 9, 3, 9), datetime(2026, 10, 5, 9)
        opened = manual_action(journal, "Read the gifts policy", due_on=date(2026, 11, 30), created=october)
        undated = manual_action(journal, "Book supervision", created=october)
        today = manual_action(journal, "Call the practice manager", due_on=MADE.date(), who="Client K",
                              created=october)
        overdue = manual_action(journal, "Remove my number from the sheet", due_on=date(2026, 10, 20),
                                created=september)
        done = manual_action(journal, "Already handled", created=september, done=datetime(2026, 10, 12, 9))
        manual_action(journal, "An older open one", created=september)
        manual_action(journal, "Another older open one", due_on=date(2026, 12, 1), created=september)
        manual_action(journal, "Done before the period", created=september, done=datetime(2026, 9, 20, 9))
        manual_action(journal, "Opened after the period", created=datetime(2026, 11, 1, 9))
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        assert [(a.id, a.status) for a in packet.actions] == [
            (overdue, "overdue"), (today, "due"), (opened, "open"), (undated, "open"), (done, "done"),
        ]
        assert packet.older_open == 2
        assert packet.overdue == 1
        assert packet.actions[1].relationship == "Client K"

    def test_weekly_exercises_in_the_period_with_outcomes(self, journal, catalog: Catalog) -> None:
        first = weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
            "Client K", "She asks for one more thing at the end.", "talk_to_supervisor", on=date(2026, 10, 7)),
            today=date(2026, 10, 5))
        weekly.record_followup(journal, first.week, "done", "Booked it.")
        weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
            "Bed 4", "We keep meeting at school.", "other", on=date(2026, 10, 22), move_other="Write a plan"),
            today=date(2026, 10, 19))
        weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
            "Bed 4", "Outside the period.", "transfer_care", on=date(2026, 9, 2)), today=date(2026, 9, 1))
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        done, pending = packet.exercises
        assert (done.week, done.outcome, done.outcome_label, done.outcome_note) == ("2026-W41", "done", "Done",
                                                                                  "Booked it.")
        assert done.move_label == catalog.weekly_move("talk_to_supervisor").label  # type: ignore[union-attr]
        assert (pending.outcome, pending.outcome_label, pending.move_other) == (None, "No follow-up yet",
                                                                                "Write a plan")
        assert {r.pseudonym for r in packet.relationships} == {"Client K", "Bed 4"}

    def test_questions_display_name_and_dates_are_checked(self, journal, catalog: Catalog) -> None:
        packet = exports.gather_supervision(
            journal, catalog, **OCTOBER, display_name="  Dr  A. ", questions=[" First? ", "", "  ", "Second?"],
        )
        assert packet.display_name == "Dr A."
        assert packet.questions == ("First?", "Second?")
        assert packet.made.microsecond == 0
        with pytest.raises(InvalidInput, match="one line"):
            exports.gather_supervision(journal, catalog, **OCTOBER, display_name="Two\nlines")
        with pytest.raises(InvalidInput, match="after the end date"):
            exports.gather_supervision(journal, catalog, date_from=date(2026, 10, 31), date_to=date(2026, 10, 1))
        with pytest.raises(InvalidInput, match="control characters"):
            exports.gather_supervision(journal, catalog, **OCTOBER, questions=["bad\x00"])


def relationships_one_by_one(journal, catalog: Catalog, date_from: date, date_to: date
                             ) -> tuple[list[tuple], list[tuple]]:
    """The summary's relationships and trends worked out the plain way: every relationship, one at a time."""

    def within(moment: datetime | date) -> bool:
        day = moment.date() if isinstance(moment, datetime) else moment
        return date_from <= day <= date_to

    in_period = list_entries(journal, EntryFilter(date_from=date_from, date_to=date_to))
    checks = [c for c in list_self_checks(journal, catalog) if within(c.taken_at)]
    exercises = [e for e in weekly.list_exercises(journal) if within(e.on)]
    rows = []
    for relationship in relationships.list_relationships(journal):
        name = relationship.pseudonym
        history = slope.stage_history(journal, name)
        entries = sum(1 for e in in_period if e.relationship == name)
        if not (entries or any(e.relationship == name for e in exercises)
                or any(c.relationship == name for c in checks) or any(within(c.set_at) for c in history)):
            continue
        stage = history[-1].stage if history else None
        as_of = min(MADE, datetime.combine(date_to, datetime.max.time()).replace(microsecond=0))
        suggested = slope.suggest_stage(journal, catalog, name, as_of=as_of).stage
        marks = [(c.set_at, c.stage, before.stage if before and before.stage != c.stage else None, c.note)
                 for before, c in zip([None, *history], history, strict=False) if within(c.set_at)]
        rows.append(((name, entries, stage, suggested), marks))
    rows.sort(key=lambda row: (-(row[0][2] or 0), row[0][0].casefold()))
    overall = [(c.taken_at, c.score.percent) for c in checks if c.relationship is None]
    trends = [(None, overall, [])] if overall else []
    for (name, *_), marks in rows:
        points = [(c.taken_at, c.score.percent) for c in checks if c.relationship == name]
        if points or marks:
            trends.append((name, points, marks))
    return [stage for stage, _ in rows], trends


class TestGatherSupervisionReadsOnlyThePeriod:
    """Reading only the period and the relationships it involves gives what every relationship read one by one does."""

    @pytest.fixture
    def journal_of_months(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 9, 12, 23), who="Client K", channel="text_message",
            did=("personal_channel",))
        log(journal, catalog, datetime(2026, 10, 9, 23), who="Client K", did=("extra_availability",))
        log(journal, catalog, datetime(2026, 10, 31, 23, 59), who="client k", template="gift_offered")
        log(journal, catalog, datetime(2026, 8, 1, 10), who="Bed 4", template="gift_offered")
        log(journal, catalog, datetime(2026, 7, 1, 10), who="Quiet all autumn", template="personal_question")
        log(journal, catalog, datetime(2026, 11, 1, 0, 0), who="Quiet all autumn", channel="social_dm")
        log(journal, catalog, datetime(2026, 6, 3, 21), who="Staged in October", channel="personal_email",
            did=("met_outside",))
        log(journal, catalog, datetime(2026, 11, 1, 9), who="Bed 4", template="my_own_attraction")
        log(journal, catalog, datetime(2026, 10, 20, 9), who="ärztin B", template="personal_question")
        slope.set_stage(journal, "Client K", 2, when=datetime(2026, 9, 1, 9))
        slope.set_stage(journal, "Client K", 3, note="Personal phone now.", when=datetime(2026, 10, 10, 9))
        slope.set_stage(journal, "Quiet all autumn", 4, when=datetime(2026, 9, 30, 23, 59))
        slope.set_stage(journal, "Staged in October", 1, when=datetime(2026, 9, 2, 9))
        slope.set_stage(journal, "Staged in October", 2, when=datetime(2026, 10, 1, 0, 0))
        slope.set_stage(journal, "Staged in October", 2, when=datetime(2026, 10, 2, 0, 0))  # no "2 → 2"
        check_in(journal, catalog, datetime(2026, 10, 3, 18), "Client K", 1)
        check_in(journal, catalog, datetime(2026, 9, 3, 18), "Client K", 2)
        check_in(journal, catalog, datetime(2026, 10, 17, 18), "Checked only", 2)
        check_in(journal, catalog, datetime(2026, 11, 1, 8), "Quiet all autumn", 2)
        check_in(journal, catalog, datetime(2026, 10, 1, 8), None, 0)
        check_in(journal, catalog, datetime(2026, 11, 2, 8), None, 2)
        weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
            "Bed 4", "We keep meeting at school.", "talk_to_supervisor", on=date(2026, 10, 22)),
            today=date(2026, 10, 19))
        weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
            "Quiet all autumn", "Outside the period.", "transfer_care", on=date(2026, 9, 2)), today=date(2026, 9, 1))

    @pytest.mark.parametrize(("date_from", "date_to"), [
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 9, 1), date(2026, 11, 30)),
        (date(2026, 10, 10), date(2026, 10, 10)),
        (date(2025, 1, 1), date(2025, 12, 31)),
    ])
    def test_same_as_every_relationship_one_by_one(
        self, journal, catalog: Catalog, journal_of_months: None, date_from: date, date_to: date
    ) -> None:
        packet = exports.gather_supervision(journal, catalog, date_from=date_from, date_to=date_to, made=MADE)
        stages, trends = relationships_one_by_one(journal, catalog, date_from, date_to)
        assert [(r.pseudonym, r.entries, r.stage, r.suggested_stage) for r in packet.relationships] == stages
        assert [(t.relationship, [(p.taken_at, p.percent) for p in t.points],
                 [(m.set_at, m.stage, m.previous, m.note) for m in t.stage_changes]) for t in packet.trends] == trends
        for relationship in packet.relationships:
            assert relationship.stage_label == (catalog.stage(relationship.stage).label  # type: ignore[union-attr]
                                                if relationship.stage else "")
            assert relationship.suggested_label == (
                catalog.stage(relationship.suggested_stage).label  # type: ignore[union-attr]
                if relationship.suggested_stage else "")

    def test_october_involves_only_what_happened_in_october(
        self, journal, catalog: Catalog, journal_of_months: None
    ) -> None:
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        assert [(r.pseudonym, r.entries) for r in packet.relationships] == [
            ("Client K", 2), ("Staged in October", 0), ("Bed 4", 0), ("Checked only", 0), ("ärztin B", 1),
        ]
        assert [t.relationship for t in packet.trends] == [None, "Client K", "Staged in October", "Checked only"]


class TestGatherBrief:
    """The brief is one relationship's whole history: context, consent, chronology, trend and actions."""

    @pytest.fixture
    def client_k(self, journal, catalog: Catalog) -> str:
        log(journal, catalog, datetime(2026, 10, 9, 23, 12), flow={"outside_channels": "yes"},
            my_response="Replied in the portal.", reflection="Private reflection.",
            next_step="Raise it in supervision.")
        log(journal, catalog, datetime(2026, 9, 18, 14), template="personal_question", channel="in_person")
        log(journal, catalog, datetime(2026, 10, 12, 10), who="Someone else", template="gift_offered")
        relationships.set_context(journal, "Client K", {"emergency": "A 24/7 on-call service exists."})
        check_in(journal, catalog, datetime(2026, 9, 20, 18), "Client K", 1)
        check_in(journal, catalog, datetime(2026, 10, 20, 18), "Client K", 2)
        check_in(journal, catalog, datetime(2026, 10, 21, 18), None, 2)
        slope.set_stage(journal, "Client K", 1, when=datetime(2026, 9, 1, 9))
        slope.set_stage(journal, "Client K", 3, note="Texts to my phone.", when=datetime(2026, 10, 10, 9))
        return "Client K"

    def test_chronology_of_this_relationship_only(self, journal, catalog: Catalog, client_k: str) -> None:
        brief = exports.gather_brief(journal, catalog, "client k", made=MADE)
        assert brief.pseudonym == "Client K"
        assert [e.occurred for e in brief.entries] == [datetime(2026, 9, 18, 14), datetime(2026, 10, 9, 23, 12)]
        latest = brief.entries[-1]
        # A factual account: what happened, the response, the neutral note and the next step, not the private
        # reflection.
        assert [f.key for f in latest.fields] == ["what_happened", "my_response", "documentation_note", "next_step"]
        assert "Private reflection." not in texts_of(brief)
        assert [(a.rule_id, a.answer) for a in latest.flow] == [("outside_channels", "yes")]
        flow = {answer.rule_id: answer.answer for answer in latest.flow}
        assert latest.steps == tuple(step_text(catalog, s) for s in recommended_steps(catalog, flow))
        assert latest.steps

    def test_context_and_consent_in_seed_order(self, journal, catalog: Catalog, client_k: str) -> None:
        brief = exports.gather_brief(journal, catalog, client_k, made=MADE)
        assert [(p.key, p.label) for p in brief.context] == list(CONTEXT_FIELDS.items())
        assert [(p.key, p.label) for p in brief.consent] == list(CONSENT_FIELDS.items())
        assert brief.context[0].text == "A 24/7 on-call service exists." and brief.has_context
        assert not brief.has_consent and len(brief.missing_consent) == 4
        relationships.set_consent(journal, client_k, {"informed": "Explained.", "scope": "Urgent only."})
        brief = exports.gather_brief(journal, catalog, client_k, made=MADE)
        assert brief.has_consent
        assert [p.key for p in brief.missing_consent] == ["voluntary", "documented"]

    def test_trend_and_stage_history_over_all_time(self, journal, catalog: Catalog, client_k: str) -> None:
        brief = exports.gather_brief(journal, catalog, client_k, made=MADE)
        assert brief.trend.relationship == "Client K"
        assert [p.taken_at for p in brief.trend.points] == [datetime(2026, 9, 20, 18), datetime(2026, 10, 20, 18)]
        assert [(m.stage, m.previous, m.note) for m in brief.trend.stage_changes] == [
            (1, None, ""), (3, 1, "Texts to my phone."),
        ]
        assert (brief.stage.stage, brief.stage.stage_label, brief.stage.entries) == (3, catalog.stage(3).label, 2)  # type: ignore[union-attr]

    def test_actions_of_this_relationship_open_first(self, journal, catalog: Catalog, client_k: str) -> None:
        done = manual_action(journal, "Asked for my number to be removed", who=client_k)
        actions.complete_action(journal, done, "Removed.")
        open_one = manual_action(journal, "Name the pattern", due_on=date(2026, 10, 1), who=client_k)
        manual_action(journal, "Not about Client K")
        brief = exports.gather_brief(journal, catalog, client_k, made=MADE)
        assert [(a.id, a.status) for a in brief.actions] == [(open_one, "overdue"), (done, "done")]
        assert brief.actions[1].outcome == "Removed."

    def test_unknown_relationship(self, journal, catalog: Catalog) -> None:
        with pytest.raises(NotFound, match="Nobody"):
            exports.gather_brief(journal, catalog, "Nobody")


class TestOutgoingTexts:
    """Every piece of user-written text that would leave is listed once, with where it is; nothing else is."""

    def test_supervision_texts_and_their_locations(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 10, 2, 9, 5), supervision=True, flow={"outside_channels": "yes"},
            reflection="My reflection.")
        slope.set_stage(journal, "Client K", 2, note="Stage note.", when=datetime(2026, 10, 3, 9))
        exercise = weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
            "Client K", "One grey sentence.", "talk_to_supervisor", on=date(2026, 10, 7)), today=date(2026, 10, 5))
        weekly.record_followup(journal, exercise.week, "partly", "Half of it.")
        manual_action(journal, "Read the policy", who="Client K", created=datetime(2026, 10, 8, 9))
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, display_name="Dr A.",
                                            questions=["First?", "Second?"], made=MADE)
        texts = exports.outgoing_texts(packet)
        assert texts["Display name"] == "Dr A."
        assert texts["Question 1"] == "First?" and texts["Question 2"] == "Second?"
        assert texts["Entry 2026-10-02 09:05 · Client K · Documentation note"] == \
            "Patient texted; redirected to portal."
        assert texts["Entry 2026-10-02 09:05 · Client K · Reflection"] == "My reflection."
        assert texts["Stage change 2026-10-03 09:00 · Client K · Note"] == "Stage note."
        assert texts["Weekly exercise 2026-W41 · Client K · What makes it feel grey"] == "One grey sentence."
        assert texts["Weekly exercise 2026-W41 · Client K · Outcome note"] == "Half of it."
        assert "Read the policy" in texts.values()
        values = set(texts.values())
        # Not the catalogue's own text; the pseudonym once, however often it is printed.
        assert not values & set(packet.entries[0].steps)
        assert not values & {packet.entries[0].category_label, packet.entries[0].template_title}
        assert [text for text in texts.values() if text == "Client K"] == ["Client K"]
        assert texts["Relationship · Client K"] == "Client K"

    def test_outgoing_says_where_each_text_is_stored(self, journal, catalog: Catalog) -> None:
        entry_id = log(journal, catalog, datetime(2026, 10, 2, 9, 5), supervision=True)
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, questions=["Why?"], made=MADE)
        by_location = {item.location: item for item in exports.outgoing(packet)}
        note = by_location["Entry 2026-10-02 09:05 · Client K · Documentation note"]
        assert (note.record, note.record_id, note.key) == ("entry", entry_id, "documentation_note")
        question = by_location["Question 1"]
        assert (question.record, question.key, question.index) == ("export", "questions", 1)

    def test_entries_in_the_same_minute_keep_both_texts(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 10, 2, 9, 5), supervision=True, documentation_note="One.")
        log(journal, catalog, datetime(2026, 10, 2, 9, 5), supervision=True, documentation_note="Two.")
        texts = exports.outgoing_texts(exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE))
        assert texts["Entry 2026-10-02 09:05 · Client K · Documentation note"] == "One."
        assert texts["Entry 2026-10-02 09:05 · Client K · Documentation note (2)"] == "Two."

    def test_brief_texts_include_context_and_consent(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 10, 2, 9, 5))
        relationships.set_context(journal, "Client K", {"emergency": "No on-call cover."})
        relationships.set_consent(journal, "Client K", {"scope": "Urgent only."})
        texts = exports.outgoing_texts(exports.gather_brief(journal, catalog, "Client K", display_name="Dr A.",
                                                            questions=["Was it enough?"]))
        assert texts[f"Context · {CONTEXT_FIELDS['emergency']}"] == "No on-call cover."
        assert texts[f"Consent · {CONSENT_FIELDS['scope']}"] == "Urgent only."
        assert texts["Display name"] == "Dr A."
        assert texts["Question 1"] == "Was it enough?"
        assert "Texted after hours." in texts.values()  # the brief carries what happened


class TestScanAndRedact:
    """A finding is found in what would leave; redacting it removes it from every text and from the PDF."""

    @pytest.fixture
    def packet(self, journal, catalog: Catalog) -> exports.SupervisionPacket:
        log(journal, catalog, datetime(2026, 10, 9, 23, 12), supervision=True,
            documentation_note=f"Patient texted from {PHONE}; redirected to the portal.",
            reflection=f"She signed it with {PHONE} again. Client K seemed calm.")
        return exports.gather_supervision(journal, catalog, **OCTOBER, questions=[f"Should I block {PHONE}?"],
                                          display_name="Dr A.", made=MADE)

    def test_a_phone_number_in_a_note_is_found(self, journal, packet: exports.SupervisionPacket) -> None:
        findings = exports.scan(journal, packet)
        phones = [f for f in findings if f.kind == "phone"]
        assert {f.location for f in phones} == {
            "Entry 2026-10-09 23:12 · Client K · Documentation note",
            "Entry 2026-10-09 23:12 · Client K · Reflection",
            "Question 1",
        }
        assert all(f.text == PHONE for f in phones)
        assert not [f for f in findings if "Client" in f.text]  # the pseudonym is not a name finding

    def test_redacted_removes_it_from_every_text(self, journal, packet: exports.SupervisionPacket) -> None:
        clean = exports.redacted(packet, [PHONE])
        assert all(PHONE not in text for text in texts_of(clean))
        assert clean.entries[0].documentation_note == f"Patient texted from {REDACTION}; redirected to the portal."
        assert clean.questions == (f"Should I block {REDACTION}?",)
        assert not [f for f in exports.scan(journal, clean) if f.kind == "phone"]
        # A copy: the gathered packet, the pseudonyms and the catalogue text stay as they were.
        assert PHONE in packet.entries[0].documentation_note
        assert clean.entries[0].relationship == "Client K"
        assert clean.entries[0].steps == packet.entries[0].steps

    @pytest.mark.slow
    def test_redacted_text_is_gone_from_the_pdf(
        self, journal, catalog: Catalog, packet: exports.SupervisionPacket, tmp_path: Path
    ) -> None:
        findings = exports.scan(journal, packet)
        clean = exports.redacted(packet, [f.text for f in findings])
        out = tmp_path / "summary.pdf"
        write_supervision_pdf(out, exports.with_check(clean, exports.scan(journal, clean)), catalog)
        text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
        assert PHONE not in text and PHONE.replace(" ", "") not in text.replace(" ", "")
        assert REDACTION in text
        assert "found nothing it recognises as an identifier" in " ".join(text.split())

    def test_longer_strings_are_redacted_whole(self, packet: exports.SupervisionPacket) -> None:
        clean = exports.redacted(packet, ["07700", PHONE, ""])
        assert clean.questions == (f"Should I block {REDACTION}?",)

    def test_nothing_to_redact_returns_the_same_document(self, packet: exports.SupervisionPacket) -> None:
        assert exports.redacted(packet, []) is packet

    def test_confirmed_words_are_skipped(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 10, 9, 23, 12), supervision=True,
            documentation_note="Patient mentioned the Westfield branch again.")
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        assert [(f.kind, f.text) for f in exports.scan(journal, packet)] == [("name", "Westfield")]
        settings.remember_not_identifying(journal, "Westfield")
        assert exports.scan(journal, packet) == []

    def test_other_pseudonyms_are_not_findings(self, journal, catalog: Catalog) -> None:
        # Before the period: the summary does not print "Blue Heron" itself (that is checked on its own terms).
        log(journal, catalog, datetime(2026, 9, 1, 9), who="Blue Heron")
        log(journal, catalog, datetime(2026, 10, 9, 23), supervision=True,
            documentation_note="Patient said she knows Blue Heron from the waiting room.")
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        assert exports.scan(journal, packet) == []

    def test_brief_context_is_scanned_and_redacted(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 10, 2, 9, 5))
        relationships.set_context(journal, "Client K", {"existing_channels": "She has my email k.doe@example.com"})
        brief = exports.gather_brief(journal, catalog, "Client K", made=MADE)
        [finding] = exports.scan(journal, brief)
        assert (finding.kind, finding.location) == ("email", f"Context · {CONTEXT_FIELDS['existing_channels']}")
        clean = exports.redacted(brief, [finding.text])
        assert clean.context[2].text == f"She has my email {REDACTION}"
        assert exports.scan(journal, clean) == []

    def test_with_check_records_what_is_left(self, journal, packet: exports.SupervisionPacket, tmp_path: Path,
                                             catalog: Catalog) -> None:
        assert packet.unresolved_findings is None
        findings = exports.scan(journal, packet)
        checked = exports.with_check(packet, findings)
        assert checked.unresolved_findings == len(findings) == 3
        out = tmp_path / "brief.pdf"
        brief = exports.with_check(exports.gather_brief(journal, catalog, "Client K", made=MADE), [])
        write_brief_pdf(out, brief, catalog)
        assert "found nothing it recognises" in " ".join(PdfReader(out).pages[0].extract_text().split())


IDENTIFYING_PSEUDONYM = "John Smith, DOB 12/03/1961, MRN 88231907, +44 7700 900123"


def made_before_the_check(journal, pseudonym: str) -> None:
    """A relationship as a journal of an earlier version may hold it: created without the pseudonym check."""
    with journal.transaction() as session:
        get_or_create_relationship(session, pseudonym, check=False)


class TestPseudonymsAreScanned:
    """A pseudonym leaves with the document, so it is checked like every other outgoing text."""

    def pdf_text(self, path: Path) -> str:
        return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())

    def test_identifiers_in_a_pseudonym_are_found_in_both_documents(self, journal, catalog: Catalog) -> None:
        made_before_the_check(journal, IDENTIFYING_PSEUDONYM)
        log(journal, catalog, datetime(2026, 10, 9, 23, 12), who=IDENTIFYING_PSEUDONYM, supervision=True)
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        brief = exports.gather_brief(journal, catalog, IDENTIFYING_PSEUDONYM, made=MADE)
        for document in (packet, brief):
            findings = exports.scan(journal, document)
            assert {f.kind for f in findings} == {"name", "date", "record_number", "phone"}
            assert {f.location for f in findings} == {f"Relationship · {IDENTIFYING_PSEUDONYM}"}

    def test_a_pseudonym_does_not_vouch_for_itself(self, journal, catalog: Catalog) -> None:
        made_before_the_check(journal, "Maria Gonzalez")
        log(journal, catalog, datetime(2026, 10, 9, 23, 12), who="Maria Gonzalez", supervision=True,
            documentation_note="Maria Gonzalez texted; redirected to the portal.")
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        # A pseudonym that fails its own check does not vouch for itself in a note either.
        assert [(f.kind, f.text, f.location) for f in exports.scan(journal, packet)] == [
            ("name", "Maria Gonzalez", "Relationship · Maria Gonzalez"),
            ("name", "Maria Gonzalez", "Entry 2026-10-09 23:12 · Maria Gonzalez · Documentation note"),
        ]
        settings.remember_not_identifying(journal, "Gonzalez")  # a confirmed word does not pass a pseudonym
        assert ("Maria Gonzalez", "Relationship · Maria Gonzalez") in {
            (f.text, f.location) for f in exports.scan(journal, packet)}
        with pytest.raises(relationships.PseudonymLooksIdentifying, match="full name"):
            relationships.confirm_pseudonym(journal, "Maria Gonzalez")  # a full name cannot be confirmed
        assert ("Maria Gonzalez", "Relationship · Maria Gonzalez") in {
            (f.text, f.location) for f in exports.scan(journal, packet)}

    @pytest.mark.parametrize("pseudonym", ["Client K", "Bed 4 in March", "Patient B", "Family of L"])
    def test_ordinary_pseudonyms_pass(self, journal, catalog: Catalog, pseudonym: str) -> None:
        log(journal, catalog, datetime(2026, 10, 9, 23, 12), who=pseudonym, supervision=True)
        manual_action(journal, "Read the policy", who=pseudonym)
        slope.set_stage(journal, pseudonym, 2, when=datetime(2026, 10, 10, 9))
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        brief = exports.gather_brief(journal, catalog, pseudonym, made=MADE)
        assert exports.scan(journal, packet) == [] and exports.scan(journal, brief) == []

    def test_a_pseudonym_shown_only_in_a_trend_is_scanned(self, journal, catalog: Catalog) -> None:
        made_before_the_check(journal, "Client K 07700 900123")
        check_in(journal, catalog, datetime(2026, 10, 11, 18), "Client K 07700 900123", 1)
        packet = exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE)
        assert not packet.entries and not packet.exercises and not packet.actions
        assert [(f.kind, f.text) for f in exports.scan(journal, packet)] == [("phone", PHONE)]

    def test_each_pseudonym_is_listed_once(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, datetime(2026, 10, 2, 9), supervision=True)
        log(journal, catalog, datetime(2026, 10, 3, 9), supervision=True)
        slope.set_stage(journal, "Client K", 2, note="Stage note.", when=datetime(2026, 10, 3, 9))
        manual_action(journal, "Read the policy", who="Client K")
        items = [item for item in exports.outgoing(exports.gather_supervision(journal, catalog, **OCTOBER))
                 if item.record == "pseudonym"]
        assert [(i.location, i.text, i.key) for i in items] == [("Relationship · Client K", "Client K", "pseudonym")]

    def test_redacting_a_pseudonym_removes_it_wherever_it_is_printed(
        self, journal, catalog: Catalog, tmp_path: Path
    ) -> None:
        who = "Client K 07700 900123"
        made_before_the_check(journal, who)
        log(journal, catalog, datetime(2026, 10, 9, 23, 12), who=who, supervision=True)
        slope.set_stage(journal, who, 2, note="Stage note.", when=datetime(2026, 10, 10, 9))
        check_in(journal, catalog, datetime(2026, 10, 11, 18), who, 1)
        weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
            who, "Grey.", "talk_to_supervisor", on=date(2026, 10, 7)), today=date(2026, 10, 5))
        manual_action(journal, "Read the policy", who=who)
        for document in (exports.gather_supervision(journal, catalog, **OCTOBER, made=MADE),
                         exports.gather_brief(journal, catalog, who, made=MADE)):
            clean = exports.redacted(document, [f.text for f in exports.scan(journal, document)])
            assert exports.scan(journal, clean) == []
            out = tmp_path / "out.pdf"
            write = write_brief_pdf if isinstance(clean, exports.EthicsBrief) else write_supervision_pdf
            write(out, exports.with_check(clean, []), catalog)
            flat = self.pdf_text(out)
            assert f"Client K {REDACTION}" in flat
            assert "07700" not in flat and "900123" not in flat


class TestIdentifierCheckReadsWhatExportsPrint:
    """deid-check reads what an export prints: without dates every such text in the journal, whatever its date."""

    def fill(self, journal, catalog: Catalog) -> None:
        add_entry(journal, catalog, EntryDraft("late_night_text", "Client K", datetime(2026, 10, 9, 23, 12), {
            "what_happened": "Texted after hours.", "documentation_note": "Note: Aoife texted.",
            "reflection": "Reflection: Siobhan again."}, tags=["Tadhg"]))
        slope.set_stage(journal, "Client K", 2, note="Stage: Eimear.", when=datetime(2026, 1, 10, 9))
        weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
            "Client K", "Unease: Niamh.", "talk_to_supervisor", on=date(2025, 6, 4)), today=date(2025, 6, 2))
        made = manual_action(journal, "Action: Ciaran.", who="Client K", created=datetime(2024, 5, 1, 9))
        actions.complete_action(journal, made, "Outcome: Padraig.")
        with journal.transaction() as session:
            session.get(Action, made).done_at = datetime(2024, 5, 2, 9)
        made_before_the_check(journal, "Grainne")  # a relationship with nothing but its context and consent
        relationships.set_context(journal, "Grainne", {next(iter(CONTEXT_FIELDS)): "Context: Oisin."})
        relationships.set_consent(journal, "Grainne", {next(iter(CONSENT_FIELDS)): "Consent: Fionnuala."})

    def test_without_dates_the_whole_journal(self, journal, catalog: Catalog) -> None:
        self.fill(journal, catalog)
        found = {f.text for f in exports.identifier_check(journal, catalog)}
        assert found == {"Aoife", "Siobhan", "Tadhg", "Eimear", "Niamh", "Ciaran", "Padraig", "Grainne", "Oisin",
                         "Fionnuala"}

    def test_a_period_reads_what_the_summary_of_that_period_prints(self, journal, catalog: Catalog) -> None:
        self.fill(journal, catalog)
        period = {"date_from": date(2026, 1, 1), "date_to": date(2026, 12, 31)}
        found = [f.text for f in exports.identifier_check(journal, catalog, **period)]
        packet = exports.gather_supervision(journal, catalog, **period, all_entries=True)
        assert found == [f.text for f in exports.scan(journal, packet)]
        assert set(found) == {"Aoife", "Siobhan", "Tadhg", "Eimear"}

    def test_a_relationship_reads_its_brief(self, journal, catalog: Catalog) -> None:
        self.fill(journal, catalog)
        brief = exports.gather_brief(journal, catalog, "Grainne")
        found = exports.identifier_check(journal, catalog, relationship="Grainne")
        assert found == exports.scan(journal, brief)
        assert {f.text for f in found} == {"Grainne", "Oisin", "Fionnuala"}
        # The brief prints the note but not the reflection or the tags.
        assert {f.text for f in exports.identifier_check(journal, catalog, relationship="Client K")} == {
            "Aoife", "Eimear", "Ciaran", "Padraig"}


def _marked_texts(node: object, pseudonyms: set[str]) -> list[str]:
    """Every non-empty text in fields marked as user text, found by a plain recursive walk; the pseudonyms in
    fields marked as such are added to `pseudonyms`."""
    found: list[str] = []
    for spec in fields(node):  # type: ignore[arg-type]
        value = getattr(node, spec.name)
        if "pseudonym" in spec.metadata:
            pseudonyms.update([value] if value else [])
        elif "user_text" in spec.metadata:
            found += [value] if isinstance(value, str) else list(value)
        elif is_dataclass(value):
            found += _marked_texts(value, pseudonyms)
        elif isinstance(value, tuple):
            for item in value:
                if is_dataclass(item):
                    found += _marked_texts(item, pseudonyms)
    return [text for text in found if text.strip()]


def test_every_user_text_reaches_outgoing(journal, catalog: Catalog) -> None:
    """Nothing marked as user text is missed: every kind of record, in both documents."""
    log(journal, catalog, datetime(2026, 10, 2, 9, 5), supervision=True, reflection="R.", next_step="N.")
    add_entry(journal, catalog, EntryDraft("late_night_text", "Client K", datetime(2026, 10, 3, 9),
                                           {"what_happened": "W.", "documentation_note": "D."}, tags=["tag one"],
                                           supervision=True))
    slope.set_stage(journal, "Client K", 2, note="Stage note.", when=datetime(2026, 10, 3, 9))
    exercise = weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
        "Client K", "Grey.", "other", on=date(2026, 10, 7), move_other="My move"), today=date(2026, 10, 5))
    weekly.record_followup(journal, exercise.week, "partly", "Half.")
    manual_action(journal, "Open action", who="Client K", created=datetime(2026, 10, 4, 9))
    actions.complete_action(journal, manual_action(journal, "Done action", who="Client K"), "Its outcome.")
    relationships.set_context(journal, "Client K", {"emergency": "Context text."})
    relationships.set_consent(journal, "Client K", {"informed": "Consent text."})
    packet = exports.gather_supervision(journal, catalog, **OCTOBER, display_name="Dr A.", questions=["Q?"])
    brief = exports.gather_brief(journal, catalog, "Client K", display_name="Dr A.", questions=["Brief Q?"])
    for document in (packet, brief):
        pseudonyms: set[str] = set()
        expected = _marked_texts(document, pseudonyms)
        assert pseudonyms == {"Client K"}
        assert sorted(texts_of(document)) == sorted([*expected, *pseudonyms])  # each pseudonym once
    assert {"Dr A.", "Q?", "tag one", "Stage note.", "Grey.", "My move", "Half.", "Open action"} <= set(
        texts_of(packet))
    assert {"Context text.", "Consent text.", "Done action", "Its outcome.", "Brief Q?", "W."} <= set(
        texts_of(brief))


@pytest.mark.slow
def test_exports_does_not_load_reportlab() -> None:
    code = (
        "import sys, boundary_journal.services.exports\n"
        "assert 'reportlab' not in sys.modules, 'exports imported reportlab'\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'exports imported Qt'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
