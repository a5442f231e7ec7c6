"""What a supervision summary or an ethics-consult brief shows, gathered from the services as plain data.

A document prints one of these and nothing else, so the de-identification check reads exactly what leaves:
`outgoing` lists every piece of user-written text in it, `redacted` blanks chosen strings in all of that text.
No ReportLab here: the window and the CLI gather and check a document without loading it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.services import deidentify, identifier_gate, settings
from boundary_journal.services.actions import ActionView, list_actions
from boundary_journal.services.entries import EntryFilter, EntryView, list_entries
from boundary_journal.services.escalation import answered_questions, recommended_steps, step_text
from boundary_journal.services.relationships import (
    CONSENT_FIELDS,
    CONTEXT_FIELDS,
    confirmed_pseudonyms,
    get_relationship,
    list_relationships,
)
from boundary_journal.services.selfchecks import SelfCheckView, list_self_checks
from boundary_journal.services.slope import (
    StageChangeView,
    StageSuggestion,
    stage_histories,
    stage_history,
    suggest_stage,
    suggest_stages,
)
from boundary_journal.services.validation import clean_text
from boundary_journal.services.weekly import ExerciseView, list_exercises
from boundary_journal.store.journal import Journal

MAX_DISPLAY_NAME_LENGTH = 200
MAX_QUESTIONS = 50
# The brief is a factual account for a committee: what happened, the response, the neutral note and what was
# decided, not the reflection.
BRIEF_FIELDS = ("what_happened", "my_response", "documentation_note", "next_step")
OUTCOME_LABELS = {"done": "Done", "not_done": "Not done", "partly": "Partly done"}
_LABEL = "user_text"
_PSEUDONYM = "pseudonym"
# Where a pseudonym finding is said to be; the pseudonym itself tells which relationship.
PSEUDONYM_RECORD = "pseudonym"


def _user_text(label: str, **kwargs: Any) -> Any:
    """A field holding what the clinician wrote: listed by `outgoing`, blanked by `redacted`.

    `label` names the field in a finding's location; a tuple of texts is numbered ("Question 2").
    """
    return field(metadata={_LABEL: label}, **kwargs)


def _pseudonym() -> Any:
    """A field holding a relationship's pseudonym: listed once per pseudonym by `outgoing`, blanked by `redacted`."""
    return field(metadata={_PSEUDONYM: True})


@dataclass(frozen=True)
class FieldText:
    """One filled field of an entry, with its template label."""

    key: str
    label: str
    text: str = _user_text("")

    def _where(self) -> str:
        return self.label

    def _text_key(self, _name: str) -> str:
        return self.key


@dataclass(frozen=True)
class FlowAnswer:
    """A decision-flow question (catalogue text) and the clinician's yes or no."""

    rule_id: str
    question: str
    answer: str


@dataclass(frozen=True)
class EntryRecord:
    _record: ClassVar[str] = "entry"

    id: int
    occurred: datetime
    relationship: str = _pseudonym()
    category: str
    category_label: str
    channel: str
    channel_label: str
    channel_risk: int | None
    template: str
    template_title: str
    supervision: bool
    fields: tuple[FieldText, ...]
    tags: tuple[str, ...] = _user_text("Tag")
    flow: tuple[FlowAnswer, ...] = ()
    steps: tuple[str, ...] = ()  # recommended by the decision flow; catalogue text
    response_moves: tuple[str, ...] = ()  # the response look-back's ticked moves; catalogue labels

    def _where(self) -> str:
        return f"Entry {self.occurred:%Y-%m-%d %H:%M} · {self.relationship}"

    def text(self, key: str) -> str:
        """The text of a field by key, or "" when it was left empty."""
        return next((f.text for f in self.fields if f.key == key), "")

    @property
    def documentation_note(self) -> str:
        return self.text("documentation_note")

    @property
    def my_response(self) -> str:
        return self.text("my_response")

    @property
    def reflection(self) -> str:
        return self.text("reflection")

    @property
    def next_step(self) -> str:
        return self.text("next_step")


