"""Time saving a milestone's forecast through the service, re-rating included, against a floor: the same
save with the re-rating left out (the dashboard figures are refreshed in both).

    python -m bench.milestone_save --programmes 10000 [--saves 200] [--database-url URL]

The portfolio is the risk scan benchmark's (built once per size and reused), rated once by a scan. Each
save loads the programme by its code and moves one open milestone's forecast by a day, with a reason,
committing as the Update milestones page does; saves with and without re-rating take turns, so both see
the same database. The last line printed is the result as JSON; the target is a p95 under 50 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.engine import make_url

from bench.risk_scan import (
    bench_app,
    portfolio_arguments,
    portfolio_url,
    rated_portfolio,
)
from tracker.domain.milestones import Progress
from tracker.extensions import db
from tracker.models import Milestone, MilestoneStatus, Programme, Role, Stage, User
from tracker.services import editing
from tracker.services.accounts import users
from tracker.services.milestones import records as milestones

BENCH_EMAIL = "bench-pm@council.example"
TARGET_P95_MS = 50.0


def percentile(latencies: list[float], share: float) -> float:
    """Nearest rank over sorted latencies."""
    ordered = sorted(latencies)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@contextmanager
def without_rerating() -> Iterator[None]:
    """The floor: the same save, with the re-rating step made a no-op for the block only."""
    real = editing.rerate
    editing.rerate = lambda *args, **kwargs: None
    try:
        yield
    finally:
        editing.rerate = real


def open_milestones(count: int, seed: int) -> list[tuple[str, int]]:
    """(programme code, milestone id) of open milestones with a forecast, in open programmes, at random."""
    rows = db.session.execute(
        select(Programme.code, Milestone.id)
        .join(Programme, Programme.id == Milestone.programme_id)
        .where(
            Programme.stage != Stage.CLOSED,
            Milestone.status.in_((MilestoneStatus.NOT_STARTED, MilestoneStatus.IN_PROGRESS)),
            Milestone.forecast_date.is_not(None),
            Milestone.actual_date.is_(None),
        )
        .order_by(Milestone.id)
    ).all()
    picked = random.Random(seed).sample(rows, min(count, len(rows)))
    return [(code, milestone_id) for code, milestone_id in picked]


def save(user: User, code: str, milestone_id: int, step: int) -> float:
    """Move one milestone's forecast by a day through the service; return the milliseconds it took."""
    started = time.perf_counter()
    programme = editing.get_programme(code)
    milestone = db.session.get(Milestone, milestone_id)
    assert milestone is not None and milestone.forecast_date is not None
    progress = Progress(
        milestone.id,
        milestone.version,
        milestone.forecast_date + timedelta(days=step),
        None,
        milestone.status,
        "Benchmark: the supplier moved the date",
    )
    milestones.update_progress(programme, user=user, updates=[progress])
    elapsed = (time.perf_counter() - started) * 1000
    db.session.expire_all()
    return elapsed


def bench_user() -> User:
    """A programme manager to save as (the service checks nothing more: the view checks the policy)."""
    found = users.find_by_email(BENCH_EMAIL)
    if found is not None:
        return found
    password = secrets.token_urlsafe(24)  # nobody signs in as this person
    return users.create_user(
        BENCH_EMAIL, name="Bench Manager", role=Role.PROGRAMME_MANAGER, password=password
    )


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the portfolio, time saves with and without re-rating, print the JSON result last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    portfolio_arguments(parser)
    parser.add_argument("--saves", type=int, default=200, help="Saves of each kind")
    args = parser.parse_args(argv)
    url = portfolio_url(args)
    with bench_app(url).app_context():
        rated_portfolio(args.programmes, args.seed)
        user = bench_user()
        picked = open_milestones(args.saves, args.seed)
        save(user, *picked[0], 1)  # warm caches and the statement cache before timing
        with_rerating: list[float] = []
        floor: list[float] = []
        for turn, (code, milestone_id) in enumerate(picked):
            step = 1 if turn % 2 == 0 else -1
            with_rerating.append(save(user, code, milestone_id, step))
            with without_rerating():
                floor.append(save(user, code, milestone_id, -step))
        backend = make_url(url).get_backend_name()
        db.session.remove()
        db.engine.dispose()
    result = {
        "programmes": args.programmes,
        "saves": len(with_rerating),
        "p50_ms": round(percentile(with_rerating, 0.5), 1),
        "p95_ms": round(percentile(with_rerating, 0.95), 1),
        "floor_p50_ms": round(percentile(floor, 0.5), 1),
        "floor_p95_ms": round(percentile(floor, 0.95), 1),
    }
    result["ratio_p95"] = round(result["p95_ms"] / result["floor_p95_ms"], 2)
    verdict = "within" if result["p95_ms"] < TARGET_P95_MS else "over"
    print(
        f"Milestone save on {backend}, {args.programmes} programmes, {len(with_rerating)} saves each: "
        f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms with re-rating; floor p50 "
        f"{result['floor_p50_ms']} ms, p95 {result['floor_p95_ms']} ms; "
        f"{verdict} the {TARGET_P95_MS:g} ms target."
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
