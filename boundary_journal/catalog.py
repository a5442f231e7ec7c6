"""The shipped catalogue: categories, channels, templates, red flags, slope stages, escalation
rules, response scripts and moves, read from resources/catalog/*.toml and validated at start-up.

Every item names the source file (and section) it comes from in `source`, a machine field: users see
it only through `Catalog.source_label`, which names the article by its short title. A malformed file
stops start-up with a `CatalogError` naming the file, the item and the field.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, fields
from importlib.resources.abc import Traversable
from typing import Any, TypeVar

from boundary_journal.errors import CatalogError
from boundary_journal.store.paths import resources_root

CATALOG_FOLDER = "catalog"
STANDARD_FIELDS = ("what_happened", "my_response", "documentation_note", "reflection", "next_step")
NOTE_FIELD = "documentation_note"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


OWN_RULE = "Boundary Journal's own rule"
OWN_RULES_NOTE = (
    "Rules the app infers itself (the slope evidence, the red-flag weights, time windows, the wording lists of "
    "the language check and their clinical senses, the channels the articles do not rank) are Boundary "
    "Journal's own and say so wherever their source is shown."
)
CHANNEL_RANKING_NOTE = (
    "The channel values are an illustrative ranking from one article's chart, not a measured risk of a "
    "complaint; channels the app adds are not ranked."
)


@dataclass(frozen=True)
class Source:
    """One of the public articles; `short_title` is what users see beside a section, `title` the full title."""

    id: str
    file: str
    title: str
    kind: str
    short_title: str
    publisher: str
    uses: str


@dataclass(frozen=True)
class Category:
    id: str
    label: str
    description: str
    source: str


@dataclass(frozen=True)
class Channel:
    id: str
    label: str
    risk: int | None
    approved: bool
    source: str
    own_addition: bool = False


@dataclass(frozen=True)
class RedFlag:
    id: str
    group: str
    text: str
    warrants_higher_input: bool
    source: str


# What can suggest a stage: only the clinician's own conduct (see [rule] in slope_stages.toml).
# conduct: a response move ticked on an entry; template: an entry written with a template about one's own
# feelings or contact; after_hours: a contact move ticked on an entry dated in the hours given; red_flag: an
# item of the latest check-in.
EVIDENCE_KINDS = ("conduct", "template", "after_hours", "red_flag")
RESPONSE_MOVE_KINDS = ("worsens", "works", "conduct")


@dataclass(frozen=True)
class StageEvidence:
    """One kind of stored fact that suggests a relationship has reached a slope stage."""

    kind: str
    values: tuple[str, ...]
    reason: str
    from_hour: int | None = None
    to_hour: int | None = None
    # kind template: an entry answering yes to this decision-flow question and holding a documentation note is
    # the documented professional response instead (in the clinician's favour), not evidence.
    unless_flow: str | None = None


@dataclass(frozen=True)
class SlopeRule:
    """How the suggested stage is worked out (the app's own rule): the window of recent evidence, and why."""

    id: str
    window_days: int
    text: str
    source: str
    own_addition: bool = True
    # Templates about what a patient did: met with a documented response, in the clinician's favour.
    held_templates: tuple[str, ...] = ()
    # A conduct move that, ticked with a move of kind "works", is the one redirecting reply: not evidence.
    redirect_move: str | None = None

    def explanation(self) -> str:
        return self.text.replace("{days}", str(self.window_days))


@dataclass(frozen=True)
class SlopeStage:
    id: str
    number: int
    label: str
    description: str
    signs: tuple[str, ...]
    evidence: tuple[StageEvidence, ...]
    source: str


@dataclass(frozen=True)
class EscalationRule:
    """A decision-flow question; a yes recommends `step`, then the steps of the rules in `then`."""

    id: str
    order: int
    question: str
    step_id: str
    step: str
    detail: str
    then: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class RetiredRule:
    """A decision-flow question of an earlier version: stored answers to it stay readable and keep
    recommending only the steps of `then`; `replaced_by` names the questions asked instead."""

    id: str
    question: str
    replaced_by: tuple[str, ...]
    then: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Script:
    id: str
    title: str
    when: str
    text: str
    source: str
    own_addition: bool = False


@dataclass(frozen=True)
class ResponseMove:
    id: str
    kind: str  # worsens | works (seed 002) | conduct (what the clinician did on their side; the app's own)
    label: str
    text: str
    source: str
    own_addition: bool = False


@dataclass(frozen=True)
class Level:
    """One step of the self-check answer scale (not at all / somewhat / clearly)."""

    id: str
    value: int
    label: str
    source: str


@dataclass(frozen=True)
class Weight:
    """Points per answer step for the red flags of one group."""

    id: str
    group: str
    points: int
    rationale: str
    source: str
    own_addition: bool = False


@dataclass(frozen=True)
class WarningRule:
    id: str
    title: str
    message: str
    source: str
    consecutive_rises: int | None = None
    action: str | None = None
    own_addition: bool = False


@dataclass(frozen=True)
class LanguageTerm:
    """Judgemental or emotional wording for a chart note, and the neutral wording to use instead."""

    id: str
    kind: str
    words: tuple[str, ...]
    suggestion: str
    why: str
    source: str
    own_addition: bool = False


@dataclass(frozen=True)
class ClinicalSense:
    """Words of the language check that also have a plain clinical sense, and the context that marks it.

    A flagged word is left alone when the words right after it start with one of `after`, or the few words
    before it (same sentence) hold one of `before`, unless those few words hold one of `unless_before`.
    """

    id: str
    label: str
    words: tuple[str, ...]
    after: tuple[str, ...]
    before: tuple[str, ...]
    unless_before: tuple[str, ...]
    source: str
    own_addition: bool = False


@dataclass(frozen=True)
class WeeklyMove:
    """A concrete move for the weekly exercise; `calendar_label` is all a calendar event says by default."""

    id: str
    label: str
    calendar_label: str
    hint: str
    source: str


LANGUAGE_KINDS = ("judgemental", "diagnostic_insult", "emotional", "certainty")
WARNING_IDS = ("score_rising", "stage_up", "higher_input", "suggested_above")


@dataclass(frozen=True)
class TemplateField:
    key: str
    label: str
    prompt: str
    required: bool


@dataclass(frozen=True)
class TemplateNote:
    """Guidance shown beside a template, traced to its own source."""

    text: str
    source: str


@dataclass(frozen=True)
class Template:
    id: str
    category: str
    title: str
    summary: str
    default_channel: str
    fields: tuple[TemplateField, ...]
    phrasings: tuple[str, ...]
    scripts: tuple[str, ...]
    red_flags: tuple[str, ...]
    escalation: tuple[str, ...]
    source: str
    review_response: bool = False
    listen_after_days: int | None = None
    listen_after: str = ""
    notes: tuple[TemplateNote, ...] = ()

    def field(self, key: str) -> TemplateField | None:
        return next((f for f in self.fields if f.key == key), None)

    @property
    def required_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)


