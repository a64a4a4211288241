"""The APScheduler 3 process: the declared jobs on cron triggers in Europe/London.

Runs in `flask scheduler run`, or in the background of the single-process `flask serve`
(SCHEDULER=embedded). Web workers never start one. Period claims keep each run exactly-once
even when several schedulers fire the same job.
"""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from tracker.domain.calendar import LONDON
from tracker.jobs import JOBS, run_job

log = logging.getLogger(__name__)

# A scheduler that was down catches up once (coalesce) if it comes back within the grace time.
MISFIRE_GRACE_SECONDS = 6 * 3600


def _fire(app: Flask, name: str) -> None:
    with app.app_context():
        outcome = run_job(name)
        log.info(outcome.describe())


def build_scheduler(app: Flask, *, blocking: bool) -> BaseScheduler:
    """A scheduler with every declared job; not started."""
    scheduler_class = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = scheduler_class(timezone=LONDON)
    for job in JOBS:
        scheduler.add_job(
            _fire,
            CronTrigger(timezone=LONDON, **job.cron),
            args=(app, job.name),
            id=job.name,
            name=job.description,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
            replace_existing=True,
        )
    return scheduler
