"""The scheduled jobs, declared in one list. Each body is a short call into a service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.domain.calendar import LONDON, iso_week_key
from tracker.models.types import utcnow
from tracker.services.claims import RunOutcome, run_claimed

Progress = Callable[[int, int], None]


def _daily(now: datetime) -> str:
    return now.astimezone(LONDON).date().isoformat()


def _weekly(now: datetime) -> str:
    return iso_week_key(now.astimezone(LONDON).date())


def _hourly(now: datetime) -> str:
    return now.astimezone(LONDON).strftime("%Y-%m-%dT%H")


def _risk_scan(*, as_of: date | None = None, progress: Progress | None = None) -> str:
    from tracker.services.ratings.scan import daily_scan

    return daily_scan(as_of=as_of, progress=progress).summary()


def _dashboard_figures() -> str:
    from tracker.services.portfolio.figures import start_the_day

    return start_the_day()


def _weekly_digest() -> str:
    from tracker.services.digest.jobs import send_weekly_digest

    return send_weekly_digest()


def _retry_deliveries() -> str:
    from tracker.services.digest.jobs import retry_failed_deliveries

    return retry_failed_deliveries()


def _import_sweep() -> str:
    from tracker.services.imports.files import sweep_expired

    return sweep_expired()


def _sign_in_log_sweep() -> str:
    from tracker.services.accounts.sign_in_log import sweep_old

    return sweep_old()


@dataclass(frozen=True)
class Job:
    """A job: when it fires (cron fields, Europe/London), how its period is named, what it does."""

    name: str
    description: str
    cron: dict[str, str | int] = field(hash=False)
    period: Callable[[datetime], str]
    body: Callable[..., str]
    """Called with no arguments by the scheduler; a run by hand may pass the options its command takes."""


JOBS: tuple[Job, ...] = (
    Job(
        "dashboard_figures",
        "Work out today's dashboard figures for every open programme",
        {"hour": 0, "minute": 5},
        _daily,
        _dashboard_figures,
    ),
    Job(
        "risk_scan",
        "Score every active programme and flag those at risk",
        {"hour": 6, "minute": 0},
        _daily,
        _risk_scan,
    ),
    Job(
        "weekly_digest",
        "Send the weekly risk digest",
        {"day_of_week": "mon", "hour": 8, "minute": 0},
        _weekly,
        _weekly_digest,
    ),
    Job(
        "retry_deliveries", "Retry digest deliveries that failed", {"minute": 15}, _hourly, _retry_deliveries
    ),
    Job(
        "import_sweep",
        "Delete spreadsheet uploads left for more than a day",
        {"hour": 3, "minute": 30},
        _daily,
        _import_sweep,
    ),
    Job(
        "sign_in_log_sweep",
        "Delete sign-in log entries older than a year",
        {"hour": 3, "minute": 40},
        _daily,
        _sign_in_log_sweep,
    ),
)


def get_job(name: str) -> Job:
    """The declared job called `name` (KeyError names the ones that exist)."""
    for job in JOBS:
        if job.name == name:
            return job
    raise KeyError(f"No job called {name!r}; jobs are: {', '.join(job.name for job in JOBS)}")


def run_job(
    name: str, *, now: datetime | None = None, by_hand: bool = False, **options: object
) -> RunOutcome:
    """Run a job once across every process and host, as the scheduler does and as commands do.

    Scheduled (and `flask scheduler run-now`): the job's own period, so a day's scan runs once however
    often it is asked for. `by_hand`: a run a person asked for claims its own minute instead, so it
    always runs while two started together still run once; an `as_of` option is part of its period.
    `options` go to the job's body (the risk scan takes `as_of` and `progress`).
    """
    job = get_job(name)
    moment = now or utcnow()
    period = job.period(moment)
    if by_hand:
        period = "manual " + moment.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")
        as_of = options.get("as_of")
        if isinstance(as_of, date):
            period += f" as of {as_of.isoformat()}"
    return run_claimed(job.name, period, lambda: job.body(**options))
