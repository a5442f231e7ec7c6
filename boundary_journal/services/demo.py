"""A sample journal: years of realistic, made-up entries from the catalogue, for trying the app and for benchmarks.

Everything is drawn from `random.Random(seed)` and dated back from a fixed day, so a seed and a size always
give the same journal. Pseudonyms are invented ("Client K7", "Bed 4 (ward B)"); texts are assembled from the
catalogue's documentation phrasings and response scripts and from neutral sentence fragments. The journal
is marked as sample data in its settings (`is_sample`), and filling refuses a journal that holds anything.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from boundary_journal.catalog import Catalog, Template
from boundary_journal.errors import InvalidInput, JournalExists
from boundary_journal.services.entries import EntryDraft, search_text_for, validate_draft
from boundary_journal.services.relationships import clean_pseudonym
from boundary_journal.services.selfchecks import clean_answers, higher_input_action_text
from boundary_journal.services.weekly import IsoWeek, clean_unease, followup_action_outcome, step_action_text
from boundary_journal.store.journal import Journal
from boundary_journal.store.models import (
    Action,
    Draft,
    Entry,
    Relationship,
    SelfCheck,
    Setting,
    StageChange,
    WeeklyExercise,
)
from boundary_journal.store.storage import create_journal

SAMPLE_KEY = "sample_journal"
MIN_ENTRIES, MAX_ENTRIES = 1, 1_000_000
DEFAULT_SEED = 1
# The sample ends on a fixed Friday, never "today", so a seed always gives the same journal.
LAST_DAY = date(2026, 10, 30)
ENTRIES_PER_WORKING_DAY = 2.0
# Past this many years, a bigger sample is denser rather than longer (a busy service, not a century).
MAX_YEARS = 12
_CHUNK = 5_000
_FTS_INSERT_TRIGGER = "entries_fts_insert"


@dataclass(frozen=True)
class SampleSummary:
    """What a sample journal holds."""

    seed: int
    entries: int
    relationships: int
    self_checks: int
    stage_changes: int
    exercises: int
    actions: int
    first_day: date
    last_day: date


@dataclass(frozen=True)
class SampleInfo:
    """The mark a sample journal carries: how it was made."""

    seed: int
    entries: int


def sample_info(journal: Journal) -> SampleInfo | None:
    """How the journal was made if it is a sample journal, else None."""
    with journal.read() as session:
        stored = session.get(Setting, SAMPLE_KEY)
    if stored is None:
        return None
    seed, count = stored.value.get("seed"), stored.value.get("entries")
    return SampleInfo(seed if isinstance(seed, int) else 0, count if isinstance(count, int) else 0)


def is_sample(journal: Journal) -> bool:
    """True for a journal filled by `fill_sample_journal`: its content is made up, not the clinician's."""
    return sample_info(journal) is not None


def check_entry_count(count: int) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or not MIN_ENTRIES <= count <= MAX_ENTRIES:
        raise InvalidInput(f"A sample journal holds from {MIN_ENTRIES} to {MAX_ENTRIES:,} entries, not {count}.")
    return count


def fill_sample_journal(journal: Journal, catalog: Catalog, *, entries: int, seed: int = DEFAULT_SEED) -> SampleSummary:
    """Fill an empty journal with `entries` made-up entries and the years of self-checks, stage changes, weekly
    exercises and actions around them, in one transaction; a journal that holds anything is refused."""
    check_entry_count(entries)
    plan = _Plan(catalog, entries, seed)
    with journal.transaction() as session:
        _refuse_unless_empty(session)
        session.add(Setting(key=SAMPLE_KEY, value={"seed": seed, "entries": entries}))
        counts = plan.write(session)
    return SampleSummary(seed, entries, first_day=plan.days[0], last_day=plan.days[-1], **counts)


def create_sample_journal(
    path: Path, passphrase: str, catalog: Catalog, *, entries: int, seed: int = DEFAULT_SEED
) -> SampleSummary:
    """Make a new journal at `path` holding only sample data. An existing journal is never touched
    (JournalExists); the journal gets its name only once it is full, so a failed or killed run leaves nothing
    that blocks the next (see storage.create_journal)."""
    check_entry_count(entries)
    if path.exists():
        raise JournalExists(f"A journal already exists at {path}; sample data only ever goes into a new journal.")
    made: list[SampleSummary] = []
    create_journal(path, passphrase, fill=lambda journal: made.append(
        fill_sample_journal(journal, catalog, entries=entries, seed=seed))).close()
    return made[0]