@dataclass(frozen=True)
class Count:
    """How many entries fall in one category or channel; `risk` is seed 004's chart value for a channel."""

    id: str
    label: str
    count: int
    risk: int | None = None


@dataclass(frozen=True)
class RelationshipStage:
    pseudonym: str = _pseudonym()
    entries: int  # in the document's period (the supervision summary) or in all (the brief)
    stage: int | None  # the stage the clinician last set; None when never set
    stage_label: str
    suggested_stage: int | None  # what the clinician's own conduct in the window suggests; None: nothing does
    suggested_label: str
    suggested_basis: str = ""  # "based on the last 90 days to 2026-03-31"
    suggested_reasons: tuple[str, ...] = ()  # one line per reason, then the one in the clinician's favour


@dataclass(frozen=True)
class TrendPoint:
    """One check-in: its score, the red flags ticked (catalogue text), and those that need a second view."""

    taken_at: datetime
    percent: int
    ticked: tuple[str, ...] = ()
    higher_input: tuple[str, ...] = ()


@dataclass(frozen=True)
class StageMark:
    """A stage the clinician set, with the one before it."""

    _record: ClassVar[str] = "stage_change"

    relationship: str = _pseudonym()
    set_at: datetime
    stage: int
    label: str
    previous: int | None
    note: str = _user_text("Note")

    def _where(self) -> str:
        return f"Stage change {self.set_at:%Y-%m-%d %H:%M} · {self.relationship}"


@dataclass(frozen=True)
class Trend:
    """Self-check scores over time for one relationship, or the overall check-ins (`relationship` None)."""

    relationship: str | None = _pseudonym()
    points: tuple[TrendPoint, ...]
    stage_changes: tuple[StageMark, ...]

    @property
    def title(self) -> str:
        return self.relationship if self.relationship is not None else "Overall (not about one relationship)"


@dataclass(frozen=True)
class ExerciseRecord:
    _record: ClassVar[str] = "exercise"

    id: int
    week: str  # ISO week, e.g. 2026-W10
    on: date
    relationship: str = _pseudonym()
    move: str
    move_label: str  # catalogue label; for "other" the clinician's words are in move_other
    outcome: str | None  # done | not_done | partly; None before the follow-up
    outcome_label: str
    unease: str = _user_text("What makes it feel grey")
    move_other: str = _user_text("Other move")
    outcome_note: str = _user_text("Outcome note")

    def _where(self) -> str:
        return f"Weekly exercise {self.week} · {self.relationship}"


@dataclass(frozen=True)
class ActionRecord:
    _record: ClassVar[str] = "action"

    id: int
    relationship: str | None = _pseudonym()
    created: datetime
    due_on: date | None
    done_at: datetime | None
    status: str  # done | overdue | due | open, as of the day the document was made
    text: str = _user_text("Action")
    outcome: str = _user_text("Outcome")

    def _where(self) -> str:
        return f"Action {self.id}" + (f" · {self.relationship}" if self.relationship else "")


@dataclass(frozen=True)
class LabelledText:
    """One part of a relationship's context (seed 001 §6) or consent record (seed 001 §8); "" if not recorded."""

    _record: ClassVar[str] = "relationship"

    group: str  # context | consent
    key: str
    label: str
    text: str = _user_text("")

    def _where(self) -> str:
        return f"{self.group.capitalize()} · {self.label}"

    def _text_key(self, _name: str) -> str:
        return f"{self.group}.{self.key}"


