"""The shipped catalogue: complete, sourced, and refused loudly when malformed."""

from __future__ import annotations

from pathlib import Path

import pytest

from boundary_journal.catalog import STANDARD_FIELDS, Catalog, load_catalog
from boundary_journal.errors import CatalogError
from boundary_journal.paths import resources_root

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


