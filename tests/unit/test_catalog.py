"""The shipped catalogue: complete, sourced, and refused loudly when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from boundary_journal.catalog import STANDARD_FIELDS, Catalog, load_catalog
from boundary_journal.errors import CatalogError
from boundary_journal.store.paths import resources_root

PRODUCT_CATEGORIES = {
    "personal_contact", "messaging", "social_media", "gifts_money_favours", "outside_contact",
    "self_disclosure", "scope_creep", "romantic_sexual", "favour_prescribing", "confidentiality",
    "dual_relationship", "undocumented_contact",
}
SEED_004_RISK = {"text_message": 85, "social_dm": 75, "personal_email": 60, "clinic_portal": 10,
                 "office_landline": 5}


class TestShippedCatalog:
    """What PRODUCT.md's content map asks for is all there, each item with its source."""

    def test_every_category_is_present_and_covered_by_a_template(self, catalog: Catalog) -> None:
        assert {c.id for c in catalog.categories} == PRODUCT_CATEGORIES
        assert {t.category for t in catalog.templates} == PRODUCT_CATEGORIES

    def test_channels_carry_the_seed_risk_values(self, catalog: Catalog) -> None:
        risks = {c.id: c.risk for c in catalog.channels if not c.own_addition}
        assert risks == SEED_004_RISK
        assert all(c.source.startswith("004_") for c in catalog.channels if not c.own_addition)
        assert all(c.risk is None and c.source == "app" for c in catalog.channels if c.own_addition)

    def test_templates(self, catalog: Catalog) -> None:
        assert len(catalog.templates) >= 14
        for template in catalog.templates:
            assert tuple(f.key for f in template.fields[:5]) == STANDARD_FIELDS
            assert len(template.phrasings) >= 2 and template.scripts and template.red_flags

    def test_red_flags_stages_rules(self, catalog: Catalog) -> None:
        groups = {f.group for f in catalog.red_flags}
        assert {"slope", "own_pull", "higher_input"} <= groups
        assert sum(f.group == "slope" for f in catalog.red_flags) == 5
        assert all(f.warrants_higher_input == (f.group == "higher_input") for f in catalog.red_flags)
        assert [s.number for s in catalog.slope_stages] == [1, 2, 3, 4, 5]
        steps = {r.step_id for r in catalog.escalation}
        assert {"transfer_care", "document_and_refer", "redirect_and_document", "review_policy_formalise",
                "consult_supervisor_ethics", "risk_assessment"} <= steps
        assert {m.kind for m in catalog.response_moves} == {"worsens", "works", "conduct"}
        assert all(m.own_addition for m in catalog.response_moves if m.kind == "conduct")

    def test_the_slope_rule_is_the_apps_own_and_rests_on_the_clinicians_conduct(self, catalog: Catalog) -> None:
        rule = catalog.slope_rule
        assert rule.own_addition and rule.window_days == 90 and "90 days" in rule.explanation()
        assert catalog.warning("suggested_above").own_addition
        assert all(part in rule.source for part in ("004_", "§2", "FAQ 2", "002_"))
        conduct = {m.id for m in catalog.response_moves if m.kind in ("conduct", "worsens")}
        for stage in catalog.slope_stages:
            for evidence in stage.evidence:
                # What a patient does (a category, a channel) is context, never evidence of drift.
                assert evidence.kind in ("conduct", "template", "after_hours", "red_flag")
                if evidence.kind in ("conduct", "after_hours"):
                    assert set(evidence.values) <= conduct
        templates = {v for s in catalog.slope_stages for e in s.evidence if e.kind == "template" for v in e.values}
        assert templates == {"session_drift", "after_hours_call_undocumented", "my_own_attraction"}

    def test_every_item_names_a_seed_file_or_is_marked_as_the_apps_own(self, catalog: Catalog) -> None:
        seed_files = {s.file for s in catalog.sources}
        for key, items in catalog.to_dict().items():
            if key == "sources":
                continue
            if key == "slope_rule":
                items = [items]
            for item in items:
                assert item["id"] and item["source"], (key, item)
                assert item["source"] == "app" or item["source"].split()[0] in seed_files, (key, item)


