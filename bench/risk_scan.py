"""Time the full risk scan against a floor: the same SQL fetched through the bare driver, no ORM.

    python -m bench.risk_scan --programmes 10000 [--database-url URL] [--repeat 3]

The portfolio is built once per size (a SQLite file under bench/.data/ by default) and reused while
the database holds exactly that many programmes. The last line printed is the result as JSON.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from flask import Flask
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from bench.generate import REFERENCE_DAY, REFERENCE_NOW, generate_portfolio
from tracker import create_app
from tracker.config import load_settings
from tracker.extensions import db
from tracker.models import Programme, RiskAssessment
from tracker.services.portfolio.figures import refresh_open_programmes
from tracker.services.ratings.scan import ScanResult, scan_portfolio
from tracker.services.ratings.snapshots import scan_statements

DATA_DIR = Path(__file__).resolve().parent / ".data"
T = TypeVar("T")


def bench_app(url: str) -> Flask:
    """An app on the benchmark database, configured the way production configures itself."""
    environ = {"DATABASE_URL": url, "SECRET_KEY": "bench-only", "SCHEDULER": "off"}
    return create_app(settings=load_settings(environ, instance_dir=DATA_DIR / "instance"))


def prepare(n_programmes: int, seed: int) -> float | None:
    """Migrate, then build the portfolio unless the database already holds exactly that many programmes."""
    from flask_migrate import upgrade

    upgrade()
    if (db.session.scalar(select(func.count(Programme.id))) or 0) == n_programmes:
        return None
    db.session.remove()
    started = time.perf_counter()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
    generate_portfolio(db.engine, n_programmes, seed=seed)
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:  # fold the build into the main file, as it would be
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


def portfolio_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every portfolio benchmark takes: its size, its database and the generator's seed."""
    parser.add_argument("--programmes", type=int, required=True)
    parser.add_argument("--database-url", help="Default: SQLite file bench/.data/portfolio-N.db")
    parser.add_argument("--seed", type=int, default=2027)


def portfolio_url(args: argparse.Namespace) -> str:
    """The database asked for, or the SQLite file of a portfolio of that size under bench/.data."""
    DATA_DIR.mkdir(exist_ok=True)
    return args.database_url or f"sqlite:///{DATA_DIR / f'portfolio-{args.programmes}.db'}"


def rated_portfolio(n_programmes: int, seed: int, *, label: str = "Risk scan:") -> None:
    """Build or reuse the portfolio, saying how long a build took, and rate it if it never was."""
    built = prepare(n_programmes, seed)
    if built is not None:
        print(f"Built {n_programmes} programmes in {built:.1f} s")
    if not db.session.scalar(select(func.count(RiskAssessment.id))):
        print(label, scan().summary())


def floor_fetch(engine: Engine) -> Callable[[], None]:
    """The scan's queries as literal SQL, run and fetched with the driver alone (sqlite3 or psycopg)."""
    queries = [
        str(statement.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
        for statement in scan_statements().values()
    ]
    url = engine.url
    if url.get_backend_name() == "sqlite":
        path = url.database or ""

        def run() -> None:
            connection = sqlite3.connect(path)
            try:
                for query in queries:
                    connection.execute(query).fetchall()
            finally:
                connection.close()

        return run
    import psycopg

    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)

    def run_pg() -> None:
        with psycopg.connect(conninfo) as connection:
            for query in queries:
                connection.execute(query).fetchall()  # type: ignore[arg-type]

    return run_pg


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, T]:
    """Least time of several runs (the others measure the machine being busy) and the last result."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def scan() -> ScanResult:
    """The daily scan as of the generator's reference day, so ratings are the same every run."""
    return scan_portfolio(today=REFERENCE_DAY, now=REFERENCE_NOW)


def refresh_figures() -> None:
    """The daily job's second step: every open programme's dashboard figures, as of the reference day."""
    refresh_open_programmes(today=REFERENCE_DAY, now=REFERENCE_NOW)
    db.session.commit()


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the portfolio, time floor and scan, print the JSON result last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    portfolio_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each; the best is reported")
    args = parser.parse_args(argv)
    url = portfolio_url(args)
    with bench_app(url).app_context():
        # Timed runs should retire a previous latest row for each programme, as the daily scan does.
        rated_portfolio(args.programmes, args.seed, label="Warm-up:")
        floor_seconds, _ = best_of(args.repeat, floor_fetch(db.engine))
        seconds, result = best_of(args.repeat, scan)
        print(f"{result.summary()} Database: {make_url(url).get_backend_name()}.")
        # Not part of the scan: the daily job's second step, timed apart so each figure means one thing.
        figures_seconds, _ = best_of(args.repeat, refresh_figures)
        print(f"Then the dashboard figures of every open programme: {figures_seconds:.2f} s.")
        db.session.remove()
        db.engine.dispose()
    figures = {
        "programmes": args.programmes,
        "seconds": round(seconds, 3),
        "floor_seconds": round(floor_seconds, 3),
        "ratio": round(seconds / floor_seconds, 2),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
