"""`flask digest`: preview anyone's digest as text, and run the weekly send by hand."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.domain.calendar import iso_week_key, parse_iso_week

digest_cli = AppGroup("digest", help="The weekly risk digest.")


def _week(_context: click.Context, _parameter: click.Parameter, value: str | None) -> str | None:
    """Accept 2026-W49 or 2026W49 and give the canonical key; refuse weeks that do not exist."""
    if value is None:
        return None
    try:
        return iso_week_key(parse_iso_week(value))
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


WEEK_OPTION = click.option(
    "--week", callback=_week, help="ISO week like 2026-W49; this week (Europe/London) when left out."
)


@digest_cli.command("preview")
@click.option("--email", required=True, help="Whose digest to show.")
@WEEK_OPTION
def preview_command(email: str, week: str | None) -> None:
    """Print the text part of someone's digest, as it would be sent now."""
    from tracker.services.accounts.users import find_by_email
    from tracker.services.digest.account import preview_digest, receives_digest

    user = find_by_email(email)
    if user is None:
        raise click.ClickException(f"No user has the email {email.strip()}.")
    if not receives_digest(user):
        click.echo(f"Note: {user.email} is not sent the weekly digest (inactive or opted out).", err=True)
    rendered = preview_digest(user, week=week)
    click.echo(f"Subject: {rendered.subject}\n")
    click.echo(rendered.text, nl=False)


@digest_cli.command("send")
@WEEK_OPTION
def send_command(week: str | None) -> None:
    """Run the weekly send now; the week's claim makes a second run (anywhere) send nothing."""
    from tracker.jobs import get_job, run_job
    from tracker.services.claims import run_claimed
    from tracker.services.digest.jobs import send_weekly_digest

    if week is None:
        outcome = run_job("weekly_digest")
    else:
        job = get_job("weekly_digest")
        outcome = run_claimed(job.name, week, lambda: send_weekly_digest(week))
    click.echo(outcome.describe())
    if outcome.ran and not outcome.succeeded:
        raise SystemExit(1)