class TestSourceLabels:
    """Users see an article's short title and section, never the file name (PRODUCT.md)."""

    def test_several_articles(self, catalog: Catalog) -> None:
        lines = catalog.source_lines(catalog.template("phone_number_request").source)
        assert len(lines) == 3
        assert lines[0].startswith("Mistakes to Avoid When a Patient Asks for Your Personal Phone Number")

    def test_a_section_without_file_continues_the_previous_article(self, catalog: Catalog) -> None:
        file = catalog.sources[4].file
        assert catalog.source_label(f"{file} §3 Digital boundaries; §7 Documentation") == (
            "Boundary Mistakes with Patients That Can End Your Career Early, §3 Digital boundaries; §7 Documentation")

    def test_own_additions_say_so_and_name_what_they_draw_on(self, catalog: Catalog) -> None:
        assert catalog.source_label("app", own_addition=True) == "Boundary Journal's own rule"
        weight = catalog.weights[0]
        assert weight.own_addition
        assert catalog.item_source(weight).startswith("Boundary Journal's own rule, drawing on: Boundary Mistakes")

    def test_every_item_has_a_readable_label(self, catalog: Catalog) -> None:
        for key in ("categories", "channels", "templates", "red_flags", "slope_stages", "escalation", "scripts",
                    "response_moves", "levels", "weights", "warnings", "language", "weekly_moves",
                    "retired_rules", "clinical_senses"):
            for item in getattr(catalog, key):
                label = catalog.item_source(item)
                assert label and ".txt" not in label and "seed" not in label.casefold(), (key, item.id)

    def test_the_sources_page_lists_five_articles_with_full_titles(self, catalog: Catalog) -> None:
        assert len(catalog.sources) == 5
        for source in catalog.sources:
            assert source.title and source.short_title and source.uses and source.kind


class TestOwnRules:
    """The app's own rules are marked as such (issue 13): weights, the language terms and their senses,
    the channels the article does not chart."""

    def test_marked(self, catalog: Catalog) -> None:
        assert all(w.own_addition for w in catalog.weights)
        assert all(t.own_addition for t in catalog.language)
        assert all(s.own_addition for s in catalog.clinical_senses)
        assert {c.id for c in catalog.channels if c.own_addition} >= {"in_person", "other"}

    def test_the_channel_values_are_called_an_illustrative_ranking(self, catalog: Catalog) -> None:
        note = catalog.channel_ranking_note()
        assert "illustrative ranking" in note and "not a measured risk" in note
        assert catalog.channel_rank(catalog.channel("text_message")) == "illustrative rank 85/100"
        assert catalog.channel_rank(catalog.channel("in_person")) == "not ranked"


class TestContentCorrections:
    """Issue 13 §2: scripts promise nothing the service cannot keep, and the missing items are there,
    each traced to its article and section."""

    def test_scripts_state_real_limits(self, catalog: Catalog) -> None:
        dual = catalog.script("dual_role_transparency").text
        assert "stays here" not in dual and "serious risk of harm" in dual
        assert "any time" not in catalog.script("refer_case_management").text
        redirect = catalog.script("personal_line_redirect").text
        assert "[on-call or crisis line]" in redirect
        assert "If you are in danger now, call [emergency number]" in redirect
        for script in catalog.scripts:
            assert "any time" not in script.text and "24/7" not in script.text, script.id

    @pytest.mark.parametrize(("kind", "item_id", "cited"), [
        ("template", "former_patient_contact", ["004_3aad60ac7e6c23d2.txt §2", "000_1b5af673b2147d69.txt"]),
        ("script", "former_patient_boundary", ["004_3aad60ac7e6c23d2.txt §2"]),
        ("template", "token_gift_accepted", ["004_3aad60ac7e6c23d2.txt §1"]),
        ("script", "accept_token_gift", ["004_3aad60ac7e6c23d2.txt §1"]),
        ("template", "self_prescribing", ["004_3aad60ac7e6c23d2.txt §4"]),
        ("template", "disclosure_without_authorisation", ["004_3aad60ac7e6c23d2.txt §5"]),
        ("script", "family_not_on_release", ["004_3aad60ac7e6c23d2.txt §5"]),
        ("red_flag", "pull_favouritism", ["001_1a018c2b3fe19f40.txt §1"]),
        ("red_flag", "pull_own_wellbeing", ["003_3cee5c0103617de1.txt point 5", "001_1a018c2b3fe19f40.txt §1"]),
    ])
    def test_missing_items_are_there_with_their_source(
        self, catalog: Catalog, kind: str, item_id: str, cited: list[str]
    ) -> None:
        item = getattr(catalog, kind)(item_id)
        assert item is not None
        for part in cited:
            assert part in item.source, (item_id, part)

    def test_notes_from_seed_002_and_the_prescribing_table(self, catalog: Catalog) -> None:
        notes = {n.source: n.text for t in catalog.templates for n in t.notes}
        assert any("structure of care" in text and "not the whole problem" in src for src, text in notes.items())
        assert any("listen" in src and "reworded" not in text and "new words" in text for src, text in notes.items())
        prescribing = catalog.template("favour_prescription")
        assert any("contract" in n.text and "opioids" in n.text for n in prescribing.notes)
        assert any("controlled-substance agreement" in p for p in prescribing.phrasings)