def _refuse_unless_empty(session: Session) -> None:
    held = any(
        session.scalar(select(func.count()).select_from(model))
        for model in (Entry, Relationship, SelfCheck, StageChange, WeeklyExercise, Action, Draft)
    )
    if held or session.get(Setting, SAMPLE_KEY) is not None:
        raise InvalidInput(
            "This journal already holds entries; a sample journal is only ever made in a new, empty journal, "
            "so nothing real is mixed with made-up data."
        )


# -- the words -------------------------------------------------------------------------------------------------

_LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
_WARDS = ("A", "B", "C", "D", "East", "West", "North")
_UNITS = ("group home", "day unit", "rehab", "step-down unit", "outreach", "memory clinic", "youth service")
_PSEUDONYM_FORMS = (
    lambda r: f"Client {r.choice(_LETTERS)}{r.randint(1, 9)}",
    lambda r: f"Bed {r.randint(1, 24)} (ward {r.choice(_WARDS)})",
    lambda r: f"Patient {r.choice(_LETTERS)}{r.randint(10, 99)}",
    lambda r: f"Resident {r.randint(1, 30)} ({r.choice(_UNITS)})",
    lambda r: f"Student {r.choice(_LETTERS)}{r.randint(1, 9)}",
    lambda r: f"Caller {r.randint(100, 999)}",
    lambda r: f"Parent of Client {r.choice(_LETTERS)}{r.randint(1, 9)}",
    lambda r: f"Youth {r.choice(_LETTERS)}{r.randint(1, 9)} (outpatients)",
)

