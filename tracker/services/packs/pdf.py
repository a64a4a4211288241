"""Board packs as PDF: our own templates and print stylesheet, drawn by WeasyPrint as tagged PDF/UA-1
(structure tree, document title and language), so a screen reader can follow a pack handed to members."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import current_app
from weasyprint import CSS, HTML

from tracker.services.packs.content import COST_LINES_TODAY, HighlightReport, PortfolioPack

PDF_VARIANT = "pdf/ua-1"
MEDIA_TYPE = "application/pdf"


def portfolio_html(pack: PortfolioPack) -> str:
    """The portfolio pack as one HTML document, page breaks in the stylesheet."""
    return _render("packs/portfolio.html", pack=pack, cost_lines_today=COST_LINES_TODAY)


def highlight_html(report: HighlightReport) -> str:
    return _render("packs/highlight.html", report=report)


def portfolio_pdf(pack: PortfolioPack) -> bytes:
    return html_to_pdf(portfolio_html(pack))


def highlight_pdf(report: HighlightReport) -> bytes:
    return html_to_pdf(highlight_html(report))


def html_to_pdf(html: str) -> bytes:
    """Draw a pack's HTML as tagged PDF with the print stylesheet."""
    folder = _templates()
    document = HTML(string=html, base_url=str(folder))
    pdf = document.write_pdf(stylesheets=[_stylesheet(folder)], pdf_variant=PDF_VARIANT)
    if pdf is None:  # only when given a target to write to
        raise RuntimeError("WeasyPrint wrote no PDF")
    return pdf


def _render(name: str, **values: object) -> str:
    """Our filters without the pages' context (which needs a request): a pack is drawn from the command
    line and from jobs too."""
    return current_app.jinja_env.get_template(name).render(**values)


def _templates() -> Path:
    return Path(current_app.root_path, current_app.template_folder or "templates", "packs")


@lru_cache(maxsize=2)
def _stylesheet(folder: Path) -> CSS:
    """Parsed once per process: the stylesheet only changes with a release."""
    return CSS(filename=str(folder / "print.css"))
