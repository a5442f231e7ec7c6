"""The neutral-language check: whole words, any case, exact spans, and the app's own text passes it."""

from __future__ import annotations

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.services.language import apply_suggestion, check_language


def test_finds_words_case_insensitively_with_spans(catalog: Catalog) -> None:
    text = "Patient was CRAZY today and manipulative."
    findings = check_language(catalog, text)
    assert [(f.word, text[f.start:f.end]) for f in findings] == [("CRAZY", "CRAZY"), ("manipulative", "manipulative")]
    assert all(f.suggestion and f.why and f.term for f in findings)


def test_whole_words_only(catalog: Catalog) -> None:
    assert check_language(catalog, "Crazyweed; unmanipulativeness; obviousness") == []


def test_phrases_across_whitespace(catalog: Catalog) -> None:
    multiword = next(w for t in catalog.language for w in t.words if " " in w)
    first, *rest = multiword.split()
    text = f"Noted: {first.upper()}\n  {' '.join(rest)} in the waiting room."
    [finding] = check_language(catalog, text)
    assert " ".join(finding.word.casefold().split()) == multiword


def test_spans_after_emoji_and_rtl(catalog: Catalog) -> None:
    text = "🙂 שלום — obviously fine"
    [finding] = check_language(catalog, text)
    assert text[finding.start:finding.end] == "obviously"


def test_apply_suggestion(catalog: Catalog) -> None:
    text = "She was manipulative again."
    [finding] = check_language(catalog, text)
    replaced = apply_suggestion(text, finding)
    assert finding.suggestion in replaced and "manipulative" not in replaced
    with pytest.raises(ValueError):
        apply_suggestion("changed text", finding)


def test_product_brief_examples_are_covered(catalog: Catalog) -> None:
    for word in ("crazy", "manipulative", "seductive", "obviously"):
        assert check_language(catalog, f"x {word} y"), word


@pytest.mark.parametrize("kind", ["phrasings", "scripts", "suggestions"])
def test_the_apps_own_wording_passes_the_check(catalog: Catalog, kind: str) -> None:
    if kind == "phrasings":
        texts = [p for t in catalog.templates for p in t.phrasings]
    elif kind == "scripts":
        texts = [s.text for s in catalog.scripts]
    else:
        texts = [t.suggestion for t in catalog.language]
    flagged = {text: [f.word for f in check_language(catalog, text)] for text in texts}
    assert {text: words for text, words in flagged.items() if words} == {}
