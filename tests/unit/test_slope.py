"""Slope stages: set by the clinician, suggested from the clinician's own recent conduct with reasons."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.services import selfchecks, slope
from boundary_journal.services.entries import EntryDraft, EntryFilter, add_entry, list_entries
from boundary_journal.services.relationships import get_or_create_relationship

NOW = datetime(2026, 3, 20, 12, 0)  # the suggestions below are worked out as of this moment


def log(journal, catalog: Catalog, template: str, *, channel: str | None = None,
        when: datetime = datetime(2026, 3, 2, 14, 0), who: str = "Client K",
        did: tuple[str, ...] = (), note: str = "y", flow: dict[str, str] | None = None) -> None:
    """An entry; `did` are the moves the clinician ticked (what they did on their side)."""
    add_entry(journal, catalog, EntryDraft(template, who, when, {"what_happened": "x", "documentation_note": note},
                                           channel=channel, response_review=dict.fromkeys(did, True),
                                           flow=flow or {}))


def suggest(journal, catalog: Catalog, who: str = "Client K", as_of: datetime = NOW) -> slope.StageSuggestion:
    return slope.suggest_stage(journal, catalog, who, as_of=as_of)


class TestSuggestion:
    def test_no_evidence_no_suggestion(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "referral_to_official_channels", channel="clinic_portal")
        suggestion = suggest(journal, catalog)
        assert suggestion.stage is None and suggestion.reasons == ()
        assert suggestion.window_days == catalog.slope_rule.window_days == 90
        assert "based on the last 90 days" in suggestion.basis

    def test_a_patients_flirtation_handled_by_the_book_leaves_the_stage_at_most_two(
        self, journal, catalog: Catalog
    ) -> None:
        # Seed 004 FAQ 2: restate the frame, redirect, document. The patient crossed a line; the clinician did not.
        for day in (2, 9, 16):
            log(journal, catalog, "flirtatious_remark", when=datetime(2026, 3, day, 11, 0),
                did=("acknowledge_and_limit",))
        log(journal, catalog, "expressed_attachment", when=datetime(2026, 3, 17, 21, 30))
        log(journal, catalog, "social_media_request", channel="social_dm", when=datetime(2026, 3, 18, 23, 0))
        suggestion = suggest(journal, catalog)
        assert suggestion.stage is None or suggestion.stage <= 2
        assert suggestion.held == 5  # each met with a documented response: in the clinician's favour
        assert "In your favour: 5" in suggestion.held_text()

    def test_a_week_of_texting_from_a_personal_phone_raises_it(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "flirtatious_remark", when=datetime(2026, 3, 2, 11, 0))
        before = suggest(journal, catalog, as_of=datetime(2026, 3, 10))
        for day in range(10, 17):
            log(journal, catalog, "late_night_text", channel="text_message", when=datetime(2026, 3, day, 22, 15),
                did=("personal_channel",))
        after = suggest(journal, catalog)
        assert before.stage is None and after.stage is not None and after.stage >= 3
        [personal] = [r for r in after.reasons if "personal phone" in r.reason]
        assert (personal.stage, personal.count, personal.last) == (3, 7, datetime(2026, 3, 16, 22, 15))
        late = next(e for s in catalog.slope_stages for e in s.evidence if e.kind == "after_hours")
        assert late.reason in [r.reason for r in after.reasons]  # and at night: replied late, by the clinician

    def test_ninety_quiet_days_bring_it_down(self, journal, catalog: Catalog) -> None:
        for day in range(10, 17):
            log(journal, catalog, "late_night_text", channel="text_message", when=datetime(2026, 3, day, 22, 15),
                did=("personal_channel",))
        assert suggest(journal, catalog).stage == 3
        # The conduct stops; the patient's requests go on and are held by the book.
        for day in (20, 50, 80):
            log(journal, catalog, "phone_number_request", when=datetime(2026, 3, 17) + timedelta(days=day))
        quiet = datetime(2026, 3, 16, 22, 15) + timedelta(days=91)
        assert suggest(journal, catalog, as_of=datetime(2026, 6, 1)).stage == 3  # still inside the window
        down = suggest(journal, catalog, as_of=quiet)
        assert down.stage is None and down.reasons == () and down.held == 3

    def test_a_sanctioned_patient_contact_is_not_the_clinicians_drift(self, journal, catalog: Catalog) -> None:
        # The patient texting the personal phone is context, not conduct; only the reply is.
        log(journal, catalog, "late_night_text", channel="text_message", when=datetime(2026, 3, 2, 23, 30))
        assert suggest(journal, catalog).stage is None

    def test_after_hours_counts_only_the_clinicians_own_contact(self, journal, catalog: Catalog) -> None:
        after = next(e for s in catalog.slope_stages for e in s.evidence if e.kind == "after_hours")
        log(journal, catalog, "personal_question", channel="in_person", when=datetime(2026, 3, 2, 23, 30))
        assert after.reason not in [r.reason for r in suggest(journal, catalog).reasons]
        log(journal, catalog, "personal_question", channel="in_person", when=datetime(2026, 3, 3, 23, 30),
            did=("extra_availability",))
        reasons = {r.reason: r for r in suggest(journal, catalog).reasons}
        assert reasons[after.reason].count == 1 and reasons[after.reason].stage == 2

    def test_a_partial_cave_in_counts(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "phone_number_request", did=("partial_cave_in",))
        suggestion = suggest(journal, catalog)
        assert suggestion.stage == 2 and suggestion.held == 0

    def test_noticing_ones_own_feelings_is_not_entanglement(self, journal, catalog: Catalog) -> None:
        # Seed 004 §2 and its FAQ: notice it, take it to supervision, transfer care. Owning that is not stage 4.
        log(journal, catalog, "my_own_attraction")
        suggestion = suggest(journal, catalog)
        assert suggestion.stage == 1 and suggestion.held == 0
        [reason] = suggestion.reasons
        assert "feelings of your own" in reason.reason and "supervision" in reason.reason

    def test_ones_own_feelings_taken_to_transfer_count_in_favour(self, journal, catalog: Catalog) -> None:
        add_entry(journal, catalog, EntryDraft(
            "my_own_attraction", "Client K", datetime(2026, 3, 2, 14, 0),
            {"what_happened": "x", "documentation_note": "Care transferred to a colleague."},
            flow={"own_involvement": "yes"}))
        suggestion = suggest(journal, catalog)
        assert suggestion.stage is None and (suggestion.held, suggestion.owned) == (0, 1)
        assert suggestion.reason_lines() == [suggestion.owned_text()]
        assert suggestion.owned_text().startswith("In your favour: feelings of your own")
        assert suggestion.owned_text(author=True).startswith("In the author's favour: feelings of their own")

    def test_ones_own_feelings_with_conduct_still_count(self, journal, catalog: Catalog) -> None:
        add_entry(journal, catalog, EntryDraft(
            "my_own_attraction", "Client K", datetime(2026, 3, 2, 14, 0),
            {"what_happened": "x", "documentation_note": "y"}, flow={"own_involvement": "yes"},
            response_review={"met_outside": True}))
        suggestion = suggest(journal, catalog)
        assert suggestion.stage == 3 and (suggestion.held, suggestion.owned) == (0, 0)

    @pytest.mark.parametrize("template", [
        "anonymous_story_slip", "disclosure_without_authorisation", "self_prescribing",
        "unplanned_encounter_not_charted", "token_gift_accepted", "session_drift", "after_hours_call_undocumented",
    ])
    def test_the_clinicians_own_slips_never_count_in_favour(self, journal, catalog: Catalog, template) -> None:
        log(journal, catalog, template)
        assert suggest(journal, catalog).held == 0

    @pytest.mark.parametrize("move", ["policy_defence", "over_justification", "weak_alternative", "partial_cave_in",
                                      "personal_channel", "met_outside", "off_the_record", "shared_personal_life"])
    def test_a_crossing_met_with_a_move_that_worsens_or_conduct_is_not_in_favour(
        self, journal, catalog: Catalog, move
    ) -> None:
        log(journal, catalog, "phone_number_request", did=(move,))
        assert suggest(journal, catalog).held == 0

    def test_the_patients_crossings_are_named_in_the_rule(self, catalog: Catalog) -> None:
        held = set(catalog.slope_rule.held_templates)
        assert {"phone_number_request", "late_night_text", "gift_offered", "social_media_request",
                "meet_outside_invitation", "flirtatious_remark", "expressed_attachment"} <= held
        assert not held & {"anonymous_story_slip", "self_prescribing", "token_gift_accepted", "my_own_attraction",
                           "unplanned_encounter_not_charted", "disclosure_without_authorisation"}

    def test_one_redirecting_reply_on_the_personal_line_is_the_advised_response(
        self, journal, catalog: Catalog
    ) -> None:
        # Seed 004 §3: one redirecting reply where the message arrived, then document. Not a shift, not late contact.
        log(journal, catalog, "late_night_text", channel="text_message", when=datetime(2026, 3, 2, 23, 30),
            did=("personal_channel", "reorient_to_procedure"))
        suggestion = suggest(journal, catalog)
        assert suggestion.stage is None and suggestion.reasons == ()
        assert suggestion.held == 1

    def test_replies_from_a_personal_channel_that_do_not_redirect_still_count(
        self, journal, catalog: Catalog
    ) -> None:
        log(journal, catalog, "late_night_text", channel="text_message", when=datetime(2026, 3, 2, 23, 30),
            did=("personal_channel", "reorient_to_procedure"))
        log(journal, catalog, "late_night_text", channel="text_message", when=datetime(2026, 3, 3, 23, 30),
            did=("personal_channel",))
        suggestion = suggest(journal, catalog)
        assert suggestion.stage == 3
        [personal] = [r for r in suggestion.reasons if "personal phone" in r.reason]
        assert personal.count == 1

    def test_a_redirect_does_not_excuse_other_conduct(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "late_night_text", channel="text_message", when=datetime(2026, 3, 2, 23, 30),
            did=("personal_channel", "reorient_to_procedure", "met_outside"))
        suggestion = suggest(journal, catalog)
        assert suggestion.stage == 3 and suggestion.held == 0

    def test_the_personal_channel_move_says_when_it_does_not_count(self, catalog: Catalog) -> None:
        move = next(m for m in catalog.response_moves if m.id == "personal_channel")
        assert "one reply" in move.text.lower() and "redirect" in move.text and "still count" in move.text

    def test_reasons_in_the_authors_voice(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "gift_offered", did=("met_outside",))
        log(journal, catalog, "gift_offered", when=datetime(2026, 3, 3, 10))
        lines = suggest(journal, catalog).reason_lines(author=True)
        assert lines[0].startswith("Stage 3: The author met the patient outside")
        assert lines[-1].startswith("In the author's favour: 1 request, remark or gift")
        for stage in catalog.slope_stages:
            for evidence in stage.evidence:
                text = slope.in_authors_voice(evidence.reason)
                assert text.startswith("The author ") and not re.search(r"\byou(r|rself)?\b", text, re.I), text

    def test_red_flags_of_the_latest_check_in_in_the_window(self, journal, catalog: Catalog) -> None:
        stage, evidence = next((s, e) for s in catalog.slope_stages for e in s.evidence if e.kind == "red_flag")
        log(journal, catalog, "referral_to_official_channels", channel="clinic_portal")
        selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
            {evidence.values[0]: 2}, relationship="Client K", taken_at=datetime(2026, 3, 5, 9)))
        suggestion = suggest(journal, catalog)
        assert (stage.number, evidence.reason) in [(r.stage, r.reason) for r in suggestion.reasons]
        [flagged] = [r for r in suggestion.reasons if r.kind == "red_flag"]
        assert flagged.text().endswith("(1 item at the check-in of 2026-03-05)")
        assert suggest(journal, catalog, as_of=datetime(2026, 6, 10)).stage is None  # the check-in is old now

    def test_reasons_read_as_lines(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "gift_offered", did=("met_outside",))
        log(journal, catalog, "gift_offered", when=datetime(2026, 3, 3, 10))
        suggestion = suggest(journal, catalog)
        assert suggestion.reason_lines()[0].startswith("Stage 3: You met the patient outside")
        assert "once, last 2026-03-02" in suggestion.reason_lines()[0]
        assert suggestion.reason_lines()[-1].startswith("In your favour: 1 request, remark or gift")
        headline = slope.suggestion_headline(catalog, suggestion)
        assert headline == "Suggested: 3 · Personal channel shift, based on the last 90 days to 2026-03-20"
        assert "→" not in headline

    def test_statuses_list_stage_and_suggestion(self, journal, catalog: Catalog) -> None:
        log(journal, catalog, "personal_question", channel="text_message", did=("personal_channel",))
        log(journal, catalog, "gift_offered", who="Bed 4")
        slope.set_stage(journal, "Client K", 2)
        statuses = {s.pseudonym: s for s in slope.relationship_statuses(journal, catalog, as_of=NOW)}
        assert statuses["Client K"].stage == 2 and statuses["Client K"].entry_count == 1
        assert statuses["Client K"].suggestion.stage >= 3
        assert statuses["Bed 4"].stage is None and statuses["Bed 4"].suggestion.stage is None
        assert statuses["Bed 4"].to_json()["suggestion_window_days"] == 90


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
    """The suggestion worked out the plain way: every entry in the window and the latest check-in, one at a time."""
    since = NOW - timedelta(days=catalog.slope_rule.window_days)
    stored = [e for e in list_entries(journal, EntryFilter(relationship=pseudonym)) if since <= e.occurred <= NOW]
    checks = selfchecks.list_self_checks(journal, catalog, relationship=pseudonym)
    latest = max((c for c in checks if c.taken_at <= NOW), key=lambda c: (c.taken_at, c.id), default=None)
    if latest is not None and latest.taken_at < since:
        latest = None
    ticked = {item for item, level in (latest.answers if latest else {}).items() if level > 0}

    works = {m.id for m in catalog.response_moves if m.kind == "works"}
    worse_or_own = {m.id for m in catalog.response_moves if m.kind in ("worsens", "conduct")}

    def moves(entry) -> set[str]:
        did = {move for move, on in entry.response_review.items() if on}
        if did & works:  # a redirecting reply from the personal line is the advised response
            did.discard("personal_channel")
        return did

    def owned(evidence, entry) -> bool:
        return bool(evidence.unless_flow and entry.flow.get(evidence.unless_flow) == "yes"
                    and entry.fields.get("documentation_note"))

    def matches(evidence, entry) -> bool:
        did = moves(entry)
        if evidence.kind == "template":
            return entry.template in evidence.values and not owned(evidence, entry)
        if evidence.kind == "conduct":
            return bool(did & set(evidence.values))
        if evidence.kind == "after_hours":
            hour, start, end = entry.occurred.hour, evidence.from_hour, evidence.to_hour
            late = (hour >= start or hour < end) if start > end else start <= hour < end
            return late and bool(did & set(evidence.values))
        return False

    reasons = []
    every = [e for s in catalog.slope_stages for e in s.evidence if e.kind != "red_flag"]
    in_favour = [entry for entry in stored if entry.fields.get("documentation_note")
                 and not any(matches(e, entry) for e in every) and not moves(entry) & worse_or_own]
    held = sum(1 for entry in in_favour if entry.template in catalog.slope_rule.held_templates)
    own = sum(1 for entry in in_favour if any(entry.template in e.values and owned(e, entry) for e in every))
    for stage in catalog.slope_stages:
        for evidence in stage.evidence:
            if evidence.kind == "red_flag":
                count = len(ticked & set(evidence.values))
                last = latest.taken_at if latest else None
            else:
                found = [entry.occurred for entry in stored if matches(evidence, entry)]
                count, last = len(found), max(found, default=None)
            if count:
                reasons.append(slope.StageReason(stage.number, evidence.reason, count, last, evidence.kind))
    return slope.StageSuggestion(max((r.stage for r in reasons), default=None),
                                 tuple(sorted(reasons, key=lambda r: -r.stage)), 90, NOW, held, own)


class TestSuggestionsAtOnce:
    """Many relationships' suggestions in a few queries are the same as counting each entry one by one."""

    @pytest.fixture
    def several(self, journal, catalog: Catalog) -> list[str]:
        after = next(e for s in catalog.slope_stages for e in s.evidence if e.kind == "after_hours")
        start, end = after.from_hour, after.to_hour
        assert start is not None and end is not None
        edges = [(start - 1, 59), (start, 0), (23, 59), (0, 0), (end - 1, 59), (end, 0), (12, 0)]
        templates = ["personal_question", "gift_offered", "late_night_text", "my_own_attraction", "session_drift"]
        channels = ["in_person", "text_message", "clinic_portal", "social_dm"]
        moves = [(), ("personal_channel",), ("extra_availability", "works_not"), ("partial_cave_in",), ("met_outside",),
                 ("personal_channel", "reorient_to_procedure"), ("acknowledge_and_limit",)]
        names = ["Client K", "Bed 4", "Ärztin Ö", "Mr Quiet", "Room 9", "Client Z", "Only checked", "Nothing"]
        for index, who in enumerate(names[:6]):
            for number, (hour, minute) in enumerate(edges[: index + 2]):
                log(journal, catalog, templates[(index + number) % 5], channel=channels[(index * number) % 4],
                    when=datetime(2026, 3, 2 + number, hour, minute), who=who,
                    did=tuple(m for m in moves[(index + 2 * number) % 7] if m != "works_not"),
                    flow={"own_involvement": "yes"} if number % 2 else {})
            # An entry before the window does not count, nor one after the moment asked about.
            log(journal, catalog, "late_night_text", when=NOW - timedelta(days=91), who=who, did=("personal_channel",))
            log(journal, catalog, "late_night_text", when=NOW + timedelta(hours=1), who=who, did=("met_outside",))
        # One's own feelings taken to a transfer (in favour), and the same with conduct (not in favour).
        log(journal, catalog, "my_own_attraction", who="Room 9", flow={"own_involvement": "yes"})
        log(journal, catalog, "my_own_attraction", who="Client Z", flow={"own_involvement": "yes"},
            did=("met_outside",))
        flags = [e.values[0] for s in catalog.slope_stages for e in s.evidence if e.kind == "red_flag"]
        for when, who, answers in [
            (datetime(2026, 3, 1, 9), "Client K", {flags[-1]: 2}),
            (datetime(2026, 3, 8, 9), "Client K", {flags[0]: 1}),  # the latest counts
            (datetime(2026, 3, 8, 9), "Bed 4", {flags[1]: 2}),
            (datetime(2026, 3, 8, 9), "Bed 4", {flags[2]: 1}),  # same minute: the later one counts
            (datetime(2026, 3, 8, 9), "Only checked", {flags[-1]: 1}),
            (datetime(2026, 3, 9, 9), None, {flags[-1]: 2}),  # overall: about no relationship
            (NOW - timedelta(days=100), "Room 9", {flags[-1]: 2}),  # before the window
            (NOW + timedelta(days=1), "Client Z", {flags[-1]: 2}),  # after the moment asked about
        ]:
            selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
                answers, relationship=who, taken_at=when))
        with journal.transaction() as session:
            get_or_create_relationship(session, "Nothing")
        return names

    def test_each_relationship_alone(self, journal, catalog: Catalog, several: list[str]) -> None:
        for pseudonym in several:
            assert suggest(journal, catalog, pseudonym) == counted_one_by_one(journal, catalog, pseudonym)

    def test_all_at_once(self, journal, catalog: Catalog, several: list[str]) -> None:
        found = slope.suggest_stages(journal, catalog, several, as_of=NOW)
        assert found == {p: counted_one_by_one(journal, catalog, p) for p in several}
        assert list(found) == [s.pseudonym for s in slope.relationship_statuses(journal, catalog, as_of=NOW)]
        assert any(s.reasons for s in found.values()) and any(s.held for s in found.values())
        assert any(s.owned for s in found.values())
        assert found["Nothing"] == slope.StageSuggestion(None, (), 90, NOW)

    def test_a_few_of_many(self, journal, catalog: Catalog, several: list[str]) -> None:
        found = slope.suggest_stages(journal, catalog, ["bed 4", "Nobody at all"], as_of=NOW)
        assert found == {"Bed 4": counted_one_by_one(journal, catalog, "Bed 4")}
        assert slope.suggest_stages(journal, catalog, []) == {}

    def test_statuses_carry_the_same_suggestions(self, journal, catalog: Catalog, several: list[str]) -> None:
        for status in slope.relationship_statuses(journal, catalog, as_of=NOW):
            assert status.suggestion == counted_one_by_one(journal, catalog, status.pseudonym)

    def test_every_history_at_once(self, journal, catalog: Catalog, several: list[str]) -> None:
        slope.set_stage(journal, "Client K", 3, note="later", when=datetime(2026, 3, 9))
        slope.set_stage(journal, "Client K", 1, note="earlier", when=datetime(2026, 3, 1))
        slope.set_stage(journal, "Bed 4", 2, when=datetime(2026, 3, 5))
        histories = slope.stage_histories(journal)
        assert histories == {p: slope.stage_history(journal, p) for p in ("Client K", "Bed 4")}
        assert [c.note for c in histories["Client K"]] == ["earlier", "later"]
