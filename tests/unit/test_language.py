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


def flagged(catalog: Catalog, text: str) -> list[str]:
    return [f.word.casefold() for f in check_language(catalog, text)]


DIAGNOSTIC_WORDS = ("borderline", "narcissistic")


class TestAssessedDiagnosis:
    """A diagnosis that was assessed is not an insult; the same word as a put-down still is."""

    @pytest.mark.parametrize("word", DIAGNOSTIC_WORDS)
    @pytest.mark.parametrize("sentence", [
        "Diagnosed with {w} personality disorder in 2019.",
        "Meets criteria for {w} personality disorder (SCID-5).",
        "Known history of {w} personality disorder; on DBT waiting list.",
        "Working formulation: {w} traits, to be reviewed with the team.",
        "Assessed for {w} personality disorder on [date].",
        "ICD-11 personality disorder with {w} pattern.",
    ])
    def test_diagnostic_context(self, catalog: Catalog, word: str, sentence: str) -> None:
        assert word not in flagged(catalog, sentence.format(w=word))

    @pytest.mark.parametrize("word", DIAGNOSTIC_WORDS)
    @pytest.mark.parametrize("sentence", [
        "She is so {w} today.", "Typical {w} behaviour in clinic.", "Very {w}, as usual.",
        "Diagnosed with flu last week. Honestly {w}.",  # the cue is in another sentence
    ])
    def test_the_put_down_is_still_flagged(self, catalog: Catalog, word: str, sentence: str) -> None:
        assert word in flagged(catalog, sentence.format(w=word))

    @pytest.mark.parametrize("text", ["Psycho-education offered.", "Difficult-to-treat asthma.", "Borderline-high BP."])
    def test_a_hyphenated_compound_is_not_the_word(self, catalog: Catalog, text: str) -> None:
        assert flagged(catalog, text) == []


class TestClinicalSenses:
    """Common clinical uses of flagged words, by class: measurements, posture, rights and titles,
    clinical difficulty, size of a change, procedures, food, paperwork."""

    @pytest.mark.parametrize("measure", ["QTc", "BP", "blood pressure", "TSH", "HbA1c", "glucose", "potassium",
                                         "result", "ECG", "hypertension", "diabetes", "anaemia"])
    def test_a_measurement_near_a_cut_off(self, catalog: Catalog, measure: str) -> None:
        assert flagged(catalog, f"Borderline {measure} on review.") == []
        assert flagged(catalog, f"{measure} today was borderline.") == []

    @pytest.mark.parametrize("where", ["on the bed", "in bed", "down", "flat", "supine", "on her left side",
                                       "still with eyes closed", "awake at 3 am"])
    def test_lying_as_posture(self, catalog: Catalog, where: str) -> None:
        assert flagged(catalog, f"Found lying {where}.") == []

    @pytest.mark.parametrize("text", ["He is lying about his intake.", "Patient lying to staff again.",
                                      "Says she is lying."])
    def test_lying_as_dishonesty_is_flagged(self, catalog: Catalog, text: str) -> None:
        assert "lying" in flagged(catalog, text)

    @pytest.mark.parametrize("text", ["Patient is entitled to a copy of the record.",
                                      "Entitled to a second opinion; referral offered.",
                                      "Given the leaflet entitled 'Staying safe at night'."])
    def test_entitled_as_a_right_or_a_title(self, catalog: Catalog, text: str) -> None:
        assert flagged(catalog, text) == []

    @pytest.mark.parametrize("text", ["He is very entitled.", "Seems entitled to special treatment.",
                                      "Entitled attitude at reception."])
    def test_entitled_as_a_verdict_is_flagged(self, catalog: Catalog, text: str) -> None:
        assert "entitled" in flagged(catalog, text)

    @pytest.mark.parametrize("text", ["Difficult airway noted by anaesthetics.", "Difficult to palpate today.",
                                      "Difficult venous access; two attempts.", "Swallowing was difficult."])
    def test_clinical_difficulty(self, catalog: Catalog, text: str) -> None:
        assert flagged(catalog, text) == []

    @pytest.mark.parametrize("text", ["She is difficult.", "A difficult patient again."])
    def test_difficult_patient_is_flagged(self, catalog: Catalog, text: str) -> None:
        assert "difficult" in flagged(catalog, text)

    @pytest.mark.parametrize("text", ["Dramatic improvement in mood.", "Dramatic drop in haemoglobin.",
                                      "Manipulation under anaesthesia planned.", "Spinal manipulation declined.",
                                      "Allergic to nuts.", "Insurance claims form completed.",
                                      "Inappropriate sinus tachycardia on Holter.",
                                      "Physically demanding job on a building site."])
    def test_other_clinical_uses(self, catalog: Catalog, text: str) -> None:
        assert flagged(catalog, text) == []

    @pytest.mark.parametrize("text", ["Very dramatic in the waiting room.", "Manipulation of staff noted.",
                                      "Claims she took it.", "Demanding again at the desk."])
    def test_the_judgement_beside_them_is_still_flagged(self, catalog: Catalog, text: str) -> None:
        assert flagged(catalog, text)

    def test_every_sense_names_words_the_check_flags(self, catalog: Catalog) -> None:
        words = {w for t in catalog.language for w in t.words}
        for sense in catalog.clinical_senses:
            assert set(sense.words) <= words and (sense.after or sense.before), sense.id