@dataclass(frozen=True)
class SupervisionPacket:
    """Everything the supervision summary shows for the period [date_from, date_to]."""

    _record: ClassVar[str] = "export"

    date_from: date
    date_to: date
    made: datetime
    display_name: str = _user_text("Display name")  # typed at export time; "" for none
    all_entries: bool  # False: only the entries marked "bring to supervision"
    entries_in_period: int
    categories: tuple[Count, ...]  # over every entry in the period, most frequent first
    channels: tuple[Count, ...]
    relationships: tuple[RelationshipStage, ...]
    questions: tuple[str, ...] = _user_text("Question")  # "questions I want to bring", typed at export time
    trends: tuple[Trend, ...]  # the overall check-ins first, then by relationship
    entries: tuple[EntryRecord, ...]
    exercises: tuple[ExerciseRecord, ...]
    # Those due, done or opened in the period: overdue first, then due today, open, done.
    actions: tuple[ActionRecord, ...]
    older_open: int = 0  # open actions opened before the period and not due in it
    # Set by `with_check` once scanned: how many findings were left in on purpose; None = never checked.
    unresolved_findings: int | None = None

    @property
    def overdue(self) -> int:
        return sum(1 for a in self.actions if a.status == "overdue")

    @property
    def check_ins(self) -> int:
        return sum(len(t.points) for t in self.trends)


@dataclass(frozen=True)
class EthicsBrief:
    """Everything the ethics-consult brief shows for one relationship, over its whole history."""

    _record: ClassVar[str] = "export"

    pseudonym: str = _pseudonym()
    status: str
    made: datetime
    display_name: str = _user_text("Display name")
    questions: tuple[str, ...] = _user_text("Question")  # the questions for the consultation, typed at export time
    stage: RelationshipStage
    context: tuple[LabelledText, ...]  # every seed 001 §6 part, in order, "" where nothing is recorded
    consent: tuple[LabelledText, ...]  # every seed 001 §8 part, likewise
    entries: tuple[EntryRecord, ...]  # oldest first, with the documentation note and next step only
    trend: Trend
    actions: tuple[ActionRecord, ...]  # open ones first, then done ones
    unresolved_findings: int | None = None

    @property
    def has_context(self) -> bool:
        return any(part.text for part in self.context)

    @property
    def has_consent(self) -> bool:
        return any(part.text for part in self.consent)

    @property
    def missing_consent(self) -> tuple[LabelledText, ...]:
        return tuple(part for part in self.consent if not part.text)


Document = TypeVar("Document", SupervisionPacket, EthicsBrief)


# -- gathering -------------------------------------------------------------------------------------------