_OPENERS = (
    "At the end of the session,", "During the appointment,", "On the ward round,", "While I was writing up notes,",
    "In the corridor after group,", "At the reception desk,", "As we were booking the next appointment,",
    "Halfway through the session,", "At the start of the visit,", "During the home visit,",
    "On the telephone follow-up,", "Just before handover,", "During the medication review,",
    "While we waited for the lift,", "After the family meeting,", "On the way out to the car park,",
    "During the discharge planning meeting,", "At the end of the telehealth call,", "In the day room,",
    "After the blood test,",
)
_PLACES = (
    "corridor", "waiting room", "car park", "pharmacy queue", "lift", "reception", "day room", "nurses' station",
    "hospital garden", "canteen", "bus stop", "supermarket", "gym", "school gate", "community hall", "library",
    "swimming pool", "train platform", "bakery", "allotment",
)
_TOPICS = (
    "sleep", "medication side effects", "housing", "benefits paperwork", "exams", "grief", "chronic pain",
    "appetite", "returning to work", "a separation", "custody arrangements", "debt", "loneliness", "driving again",
    "a new diagnosis", "a court date", "caring for a parent", "a move abroad", "the anniversary of a loss",
    "a falling-out with a neighbour", "volunteering", "a hospital transfer", "physiotherapy", "night shifts",
)
_PEOPLE = (
    "partner", "daughter", "son", "neighbour", "employer", "landlord", "sister", "brother", "carer", "key worker",
    "housemate", "grandmother", "social worker", "teacher",
)
_FEELINGS = (
    "anxious", "tearful", "relieved", "irritated", "embarrassed", "hopeful", "flat", "restless", "warm",
    "guarded", "apologetic", "cheerful", "tired", "tense",
)
_DETAILS = (
    "They mentioned {topic} and seemed {feeling}.",
    "This came up near the {place}.",
    "Their {person} had been in touch about {topic} earlier in the week.",
    "It was the {ordinal} time this month that something like this came up.",
    "The request came with a story about {topic}.",
    "They said their {person} would not understand.",
    "They apologised twice and laughed it off.",
    "I had stayed late and was the last one on the unit.",
    "It happened in front of a colleague, who said nothing.",
    "They had brought it up before, more tentatively, when we talked about {topic}.",
    "The rest of the visit was about {topic}.",
    "They looked {feeling} when I answered.",
)
_ORDINALS = ("second", "third", "fourth")
_RESPONSES = (
    "I acknowledged the request, named the limit once and offered the usual channels.",
    "I thanked them, declined, and moved us back to {topic}.",
    "I kept it short and friendly, and said where this belongs.",
    "I said I would think about it, which I now regret; I corrected it before they left.",
    "I explained the on-call arrangements and checked they had the numbers saved.",
    "I named what I noticed and kept the time we had for the clinical work.",
)
_PULLS = (
    "rescue", "be liked", "make an exception just this once", "say yes to end the conversation",
    "explain myself at length", "be the only one who understands them", "avoid a difficult moment",
    "prove I am not like the last clinician",
)
_REFLECTIONS = (
    "I noticed a pull to {pull}.",
    "I felt {clinician_feeling} afterwards and wanted to check my response with someone.",
    "Looking back, the line held, but I was slower to say it than I would like.",
    "I think the request was about {topic} more than about me.",
    "This is the kind of moment I used to let slide; writing it down helps.",
    "I was tired and it was late, which made it harder to stay clear.",
    "I want to notice earlier when the conversation drifts.",
)
_CLINICIAN_FEELINGS = ("uneasy", "flattered", "irritated", "guilty", "protective", "unsettled", "fine", "rushed")
_NEXT_STEPS = (
    "Raise it in supervision this week.",
    "Open the next session with what sits behind the request.",
    "Add the missing note to the record today.",
    "Check the on-call arrangements with the team.",
    "Review the safety plan together at the next visit.",
    "Ask a colleague how they handle this with the same patient group.",
    "Keep to the booked time next session and end on time.",
    "Send one redirecting reply through the portal and nothing more.",
    "Talk to the ward manager about a chaperone for future visits.",
    "Reread the team's policy on personal contact.",
)
_EXTRA_FIELDS = {
    "safety_plan_checked": ("Yes: crisis and on-call numbers checked and saved together.",
                            "Partly: on-call number saved; crisis plan to revisit next visit."),
    "consent_informed": ("Explained what the arrangement means, its limits and alternatives; understood.",),
    "consent_voluntary": ("Offered without pressure; the patient could say no without any effect on care.",),
    "consent_scope": ("Limited to appointment changes; no clinical advice through this channel.",),
    "consent_documented": ("Recorded in the clinical record the same day.",),
    "context_factors": ("Rural area with a long way to the nearest clinic; limited phone reception.",),
    "supervision_consult": ("My supervisor, at our next meeting.", "The ethics service, by appointment."),
    "reported_to": ("The privacy office, the same day.",),
    "dual_role_rationale": ("No other clinician within reach; roles kept apart and discussed openly.",),
}
# "after-hours" and "weekend" are added by the time of the entry, not drawn.
_TAGS = (
    "follow-up", "recurring", "first-time", "handover", "outpatients", "home-visit", "ward", "team",
    "telehealth", "discharge", "family", "student", "on-call", "boundaries", "documentation", "new-patient",
)
_STAGE_NOTES = (
    "Moved up after several out-of-hours messages.", "Back down after the conversation in supervision.",
    "Agreed with my supervisor.", "More personal contact than I would like.", "", "",
)
_UNEASE = (
    "keeps asking for extra time at the end and I keep giving it",
    "has started messaging between sessions and I have not yet redirected it",
    "brought a gift again and I am not sure how to say no kindly",
    "asks about my weekend and I find myself answering",
    "seems to see me as the only one who understands them",
    "invited me to their community event and I said I would think about it",
    "asked for a prescription outside a visit and I hesitated",
    "is someone I also see at the gym and the roles blur",
    "is on my mind outside work more than I would expect",
    "asked for my personal number and I left it open",
)
_OTHER_MOVES = ("Reread the contact policy", "Ask the team about cover", "Write the late note")
_OUTCOME_NOTES = ("", "", "Went as planned.", "Shorter than I hoped, but it happened.", "Postponed once.",
                  "Supervisor suggested a clearer script.", "Redirect sent; no reply since.")
_CHECK_NOTES = ("", "", "", "A calmer week.", "Several messages this week.", "Felt stretched thin.")
_CHECK_CONTEXT = ("", "", "Short-staffed on the unit.", "Back from leave.", "Exams season for the students.",
                  "A difficult week at home.")
