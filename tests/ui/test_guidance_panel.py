"""The guidance panel: the template's scripts, red flags, escalation and source, escaped."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from ui.guidance_panel import GuidancePanel, guidance_html


class TestSources:
    """Sources read as the article's short title and section, never as a file name."""

    def test_the_panel_names_articles_not_files(self, qtbot: QtBot, catalog: Catalog) -> None:
        panel = GuidancePanel(catalog)
        qtbot.addWidget(panel)
        for template in catalog.templates:
            panel.show_template(template)
            text = panel.browser.toPlainText()
            assert ".txt" not in text and "seed 0" not in text.casefold(), template.id
            for line in catalog.source_lines(template.source):
                assert line in text

    def test_notes_show_with_their_source(self, qtbot: QtBot, catalog: Catalog) -> None:
        panel = GuidancePanel(catalog)
        qtbot.addWidget(panel)
        template = catalog.template("phone_number_request")
        panel.show_template(template)
        text = panel.browser.toPlainText()
        assert "Worth knowing" in text and "different structure of care" in text
        for note in template.notes:
            assert catalog.source_label(note.source) in text


class TestHtml:
    """Everything from the catalogue is escaped before it becomes rich text."""

    def test_markup_in_catalogue_text_is_escaped(self, catalog: Catalog) -> None:
        template = replace(catalog.template("phone_number_request"), title="<b>&amp; x", summary="<i>y</i>")
        html = guidance_html(catalog, template)
        assert "&lt;b&gt;&amp;amp; x" in html and "&lt;i&gt;y&lt;/i&gt;" in html
        assert "<b>&amp; x" not in html

    def test_shows_what_the_template_points_to(self, qtbot: QtBot, catalog: Catalog) -> None:
        panel = GuidancePanel(catalog)
        qtbot.addWidget(panel)
        template = catalog.template("flirtatious_remark")
        panel.show_template(template)
        text = panel.browser.toPlainText()
        for script_id in template.scripts:
            assert catalog.script(script_id).text in text
        for flag_id in template.red_flags:
            assert catalog.red_flag(flag_id).text in text
        for rule_id in template.escalation:
            assert catalog.rule(rule_id).step in text
        panel.show_template(None)
        assert "Choose a template" in panel.browser.toPlainText()