def gather_supervision(
    journal: Journal,
    catalog: Catalog,
    *,
    date_from: date,
    date_to: date,
    all_entries: bool = False,
    display_name: str = "",
    questions: Iterable[str] = (),
    made: datetime | None = None,
) -> SupervisionPacket:
    """Collect the supervision summary of a period: the marked entries (or all), trends, exercises, and the
    actions due, done or opened in the period."""
    if date_from > date_to:
        raise InvalidInput(f"The start date {date_from} is after the end date {date_to}.")
    made = _made(made)
    name = _display_name(display_name)
    asked = _questions(questions)

    in_period = _chronological(list_entries(journal, EntryFilter(date_from=date_from, date_to=date_to)))
    shown = in_period if all_entries else [e for e in in_period if e.supervision]

    def within(moment: datetime | date) -> bool:
        day = moment.date() if isinstance(moment, datetime) else moment
        return date_from <= day <= date_to

    checks = list_self_checks(journal, catalog, date_from=date_from, date_to=date_to)
    exercises = [e for e in list_exercises(journal) if within(e.on)]
    histories = stage_histories(journal)

    per_relationship: dict[str, int] = {}
    for entry in in_period:
        per_relationship[entry.relationship] = per_relationship.get(entry.relationship, 0) + 1
    involved = set(per_relationship) | {e.relationship for e in exercises}
    involved |= {c.relationship for c in checks if c.relationship is not None}
    involved |= {p for p, history in histories.items() if any(within(c.set_at) for c in history)}
    # Only the relationships the period involves: their suggestions read all their entries, not just the period's.
    # The window of recent conduct ends with the period (or now, for a period that has not ended).
    as_of = min(made, datetime.combine(date_to, datetime.max.time()).replace(microsecond=0))
    suggestions = suggest_stages(journal, catalog, involved, as_of=as_of)
    stages = [
        _stage(catalog, pseudonym, per_relationship.get(pseudonym, 0), histories.get(pseudonym, []), suggestion)
        for pseudonym, suggestion in suggestions.items()
    ]
    # The supervisor reads the furthest-along relationships first.
    stages.sort(key=lambda r: (-(r.stage or 0), r.pseudonym.casefold()))

    trends: list[Trend] = []
    overall = [c for c in checks if c.relationship is None]
    if overall:
        trends.append(Trend(None, _points(catalog, overall), ()))
    for relationship in stages:
        points = _points(catalog, [c for c in checks if c.relationship == relationship.pseudonym])
        marks = tuple(m for m in _marks(catalog, relationship.pseudonym, histories.get(relationship.pseudonym, []))
                      if within(m.set_at))
        if points or marks:
            trends.append(Trend(relationship.pseudonym, points, marks))

    today = made.date()
    order = {"overdue": 0, "due": 1, "open": 2}
    period_actions: list[ActionRecord] = []
    older_open = 0
    for view in list_actions(journal):
        moments = (view.created, view.due_on, view.done_at)
        if any(m is not None and within(m) for m in moments):
            period_actions.append(_action(view, today))
        elif view.done_at is None and view.created.date() < date_from:
            older_open += 1
    period_actions.sort(key=lambda a: (order.get(a.status, 3), a.done_at or datetime.max, a.due_on or date.max,
                                  a.created, a.id))

    return SupervisionPacket(
        date_from=date_from,
        date_to=date_to,
        made=made,
        all_entries=all_entries,
        entries_in_period=len(in_period),
        categories=_category_counts(catalog, in_period),
        channels=_channel_counts(catalog, in_period),
        relationships=tuple(stages),
        trends=tuple(trends),
        entries=tuple(_entry(catalog, e) for e in shown),
        exercises=tuple(_exercise(catalog, e) for e in exercises),
        actions=tuple(period_actions),
        older_open=older_open,
        display_name=name,
        questions=asked,
    )


def gather_brief(
    journal: Journal, catalog: Catalog, pseudonym: str, *, display_name: str = "", questions: Iterable[str] = (),
    made: datetime | None = None,
) -> EthicsBrief:
    """Collect the ethics-consult brief of one relationship: questions, context, consent, chronology, trend,
    actions."""
    made = _made(made)
    name = _display_name(display_name)
    asked = _questions(questions)
    detail = get_relationship(journal, pseudonym)
    found = _chronological(list_entries(journal, EntryFilter(relationship=detail.pseudonym)))
    history = stage_history(journal, detail.pseudonym)
    suggested = suggest_stage(journal, catalog, detail.pseudonym, as_of=made)
    checks = list_self_checks(journal, catalog, relationship=detail.pseudonym)
    today = made.date()
    actions = [_action(a, today) for a in list_actions(journal) if a.relationship == detail.pseudonym]
    actions.sort(key=lambda a: (a.status == "done", a.due_on or date.max, a.created, a.id))
    return EthicsBrief(
        pseudonym=detail.pseudonym,
        status=detail.status,
        made=made,
        stage=_stage(catalog, detail.pseudonym, len(found), history, suggested),
        context=tuple(LabelledText("context", k, label, detail.context.get(k, "")) for k, label in
                      CONTEXT_FIELDS.items()),
        consent=tuple(LabelledText("consent", k, label, detail.consent.get(k, "")) for k, label in
                      CONSENT_FIELDS.items()),
        entries=tuple(_entry(catalog, e, keys=BRIEF_FIELDS) for e in found),
        trend=Trend(detail.pseudonym, _points(catalog, checks), _marks(catalog, detail.pseudonym, history)),
        actions=tuple(actions),
        display_name=name,
        questions=asked,
    )