_FILLERS = {
    "date": "that day", "date, time": "that evening", "time": "late evening", "minutes": "twenty", "topic": "sleep",
    "summary": "keep to the plan and call the clinic in the morning", "portal": "the patient portal",
    "patient portal": "the patient portal", "clinic number": "the clinic line", "clinic line": "the clinic line",
    "office line": "the office line", "hospital line": "the hospital line", "type": "chocolates", "times": "twice",
    "hours": "office hours", "patient's words": "I wish you were my friend",
}
_PLACEHOLDER = re.compile(r"\[([^\]]+)\]")
_ANY_EXTRA = ("Discussed and noted in the record.",)
_TAG_COUNTS = (0, 0, 1, 1, 1, 2, 3)
_LATE_TEMPLATES = frozenset({"late_night_text", "after_hours_call_undocumented"})
_WEEKEND_CATEGORIES = frozenset({"dual_relationship", "outside_contact"})
_HEAVY_CATEGORIES = frozenset({"romantic_sexual", "favour_prescribing", "confidentiality"})
# The sample's own conduct (see `_Plan._own_conduct`): from this greyness on, the clinician's side drifts too.
_GREY_CONDUCT = 0.6
_LOOK_BACK_SLIPS = ("policy_defence", "over_justification", "weak_alternative")
_CONDUCT_BY_GREY = (
    ("shared_personal_life", "extra_availability"),
    ("extra_availability", "personal_channel", "personal_channel", "met_outside", "off_the_record"),
)
T = TypeVar("T")


# -- the plan --------------------------------------------------------------------------------------------------


@dataclass
class _Person:
    """One made-up relationship: when it is active, how grey it gets, and which templates it tends to need."""

    id: int
    pseudonym: str
    first: int  # day indexes into the plan's days
    last: int
    weight: float
    grey: float
    themes: tuple[Template, ...]
    stages: list[tuple[int, int, str]] = field(default_factory=list)  # (day index, stage, note)


