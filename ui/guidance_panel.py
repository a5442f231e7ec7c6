"""The panel beside the editor: the chosen template's scripts, red flags, escalation and source."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from boundary_journal.catalog import Catalog, Template

NOT_A_CRISIS_TOOL = (
    "Not a crisis tool: if a patient may be in danger now, set the boundary question aside, assess "
    "risk and use your service's urgent routes. This journal cannot raise help for anyone."
)


def guidance_html(catalog: Catalog, template: Template) -> str:
    """The template's guidance as escaped HTML; every catalogue string goes through html.escape."""
    parts = [f"<h3>{escape(template.title)}</h3>", f"<p>{escape(template.summary)}</p>"]

    scripts = [s for s in (catalog.script(i) for i in template.scripts) if s is not None]
    if scripts:
        parts.append("<h4>Response scripts</h4>")
        parts.append("<p><i>Illustrations of a move — put them in your own words.</i></p>")
        for script in scripts:
            parts.append(
                f"<p><b>{escape(script.title)}</b><br><i>{escape(script.when)}</i></p>"
                f'<p style="-qt-block-indent:1">“{escape(script.text)}”<br>'
                f'<small>{escape(catalog.item_source(script))}</small></p>'
            )

    flags = [f for f in (catalog.red_flag(i) for i in template.red_flags) if f is not None]
    if flags:
        parts.append("<h4>Red flags this touches</h4><ul>")
        for flag in flags:
            note = " <i>(warrants supervision or ethics input)</i>" if flag.warrants_higher_input else ""
            parts.append(f"<li>{escape(flag.text)}{note}</li>")
        parts.append("</ul>")

    rules = [r for r in (catalog.rule(i) for i in template.escalation) if r is not None]
    if rules:
        parts.append("<h4>When to escalate</h4><ul>")
        for rule in rules:
            parts.append(f"<li>{escape(rule.question)} → <b>{escape(rule.step)}</b></li>")
        parts.append("</ul>")

    if template.notes:
        parts.append("<h4>Worth knowing</h4>")
        for note in template.notes:
            parts.append(f"<p>{escape(note.text)}<br><i>{escape(catalog.source_label(note.source))}</i></p>")

    parts.append("<h4>Source</h4>")
    parts.extend(f"<p>{escape(line)}</p>" for line in catalog.source_lines(template.source))
    return "\n".join(parts)


INTRO_HTML = (
    "<h3>Guidance</h3><p>Choose a template in the editor. Its response scripts, the red flags it "
    "touches, when to escalate and the source it is drawn from appear here.</p>"
)


class GuidancePanel(QWidget):
    """Read-only guidance for the template open in the editor."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("Guidance for this template")
        self.browser.setAccessibleDescription("Response scripts, red flags, escalation and source")
        self.browser.document().setIndentWidth(self.fontMetrics().averageCharWidth() * 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.show_template(None)

    def show_template(self, template: Template | None) -> None:
        html = INTRO_HTML if template is None else guidance_html(self._catalog, template)
        self.browser.setHtml(html)