def _made(made: datetime | None) -> datetime:
    return (made or datetime.now()).replace(microsecond=0, tzinfo=None)


def _display_name(raw: str) -> str:
    name = " ".join(clean_text(raw, "The display name", single_line=True).split())
    if len(name) > MAX_DISPLAY_NAME_LENGTH:
        raise InvalidInput(f"Keep the display name to at most {MAX_DISPLAY_NAME_LENGTH} characters.")
    return name


def _questions(raw: Iterable[str]) -> tuple[str, ...]:
    asked = tuple(q for q in (clean_text(q, "A question").strip() for q in raw) if q)
    if len(asked) > MAX_QUESTIONS:
        raise InvalidInput(f"Bring at most {MAX_QUESTIONS} questions; a supervision hour will not hold more.")
    return asked


def _chronological(views: Sequence[EntryView]) -> list[EntryView]:
    return sorted(views, key=lambda e: (e.occurred, e.id))


def _entry(catalog: Catalog, view: EntryView, *, keys: Sequence[str] | None = None) -> EntryRecord:
    template = catalog.template(view.template)
    category = catalog.category(view.category)
    channel = catalog.channel(view.channel)
    # Filled fields in the template's order, then any the template no longer knows.
    known = [f.key for f in template.fields] if template else []
    ordered = [k for k in known if k in view.fields] + [k for k in view.fields if k not in known]
    filled = []
    for key in ordered:
        if keys is not None and key not in keys:
            continue
        if view.fields[key].strip():
            spec = template.field(key) if template else None
            filled.append(FieldText(key, spec.label if spec else key, view.fields[key]))
    flow = [FlowAnswer(*row) for row in answered_questions(catalog, view.flow)]
    moves = tuple(
        f"{move.label} ({_MOVE_KINDS.get(move.kind, move.kind)})"
        for move in catalog.response_moves if view.response_review.get(move.id)
    )
    return EntryRecord(
        id=view.id,
        occurred=view.occurred,
        relationship=view.relationship,
        category=view.category,
        category_label=category.label if category else view.category,
        channel=view.channel,
        channel_label=channel.label if channel else view.channel,
        channel_risk=channel.risk if channel else None,
        template=view.template,
        template_title=template.title if template else view.template,
        supervision=view.supervision,
        fields=tuple(filled),
        tags=tuple(view.tags) if keys is None else (),
        flow=tuple(flow),
        steps=tuple(step_text(catalog, s) for s in recommended_steps(catalog, view.flow)),
        response_moves=moves if keys is None else (),
    )


def _category_counts(catalog: Catalog, views: Sequence[EntryView]) -> tuple[Count, ...]:
    order = {c.id: i for i, c in enumerate(catalog.categories)}
    counts: dict[str, int] = {}
    for view in views:
        counts[view.category] = counts.get(view.category, 0) + 1
    rows = [Count(k, c.label if (c := catalog.category(k)) else k, n) for k, n in counts.items()]
    return tuple(sorted(rows, key=lambda r: (-r.count, order.get(r.id, len(order)), r.id)))


def _channel_counts(catalog: Catalog, views: Sequence[EntryView]) -> tuple[Count, ...]:
    order = {c.id: i for i, c in enumerate(catalog.channels)}
    counts: dict[str, int] = {}
    for view in views:
        counts[view.channel] = counts.get(view.channel, 0) + 1
    rows = [
        Count(k, c.label if (c := catalog.channel(k)) else k, n, c.risk if c else None) for k, n in counts.items()
    ]
    return tuple(sorted(rows, key=lambda r: (-r.count, order.get(r.id, len(order)), r.id)))


_MOVE_KINDS = {"worsens": "tends to make it worse", "works": "tends to work", "conduct": "my own conduct"}


def _stage_label(catalog: Catalog, number: int | None) -> str:
    stage = catalog.stage(number) if number is not None else None
    return stage.label if stage else ""