class _Plan:
    def __init__(self, catalog: Catalog, count: int, seed: int) -> None:
        self.catalog = catalog
        self.count = count
        self.random = random.Random(seed)
        per_day = max(ENTRIES_PER_WORKING_DAY, count / (MAX_YEARS * 261))
        working_days = max(5, math.ceil(count / per_day))
        self.days = _working_days_back(LAST_DAY, working_days)
        self.templates = catalog.templates
        self.template_weights = [_template_weight(t) for t in self.templates]
        self._template_cumulative = list(itertools.accumulate(self.template_weights))
        self._template_total = self._template_cumulative[-1]
        self.channel_ids = [c.id for c in catalog.channels]
        # The look-back of seed 002 on declined requests; the partial cave-in and the clinician's own conduct are
        # drawn apart, from their own generator (so the rest of the sample stays as it was), for grey
        # relationships only: most of a practice is patients' requests held by the book.
        self._move_ids = [m.id for m in catalog.response_moves if m.kind == "works" or m.id in _LOOK_BACK_SLIPS]
        self._conduct = random.Random(seed + 1)
        self._own_templates = {v for st in catalog.slope_stages for e in st.evidence if e.kind == "template"
                               for v in e.values}
        self.scripts = {s.id: s for s in catalog.scripts}
        self.people = self._people()
        self._buckets = self._active_by_month()
        self._checked: set[str] = set()
        self._texts()

    # -- who ------------------------------------------------------------------------------------------------

    def _people(self) -> list[_Person]:
        r = self.random
        wanted = min(200, max(40, 40 + self.count // 500))
        names: dict[str, str] = {}
        while len(names) < wanted:
            name = clean_pseudonym(r.choice(_PSEUDONYM_FORMS)(r))
            names.setdefault(name.casefold(), name)
        span = len(self.days)
        people = []
        for index, name in enumerate(names.values(), start=1):
            length = min(span, int(span * r.uniform(0.08, 0.5)) + 20)
            first = r.randint(0, max(0, span - length))
            grey = r.random() ** 2  # most relationships stay clear; a few get grey
            themes = tuple(r.choices(self.templates, weights=self.template_weights, k=r.randint(2, 3)))
            person = _Person(index, name, first, first + length - 1, r.uniform(0.3, 1.0) + 2 * grey, grey, themes)
            person.stages = self._stage_plan(person)
            people.append(person)
        return people

    def _stage_plan(self, person: _Person) -> list[tuple[int, int, str]]:
        r = self.random
        if person.grey < 0.25:
            return []
        top = min(5, 1 + round(person.grey * 4))
        moments = sorted(r.randint(person.first, person.last) for _ in range(r.randint(1, top)))
        stages, stage = [], 1
        for moment in moments:
            stage = min(top, stage + 1) if r.random() < 0.8 or stage == 1 else stage - 1
            stages.append((moment, stage, r.choice(_STAGE_NOTES)))
        return stages

    def _active_by_month(self) -> dict[int, tuple[list[_Person], list[float]]]:
        """Per block of ~20 working days: the relationships active then and their cumulative weights."""
        buckets: dict[int, tuple[list[_Person], list[float]]] = {}
        for block in range(len(self.days) // 20 + 1):
            start, end = block * 20, block * 20 + 19
            active = [p for p in self.people if p.first <= end and p.last >= start] or self.people
            cumulative, total = [], 0.0
            for person in active:
                total += person.weight
                cumulative.append(total)
            buckets[block] = (active, cumulative)
        return buckets

    def person_on(self, day_index: int) -> _Person:
        active, cumulative = self._buckets[day_index // 20]
        return active[bisect.bisect_left(cumulative, self.random.random() * cumulative[-1])]

    # -- writing ----------------------------------------------------------------------------------------------

    def write(self, session: Session) -> dict[str, int]:
        session.execute(insert(Relationship), [self._relationship_row(p) for p in self.people])
        actions: list[dict[str, Any]] = []
        with _index_rebuilt_after(session):
            for rows in _chunks(self._entry_rows(actions), _CHUNK):
                session.execute(insert(Entry), rows)
        stage_rows = [
            {"relationship_id": p.id, "stage": stage, "set_at": self._moment(day, 17), "note": note}
            for p in self.people for day, stage, note in p.stages
        ]
        if stage_rows:
            session.execute(insert(StageChange), stage_rows)
        checks = self._self_check_rows(actions)
        if checks:
            session.execute(insert(SelfCheck), checks)
        exercises = self._exercise_rows(actions)
        for index, action in enumerate(actions, start=1):
            action["id"] = index
        if actions:
            session.execute(insert(Action), actions)
        if exercises:
            session.execute(insert(WeeklyExercise), exercises)
        return {
            "relationships": len(self.people), "self_checks": len(checks), "stage_changes": len(stage_rows),
            "exercises": len(exercises), "actions": len(actions),
        }

    def _relationship_row(self, person: _Person) -> dict[str, Any]:
        ended_long_ago = person.last < len(self.days) - 130
        return {
            "id": person.id, "pseudonym": person.pseudonym, "status": "closed" if ended_long_ago else "active",
            "created_at": self._moment(person.first, 8), "context": {}, "consent": {},
        }

    def _moment(self, day_index: int, hour: int) -> datetime:
        return datetime.combine(self.days[day_index], time(hour, self.random.randint(0, 59)))

    def _entry_rows(self, actions: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        rand, pick = self.random.random, self._pick
        span = len(self.days)
        for index in range(self.count):
            day = min(span - 1, int((index + rand()) * span / self.count))
            person = self.person_on(day)
            template = pick(person.themes) if rand() < 0.6 else self._weighted_template()
            template = self._as_lived(person, template)
            occurred = self._occurred(day, template)
            entry_id = index + 1
            row = self._entry_row(entry_id, person, template, occurred)
            if "next_step" in row["fields"] and rand() < 0.03:
                due = occurred.date() + timedelta(days=7)
                done = rand() < 0.85 and due < LAST_DAY
                actions.append({
                    "text": row["fields"]["next_step"], "origin": "entry", "origin_id": entry_id,
                    "relationship_id": person.id, "created_at": row["created_at"], "due_on": due,
                    "done_at": datetime.combine(due, time(16, 30)) if done else None,
                    "outcome": "Done." if done else "",
                })
            yield row

    def _pick(self, items: Sequence[T]) -> T:
        # random.choice draws more bits than needed; at a million entries the difference is seconds.
        return items[int(self.random.random() * len(items))]

    def _weighted_template(self) -> Template:
        spot = self.random.random() * self._template_total
        return self.templates[bisect.bisect_left(self._template_cumulative, spot)]

    def _occurred(self, day: int, template: Template) -> datetime:
        rand = self.random.random
        late = template.id in _LATE_TEMPLATES or rand() < 0.05
        hour = 19 + int(rand() * 5) if late else 8 + int(rand() * 10)
        moment = datetime.combine(self.days[day], time(hour, int(rand() * 60)))
        friday = self.days[day].weekday() == 4 and self.days[day] < LAST_DAY
        if friday and template.category in _WEEKEND_CATEGORIES and rand() < 0.5:
            moment += timedelta(days=1 + int(rand() * 2))  # a chance meeting at the weekend
        return moment

    def _entry_row(self, entry_id: int, person: _Person, template: Template, occurred: datetime) -> dict[str, Any]:
        rand, pick = self.random.random, self._pick
        fields = self._fields(template, person)
        channel = template.default_channel if rand() < 0.7 else pick(self.channel_ids)
        tags = sorted({pick(_TAGS) for _ in range(pick(_TAG_COUNTS))})
        if occurred.hour >= 19:
            tags.append("after-hours")
        if occurred.weekday() >= 5:
            tags.append("weekend")
        supervision_chance = 0.06 + 0.3 * person.grey
        if template.category in _HEAVY_CATEGORIES:
            supervision_chance += 0.3
        flow: dict[str, str] = {}
        if rand() < 0.3:
            for rule_id in template.escalation:
                yes = rand() < (0.03 if rule_id == "acute_risk" else 0.2 + 0.3 * person.grey)
                flow[rule_id] = "yes" if yes else "no"
        review: dict[str, bool] = {}
        if template.review_response and rand() < 0.35:
            review = {pick(self._move_ids): True for _ in range(1 + int(rand() * 2))}
        review.update(self._own_conduct(person, occurred, template))
        self._check_once(template, person, occurred, fields, channel, tags, flow, review)
        stamp = occurred + timedelta(minutes=5 + int(rand() * 235))
        return {
            "id": entry_id, "occurred": occurred, "relationship_id": person.id, "category": template.category,
            "channel": channel, "template": template.id, "fields": fields, "tags": tags,
            "supervision": rand() < supervision_chance, "flow": flow, "response_review": review,
            "search_text": search_text_for(person.pseudonym, fields, tags),
            "created_at": stamp, "updated_at": stamp + timedelta(days=1) if rand() < 0.05 else stamp,
        }

    def _as_lived(self, person: _Person, template: Template) -> Template:
        """Entries about the clinician's own feelings or contact (my own attraction, a call taken after hours,
        a session that ran on) belong to the grey relationships; elsewhere the patient's side of the same
        category is logged instead."""
        if template.id not in self._own_templates or person.grey >= _GREY_CONDUCT:
            return template
        return next((t for t in self.templates if t.category == template.category and t.id not in
                     self._own_templates and t.review_response), template)

    def _own_conduct(self, person: _Person, occurred: datetime, template: Template) -> dict[str, bool]:
        """What the clinician did on their side, for the few grey relationships, growing over their time in the
        sample (the slope), so a few relationships show real drift and most show none."""
        if person.grey < _GREY_CONDUCT:
            return {}
        r = self._conduct
        start, end = self.days[person.first], self.days[person.last]
        progress = min(1.0, (occurred.date() - start).days / max(1, (end - start).days))
        if r.random() > (person.grey - 0.5) * max(0.0, progress):
            return {}
        moves = _CONDUCT_BY_GREY[1] if person.grey >= 0.8 else _CONDUCT_BY_GREY[0]
        ticked = {moves[int(r.random() * len(moves))]: True}
        if template.review_response and r.random() < 0.3:
            ticked["partial_cave_in"] = True
        return ticked

    def _check_once(self, template: Template, person: _Person, occurred: datetime, fields: dict[str, str],
                    channel: str, tags: Sequence[str], flow: dict[str, str], review: dict[str, bool]) -> None:
        """Validate the first entry of each template against the catalogue, as the app would on saving.

        The rest are made by the same code from the same fragments; validating each would cost more than writing.
        """
        if template.id in self._checked:
            return
        draft = EntryDraft(template.id, person.pseudonym, occurred, dict(fields), channel, tuple(tags),
                           False, dict(flow), dict(review))
        checked = validate_draft(self.catalog, draft)
        if checked.fields != fields or checked.tags != list(tags):
            raise AssertionError(f"the sample text for {template.id} does not survive validation unchanged")
        self._checked.add(template.id)

    # -- texts ------------------------------------------------------------------------------------------------

    def _texts(self) -> None:
        """Render the sentence pools once; each entry then picks from them (varied words, few random draws)."""
        r = self.random
        self._details = [
            " ".join(self._words(d) for d in r.sample(_DETAILS, k=r.randint(1, 3))) for _ in range(3_000)
        ]
        self._responses = [self._words(r.choice(_RESPONSES)) for _ in range(300)]
        self._reflections = [
            " ".join(self._words(x) for x in r.sample(_REFLECTIONS, k=r.randint(1, 2))) for _ in range(1_500)
        ]
        self._said = {
            t.id: [f' I said: "{self._fill(self.scripts[s].text)}"' for s in t.scripts for _ in range(3)]
            for t in self.templates
        }
        self._notes = {t.id: [self._fill(p) for p in t.phrasings for _ in range(4)] for t in self.templates}

    def _fill(self, text: str) -> str:
        r = self.random

        def one(match: re.Match[str]) -> str:
            inner = match.group(1)
            words = r.choice(inner.split(" / ")) if " / " in inner else _FILLERS.get(inner, f"the {inner}")
            before = text[: match.start()].rstrip()
            starts_sentence = not before or before[-1] == "."
            return words[0].upper() + words[1:] if starts_sentence else words

        return _PLACEHOLDER.sub(one, text)

    def _words(self, text: str) -> str:
        r = self.random
        return text.format(
            topic=r.choice(_TOPICS), feeling=r.choice(_FEELINGS), place=r.choice(_PLACES), person=r.choice(_PEOPLE),
            ordinal=r.choice(_ORDINALS), pull=r.choice(_PULLS), clinician_feeling=r.choice(_CLINICIAN_FEELINGS),
        )

    def _fields(self, template: Template, person: _Person) -> dict[str, str]:
        rand, pick = self.random.random, self._pick
        fields = {
            "what_happened": f"{template.title}. {pick(_OPENERS)} {person.pseudonym} raised it. {pick(self._details)}"
        }
        if rand() < 0.75:
            said = self._said[template.id]
            fields["my_response"] = pick(self._responses) + (pick(said) if said and rand() < 0.6 else "")
        fields["documentation_note"] = pick(self._notes[template.id])
        if rand() < 0.6:
            fields["reflection"] = pick(self._reflections)
        if rand() < 0.55:
            fields["next_step"] = pick(_NEXT_STEPS)
        for extra in template.fields[5:]:
            if extra.required or rand() < 0.5:
                fields[extra.key] = pick(_EXTRA_FIELDS.get(extra.key, _ANY_EXTRA))
        return fields

    # -- around the entries ---------------------------------------------------------------------------------

    def _weeks(self) -> list[tuple[IsoWeek, int]]:
        """Each ISO week of the sample with the index of its first working day."""
        weeks: dict[IsoWeek, int] = {}
        for index, day in enumerate(self.days):
            weeks.setdefault(IsoWeek.of(day), index)
        return list(weeks.items())

    def _self_check_rows(self, actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        r = self.random
        flags = self.catalog.red_flags
        rows: list[dict[str, Any]] = []
        for _week, first in self._weeks():
            if r.random() > 0.55:
                continue
            day = min(len(self.days) - 1, first + r.randint(0, 4))
            person = self.person_on(day) if r.random() < 0.7 else None
            grey = person.grey if person else 0.15
            # A grey relationship's answers rise over its time in the sample, so trends have a slope.
            progress = (day - person.first) / max(1, person.last - person.first) if person else 0.5
            intensity = grey * (0.4 + 0.8 * progress)
            # The items that call for a supervisor at once are rare, as they are in a steady practice; a
            # sample that marked them weekly would greet its reader with dozens of warnings.
            answers = {f.id: (2 if (x := r.random()) < scaled * 0.25 else 1 if x < scaled * 0.7 else 0)
                       for f in flags for scaled in [intensity * (0.12 if f.warrants_higher_input else 1)]}
            answers = clean_answers(self.catalog, answers, {})
            check_id = len(rows) + 1
            taken = self._moment(day, r.choice((12, 17, 18, 21)))
            rows.append({
                "id": check_id, "taken_at": taken, "relationship_id": person.id if person else None,
                "answers": answers, "item_notes": {}, "note": r.choice(_CHECK_NOTES),
                "context": r.choice(_CHECK_CONTEXT), "created_at": taken,
            })
            if any(answers[f.id] and f.warrants_higher_input for f in flags):
                done = r.random() < 0.8 and day < len(self.days) - 10
                actions.append({
                    "text": higher_input_action_text(self.catalog, person.pseudonym if person else None),
                    "origin": "self_check", "origin_id": check_id, "relationship_id": person.id if person else None,
                    "created_at": taken, "due_on": None,
                    "done_at": taken + timedelta(days=r.randint(2, 14)) if done else None,
                    "outcome": "Raised in supervision." if done else "",
                })
        return rows

    def _exercise_rows(self, actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The weekly exercise in streaks over the years, each with its step's action and most with a follow-up."""
        r = self.random
        moves = self.catalog.weekly_moves
        weeks = self._weeks()
        rows: list[dict[str, Any]] = []
        doing = False
        for position, (week, first) in enumerate(weeks):
            doing = r.random() < (0.85 if doing else 0.35)
            if not doing:
                continue
            person = max((self.person_on(first) for _ in range(3)), key=lambda p: p.grey)
            unease = clean_unease(f"{person.pseudonym} {r.choice(_UNEASE)}.")
            move = r.choice(moves) if r.random() < 0.3 else r.choice(moves[:-1])  # the free-text move is rarer
            other = r.choice(_OTHER_MOVES) if move.id == "other" else ""
            on = week.monday + timedelta(days=r.randint(1, 4))
            at = time(r.choice((8, 9, 12, 16)), r.choice((0, 30))) if r.random() < 0.5 else None
            made = datetime.combine(week.monday, time(8, r.randint(0, 59)))
            last = position == len(weeks) - 1
            outcome = None if last or r.random() < 0.12 else r.choices(("done", "partly", "not_done"), (6, 2, 2))[0]
            note = r.choice(_OUTCOME_NOTES) if outcome else ""
            answered = datetime.combine(on + timedelta(days=r.randint(1, 6)), time(9, 0)) if outcome else None
            actions.append({
                "text": step_action_text(self.catalog, move.id, other, person.pseudonym), "origin": "exercise",
                "origin_id": len(rows) + 1, "relationship_id": person.id, "created_at": made, "due_on": on,
                "done_at": answered, "outcome": followup_action_outcome(outcome, note) if outcome else "",
            })
            rows.append({
                "id": len(rows) + 1, "iso_year": week.year, "iso_week": week.week, "relationship_id": person.id,
                "unease": unease, "move": move.id, "move_other": other, "on_date": on, "at_time": at,
                "action_id": len(actions), "outcome": outcome, "outcome_note": note, "outcome_at": answered,
                "followup_offered_on": None if last else week.monday + timedelta(days=7),
                "created_at": made, "updated_at": answered or made,
            })
        return rows


@contextlib.contextmanager
def _index_rebuilt_after(session: Session) -> Iterator[None]:
    """Index the entries once at the end instead of row by row (five times faster), inside the caller's transaction.

    The insert trigger is lifted and put back exactly as the schema has it (its SQL is read from the journal),
    and the full-text index is rebuilt from the entries; DDL is transactional in SQLite, so a failure anywhere
    rolls all of it back with the entries.
    """
    connection = session.connection()
    trigger = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_FTS_INSERT_TRIGGER,)
    ).scalar()
    if trigger is None:  # the schema indexes entries some other way: leave it to do so
        yield
        return
    connection.exec_driver_sql(f"DROP TRIGGER {_FTS_INSERT_TRIGGER}")
    yield
    connection.exec_driver_sql(trigger)
    connection.exec_driver_sql("INSERT INTO entries_fts(entries_fts) VALUES ('rebuild')")


def _template_weight(template: Template) -> float:
    """How often a template is used: everyday requests often, the rarer and heavier moments seldom."""
    rare = {"romantic_sexual": 0.3, "favour_prescribing": 0.4, "confidentiality": 0.2, "dual_relationship": 0.5}
    common = {"phone_number_request": 3.0, "late_night_text": 2.5, "personal_question": 3.0, "session_drift": 2.5,
              "gift_offered": 2.0, "referral_to_official_channels": 1.5}
    return common.get(template.id, rare.get(template.category, 1.0))


def _working_days_back(last: date, count: int) -> list[date]:
    """`count` working days (Monday to Friday) ending on or before `last`, oldest first."""
    days: list[date] = []
    day = last
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    days.reverse()
    return days


def _chunks(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
