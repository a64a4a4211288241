"""`flask pack build`: a board pack for the whole council or one directorate, as PDF or PowerPoint."""

from __future__ import annotations

from datetime import date
from importlib.util import find_spec
from pathlib import Path

import click
from flask.cli import AppGroup

pack_cli = AppGroup("pack", help="Board packs.")
DECK_MODULE = "tracker.services.packs.deck"


def _day(_context: click.Context, _parameter: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter("Give the date as YYYY-MM-DD, like 2026-11-30") from error


@pack_cli.command("build")
@click.option(
    "--as-of", "as_of", callback=_day, help="The day the pack shows (YYYY-MM-DD); today if left out."
)
@click.option("--directorate", help="One directorate's programmes; the whole council if left out.")
@click.option(
    "--format", "kind", type=click.Choice(["pdf", "pptx"]), required=True, help="PDF or PowerPoint."
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="File to write.")
def build_command(as_of: date | None, directorate: str | None, kind: str, out: Path) -> None:
    """Write the portfolio pack as it stood at the end of a day."""
    from tracker.services.errors import ServiceError
    from tracker.services.packs.content import council_pack

    if kind == "pptx" and find_spec(DECK_MODULE) is None:
        raise click.ClickException("PowerPoint packs are not available yet: use --format pdf.")
    try:
        pack = council_pack(directorate=directorate, as_of=as_of)
    except ServiceError as error:
        raise click.ClickException(str(error)) from error
    if kind == "pdf":
        from tracker.services.packs.pdf import portfolio_pdf

        data = portfolio_pdf(pack)
    else:
        from tracker.services.packs.deck import build_deck  # type: ignore[import-not-found]

        data = build_deck(pack)
    out.write_bytes(data)
    pages = len(pack.programme_pages)
    click.echo(
        f"Wrote {out} ({len(data):,} bytes): {pack.title}, {pack.scope}, "
        f"{pack.summary.programmes} programmes, {pages} Red or Amber."
    )