def _stage(
    catalog: Catalog, pseudonym: str, entries: int, history: Sequence[StageChangeView], suggested: StageSuggestion
) -> RelationshipStage:
    current = history[-1].stage if history else None
    return RelationshipStage(
        pseudonym, entries, current, _stage_label(catalog, current), suggested.stage,
        _stage_label(catalog, suggested.stage), suggested.basis, tuple(suggested.reason_lines(author=True)),
    )


def _points(catalog: Catalog, checks: Sequence[SelfCheckView]) -> tuple[TrendPoint, ...]:
    def texts(ids: Sequence[str]) -> tuple[str, ...]:
        return tuple(flag.text if (flag := catalog.red_flag(i)) else i for i in ids)

    return tuple(TrendPoint(c.taken_at, c.score.percent, texts(c.ticked), texts(c.higher_input))
                 for c in sorted(checks, key=lambda c: (c.taken_at, c.id)))


def _marks(catalog: Catalog, pseudonym: str, history: Sequence[StageChangeView]) -> tuple[StageMark, ...]:
    marks: list[StageMark] = []
    previous: int | None = None
    for change in history:
        # The same stage set again is a confirmation, not a move: no "3 → 3".
        marks.append(StageMark(pseudonym, change.set_at, change.stage, _stage_label(catalog, change.stage),
                               previous if previous != change.stage else None, change.note))
        previous = change.stage
    return tuple(marks)


def _exercise(catalog: Catalog, view: ExerciseView) -> ExerciseRecord:
    move = catalog.weekly_move(view.move)
    return ExerciseRecord(
        id=view.id,
        week=str(view.week),
        on=view.on,
        relationship=view.relationship,
        move=view.move,
        move_label=move.label if move else view.move,
        outcome=view.outcome,
        outcome_label=OUTCOME_LABELS.get(view.outcome or "", "No follow-up yet"),
        unease=view.unease,
        move_other=view.move_other,
        outcome_note=view.outcome_note,
    )


def _action(view: ActionView, today: date) -> ActionRecord:
    return ActionRecord(
        id=view.id, relationship=view.relationship, created=view.created, due_on=view.due_on, done_at=view.done_at,
        status=view.status(today), text=view.text, outcome=view.outcome,
    )


# -- the de-identification step ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingText:
    """One piece of user-written text that would leave, where it is shown, and where it is stored.

    `record` is entry, exercise, action, stage_change, relationship (context and consent), pseudonym (the
    relationship's name itself) or export (typed at export time: the display name and the questions);
    `record_id` is the entry, exercise or action id (None otherwise); `key` is the field, e.g. documentation_note
    or context.scope; `index` numbers the items of a list (questions, tags) from 1.
    """

    location: str
    text: str
    record: str
    record_id: int | None
    key: str
    index: int | None = None


def outgoing(document: SupervisionPacket | EthicsBrief) -> list[OutgoingText]:
    """Every non-empty piece of user-written text in the document, in the order the document shows it.

    Each pseudonym is listed once, where it is first shown, however often the document prints it.
    Catalogue text (labels, questions, steps) is not listed.
    """
    found: list[OutgoingText] = []
    seen: set[str] = set()
    for item in _walk(document, (), ("export", None)):
        if item.record == PSEUDONYM_RECORD and item.location in seen:
            continue
        location, number = item.location, 2
        while location in seen:  # two entries in the same minute: keep both
            location = f"{item.location} ({number})"
            number += 1
        seen.add(location)
        found.append(replace(item, location=location))
    return found


def outgoing_texts(document: SupervisionPacket | EthicsBrief) -> dict[str, str]:
    """`outgoing` as location -> text, the form `deidentify.scan_texts` reads."""
    return {item.location: item.text for item in outgoing(document)}


