"""Users never read "seed 004 §3" or a source file's name (issue 13, PRODUCT.md "What users see of the
sources"): not in the catalogue's display texts, the window's strings, the `catalog` output, the PDFs or
the README and docs. Code comments, docstrings and the catalogue's machine `source` field are exempt."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from boundary_journal.catalog import Catalog
from boundary_journal.report import write_brief_pdf, write_supervision_pdf
from boundary_journal.services import entries, relationships
from boundary_journal.services.entries import EntryDraft
from boundary_journal.services.exports import gather_brief, gather_supervision
from boundary_journal.store.journal import Journal

ROOT = Path(__file__).resolve().parents[2]
INTERNAL = re.compile(r"seed[\s_]*0\d\d|\b\d{3}_[0-9a-f]{16}\.txt", re.IGNORECASE)
MACHINE_KEYS = {"source", "file", "id"}
# Functions that turn a machine source into what users read: their arguments are not user text.
LABELLERS = {"_cite", "source_label", "source_lines"}


def display_texts(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(key, text) for every string a user can read in catalogue data; machine fields left out."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in MACHINE_KEYS:
                yield from display_texts(v, k)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from display_texts(v, key)
    elif isinstance(value, str):
        yield key, value


def leaks(texts: Iterator[tuple[str, str]] | list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(k, t) for k, t in texts if INTERNAL.search(t)]


class TestCatalogue:
    def test_display_texts(self, catalog: Catalog) -> None:
        assert leaks(display_texts(catalog.to_dict())) == []

    def test_every_source_label_and_the_sources_page(self, catalog: Catalog) -> None:
        labels = [("label", catalog.item_source(item)) for key in ("categories", "channels", "templates",
                  "red_flags", "slope_stages", "escalation", "scripts", "response_moves", "levels", "weights",
                  "warnings", "language", "weekly_moves", "retired_rules", "clinical_senses")
                  for item in getattr(catalog, key)]
        labels += [("note", catalog.source_label(n.source)) for t in catalog.templates for n in t.notes]
        assert leaks(labels) == []
        assert leaks(display_texts(catalog.sources_page())) == []


def string_constants(path: Path) -> Iterator[tuple[str, str]]:
    """String literals of a module that are not docstrings and not handed to a source labeller."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in LABELLERS:
                skip.update(id(arg) for arg in node.args)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield f"{path.relative_to(ROOT)}:{node.lineno}", node.value


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["ui", "boundary_journal"])
def test_window_cli_and_report_strings(folder: str) -> None:
    found = [hit for path in sorted((ROOT / folder).rglob("*.py")) for hit in string_constants(path)]
    assert found and leaks(found) == []


@pytest.mark.parametrize("name", ["README.md", "docs/export-format.md"])
def test_readme_and_docs(name: str) -> None:
    text = (ROOT / name).read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if INTERNAL.search(line)] == []


@pytest.mark.parametrize("arguments", [["catalog"], ["catalog", "--sources"], ["catalog", "--sources", "--json"]])
def test_catalog_output(arguments: list[str], tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "boundary_journal", "--data-dir", str(tmp_path), *arguments],
                            capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout and INTERNAL.search(result.stdout) is None
    if "--json" in arguments:
        assert len(json.loads(result.stdout)["sources"]) == 5
    elif "--sources" in arguments:
        assert "Boundary Mistakes with Patients That Can End Your Career Early" in result.stdout
    else:  # every item names where it comes from, as the README says
        assert result.stdout.count("Source: ") >= 100 and "illustrative ranking" in result.stdout


@pytest.fixture
def filled(journal: Journal, catalog: Catalog) -> Journal:
    """One entry per template, every flow question answered yes (and one earlier-version answer)."""
    flow = {rule.id: "yes" for rule in catalog.escalation} | {"romantic_involvement": "yes"}
    for number, template in enumerate(catalog.templates):
        fields = {key: f"Text for {key}." for key in template.required_keys}
        entries.add_entry(journal, catalog, EntryDraft(
            template.id, "Client K", datetime(2026, 3, 1 + number % 27, 10, 0), fields, flow=flow, supervision=True))
    relationships.set_context(journal, "Client K", {"emergency": "None."})
    relationships.set_consent(journal, "Client K", {"informed": "Told and understood."})
    return journal


def pdftotext(path: Path) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True,
                            timeout=120)
    return result.stdout.decode("utf-8")


@pytest.mark.slow
def test_pdf_text(filled: Journal, catalog: Catalog, tmp_path: Path) -> None:
    period = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}
    summary, brief = tmp_path / "summary.pdf", tmp_path / "brief.pdf"
    write_supervision_pdf(summary, gather_supervision(filled, catalog, all_entries=True, **period), catalog)
    write_brief_pdf(brief, gather_brief(filled, catalog, "Client K"), catalog)
    for path in (summary, brief):
        text = pdftotext(path)
        assert text and INTERNAL.search(text) is None, path.name
    assert "illustrative" in pdftotext(summary)
