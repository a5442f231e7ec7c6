"""Context (seed 001 §6) and consent records (seed 001 §8) per relationship; confirmed non-identifiers."""

from __future__ import annotations

from datetime import datetime

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.services import relationships, settings
from boundary_journal.services.entries import EntryDraft, add_entry


@pytest.fixture
def client_k(journal, catalog: Catalog) -> str:
    add_entry(journal, catalog, EntryDraft("consented_contact_exception", "Client K", datetime(2026, 3, 2, 10), {
        "what_happened": "x", "documentation_note": "y", "consent_informed": "a", "consent_voluntary": "b",
        "consent_scope": "c", "consent_documented": "d"}))
    return "Client K"


def test_context_and_consent_round_trip(journal, client_k: str) -> None:
    context = {"emergency": "Rural, no on-call <cover> & none", "capacity_vulnerability": " "}
    relationships.set_context(journal, "client k", context)
    relationships.set_consent(journal, client_k, {"informed": "Explained hours", "scope": "Urgent only"})
    detail = relationships.get_relationship(journal, client_k)
    assert detail.context == {"emergency": "Rural, no on-call <cover> & none"}
    assert detail.consent == {"informed": "Explained hours", "scope": "Urgent only"}


def test_unknown_fields_and_relationships(journal, client_k: str) -> None:
    with pytest.raises(InvalidInput, match="no consent field 'signed'"):
        relationships.set_consent(journal, client_k, {"signed": "yes"})
    with pytest.raises(NotFound, match="Nobody"):
        relationships.set_context(journal, "Nobody", {})


def test_not_identifying_words_are_remembered_once(journal) -> None:
    assert settings.not_identifying(journal) == []
    settings.remember_not_identifying(journal, "Westfield")
    assert settings.remember_not_identifying(journal, "  westfield ") == ["Westfield"]
    with pytest.raises(InvalidInput):
        settings.remember_not_identifying(journal, "   ")
