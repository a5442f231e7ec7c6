"""The de-identification scanner: finds what could identify a patient, leaves pseudonyms and neutral notes alone."""

from __future__ import annotations

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.services.deidentify import REDACTION, redact, scan_pseudonym, scan_text, scan_texts


def kinds(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan_text(text, "note", **kwargs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She gave me 07700 900123 to call.", ("phone", "07700 900123")),
        ("Her mobile is +44 20 7946 0958.", ("phone", "+44 20 7946 0958")),
        ("Call (555) 010-4477 after six.", ("phone", "(555) 010-4477")),
        ("Wrote from k.smith@example.com yesterday.", ("email", "k.smith@example.com")),
        ("Sent a link to https://example.org/u/kay?x=1 last night.", ("url", "https://example.org/u/kay?x=1")),
        ("Her profile, www.example.net/kay, was public.", ("url", "www.example.net/kay")),
        ("Follows me as @kaysmith_22 now.", ("handle", "@kaysmith_22")),
        ("Mentioned she was born 3 March 1988 in passing.", ("date", "3 March 1988")),
        ("DOB 04/11/1990 was on the form.", ("date", "04/11/1990")),
        ("A 23-year-old with a rare condition.", ("age", "23-year-old")),
        ("Patient aged 81 on the ward.", ("age", "aged 81")),
        ("Her MRN 00412233 was on the letter.", ("record_number", "MRN 00412233")),
        ("Account no. AC-99812 was mentioned.", ("record_number", "Account no. AC-99812")),
        ("She lives at 14 Elm Street, near the clinic.", ("address", "14 Elm Street")),
        ("Her sister Maria Lopez came too.", ("name", "Maria Lopez")),
        ("Then Dr Patel joined the call.", ("name", "Dr Patel")),
    ],
)
def test_finds_identifiers(text: str, expected: tuple[str, str]) -> None:
    assert expected in kinds(text)


def test_context_marks_the_finding() -> None:
    [finding] = scan_text("She gave me 07700 900123 to call.", "Entry 4 · What happened")
    assert finding.location == "Entry 4 · What happened"
    assert "«07700 900123»" in finding.context and finding.label == "Phone number"


def test_pseudonyms_allowed_words_and_sentence_starts_are_not_names() -> None:
    text = "Client K asked again. Bed 4 in March said Thanks. Later Westfield came up. Then Oisin came."
    found = kinds(text, pseudonyms=["Client K", "Bed 4 in March"], allowed=["westfield"])
    assert found == [("name", "Oisin")]


def test_dates_without_an_identifying_word_are_fine() -> None:
    assert kinds("The session on 2026-11-22 ran over.") == []
    assert kinds("Admitted on 2026-11-22 after a fall.") == [("date", "2026-11-22")]


def test_ordinary_words_are_not_record_numbers() -> None:
    assert kinds("A breach was identified and reported to the privacy office.") == []


def test_the_apps_own_phrasings_and_scripts_pass(catalog: Catalog) -> None:
    texts = {f"{t.id} {i}": p for t in catalog.templates for i, p in enumerate(t.phrasings)}
    texts |= {s.id: s.text for s in catalog.scripts}
    assert [(f.location, f.text) for f in scan_texts(texts)] == []


def test_hostile_text_is_scanned_without_errors() -> None:
    text = "<b>&</b> Ωμέγα Привет 🙂 שלום " + "word " * 20_000 + "07700 900123"
    assert ("phone", "07700 900123") in kinds(text)


def test_redact_replaces_only_the_findings() -> None:
    text = "Call 07700 900123 or mail k@example.com please."
    findings = scan_text(text, "note")
    assert redact(text, findings) == f"Call {REDACTION} or mail {REDACTION} please."


def test_titled_pseudonym_is_not_a_name() -> None:
    assert kinds("Then Mrs Blue said she would call.", pseudonyms=["Mrs Blue"]) == []
    assert kinds("Then Mrs Jones said she would call.", pseudonyms=["Mrs Blue"]) == [("name", "Mrs Jones")]


@pytest.mark.parametrize(
    "text",
    [
        "Started sertraline 50 mg, up to 100 mg in two weeks.",
        "PHQ-9 score 14, GAD-7 score 11; BP 120/80, pulse 72.",
        "Session ran from 14:30 to 15:20, the 3rd session of 12.",
        "Dose 0.5 mg at 22:00; 2 x 500 mg daily.",
        "Week 2026-W48, stage 3 of 5, risk 85/100.",
    ],
)
def test_doses_scores_and_times_are_not_phone_numbers(text: str) -> None:
    assert [k for k in kinds(text) if k[0] in ("phone", "record_number")] == []


def test_a_pseudonym_that_looks_like_a_name_is_not_flagged() -> None:
    assert kinds("Yesterday Anna B asked for my number again.", pseudonyms=["Anna B"]) == []
    assert kinds("Yesterday Anna Berg asked for my number again.", pseudonyms=["Anna B"]) == [("name", "Anna Berg")]


@pytest.mark.parametrize(
    "text",
    [
        "No email address given; she uses the portal.",
        "I did not look at her social media.",
        "She is in her twenties and lives locally.",
        "We met in room 4 at the clinic.",
    ],
)
def test_ordinary_clinical_sentences_have_no_findings(text: str) -> None:
    assert kinds(text) == []


class TestPseudonyms:
    """A pseudonym is scanned on its own terms: its words do not vouch for it, and a full date in it is a finding."""

    @pytest.mark.parametrize(
        "pseudonym",
        ["Client K", "Bed 4 in March", "Patient B", "Family of L", "Mr. K from ward 3", "Bed 12 (ward East)",
         "Resident 4 (day unit)", "Caller 517", "Ωμέγα Привет", "ärztin B"],
    )
    def test_ordinary_pseudonyms_are_clean(self, pseudonym: str) -> None:
        assert scan_pseudonym(pseudonym, "Relationship") == []

    @pytest.mark.parametrize(
        ("pseudonym", "expected"),
        [
            ("John Smith, DOB 12/03/1961, MRN 88231907, +44 7700 900123", {"name", "date", "record_number", "phone"}),
            ("Maria Gonzalez", {"name"}),
            ("Client Maria Gonzalez", {"name"}),
            ("Mrs Okafor", {"name"}),
            ("Client K 07700 900123", {"phone"}),
            ("K (k.doe@example.com)", {"email"}),
            ("Client K 12/03/1961", {"date"}),  # no "born" needed: a date in what names a person is about them
            ("Client K, 3 March 1988", {"date"}),
        ],
    )
    def test_identifiers_inside_a_pseudonym_are_found(self, pseudonym: str, expected: set[str]) -> None:
        assert {f.kind for f in scan_pseudonym(pseudonym, "Relationship")} == expected

    def test_confirmed_words_still_count(self) -> None:
        assert scan_pseudonym("Blue Heron", "Relationship", allowed=["heron"]) == []
