"""Time building every recipient's weekly digest against a floor: the digest source's queries fetched raw.

    python -m bench.digest --programmes 10000 [--database-url URL] [--repeat 3]

The portfolio is the risk scan benchmark's (built once per size, reused while the database holds exactly
that many programmes), rated by a scan as of the generator's reference day. The recipients are whoever the
weekly job would send to (its CIOs, admins and programme managers); a few CIOs are added if there are none.
Each run loads the digest source once and builds and renders every recipient's digest, as the weekly job
does before it stores them; nothing is stored or sent. The last line printed is the result as JSON.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select, true
from sqlalchemy.engine import make_url

from bench.generate import REFERENCE_DAY, REFERENCE_NOW
from bench.risk_scan import (
    bench_app,
    best_of,
    portfolio_arguments,
    portfolio_url,
    rated_portfolio,
)
from tracker.domain.calendar import london_week_key
from tracker.extensions import db
from tracker.models import Role, User
from tracker.services.digest.compose import Scope, digest_scope
from tracker.services.digest.jobs import render_for
from tracker.services.digest.render import RenderedDigest
from tracker.services.digest.source import load_digest_source

WEEK = london_week_key(REFERENCE_NOW)
CIOS_IF_NONE = 3


def recipients() -> list[tuple[User, Scope]]:
    """Everyone the weekly job would send a digest to, adding CIOs if the portfolio has none."""
    active = list(db.session.scalars(select(User).where(User.active == true()).order_by(User.id)))
    if not any(user.role is Role.CIO for user in active):
        for number in range(1, CIOS_IF_NONE + 1):
            email = f"bench-digest-cio-{number}@council.example"
            db.session.add(User(email=email, name=f"Bench CIO {number}", role=Role.CIO, password_hash="!"))
        db.session.commit()
        return recipients()
    return [(user, scope) for user in active if (scope := digest_scope(user))]


def build_all(people: list[tuple[User, Scope]]) -> list[RenderedDigest]:
    """The week's digests for everyone, from one load of the source, rendered and not sent."""
    source = load_digest_source(now=REFERENCE_NOW, today=REFERENCE_DAY)
    return [render_for(user, scope, week=WEEK, source=source) for user, scope in people]


@contextmanager
def recorded_statements():
    """The SQL and parameters sent to the database inside the block, as the driver received them."""
    seen: list[tuple[str, Any]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def floor_fetch() -> Callable[[], None]:
    """The digest source's queries, exactly as sent, run and fetched with nothing built from the rows."""
    with recorded_statements() as statements:
        load_digest_source(now=REFERENCE_NOW, today=REFERENCE_DAY)
    db.session.rollback()

    def run() -> None:
        with db.engine.connect() as connection:
            for statement, parameters in statements:
                connection.exec_driver_sql(statement, parameters).all()

    return run


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the portfolio, time floor and digests, print the JSON result last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    portfolio_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each; the best is reported")
    args = parser.parse_args(argv)
    url = portfolio_url(args)
    with bench_app(url).app_context():
        rated_portfolio(args.programmes, args.seed)
        people = recipients()
        floor_seconds, _ = best_of(args.repeat, floor_fetch())
        seconds, rendered = best_of(args.repeat, lambda: build_all(people))
        largest = max((len(part.html.encode()) for part in rendered), default=0)
        text = max((len(part.text.encode()) for part in rendered), default=0)
        print(
            f"{len(people)} digests ({sum(s is Scope.PORTFOLIO for _, s in people)} of the whole portfolio) "
            f"built and rendered in {seconds:.2f} s; the source's queries fetched raw {floor_seconds:.2f} s. "
            f"Largest HTML part {largest / 1024:.0f} KB, largest text part {text / 1024:.0f} KB. "
            f"Database: {make_url(url).get_backend_name()}."
        )
        db.session.remove()
        db.engine.dispose()
    figures = {
        "programmes": args.programmes,
        "recipients": len(people),
        "seconds": round(seconds, 3),
        "floor_seconds": round(floor_seconds, 3),
        "largest_html_bytes": largest,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
