"""The guidance panel: the template's scripts, red flags, escalation and source, escaped."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from boundary_journal.catalog import Catalog
from ui.guidance_panel import GuidancePanel, guidance_html, source_lines


class TestSourceLines:
    """A source names the seed's title and section; several parts may be cited."""

    def test_several_files(self, catalog: Catalog) -> None:
        source = catalog.template("phone_number_request").source
        lines = source_lines(catalog, source)
        assert len(lines) == 3
        assert lines[0].startswith(catalog.source_title(source))

    def test_a_section_without_file_continues_the_previous_file(self, catalog: Catalog) -> None:
        file = catalog.sources[4].file
        lines = source_lines(catalog, f"{file} §3 Digital boundaries; §7 Documentation")
        assert lines == [f"{catalog.sources[4].title} — §3 Digital boundaries; §7 Documentation"]

    def test_own_additions(self, catalog: Catalog) -> None:
        assert source_lines(catalog, "app") == ["Boundary Journal's own addition"]


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
