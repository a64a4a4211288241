"""`flask risk`: risk ratings and flags."""

from __future__ import annotations

import time
from datetime import date

import click
from flask.cli import AppGroup

from tracker.cli.progress import progress_bar

risk_cli = AppGroup("risk", help="Risk ratings and flags.")


@risk_cli.command("scan")
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="Rate the portfolio as it stood at the end of this day, as history (today's rating stays).",
)
def risk_scan_command(as_of: str | None) -> None:
    """Score every active programme now, or as it stood on a past day, and print counts by rating."""
    from tracker.domain.calendar import london_today
    from tracker.jobs import run_job
    from tracker.models.types import utcnow

    day = None if as_of is None else _past_day(as_of, london_today(utcnow()))
    bar = progress_bar("Scanning programmes")
    started = time.perf_counter()
    try:
        outcome = run_job("risk_scan", by_hand=True, as_of=day, progress=bar)
    finally:
        if bar is not None:
            bar.close()
    click.echo(outcome.describe())
    click.echo(f"Took {time.perf_counter() - started:.2f} seconds.")
    if outcome.ran and not outcome.succeeded:
        raise SystemExit(1)


def _past_day(text: str, today: date) -> date:
    """A day to rate as of: a real date, today at the latest."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        message = f"enter a date as YYYY-MM-DD, like 2027-03-01, not '{text}'"
        raise click.BadParameter(message, param_hint="'--as-of'") from None
    if day > today:
        message = f"{day.isoformat()} is in the future: a portfolio can only be rated as it stood by today"
        raise click.BadParameter(message, param_hint="'--as-of'")
    return day