@dataclass(frozen=True)
class Catalog:
    sources: tuple[Source, ...]
    categories: tuple[Category, ...]
    channels: tuple[Channel, ...]
    templates: tuple[Template, ...]
    red_flags: tuple[RedFlag, ...]
    slope_stages: tuple[SlopeStage, ...]
    escalation: tuple[EscalationRule, ...]
    scripts: tuple[Script, ...]
    response_moves: tuple[ResponseMove, ...]
    levels: tuple[Level, ...]
    weights: tuple[Weight, ...]
    warnings: tuple[WarningRule, ...]
    language: tuple[LanguageTerm, ...]
    weekly_moves: tuple[WeeklyMove, ...]
    slope_rule: SlopeRule
    retired_rules: tuple[RetiredRule, ...] = ()
    clinical_senses: tuple[ClinicalSense, ...] = ()

    def category(self, category_id: str) -> Category | None:
        return _by_id(self.categories, category_id)

    def channel(self, channel_id: str) -> Channel | None:
        return _by_id(self.channels, channel_id)

    def template(self, template_id: str) -> Template | None:
        return _by_id(self.templates, template_id)

    def script(self, script_id: str) -> Script | None:
        return _by_id(self.scripts, script_id)

    def red_flag(self, flag_id: str) -> RedFlag | None:
        return _by_id(self.red_flags, flag_id)

    def rule(self, rule_id: str) -> EscalationRule | None:
        return _by_id(self.escalation, rule_id)

    def warning(self, warning_id: str) -> WarningRule:
        found = _by_id(self.warnings, warning_id)
        assert found is not None, warning_id  # load_catalog guarantees every WARNING_IDS entry
        return found

    def weekly_move(self, move_id: str) -> WeeklyMove | None:
        return _by_id(self.weekly_moves, move_id)

    def stage(self, number: int) -> SlopeStage | None:
        return next((s for s in self.slope_stages if s.number == number), None)

    def retired_rule(self, rule_id: str) -> RetiredRule | None:
        return _by_id(self.retired_rules, rule_id)

    def question(self, rule_id: str) -> str:
        """A decision-flow question as shown beside a stored answer; earlier questions say so."""
        rule = self.rule(rule_id)
        if rule is not None:
            return rule.question
        retired = self.retired_rule(rule_id)
        if retired is not None:
            return f"{retired.question} (asked in an earlier version of the decision flow)"
        return rule_id

    def source_lines(self, source: str, own_addition: bool = False) -> list[str]:
        """What a user reads for a `source`: '<short title>, <section>', one line per cited article.

        A source may cite several parts separated by ';'; a part without a file name continues the
        article named before it. The app's own items say so, with the articles they draw on.
        """
        known = {s.file: s.short_title for s in self.sources}
        lines: list[str] = []
        current: str | None = None
        for part in (p.strip() for p in source.split(";")):
            if not part or part == "app":
                continue
            first, _, rest = part.partition(" ")
            if first in known:
                current = first
                lines.append(f"{known[first]}, {rest.strip()}" if rest.strip() else known[first])
            elif current is not None:
                lines[-1] += f"; {part}"
            elif not re.match(r"^\d{3}_[0-9a-f]+\.txt$", first):
                lines.append(part)
        if own_addition or source.strip() == "app":
            if lines:
                return [f"{OWN_RULE}, drawing on: {lines[0]}", *lines[1:]]
            return [OWN_RULE]
        return lines

    def source_label(self, source: str, own_addition: bool = False) -> str:
        """One line naming where an item comes from, e.g.
        'Boundary Mistakes with Patients That Can End Your Career Early, §3 Digital boundaries'."""
        return " · ".join(self.source_lines(source, own_addition))

    def item_source(self, item: object) -> str:
        """`source_label` for any catalogue item (its `source` and, if it has one, `own_addition`)."""
        return self.source_label(getattr(item, "source", ""), bool(getattr(item, "own_addition", False)))

    def channel_rank(self, channel: Channel | None) -> str:
        """A channel's chart value as users see it: an illustrative rank, never a 'risk'."""
        if channel is None or channel.risk is None:
            return "not ranked"
        return f"illustrative rank {channel.risk}/100"

    def channel_ranking_note(self) -> str:
        """Where the channel values come from, for every place that shows them."""
        charted = next((c for c in self.channels if c.risk is not None), None)
        return f"{CHANNEL_RANKING_NOTE} From: {self.item_source(charted)}." if charted else CHANNEL_RANKING_NOTE

    @staticmethod
    def source_origin(source: dict[str, Any]) -> str:
        """'Residency Advisor, 8 January 2026 (article)', or just 'Article' when no publisher is named."""
        return f"{source['publisher']} ({source['kind']})" if source["publisher"] else source["kind"].capitalize()

    def sources_page(self) -> list[dict[str, Any]]:
        """The Sources page (Help ▸ Sources, `catalog --sources`): each article with its full title, what the
        app takes from it and how many catalogue items cite it; no file names."""
        cited = [str(item.get("source", "")) for key, value in self.to_dict().items() if key != "sources"
                 for item in (value if isinstance(value, list) else [value])]
        cited += [note.source for template in self.templates for note in template.notes]
        return [
            {"title": s.title, "short_title": s.short_title, "publisher": s.publisher, "kind": s.kind,
             "uses": s.uses, "items": sum(s.file in source for source in cited)}
            for s in self.sources
        ]

    def to_dict(self) -> dict[str, Any]:
        """The whole catalogue as plain JSON-ready data (the `catalog --json` contract)."""
        return {
            f.name: asdict(value) if f.name == "slope_rule" else [asdict(item) for item in value]
            for f in fields(self) if (value := getattr(self, f.name)) is not None
        }


