"""A service that refuses one value the user typed names it in `InvalidInput.field` (a short, stable name), so the
window puts the problem next to that field without reading the message's words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput
from boundary_journal.services import access, actions, entries, relationships, selfchecks, settings, slope, weekly
from boundary_journal.services.entries import TEMPLATE_FIELD_PREFIX, EntryDraft
from boundary_journal.services.weekly import ExerciseDraft, IsoWeek
from boundary_journal.store.journal import Journal
from tests.conftest import PASSPHRASE

WEDNESDAY = date(2026, 11, 25)  # 2026-W48


def entry(**overrides: object) -> EntryDraft:
    values: dict[str, object] = {
        "template": "gift_offered", "relationship": "Client K", "occurred": datetime(2026, 3, 2, 10, 0),
        "fields": {"what_happened": "A card.", "documentation_note": "Declined politely."},
    }
    values.update(overrides)
    return EntryDraft(**values)  # type: ignore[arg-type]


def exercise(**overrides: object) -> ExerciseDraft:
    values: dict[str, object] = {"relationship": "Client K", "unease": "She texts me late and I answer.",
                                 "move": "talk_to_supervisor"}
    values.update(overrides)
    return ExerciseDraft(**values)  # type: ignore[arg-type]


Refusal = Callable[[Journal, Catalog], object]
REFUSALS: dict[str, tuple[Refusal, str]] = {
    "entry: no such template": (lambda j, c: entries.add_entry(j, c, entry(template="nothing")), "template"),
    "entry: no such channel": (lambda j, c: entries.add_entry(j, c, entry(channel="pigeon")), "channel"),
    "entry: in the future": (lambda j, c: entries.add_entry(j, c, entry(occurred=datetime(2999, 1, 1))), "when"),
    "entry: before 1950": (lambda j, c: entries.add_entry(j, c, entry(occurred=datetime(1900, 1, 1))), "when"),
    "entry: a required field left empty": (
        lambda j, c: entries.add_entry(j, c, entry(fields={"what_happened": "A card."})),
        TEMPLATE_FIELD_PREFIX + "documentation_note"),
    "entry: a field with a control character": (
        lambda j, c: entries.add_entry(j, c, entry(fields={"what_happened": "A\x00card", "documentation_note": "x"})),
        TEMPLATE_FIELD_PREFIX + "what_happened"),
    "entry: a tag on two lines": (lambda j, c: entries.add_entry(j, c, entry(tags=["a\nb"])), "tags"),
    "entry: no pseudonym": (lambda j, c: entries.add_entry(j, c, entry(relationship="  ")), "pseudonym"),
    "entry: a name as pseudonym": (
        lambda j, c: entries.add_entry(j, c, entry(relationship="Maria Gonzalez")), "pseudonym"),
    "exercise: no sentence": (lambda j, c: weekly.save_exercise(j, c, exercise(unease=""), today=WEDNESDAY),
                              "unease"),
    "exercise: a day outside the week": (
        lambda j, c: weekly.save_exercise(j, c, exercise(on=date(2026, 12, 7)), today=WEDNESDAY), "on"),
    "exercise: the other move unsaid": (
        lambda j, c: weekly.save_exercise(j, c, exercise(move="other"), today=WEDNESDAY), "move_other"),
    "exercise: no such move": (lambda j, c: weekly.save_exercise(j, c, exercise(move="dance"), today=WEDNESDAY),
                               "move"),
    "exercise: a malformed week": (lambda j, c: IsoWeek.parse("2026-48"), "week"),
    "self-check: nothing answered": (
        lambda j, c: selfchecks.add_self_check(j, c, selfchecks.SelfCheckDraft(answers={})), "answers"),
    "action: nothing said": (lambda j, c: actions.complete_action(j, 1, "\x00"), "outcome"),
    "stage: out of range": (lambda j, c: slope.set_stage(j, "Client K", 9), "stage"),
    "settings: lock time": (
        lambda j, c: settings.set_security(j, settings.SecuritySetting(lock_after_minutes=-5)), "lock_after_minutes"),
    "new passphrase: too short": (lambda j, c: access.change_passphrase(j, "short", current=PASSPHRASE),
                                  "passphrase"),
    "new passphrase: the same": (lambda j, c: access.change_passphrase(j, PASSPHRASE, current=PASSPHRASE),
                                 "passphrase"),
    "pseudonym: too long": (lambda j, c: relationships.clean_pseudonym("x" * 500), "pseudonym"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_the_refusal_names_its_field(journal: Journal, catalog: Catalog, case: str) -> None:
    refuse, field = REFUSALS[case]
    with pytest.raises(InvalidInput) as refused:
        refuse(journal, catalog)
    assert refused.value.field == field, str(refused.value)


def test_a_refusal_about_no_one_field_names_none() -> None:
    assert InvalidInput("Only one option can read standard input.").field is None
