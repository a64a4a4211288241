"""`flask scheduler`: the scheduled jobs, listed, run in this process, or one of them run now."""

from __future__ import annotations

import signal

import click
from flask import current_app
from flask.cli import AppGroup

scheduler_cli = AppGroup("scheduler", help="The scheduled jobs.")


def _stop_running(signal_number: int, frame: object) -> None:
    raise SystemExit(0)


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
    signal.signal(signal.SIGTERM, _stop_running)  # systemd, or `flask serve` stopping: as Ctrl-C does
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
