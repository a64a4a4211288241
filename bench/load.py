"""Programme managers and CIOs all at once, against gunicorn with four workers, on SQLite and PostgreSQL.

    python -m bench.load [--seconds 30] [--database sqlite|postgres|both] [--programmes 12] [--servers 1]

Each run builds a small portfolio in a fresh database (a new SQLite file; a new PostgreSQL database,
dropped afterwards), adds programme managers and CIOs who can sign in, and serves the app on 127.0.0.1.
Separate OS processes then sign in through the sign-in form: programme managers move milestone
forecasts on "Update milestones" and record benefit measurements (two of them on the same programme,
so their saves collide), CIOs read the dashboard. Afterwards the database is checked: every save the
app confirmed must be stored, with its history row; any that is not is a lost update. Any 5xx is an
error. The last line printed is the result as JSON.

With `--servers 2`, two gunicorn servers (two workers each, the same four in all) share the database
and the secret key, and every person's requests take turns between them, as behind a load balancer
without sticky sessions: signed in on one, the form fetched from the other, saved through the first.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import secrets
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import make_url

from bench.load_check import lost_updates
from bench.load_drivers import Actor, Tally, chief_information_officer, programme_manager
from bench.load_server import gunicorn
from bench.pages import Timing
from bench.risk_scan import bench_app
from tracker.extensions import db
from tracker.models import Benefit, Milestone, Programme, ProgrammeMember, Role, Stage
from tracker.services.accounts import users

POSTGRES_ADMIN_URL = os.environ.get(
    "LOAD_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "load-bench-only-password"  # a throwaway database on this machine, served on 127.0.0.1 only
PM_PROCESSES = 4
CIO_PROCESSES = 2
OPEN = ("not_started", "in_progress")
WORKERS = 4
"""Gunicorn workers in all, shared between the servers."""


def build(url: str, n_programmes: int) -> list[Actor]:
    """Migrate, generate the portfolio, and add the people who sign in; the first two managers share one."""
    from flask_migrate import upgrade

    from bench.generate import generate_portfolio

    with bench_app(url).app_context():
        upgrade()
        generate_portfolio(db.engine, n_programmes, seed=2028)
        open_count = (
            select(func.count(Milestone.id))
            .where(Milestone.programme_id == Programme.id, Milestone.status.in_(OPEN))
            .scalar_subquery()
        )
        codes = list(
            db.session.scalars(
                select(Programme.code)
                .where(Programme.stage == Stage.DELIVERY, Programme.paused.is_(False), open_count >= 3)
                .order_by(Programme.code)
                .limit(PM_PROCESSES - 1)
            )
        )
        if len(codes) < PM_PROCESSES - 1:
            raise SystemExit(f"Only {len(codes)} programmes in delivery with open milestones: use more")
        owned = [codes[0], *codes]  # managers 0 and 1 both work on the first programme
        actors = []
        for number, code in enumerate(owned):
            user = users.create_user(
                f"load-pm-{number}@council.example",
                name=f"Load PM {number}",
                role=Role.PROGRAMME_MANAGER,
                password=PASSWORD,
            )
            programme = db.session.scalar(select(Programme).where(Programme.code == code))
            if number == 1:
                db.session.add(
                    ProgrammeMember(programme_id=programme.id, user_id=user.id, role_title="Deputy")
                )
            else:
                db.session.execute(
                    update(Programme).where(Programme.id == programme.id).values(manager_id=user.id)
                )
            benefit_ids = list(
                db.session.scalars(select(Benefit.id).where(Benefit.programme_id == programme.id))
            )
            actors.append(Actor("pm", number, user.email, PASSWORD, [code], {code: benefit_ids}))
        db.session.commit()
        for number in range(CIO_PROCESSES):
            email = f"load-cio-{number}@council.example"
            users.create_user(email, name=f"Load CIO {number}", role=Role.CIO, password=PASSWORD)
            actors.append(Actor("cio", PM_PROCESSES + number, email, PASSWORD))
        db.session.remove()
        db.engine.dispose()
    return actors


def _drive(actor: Actor, port: list[int], signed_in: Any, go: Any, deadline: Any, results: Any) -> None:
    """One simulated person in its own process; the tally goes back through the queue."""
    tally = Tally()

    def ready() -> float:
        signed_in.put(actor.number)
        go.wait()
        return float(deadline.value)

    try:
        if actor.kind == "pm":
            programme_manager(actor, port, ready, tally, seed=actor.number)
        else:
            chief_information_officer(actor, port, ready, tally)
    except Exception as error:  # report it rather than hang the parent
        tally.server_errors.append(f"driver stopped: {type(error).__name__}: {error}")
        signed_in.put(actor.number)
    results.put(tally)


def run(url: str, name: str, seconds: float, n_programmes: int, servers: int = 1) -> dict[str, object]:
    """Build, serve, drive (timed from when every process has signed in), check; print and return figures."""
    actors = build(url, n_programmes)
    context = multiprocessing.get_context("spawn")
    signed_in, results, go = context.Queue(), context.Queue(), context.Event()
    deadline = context.Value("d", 0.0)
    secret_key = secrets.token_hex(32)
    with tempfile.TemporaryFile() as log, ExitStack() as serving:
        ports = [
            serving.enter_context(gunicorn(url, log, workers=WORKERS // servers, secret_key=secret_key))
            for _ in range(servers)
        ]
        processes = [
            context.Process(target=_drive, args=(actor, ports, signed_in, go, deadline, results))
            for actor in actors
        ]
        for process in processes:
            process.start()
        for _ in processes:
            signed_in.get(timeout=300)
        started = time.time()
        deadline.value = started + seconds
        go.set()
        tallies = [results.get(timeout=seconds + 300) for _ in processes]
        elapsed = time.time() - started
        for process in processes:
            process.join()
        log.seek(0)
        server_log = log.read().decode("utf-8", "replace")
    return report(name, url, tallies, elapsed, server_log, servers)


def report(
    name: str, url: str, tallies: list[Tally], elapsed: float, server_log: str, servers: int = 1
) -> dict[str, object]:
    """Print one block per database; return the JSON figures."""
    kinds: dict[str, list[float]] = {}
    for tally in tallies:
        for kind, latencies in tally.latencies.items():
            kinds.setdefault(kind, []).extend(latencies)
    all_latencies = sorted(ms for values in kinds.values() for ms in values)
    everything = Timing(all_latencies or [0.0], elapsed)
    errors = [error for tally in tallies for error in tally.server_errors]
    refused = [item for tally in tallies for item in tally.refused]
    moves = [move for tally in tallies for move in tally.moves]
    measurements = [item for tally in tallies for item in tally.measurements]
    with bench_app(url).app_context():
        lost = lost_updates(moves, measurements)
        db.session.remove()
        db.engine.dispose()
    locked = server_log.lower().count("database is locked")
    layout = (
        f"{servers} gunicorn servers, {WORKERS // servers} workers each"
        if servers > 1
        else "gunicorn 4 workers"
    )
    print(f"\n== {name}: {len(tallies)} processes for {elapsed:.0f} s, {layout} ==")
    print(f"{'request':<18} {'count':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for kind in sorted(kinds):
        timing = Timing(sorted(kinds[kind]), elapsed)
        p50, p95 = timing.percentile(0.5), timing.percentile(0.95)
        print(f"{kind:<18} {len(timing.latencies):>7} {p50:>8.1f} {p95:>8.1f}")
    conflicts = sum(tally.conflicts for tally in tallies)
    p50, p95 = everything.percentile(0.5), everything.percentile(0.95)
    print(
        f"requests {len(all_latencies)} ({everything.per_second:.1f}/s), p50 {p50:.1f} ms, "
        f"p95 {p95:.1f} ms; saves confirmed: {len(moves)} milestone moves, "
        f"{len(measurements)} measurements; conflicts retried {conflicts}"
    )
    print(
        f"5xx errors {len(errors)}; refused saves {len(refused)}; lost updates {len(lost)}; "
        f"'database is locked' in the server log {locked}"
    )
    for line in (errors + refused + lost)[:10]:
        print("  ", line)
    if errors:
        print("Server log (last lines):", *server_log.splitlines()[-40:], sep="\n")
    return {
        "database": name,
        "servers": servers,
        "seconds": round(elapsed, 1),
        "requests": len(all_latencies),
        "per_kind": {kind: len(values) for kind, values in sorted(kinds.items())},
        "errors_5xx": len(errors),
        "refused": len(refused),
        "conflicts": conflicts,
        "gave_up": sum(tally.gave_up for tally in tallies),
        "milestone_moves": len(moves),
        "measurements": len(measurements),
        "lost_updates": len(lost),
        "database_locked_logged": locked,
        "requests_per_second": round(everything.per_second, 1),
        "p50_ms": round(everything.percentile(0.5), 1),
        "p95_ms": round(everything.percentile(0.95), 1),
    }


@contextmanager
def fresh_database(kind: str, workdir: Path) -> Iterator[str]:
    """A SQLite file in a temporary folder, or a new PostgreSQL database dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'load.db'}"
        return
    base = make_url(POSTGRES_ADMIN_URL)
    name = f"tracker_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def main(argv: list[str] | None = None) -> None:
    """Run on each database asked for; print the JSON line last."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--programmes", type=int, default=12)
    parser.add_argument(
        "--servers", type=int, choices=(1, 2, 4), default=1, help="app servers sharing the database"
    )
    args = parser.parse_args(argv)
    kinds = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    figures = []
    for kind in kinds:
        with (
            tempfile.TemporaryDirectory(prefix="tracker-load-") as workdir,
            fresh_database(kind, Path(workdir)) as url,
        ):
            figures.append(run(url, kind, args.seconds, args.programmes, args.servers))
    print(json.dumps({"runs": figures}))


if __name__ == "__main__":
    main()
