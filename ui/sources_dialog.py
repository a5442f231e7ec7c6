"""Help ▸ Sources: the five public articles the catalogue is written from, with their full titles and what
the app takes from each (the same listing as `catalog --sources`)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from boundary_journal.catalog import OWN_RULES_NOTE, Catalog


def sources_html(catalog: Catalog) -> str:
    """The listing as rich text; every catalogue string escaped."""
    parts = [
        "<h3>Sources</h3>",
        "<p>Boundary Journal's templates, scripts, red flags and escalation steps are written in its own words "
        "from these public articles. Wherever a source is shown, it names the article by its short title and "
        "section.</p>",
    ]
    for number, source in enumerate(catalog.sources_page(), start=1):
        parts.append(
            f"<p><b>{number}. {escape(source['title'])}</b><br>"
            f"<i>{escape(catalog.source_origin(source))}; cited by {source['items']} catalogue items</i>"
            f"<br>{escape(source['uses'])}</p>"
        )
    parts.append(f"<p>{escape(OWN_RULES_NOTE)}</p>")
    return "\n".join(parts)


class SourcesDialog(QDialog):
    """Read-only list of the articles; Close only."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sources")
        self.setAccessibleName("Sources")
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("The articles the catalogue is written from")
        self.browser.setHtml(sources_html(catalog))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 80, metrics.height() * 34)