def _walk(node: Any, where: tuple[str, ...], record: tuple[str, int | None]) -> Iterator[OutgoingText]:
    here = getattr(node, "_where", None)
    if here is not None:
        where = (*where, here())
    if hasattr(node, "_record") and node._record != "export":
        record = (node._record, getattr(node, "id", None))
    text_key = getattr(node, "_text_key", lambda name: name)
    for spec in fields(node):
        value = getattr(node, spec.name)
        label = spec.metadata.get(_LABEL)
        if spec.metadata.get(_PSEUDONYM):
            if value:
                yield OutgoingText(f"Relationship · {value}", value, PSEUDONYM_RECORD, None, "pseudonym")
        elif label is not None:
            if isinstance(value, str):
                if value.strip():
                    location = " · ".join(w for w in (*where, label) if w)
                    yield OutgoingText(location, value, record[0], record[1], text_key(spec.name))
                continue
            for index, text in enumerate(value, start=1):
                if text.strip():
                    location = " · ".join(w for w in (*where, f"{label} {index}") if w)
                    yield OutgoingText(location, text, record[0], record[1], text_key(spec.name), index)
        elif _is_record(value):
            yield from _walk(value, where, record)
        elif isinstance(value, tuple):
            for item in value:
                if _is_record(item):
                    yield from _walk(item, where, record)


def _is_record(value: object) -> bool:
    return is_dataclass(value) and not isinstance(value, type)


def redacted(document: Document, texts_to_redact: Iterable[str]) -> Document:
    """A copy of the document with every occurrence of each given string replaced by the redaction mark.

    Only user-written text changes; the journal does not. Longer strings go first, so a string that
    contains another is redacted whole.
    """
    targets = sorted({t for t in texts_to_redact if t}, key=len, reverse=True)
    if not targets:
        return document

    def fix(text: str) -> str:
        for target in targets:
            text = text.replace(target, deidentify.REDACTION)
        return text

    return _redact(document, fix)


def _redact(node: Any, fix: Any) -> Any:
    changes: dict[str, Any] = {}
    for spec in fields(node):
        value = getattr(node, spec.name)
        if spec.metadata.get(_PSEUDONYM):
            new = value if value is None else fix(value)
        elif _LABEL in spec.metadata:
            new = fix(value) if isinstance(value, str) else tuple(fix(text) for text in value)
        elif _is_record(value):
            new = _redact(value, fix)
        elif isinstance(value, tuple) and any(_is_record(item) for item in value):
            new = tuple(_redact(item, fix) if _is_record(item) else item for item in value)
        else:
            continue
        if new != value:
            changes[spec.name] = new
    return replace(node, **changes) if changes else node


def scan(journal: Journal, document: SupervisionPacket | EthicsBrief) -> list[deidentify.Finding]:
    """Likely identifiers in what the document would carry, the pseudonyms included (`scan_outgoing`)."""
    return scan_outgoing(journal, outgoing(document))


@dataclass(frozen=True)
class _Confirmations:
    """What the clinician confirmed, as the check applies it."""

    allowed: list[str]  # the "not identifying" list: for the clinician's texts, never for a pseudonym
    confirmed: set[str]  # pseudonyms confirmed as only looking like a name, case-folded
    vouching: list[str]  # pseudonyms that pass their own check: used whole in a text, they are not a name

    @classmethod
    def of(cls, journal: Journal) -> _Confirmations:
        confirmed = confirmed_pseudonyms(journal)
        vouching = [r.pseudonym for r in list_relationships(journal)
                    if not identifier_gate.pseudonym_findings(r.pseudonym, "", confirmed=confirmed)]
        return cls(settings.not_identifying(journal), confirmed, vouching)

    def pseudonym(self, pseudonym: str, location: str) -> list[deidentify.Finding]:
        return identifier_gate.pseudonym_findings(pseudonym, location, confirmed=self.confirmed)

    def text(self, text: str, location: str) -> list[deidentify.Finding]:
        return identifier_gate.scan_text(text, location, pseudonyms=self.vouching, allowed=self.allowed)