T = TypeVar("T")


def _by_id(items: Iterable[T], item_id: str) -> T | None:
    return next((item for item in items if item.id == item_id), None)  # type: ignore[attr-defined]


class _Reader:
    """Reads one catalogue file and turns each table into a dataclass, naming any bad field."""

    def __init__(self, folder: Traversable, filename: str) -> None:
        self.filename = f"resources/{CATALOG_FOLDER}/{filename}"
        resource = folder / filename
        try:
            self.data = tomllib.loads(resource.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CatalogError(f"{self.filename}: the file is missing") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise CatalogError(f"{self.filename}: not valid TOML ({exc})") from None

    def fail(self, where: str, message: str) -> CatalogError:
        return CatalogError(f"{self.filename}: {where}: {message}")

    def tables(self, key: str) -> list[dict[str, Any]]:
        tables = self.data.get(key)
        if not isinstance(tables, list) or not tables:
            raise self.fail(f"[[{key}]]", "at least one entry is needed")
        for index, table in enumerate(tables):
            if not isinstance(table, dict):
                raise self.fail(f"[[{key}]] #{index + 1}", "must be a table")
        return tables

    def items(self, key: str, build: Callable[[_Item], T]) -> tuple[T, ...]:
        built: list[T] = []
        seen: set[str] = set()
        for index, table in enumerate(self.tables(key)):
            item = _Item(self, f"{key} #{index + 1}", table)
            item_id = item.ident("id")
            item.where = f"{key} '{item_id}'"
            if item_id in seen:
                raise self.fail(item.where, "the id is used twice")
            seen.add(item_id)
            built.append(build(item))
        return tuple(built)


class _Item:
    def __init__(self, reader: _Reader, where: str, table: dict[str, Any]) -> None:
        self.reader, self.where, self.table = reader, where, table

    def fail(self, key: str, message: str) -> CatalogError:
        return self.reader.fail(f"{self.where} field '{key}'", message)

    def _get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.table:
            if default is ...:
                raise self.fail(key, "is missing")
            return default
        value = self.table[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(key, f"must be {_kind_name(kind)}")
        return value

    def text(self, key: str) -> str:
        value = self._get(key, str)
        if not value.strip():
            raise self.fail(key, "must not be empty")
        return value.strip()

    def ident(self, key: str) -> str:
        value = self.text(key)
        if not _ID.match(value):
            raise self.fail(key, f"'{value}' is not a lower_snake_case id")
        return value

    def flag(self, key: str, default: bool | None = None) -> bool:
        return bool(self._get(key, bool, ... if default is None else default))

    def number(self, key: str, low: int, high: int, *, optional: bool = False) -> int | None:
        value = self._get(key, int, None if optional else ...)
        if value is not None and not low <= value <= high:
            raise self.fail(key, f"must be between {low} and {high}")
        return value

    def texts(self, key: str, minimum: int = 1) -> tuple[str, ...]:
        values = self._get(key, list)
        if len(values) < minimum or not all(isinstance(v, str) and v.strip() for v in values):
            raise self.fail(key, f"must be a list of at least {minimum} non-empty strings")
        return tuple(v.strip() for v in values)

    def source(self, known_files: set[str]) -> str:
        value = self.text("source")
        if value == "app":
            if not self.table.get("own_addition"):
                raise self.fail("own_addition", "must be true when the source is 'app'")
            return value
        if value.split()[0] not in known_files:
            raise self.fail("source", f"'{value}' does not start with a seed file named in sources.toml")
        return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a table"}
    return names.get(kind, "of another type") if isinstance(kind, type) else "of another type"


def load_catalog(folder: Traversable | None = None) -> Catalog:
    """Read and cross-check every catalogue file; raises CatalogError on the first problem."""
    folder = folder or resources_root() / CATALOG_FOLDER

    reader = _Reader(folder, "sources.toml")
    sources = reader.items(
        "source",
        lambda i: Source(
            i.ident("id"), i.text("file"), i.text("title"), i.text("kind"), i.text("short_title"),
            i.text("publisher") if "publisher" in i.table else "", i.text("uses"),
        ),
    )
    files = {s.file for s in sources}

    reader = _Reader(folder, "categories.toml")
    categories = reader.items(
        "category",
        lambda i: Category(i.ident("id"), i.text("label"), i.text("description"), i.source(files)),
    )

    reader = _Reader(folder, "channels.toml")
    channels = reader.items(
        "channel",
        lambda i: Channel(
            i.ident("id"), i.text("label"), i.number("risk", 0, 100, optional=True),
            i.flag("approved"), i.source(files), i.flag("own_addition", False),
        ),
    )
    for channel in channels:
        if channel.risk is None and not channel.own_addition:
            raise reader.fail(f"channel '{channel.id}' field 'risk'", "is missing")

    reader = _Reader(folder, "red_flags.toml")
    red_flags = reader.items(
        "red_flag",
        lambda i: RedFlag(
            i.ident("id"), i.ident("group"), i.text("text"), i.flag("warrants_higher_input"),
            i.source(files),
        ),
    )

    reader = _Reader(folder, "escalation.toml")
    rules = reader.items(
        "rule",
        lambda i: EscalationRule(
            i.ident("id"), i.number("order", 0, 99) or 0, i.text("question"), i.ident("step_id"),
            i.text("step"), i.text("detail"), i.texts("then") if "then" in i.table else (), i.source(files),
        ),
    )
    rules = tuple(sorted(rules, key=lambda r: r.order))
    rule_ids = {r.id for r in rules}
    for rule in rules:
        for follow in rule.then:
            if follow not in rule_ids or follow == rule.id:
                raise reader.fail(f"rule '{rule.id}' field 'then'", f"'{follow}' is not another rule's id")
    retired: tuple[RetiredRule, ...] = ()
    if "retired" in reader.data:
        retired = reader.items(
            "retired",
            lambda i: RetiredRule(
                i.ident("id"), i.text("question"), i.texts("replaced_by"),
                i.texts("then") if "then" in i.table else (), i.source(files),
            ),
        )
    for old in retired:
        if old.id in rule_ids:
            raise reader.fail(f"retired '{old.id}'", "is still a rule; a retired id must not be asked again")
        for key, ids in (("replaced_by", old.replaced_by), ("then", old.then)):
            for rule_id in ids:
                if rule_id not in rule_ids:
                    raise reader.fail(f"retired '{old.id}' field '{key}'", f"'{rule_id}' is not a rule's id")

    reader = _Reader(folder, "scripts.toml")
    scripts = reader.items(
        "script",
        lambda i: Script(
            i.ident("id"), i.text("title"), i.text("when"), i.text("text"), i.source(files),
            i.flag("own_addition", False),
        ),
    )

    reader = _Reader(folder, "response_moves.toml")
    moves = reader.items(
        "move",
        lambda i: ResponseMove(
            i.ident("id"), i.ident("kind"), i.text("label"), i.text("text"), i.source(files),
            i.flag("own_addition", False),
        ),
    )
    for move in moves:
        if move.kind not in RESPONSE_MOVE_KINDS:
            raise reader.fail(f"move '{move.id}' field 'kind'", f"must be one of {', '.join(RESPONSE_MOVE_KINDS)}")
        if move.kind == "conduct" and not move.own_addition:
            raise reader.fail(f"move '{move.id}' field 'own_addition'", "must be true for a 'conduct' move")

    levels, weights, warnings = _scoring(_Reader(folder, "scoring.toml"), files, {f.group for f in red_flags})

    reader = _Reader(folder, "language.toml")
    language = reader.items(
        "term",
        lambda i: LanguageTerm(
            i.ident("id"), i.ident("kind"), tuple(w.casefold() for w in i.texts("words")), i.text("suggestion"),
            i.text("why"), i.source(files), i.flag("own_addition", False),
        ),
    )
    seen_words: dict[str, str] = {}
    for term in language:
        if term.kind not in LANGUAGE_KINDS:
            raise reader.fail(f"term '{term.id}' field 'kind'", f"must be one of {', '.join(LANGUAGE_KINDS)}")
        for word in term.words:
            if word in seen_words:
                raise reader.fail(f"term '{term.id}' field 'words'", f"'{word}' is also in '{seen_words[word]}'")
            seen_words[word] = term.id
    senses: tuple[ClinicalSense, ...] = ()
    if "sense" in reader.data:
        senses = reader.items("sense", lambda i: _sense(i, files))
    for sense in senses:
        for word in sense.words:
            if word not in seen_words:
                raise reader.fail(f"sense '{sense.id}' field 'words'", f"'{word}' is not a word of any term")

    reader = _Reader(folder, "weekly_moves.toml")
    weekly_moves = reader.items(
        "move",
        lambda i: WeeklyMove(i.ident("id"), i.text("label"), i.text("calendar_label"), i.text("hint"), i.source(files)),
    )
    if weekly_moves[-1].id != "other":
        raise reader.fail("[[move]]", "the last move must be 'other', the free-text move")

    known = {
        "category": {c.id for c in categories},
        "default_channel": {c.id for c in channels},
        "red_flags": {f.id for f in red_flags},
        "scripts": {s.id for s in scripts},
        "escalation": {r.id for r in rules},
    }
    reader = _Reader(folder, "templates.toml")
    templates = reader.items("template", lambda i: _template(i, files, known))
    for template in templates:
        if bool(template.listen_after) != (template.listen_after_days is not None):
            raise reader.fail(f"template '{template.id}'", "give listen_after and listen_after_days together")
    uncovered = known["category"] - {t.category for t in templates}
    if uncovered:
        raise reader.fail("[[template]]", f"no template covers the categories {sorted(uncovered)}")

    stages, slope_rule = _slope(_Reader(folder, "slope_stages.toml"), files, {
        "conduct": {m.id for m in moves if m.kind in ("conduct", "worsens")},
        "template": {t.id for t in templates},
        "red_flag": {f.id for f in red_flags},
        "flow": {r.id for r in rules},
        "own_conduct": {m.id for m in moves if m.kind == "conduct"},
    })

    return Catalog(
        sources, categories, channels, templates, red_flags, stages, rules, scripts, moves,
        levels, weights, warnings, language, weekly_moves, slope_rule, retired, senses,
    )


def _sense(item: _Item, files: set[str]) -> ClinicalSense:
    def cues(key: str) -> tuple[str, ...]:
        if key not in item.table:
            return ()
        return tuple(" ".join(c.casefold().split()) for c in item.texts(key))

    after, before = cues("after"), cues("before")
    if not after and not before:
        raise item.fail("after", "a sense needs words that mark it, after or before the flagged word")
    return ClinicalSense(
        item.ident("id"), item.text("label"), tuple(w.casefold() for w in item.texts("words")), after, before,
        cues("unless_before"), item.source(files), item.flag("own_addition", False),
    )


def _slope(
    reader: _Reader, files: set[str], known: dict[str, set[str]]
) -> tuple[tuple[SlopeStage, ...], SlopeRule]:
    stages = reader.items(
        "stage",
        lambda i: SlopeStage(
            i.ident("id"), i.number("number", 1, 5) or 0, i.text("label"), i.text("description"),
            i.texts("signs"), _evidence(i, known), i.source(files),
        ),
    )
    if sorted(s.number for s in stages) != [1, 2, 3, 4, 5]:
        raise reader.fail("[[stage]]", "the stages must be numbered 1 to 5, once each")
    table = reader.data.get("rule")
    if not isinstance(table, dict):
        raise reader.fail("[rule]", "the rule for suggesting a stage is missing")
    rule = _Item(reader, "rule", table)
    if rule.table.get("own_addition") is not True:
        raise rule.fail("own_addition", "must be true: the rule for suggesting a stage is the app's own")
    held = rule.texts("held_templates")
    for value in held:
        if value not in known["template"]:
            raise rule.fail("held_templates", f"'{value}' is not a known template id")
    evidence_templates = {v for s in stages for e in s.evidence if e.kind == "template" for v in e.values}
    if both := sorted(evidence_templates & set(held)):
        raise rule.fail("held_templates", f"{both} are also evidence of the clinician's own conduct")
    redirect = rule.ident("redirect_move") if "redirect_move" in rule.table else None
    if redirect is not None and redirect not in known["own_conduct"]:
        raise rule.fail("redirect_move", f"'{redirect}' is not a move of kind 'conduct'")
    slope_rule = SlopeRule(
        rule.ident("id"), rule.number("window_days", 7, 3650) or 90, rule.text("text"), rule.source(files),
        True, held, redirect,
    )
    return tuple(sorted(stages, key=lambda s: s.number)), slope_rule


def _evidence(item: _Item, known: dict[str, set[str]]) -> tuple[StageEvidence, ...]:
    tables = item._get("evidence", list)
    found: list[StageEvidence] = []
    for index, table in enumerate(tables):
        if not isinstance(table, dict):
            raise item.fail("evidence", f"entry #{index + 1} must be a table")
        sub = _Item(item.reader, f"{item.where} evidence #{index + 1}", table)
        kind = sub.ident("kind")
        if kind not in EVIDENCE_KINDS:
            raise sub.fail("kind", f"must be one of {', '.join(EVIDENCE_KINDS)}")
        values = sub.texts("values")
        for value in values:
            if value not in known["conduct" if kind == "after_hours" else kind]:
                raise sub.fail("values", f"'{value}' is not a known {kind} id")
        hours: tuple[int | None, int | None] = (None, None)
        if kind == "after_hours":
            hours = (sub.number("from_hour", 0, 23), sub.number("to_hour", 0, 23))
        unless = sub.ident("unless_flow") if "unless_flow" in table else None
        if unless is not None and (kind != "template" or unless not in known["flow"]):
            raise sub.fail("unless_flow", "must name a decision-flow question, on evidence of kind 'template'")
        found.append(StageEvidence(kind, values, sub.text("reason"), *hours, unless))
    return tuple(found)


def _scoring(
    reader: _Reader, files: set[str], groups: set[str]
) -> tuple[tuple[Level, ...], tuple[Weight, ...], tuple[WarningRule, ...]]:
    levels = reader.items(
        "level", lambda i: Level(i.ident("id"), i.number("value", 0, 2) or 0, i.text("label"), i.source(files))
    )
    if sorted(level.value for level in levels) != [0, 1, 2]:
        raise reader.fail("[[level]]", "there must be exactly three levels, valued 0, 1 and 2")
    levels = tuple(sorted(levels, key=lambda level: level.value))
    weights = reader.items(
        "weight",
        lambda i: Weight(
            i.ident("id"), i.ident("group"), i.number("points", 1, 5) or 1, i.text("rationale"), i.source(files),
            i.flag("own_addition", False),
        ),
    )
    weighted = [w.group for w in weights]
    if sorted(weighted) != sorted(groups):
        raise reader.fail("[[weight]]", f"give exactly one weight per red-flag group: {', '.join(sorted(groups))}")
    warnings = reader.items(
        "warning",
        lambda i: WarningRule(
            i.ident("id"), i.text("title"), i.text("message"), i.source(files),
            i.number("consecutive_rises", 1, 10, optional=True), i.text("action") if "action" in i.table else None,
            i.flag("own_addition", False),
        ),
    )
    if sorted(w.id for w in warnings) != sorted(WARNING_IDS):
        raise reader.fail("[[warning]]", f"the warnings must be exactly {', '.join(WARNING_IDS)}")
    return levels, weights, warnings


def _template(item: _Item, files: set[str], known: dict[str, set[str]]) -> Template:
    def ref(key: str, value: str) -> str:
        if value not in known[key]:
            raise item.fail(key, f"'{value}' is not a known id")
        return value

    fields_ = []
    for index, table in enumerate(item._get("fields", list)):
        if not isinstance(table, dict):
            raise item.fail("fields", f"entry #{index + 1} must be a table")
        sub = _Item(item.reader, f"{item.where} fields #{index + 1}", table)
        fields_.append(TemplateField(sub.ident("key"), sub.text("label"), sub.text("prompt"), sub.flag("required")))
    keys = [f.key for f in fields_]
    if tuple(keys[: len(STANDARD_FIELDS)]) != STANDARD_FIELDS:
        raise item.fail("fields", f"must start with {', '.join(STANDARD_FIELDS)}")
    if len(set(keys)) != len(keys):
        raise item.fail("fields", "a key is used twice")

    notes = []
    for index, table in enumerate(item._get("notes", list, [])):
        if not isinstance(table, dict):
            raise item.fail("notes", f"entry #{index + 1} must be a table")
        sub = _Item(item.reader, f"{item.where} notes #{index + 1}", table)
        notes.append(TemplateNote(sub.text("text"), sub.source(files)))

    return Template(
        id=item.ident("id"),
        category=ref("category", item.ident("category")),
        title=item.text("title"),
        summary=item.text("summary"),
        default_channel=ref("default_channel", item.ident("default_channel")),
        fields=tuple(fields_),
        phrasings=item.texts("phrasings", minimum=2),
        scripts=tuple(ref("scripts", s) for s in item.texts("scripts")),
        red_flags=tuple(ref("red_flags", f) for f in item.texts("red_flags")),
        escalation=tuple(ref("escalation", r) for r in item.texts("escalation")),
        source=item.source(files),
        review_response=item.flag("review_response", False),
        listen_after_days=item.number("listen_after_days", 1, 60, optional=True),
        listen_after=item.text("listen_after") if "listen_after" in item.table else "",
        notes=tuple(notes),
    )


@functools.cache
def shipped_catalog() -> Catalog:
    """The catalogue shipped with the app, read once per process."""
    return load_catalog()