class TestSectionsMatchTheArticles:
    """Each cited section heading is one the article has (checked against the seed text where present)."""

    def test_chance_meeting_is_the_confidentiality_section(self, catalog: Catalog) -> None:
        assert "§5" in catalog.script("chance_meeting_outside").source

    def test_section_numbers_exist_in_the_article(self, catalog: Catalog) -> None:
        import re

        numbered = {"004_3aad60ac7e6c23d2.txt": range(1, 8), "001_1a018c2b3fe19f40.txt": range(1, 9)}
        for key, items in catalog.to_dict().items():
            for item in ([items] if isinstance(items, dict) else items) if key != "sources" else ():
                for part in str(item.get("source", "")).split(";"):
                    for number in re.findall(r"§(\d+)", part):
                        files = [f for f in numbered if f in item["source"]]
                        assert any(int(number) in numbered[f] for f in files), (key, item["id"], part)


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    shipped = resources_root() / "catalog"
    folder.mkdir()
    for resource in shipped.iterdir():
        if resource.name.endswith(".toml"):
            (folder / resource.name).write_text(resource.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


class TestMalformedCatalog:
    """A broken file stops start-up with a message naming the file and the field."""

    def test_copy_loads(self, catalog_copy: Path) -> None:
        assert load_catalog(catalog_copy).templates

    @pytest.mark.parametrize(
        ("filename", "old", "new", "message"),
        [
            ("channels.toml", "risk = 85", 'risk = "high"', r"channels.toml: channel 'text_message' field 'risk'"),
            ("channels.toml", "risk = 85", "risk = 185", "between 0 and 100"),
            ("templates.toml", 'category = "gifts_money_favours"', 'category = "gifts"', "field 'category'"),
            ("templates.toml", "[[template]]", "[[template]]\nbroken = ", "templates.toml: not valid TOML"),
            ("categories.toml", 'source = "', 'source = "999_unknown.txt ', "field 'source'"),
            ("slope_stages.toml", "own_addition = true", "own_addition = false", "rule field 'own_addition'"),
            ("slope_stages.toml", 'kind = "template"', 'kind = "category"', "field 'kind': must be one of conduct"),
            ("slope_stages.toml", '"partial_cave_in"]', '"acknowledge_and_limit"]', "not a known conduct id"),
            ("slope_stages.toml", '"phone_number_request",', '"phone_number_requests",',
             "rule field 'held_templates': 'phone_number_requests' is not a known template id"),
            ("slope_stages.toml", '"phone_number_request",', '"session_drift",', "also evidence of the clinician"),
            ("slope_stages.toml", 'redirect_move = "personal_channel"', 'redirect_move = "reorient_to_procedure"',
             "not a move of kind 'conduct'"),
            ("slope_stages.toml", 'unless_flow = "own_involvement"', 'unless_flow = "own_feelings"',
             "field 'unless_flow'"),
            ("scoring.toml", 'id = "suggested_above"', 'id = "suggested_higher"', "the warnings must be exactly"),
        ],
    )
    def test_bad_field(self, catalog_copy: Path, filename: str, old: str, new: str, message: str) -> None:
        path = catalog_copy / filename
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(CatalogError, match=message):
            load_catalog(catalog_copy)

    def test_missing_file(self, catalog_copy: Path) -> None:
        (catalog_copy / "scripts.toml").unlink()
        with pytest.raises(CatalogError, match=r"scripts\.toml: the file is missing"):
            load_catalog(catalog_copy)

    def test_missing_field(self, catalog_copy: Path) -> None:
        path = catalog_copy / "slope_stages.toml"
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("label")]
        path.write_text("\n".join(lines), encoding="utf-8")
        with pytest.raises(CatalogError, match=r"slope_stages\.toml: stage '.*' field 'label': is missing"):
            load_catalog(catalog_copy)


