"""Flask commands: thin wrappers that parse options and call one service."""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.cli_backup import backup_cli
from tracker.cli_digest import digest_cli
from tracker.cli_import import import_cli
from tracker.models import Role
from tracker.services.errors import ServiceError

users_cli = AppGroup("users", help="Manage the people who can sign in.")
demo_cli = AppGroup("demo", help="The demo council.")
scheduler_cli = AppGroup("scheduler", help="The scheduled jobs.")
risk_cli = AppGroup("risk", help="Risk ratings and flags.")


@users_cli.command("create")
@click.option("--email", required=True, help="Their email address; they sign in with it.")
@click.option("--name", required=True, help="Their full name, as shown in the tracker.")
@click.option(
    "--role", required=True, type=click.Choice([role.value for role in Role]), help="What they may do."
)
@click.option("--password", help="At least 12 characters. Prompted for (hidden) when left out.")
def create_user_command(email: str, name: str, role: str, password: str | None) -> None:
    """Create a user who can sign in."""
    from tracker.services.users import create_user

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, name=name, role=Role(role), password=password)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.role.value} {user.email}.")


@demo_cli.command("seed")
def seed_command() -> None:
    """Load the demo council, unless the database already has programmes (safe to run twice)."""
    from tracker.services.demo import seed_demo

    result = seed_demo()
    click.echo(result.summary())


@scheduler_cli.command("list")
def scheduler_list_command() -> None:
    """Print each job, its schedule and its next run time (Europe/London)."""
    from tracker.scheduler import build_scheduler

    scheduler = build_scheduler(current_app._get_current_object(), blocking=False)
    scheduler.start(paused=True)
    try:
        for job in scheduler.get_jobs():
            when = job.next_run_time.strftime("%A %d %B %Y %H:%M %Z") if job.next_run_time else "paused"
            click.echo(f"{job.id:<18} next {when:<36} {job.name}")
    finally:
        scheduler.shutdown(wait=False)


@scheduler_cli.command("run")
def scheduler_run_command() -> None:
    """Run the scheduler in this process until stopped (one per deployment is enough)."""
    from tracker.scheduler import build_scheduler

    scheduler = build_scheduler(current_app._get_current_object(), blocking=True)
    click.echo("Scheduler running; press Ctrl+C to stop.")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        click.echo("Scheduler stopped.")


@scheduler_cli.command("run-now")
@click.argument("job")
def scheduler_run_now_command(job: str) -> None:
    """Run JOB now for the current period (skipped if another run has claimed it)."""
    from tracker.jobs import run_job

    try:
        outcome = run_job(job)
    except KeyError as error:
        raise click.ClickException(str(error.args[0])) from error
    click.echo(outcome.describe())
    if outcome.ran and not outcome.succeeded:
        raise SystemExit(1)


@risk_cli.command("scan")
@click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="Rate the portfolio as it stood at the end of this day, as history (today's rating stays).",
)
def risk_scan_command(as_of: str | None) -> None:
    """Score every active programme now, or as it stood on a past day, and print counts by rating."""
    from tracker.domain.calendar import LONDON, london_today
    from tracker.jobs import get_job
    from tracker.models.types import utcnow
    from tracker.services.claims import run_claimed
    from tracker.services.risk_scan import daily_scan

    day = None if as_of is None else _past_day(as_of, london_today(utcnow()))
    job = get_job("risk_scan")
    bar = _ProgressBar("Scanning programmes") if sys.stdout.isatty() else None
    started = time.perf_counter()
    try:
        # A scan asked for by hand claims its own minute, not the scheduled day: it always runs,
        # while two started together still run once.
        period = "manual " + utcnow().astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")
        if day is not None:
            period += f" as of {day.isoformat()}"
        outcome = run_claimed(job.name, period, lambda: daily_scan(as_of=day, progress=bar).summary())
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


class _ProgressBar:
    """A click progress bar opened on the first report, once the total is known."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command("serve")
@click.option("--reload/--no-reload", default=False, help="Restart when code changes (development).")
def serve_command(reload: bool) -> None:
    """Serve the app on HOST:PORT, with the scheduler in the background when SCHEDULER=embedded."""
    from werkzeug.serving import run_simple

    from tracker.scheduler import build_scheduler

    app = current_app._get_current_object()
    host, port = app.config["HOST"], int(app.config["PORT"])
    serving_child = not reload or os.environ.get("WERKZEUG_RUN_MAIN") == "true"
    if serving_child:
        if app.config["SCHEDULER"] == "embedded":
            build_scheduler(app, blocking=False).start()
            click.echo("Scheduler: embedded (risk scan daily 06:00, digest Monday 08:00, Europe/London).")
        else:
            click.echo("Scheduler: off (run `flask scheduler run` in its own process).")
        click.echo(f"Serving {app.config['ORG_NAME']} change programme tracker on http://{host}:{port}/")
    run_simple(host, port, app, use_reloader=reload, threaded=True)


def commands() -> list[click.Command]:
    """Every command group the app adds to `flask`."""
    return [users_cli, demo_cli, scheduler_cli, risk_cli, serve_command, digest_cli, backup_cli, import_cli]
