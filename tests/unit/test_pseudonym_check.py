"""A new pseudonym is checked for identifiers when it is created, by every path that creates one; the clinician
can confirm one that only looks like a name, for that pseudonym only. The export check honours both."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.errors import InvalidInput, NotFound
from boundary_journal.services import entries, exports, portability, relationships, selfchecks, settings, weekly
from boundary_journal.services.entries import EntryDraft, add_entry
from boundary_journal.services.relationships import PseudonymLooksIdentifying
from boundary_journal.store.models import Setting
from boundary_journal.store.storage import open_journal

MARCH = datetime(2026, 3, 2, 10)


def draft(who: str, what: str = "Asked for my number.") -> EntryDraft:
    return EntryDraft("phone_number_request", who, MARCH,
                      {"what_happened": what, "documentation_note": "Requested personal contact details; declined."})


class TestRefused:
    """What looks like a real name, or holds a phone number or a date, is refused with the reason."""

    @pytest.mark.parametrize(("who", "kind", "confirmable"), [
        ("Maria Gonzalez", "name", False),
        ("Mr Okafor", "name", False),
        ("Rose", "name", True),
        ("Bed Rose", "name", True),
        ("maria gonzalez", "name", False),
        ("MARIA GONZALEZ", "name", False),
        ("Ｍａｒｉａ Ｇｏｎｚａｌｅｚ", "name", False),
        ("李明", "name", True),  # a script the check cannot read: confirmable, as a name is
        ("מרפאה ב", "name", True),  # several words of it: the check cannot tell a name, the clinician can
        ("مراجع\u200cالف", "name", True),
        ("Mаria", "name", True),  # a Cyrillic "а" inside
        ("mgonzalez88", "handle", False),
        ("MG 1950", "date", False),
        ("Client K 07700 900123", "phone", False),
        ("Client K 12/03/1961", "date", False),
        ("K (k.doe@example.com)", "email", False),
    ])
    def test_on_add(self, journal, catalog: Catalog, who: str, kind: str, confirmable: bool) -> None:
        with pytest.raises(PseudonymLooksIdentifying) as raised:
            add_entry(journal, catalog, draft(who))
        assert isinstance(raised.value, InvalidInput)
        assert [f.kind for f in raised.value.findings] == [kind]
        assert raised.value.confirmable is confirmable
        assert who in str(raised.value) and "Client K" in str(raised.value)  # says why and what to use instead
        assert entries.count_entries(journal) == 0 and relationships.list_relationships(journal) == []

    @pytest.mark.parametrize("who", ["Client K", "Bed 4 in March", "Mrs Blue", "Patient B", "Family of L",
                                     "Caller 517", "Resident 4 (day unit)"])
    def test_ordinary_pseudonyms_pass(self, journal, catalog: Catalog, who: str) -> None:
        add_entry(journal, catalog, draft(who))

    def test_weekly_exercise_and_self_check_too(self, journal, catalog: Catalog) -> None:
        with pytest.raises(PseudonymLooksIdentifying):
            weekly.save_exercise(journal, catalog, weekly.ExerciseDraft(
                "Maria Gonzalez", "Grey.", "talk_to_supervisor", on=date(2026, 3, 4)), today=date(2026, 3, 2))
        item = catalog.red_flags[0].id
        with pytest.raises(PseudonymLooksIdentifying):
            selfchecks.add_self_check(journal, catalog, selfchecks.SelfCheckDraft(
                answers={item: 1}, relationship="Mr Okafor", taken_at=MARCH))

    def test_an_existing_relationship_is_not_checked_again(self, journal, catalog: Catalog) -> None:
        with journal.transaction() as session:  # as a journal of an earlier version may hold it
            relationships.get_or_create_relationship(session, "Maria Gonzalez", check=False)
        add_entry(journal, catalog, draft("Maria Gonzalez"))

    def test_undo_of_a_delete_puts_back_what_was(self, journal, catalog: Catalog) -> None:
        relationships.confirm_pseudonym(journal, "Rose")
        view = add_entry(journal, catalog, draft("Rose"))
        deleted = entries.delete_entry(journal, view.id)
        entries.restore_entry(journal, deleted)


class TestConfirmed:
    """A pseudonym that only looks like a name is kept when confirmed; its words stay findings elsewhere."""

    def test_confirm_then_create(self, journal, catalog: Catalog) -> None:
        assert relationships.confirm_pseudonym(journal, " Rose ") == "Rose"
        add_entry(journal, catalog, draft("rose", "Rose asked again. Rose Smith came with her."))
        assert relationships.confirmed_pseudonyms(journal) == {"rose"}
        assert settings.not_identifying(journal) == []
        found = exports.identifier_check(journal, catalog)
        assert [(f.kind, f.text) for f in found] == [("name", "Rose Smith")]

    def test_a_phone_number_cannot_be_confirmed(self, journal) -> None:
        with pytest.raises(PseudonymLooksIdentifying, match="phone number"):
            relationships.confirm_pseudonym(journal, "Client K 07700 900123")
        assert relationships.confirmed_pseudonyms(journal) == set()

    @pytest.mark.parametrize(("who", "why"), [
        ("Maria Gonzalez", "full name"),
        ("Mr Okafor", "title and a name"),
        ("Nurse Rose", "title and a name"),
        ("Rose and Lily", "two words that look like names"),
    ])
    def test_a_real_name_cannot_be_confirmed(self, journal, catalog: Catalog, who: str, why: str) -> None:
        with pytest.raises(PseudonymLooksIdentifying) as raised:
            relationships.confirm_pseudonym(journal, who)
        assert not raised.value.confirmable
        message = str(raised.value)
        assert why in message and "cannot be kept" in message and "Client K" in message
        assert relationships.confirmed_pseudonyms(journal) == set()
        with pytest.raises(PseudonymLooksIdentifying):
            add_entry(journal, catalog, draft(who))

    @pytest.mark.parametrize("who", ["Rose", "Bed Rose", "Client Grace"])
    def test_one_name_like_word_can_be_confirmed(self, journal, catalog: Catalog, who: str) -> None:
        relationships.confirm_pseudonym(journal, who)
        add_entry(journal, catalog, draft(who))

    def test_a_confirmation_does_not_clear_names_in_other_texts(self, journal, catalog: Catalog) -> None:
        with journal.transaction() as session:  # a journal of an earlier version: created and confirmed then
            relationships.get_or_create_relationship(session, "Maria Gonzalez", check=False)
            session.add(Setting(key=relationships.CONFIRMED_PSEUDONYMS_KEY,
                                value={"pseudonyms": ["Maria Gonzalez"]}))
        relationships.confirm_pseudonym(journal, "Rose")
        add_entry(journal, catalog, draft("Rose", "Maria Gonzalez's son rang."))
        found = exports.identifier_check(journal, catalog)
        # A full name is never cleared by a confirmation, as a pseudonym or written in a note.
        assert ("name", "Relationship · Maria Gonzalez") in {(f.kind, f.location) for f in found}
        assert any(f.text.startswith("Maria Gonzalez") and "What happened" in f.location for f in found)

    def test_a_clean_pseudonym_needs_no_confirmation(self, journal) -> None:
        relationships.confirm_pseudonym(journal, "Client K")
        assert relationships.confirmed_pseudonyms(journal) == set()


class TestExportCheck:
    """deid-check's service, the author's own name, and the findings the window shows after a save."""

    def test_the_authors_name_is_exempt_only_as_the_author(self, journal, catalog: Catalog) -> None:
        add_entry(journal, catalog, EntryDraft(
            "phone_number_request", "Client K", MARCH,
            {"what_happened": "She called me Aoife at the door. Mr Byrne rang; Jenny Byrne asked.",
             "documentation_note": "Declined."}, supervision=True))
        march = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}
        alone = exports.gather_supervision(journal, catalog, **march)
        named = exports.gather_supervision(journal, catalog, **march, display_name="Dr Aoife Byrne")
        # The name on the cover is no finding; the same words in the notes are, as deid-check finds them.
        assert [f.text for f in exports.scan(journal, named)] == ["Aoife", "Mr Byrne", "Jenny Byrne"]
        assert exports.scan(journal, named) == exports.scan(journal, alone)
        assert [f.text for f in exports.identifier_check(journal, catalog)] == ["Aoife", "Mr Byrne", "Jenny Byrne"]
        # The author line is still checked for what is not a name.
        phone = exports.gather_supervision(journal, catalog, **march, display_name="Dr Aoife Byrne 07700 900123")
        assert ("phone", "Display name") in {(f.kind, f.location) for f in exports.scan(journal, phone)}

    def test_identifier_check_by_period_and_relationship(self, journal, catalog: Catalog) -> None:
        add_entry(journal, catalog, draft("Client K", "Eimear texted from 07700 900123."))
        assert {f.kind for f in exports.identifier_check(journal, catalog)} == {"name", "phone"}
        assert exports.identifier_check(journal, catalog, date_from=date(2026, 4, 1), date_to=date(2026, 4, 2)) == []
        assert len(exports.identifier_check(journal, catalog, relationship="Client K")) == 2
        with pytest.raises(NotFound):
            exports.identifier_check(journal, catalog, relationship="Nobody")

    def test_entry_findings_name_the_field(self, journal, catalog: Catalog) -> None:
        view = add_entry(journal, catalog, draft("Client K", "Priya asked; her insta is jess_h_92."))
        found = exports.entry_findings(journal, catalog, view)
        assert [(f.kind, f.text, f.location) for f in found] == [
            ("name", "Priya", "What happened"), ("handle", "jess_h_92", "What happened")]
        settings.remember_not_identifying(journal, "Priya")
        assert [f.text for f in exports.entry_findings(journal, catalog, view)] == ["jess_h_92"]

    @pytest.mark.parametrize(("text", "why"), [
        ("07700 900123", "a phone number"), ("she is 87", "an age"), ("k.doe@example.com", "email"),
        ("born 12/03/1961", "date"), ("MRN 88231907", "record"), ("SW1A 1AA", "postcode"),
        ("jess_h_92", "handle"), ("bit.ly/abc", "web address"),
    ])
    def test_only_names_can_be_confirmed(self, journal, text: str, why: str) -> None:
        with pytest.raises(InvalidInput, match=why) as raised:
            settings.remember_not_identifying(journal, text)
        assert "\n" not in str(raised.value)
        assert settings.not_identifying(journal) == []

    def test_a_confirmed_word_does_not_clear_a_titled_name_or_a_pseudonym(self, journal, catalog: Catalog) -> None:
        settings.remember_not_identifying(journal, "Lee")
        view = add_entry(journal, catalog, draft("Client K", "Mr Lee rang; Lee came later."))
        assert [f.text for f in exports.entry_findings(journal, catalog, view)] == ["Mr Lee"]
        assert [f.text for f in exports.identifier_check(journal, catalog)] == ["Mr Lee"]
        with pytest.raises(PseudonymLooksIdentifying):
            add_entry(journal, catalog, draft("Mr Lee"))
        with pytest.raises(PseudonymLooksIdentifying):
            add_entry(journal, catalog, draft("Lee"))
        settings.remember_not_identifying(journal, "mr lee")  # the whole phrase, confirmed on purpose
        assert exports.entry_findings(journal, catalog, view) == []

    def test_forget_matches_as_remember_does(self, journal) -> None:
        settings.remember_not_identifying(journal, "Lee")
        assert settings.forget_not_identifying(journal, "LEE") == []
        settings.remember_not_identifying(journal, "Zo\u00eb")
        assert settings.forget_not_identifying(journal, "ZOE\u0308") == []  # decomposed, other case

    def test_forget_a_confirmed_word(self, journal) -> None:
        settings.remember_not_identifying(journal, "Westfield")
        assert settings.forget_not_identifying(journal, " WESTFIELD ") == []
        with pytest.raises(NotFound):
            settings.forget_not_identifying(journal, "Westfield")


class TestImport:
    """An import checks its pseudonyms as creating them would; confirmations travel with the file."""

    def test_refused_unless_confirmed(self, journal, catalog: Catalog, tmp_path) -> None:
        relationships.confirm_pseudonym(journal, "Rose")
        add_entry(journal, catalog, draft("Rose"))
        settings.remember_not_identifying(journal, "Lily")
        with journal.transaction() as session:  # as a journal of an earlier version may hold it
            relationships.get_or_create_relationship(session, "Lily", check=False)
        out = tmp_path / "all.json"
        portability.write_json_export(journal, out)
        with pytest.raises(PseudonymLooksIdentifying, match="Lily"):  # a confirmed word does not pass a pseudonym
            portability.load_export(out, catalog)
        checked = portability.load_export(out, catalog, confirmed_pseudonyms=["lily"])
        fresh = tmp_path / "fresh" / "journal.db"
        fresh.parent.mkdir()
        portability.import_into_new_journal(fresh, "a passphrase for the test", checked)
        imported = open_journal(fresh, "a passphrase for the test")
        try:
            assert relationships.confirmed_pseudonyms(imported) == {"rose", "lily"}
        finally:
            imported.close()

    def test_a_full_name_cannot_be_confirmed(self, journal, catalog: Catalog, tmp_path) -> None:
        with journal.transaction() as session:  # created and confirmed by an earlier version
            relationships.get_or_create_relationship(session, "Maria Gonzalez", check=False)
            session.add(Setting(key=relationships.CONFIRMED_PSEUDONYMS_KEY, value={"pseudonyms": ["Maria Gonzalez"]}))
        add_entry(journal, catalog, draft("Maria Gonzalez"))
        out = tmp_path / "all.json"
        portability.write_json_export(journal, out)
        with pytest.raises(PseudonymLooksIdentifying, match="full name"):
            portability.load_export(out, catalog, confirmed_pseudonyms=["maria gonzalez"])

    def test_a_phone_number_is_refused(self, journal, catalog: Catalog, tmp_path) -> None:
        with journal.transaction() as session:
            relationships.get_or_create_relationship(session, "Client K 07700 900123", check=False)
        out = tmp_path / "all.json"
        portability.write_json_export(journal, out)
        with pytest.raises(PseudonymLooksIdentifying, match="phone number"):
            portability.load_export(out, catalog, confirmed_pseudonyms=["Client K 07700 900123"])


def test_a_full_name_in_look_alike_letters_cannot_be_confirmed() -> None:
    from boundary_journal.services import deidentify, identifier_gate

    name = "M\u0430ria Gonz\u0430lez"  # Cyrillic "а" in both words
    assert identifier_gate.why_not_confirmable(name, deidentify.scan_pseudonym(name, "Pseudonym")) is not None


class TestWhatCanBeConfirmed:
    """A name, or text in a script the check cannot read, can be confirmed as not identifying; nothing else."""

    @pytest.mark.parametrize("text", ["Rose", "王芳", "Mаria"])
    def test_confirmable(self, text: str) -> None:
        from boundary_journal.services import identifier_gate

        assert identifier_gate.not_allowable(text) == []

    @pytest.mark.parametrize("text", ["07700 900123", "she is 87", "k.doe@example.com", "12/03/1961"])
    def test_never_confirmable(self, text: str) -> None:
        from boundary_journal.services import identifier_gate

        assert identifier_gate.not_allowable(text)

    def test_unread_text_in_an_entry_can_be_confirmed_and_then_exports(self, tmp_path, catalog: Catalog) -> None:
        from boundary_journal.services import deidentify

        [finding] = deidentify.scan_text("The card said 王芳 on it.", "Entry 1 · What happened")
        assert finding.kind == "unread_script" and finding.confirmable
        assert deidentify.scan_text("The card said 王芳 on it.", "x", allowed=["王芳"]) == []