def scan_outgoing(journal: Journal, items: Iterable[OutgoingText]) -> list[deidentify.Finding]:
    """Likely identifiers in these outgoing texts; what the clinician confirmed is applied as `identifier_gate`
    says. A pseudonym is checked without the "not identifying" list, and only a pseudonym that passes its own
    check vouches for its use in the clinician's texts ("Client K's"). The author's display name is no name
    finding where it is printed as the author; its words elsewhere are findings as in any text."""
    check = _Confirmations.of(journal)
    findings: list[deidentify.Finding] = []
    for item in items:
        if item.record == PSEUDONYM_RECORD:
            findings += check.pseudonym(item.text, item.location)
        elif item.record == "export" and item.key == "display_name":
            findings += [f for f in check.text(item.text, item.location) if not f.confirmable]
        else:
            findings += check.text(item.text, item.location)
    return findings


def with_check(document: Document, findings: Sequence[deidentify.Finding]) -> Document:
    """The document, noting that it was scanned and how many findings are left in it (its cover says so)."""
    return replace(document, unresolved_findings=len(findings))


def printed_texts(
    journal: Journal, catalog: Catalog, *, date_from: date | None = None, date_to: date | None = None,
    relationship: str | None = None,
) -> list[OutgoingText]:
    """The texts an export would print, read from the documents themselves (`outgoing`), without export-time
    text (display name, questions): one relationship's brief; the summary of a period with every entry; or,
    without dates, every such text in the journal whatever its date (all the entries and their fields, stage
    notes, weekly exercises, actions and outcomes, every pseudonym, context and consent of every relationship)."""
    if relationship is not None:
        return outgoing(gather_brief(journal, catalog, relationship))
    whole = date_from is None and date_to is None
    packet = gather_supervision(journal, catalog, date_from=date_from or date.min, date_to=date_to or date.max,
                                all_entries=True)
    if not whole:
        return outgoing(packet)
    found = outgoing(packet)
    seen = {_identity(item) for item in found}
    for view in list_relationships(journal):
        for item in outgoing(gather_brief(journal, catalog, view.pseudonym)):
            if item.record == "relationship":  # context and consent: say whose
                item = replace(item, location=f"Relationship · {view.pseudonym} · {item.location}")
            if _identity(item) not in seen:
                seen.add(_identity(item))
                found.append(item)
    return found


def _identity(item: OutgoingText) -> tuple[object, ...]:
    """The same stored text, wherever a document shows it."""
    if item.record_id is not None:
        return item.record, item.record_id, item.key, item.index, item.text
    return item.record, item.location, item.text


def identifier_check(
    journal: Journal, catalog: Catalog, *, date_from: date | None = None, date_to: date | None = None,
    relationship: str | None = None,
) -> list[deidentify.Finding]:
    """The findings an export would meet in `printed_texts`, without writing anything: what `export pdf` of the
    same period (with --all-entries) or relationship checks, and without dates the whole journal."""
    texts = printed_texts(journal, catalog, date_from=date_from, date_to=date_to, relationship=relationship)
    return scan_outgoing(journal, texts)


def entry_findings(journal: Journal, catalog: Catalog, view: EntryView) -> list[deidentify.Finding]:
    """Likely identifiers in one saved entry (its fields, tags and pseudonym), as an export would find them: the
    window shows them at save time, so they are fixed or confirmed long before an export."""
    template = catalog.template(view.template)
    labels = {f.key: f.label for f in template.fields} if template else {}
    check = _Confirmations.of(journal)
    findings = check.pseudonym(view.relationship, f"Relationship · {view.relationship}")
    texts = {labels.get(key, key): text for key, text in view.fields.items() if text.strip()}
    texts |= {f"Tag {index}": tag for index, tag in enumerate(view.tags, start=1)}
    for location, text in texts.items():
        findings += check.text(text, location)
    return findings
