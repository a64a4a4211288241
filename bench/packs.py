"""Time the portfolio board pack for the whole council, in each format, against its floors.

    python -m bench.packs --programmes 100 [--database-url URL] [--repeat 2]

The portfolio is the risk scan benchmark's (20 milestones, 5 cost lines and 4 benefits a programme),
rated by a scan. Timed: the pack's content read from the database; its HTML (the floor of any
rendering: the same HTML drawn by nothing); the PDF, content to bytes, as the download builds it; and
the PowerPoint deck, content to bytes and drawn from content already read. The last line printed is the
result as JSON.
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from io import BytesIO

from pptx import Presentation
from pypdf import PdfReader

from bench.exports import best_of
from bench.generate import REFERENCE_NOW
from bench.risk_scan import bench_app, portfolio_arguments, portfolio_url, rated_portfolio
from tracker.extensions import db
from tracker.services.packs.content import PortfolioPack, council_pack
from tracker.services.packs.deck import build_deck
from tracker.services.packs.pdf import html_to_pdf, portfolio_html

TARGET_PDF_SECONDS = 10.0
NOW = REFERENCE_NOW + timedelta(hours=2)
"""The generator's day, after its scan: the portfolio's dates and ratings are relative to it."""


def build() -> PortfolioPack:
    return council_pack(now=NOW)


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the portfolio, then time the content, its HTML, the PDF and the deck."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    portfolio_arguments(parser)
    parser.add_argument("--repeat", type=int, default=2, help="Runs of each; the best is reported")
    args = parser.parse_args(argv)
    with bench_app(portfolio_url(args)).app_context():
        rated_portfolio(args.programmes, args.seed)
        html_to_pdf(portfolio_html(build()))  # warm-up: fonts, templates and the stylesheet load once
        content, _, pack = best_of(args.repeat, build)
        html_floor, _, html = best_of(args.repeat, lambda: portfolio_html(build()))
        pdf_seconds, pdf_cpu, data = best_of(args.repeat, lambda: html_to_pdf(portfolio_html(build())))
        deck_seconds, deck_cpu, deck = best_of(args.repeat, lambda: build_deck(build()))
        drawing, _, _ = best_of(args.repeat, lambda: build_deck(pack))
        db.session.remove()
        db.engine.dispose()
    pages = len(PdfReader(BytesIO(data)).pages)
    slides = len(Presentation(BytesIO(deck)).slides)
    result = {
        "programmes": args.programmes,
        "red_or_amber_pages": len(pack.programme_pages),
        "content_seconds": round(content, 3),
        "html_floor_seconds": round(html_floor, 3),
        "html_bytes": len(html),
        "pdf_seconds": round(pdf_seconds, 3),
        "pdf_cpu_seconds": round(pdf_cpu, 3),
        "pdf_pages": pages,
        "pdf_bytes": len(data),
        "pptx_seconds": round(deck_seconds, 3),
        "pptx_cpu_seconds": round(deck_cpu, 3),
        "pptx_drawing_seconds": round(drawing, 3),
        "pptx_slides": slides,
        "pptx_bytes": len(deck),
    }
    verdict = "within" if pdf_seconds < TARGET_PDF_SECONDS else "OVER"
    print(
        f"Content {content:6.2f} s for {args.programmes} programmes, {len(pack.programme_pages)} Red or Amber"
    )
    print(f"HTML    {html_floor:6.2f} s (floor: content and the same HTML, drawn by nothing)")
    print(
        f"PDF     {pdf_seconds:6.2f} s, CPU {pdf_cpu:.2f} s vs floor {html_floor:.2f} s: {pages} pages, "
        f"{len(data) / 1e6:.1f} MB, {verdict} the {TARGET_PDF_SECONDS:.0f} s target"
    )
    print(
        f"PowerPoint {deck_seconds:6.2f} s, CPU {deck_cpu:.2f} s ({drawing:.2f} s drawing content already "
        f"read) vs floor {content:.2f} s (the content alone): {slides} slides, {len(deck) / 1e6:.1f} MB"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
