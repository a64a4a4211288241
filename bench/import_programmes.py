"""Time the spreadsheet import against a floor: the same file parsed by `csv` and bulk-inserted by Core.

    python -m bench.import_programmes --rows 10000 [--database-url URL]
    python -m bench.import_programmes --rows 100000 --cli

`--cli` runs `flask import programmes FILE --unit thousands` in a child process instead (the
command line reads files of any length), timing it and reporting the child's peak memory.

The file is messy on purpose (Windows-1252, semicolons, a title above the header, footnotes, money
as `£1,234`, `£1.9m`, `£250k` and bare thousands, dates in five styles, split RAG ratings). The import
runs twice: the first creates every programme, the second finds them all unchanged. The floor reads
the same bytes with `csv` and inserts the same programmes with one executemany, doing none of the
checking, matching, milestones, budget lines or audit events. The last line printed is JSON.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import insert

from tracker import create_app
from tracker.config import load_settings
from tracker.domain.imports.limits import CLI
from tracker.extensions import db
from tracker.models import Focus, Programme, Stage

DATA_DIR = Path(__file__).resolve().parent / ".data"
HEADER = [
    "Project ref",
    "Project name",
    "Department",
    "Focus",
    "Start",
    "Original end date",
    "Forecast end date",
    "Budget (£k)",
    "Forecast cost",
    "DCA",
    "Comments",
]
DATES = ("{d:%d/%m/%Y}", "{d:%d.%m.%y}", "{d:%Y-%m-%d}", "{d.day} {d:%B %Y}", "{d:%B} {d.day}, {d:%Y}")
RAGS = ("Green", "amber", "Amber/Green", "Amber-Red", "RED", "")


def messy_file(rows: int, seed: int = 7) -> bytes:
    """A Windows-1252 semicolon file with a title, a blank line, `rows` programmes and two footnotes."""
    from datetime import date, timedelta

    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Change portfolio \u2013 return to Cabinet, Q3"])
    writer.writerow([])
    writer.writerow(HEADER)
    for n in range(1, rows + 1):
        start = date(2024, 4, 1) + timedelta(days=rng.randrange(700))
        end = start + timedelta(days=rng.randrange(200, 900))
        forecast = end + timedelta(days=rng.choice((0, 0, 20, 45, 120)))
        budget = rng.randrange(50, 9000)
        forecast_cost = rng.choice((f"£{budget * 1000:,}", f"£{budget / 1000:.1f}m", f"£{budget}k", ""))
        writer.writerow(
            [
                _code(n),
                f"Programme number {n} \u2013 café services",
                f"Directorate {n % 12}",
                rng.choice(("Service improvement", "cost reduction", "Both")),
                rng.choice(DATES).format(d=start),
                rng.choice(DATES).format(d=end),
                rng.choice(DATES).format(d=forecast),
                str(budget),
                forecast_cost,
                rng.choice(RAGS),
                "Résumé of progress; “quoted”",
            ]
        )
    writer.writerow(["* Budgets in thousands of pounds unless marked"])
    writer.writerow(["Source: finance system, 1 December"])
    return out.getvalue().encode("cp1252")


def _code(n: int) -> str:
    """PRJ-0001 to PRJ-9999, one row without a code, then PB-0001 onwards (codes have four digits)."""
    if n == 10_000:
        return ""
    return f"PRJ-{n:04d}" if n < 10_000 else f"P{chr(65 + n // 10_000)}-{n % 10_000:04d}"


def bench_app(url: str) -> Flask:
    environ = {"DATABASE_URL": url, "SECRET_KEY": "bench-only", "SCHEDULER": "off"}
    return create_app(settings=load_settings(environ, instance_dir=DATA_DIR / "instance"))


def fresh_database() -> None:
    from flask_migrate import upgrade

    upgrade()
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            if table.name != "alembic_version":
                connection.execute(table.delete())


def time_import(data: bytes) -> tuple[float, str]:
    """The service the wizard and the CLI use, committing; seconds and its summary."""
    from tracker.domain.imports.values import Unit
    from tracker.services import imports

    started = time.perf_counter()
    sources = imports.pick_sources(imports.read_file(data, "portfolio.csv", limits=CLI))
    mapping = imports.ImportMapping(columns={}, unit=Unit.THOUSANDS).with_guesses(sources)
    report = imports.run_import(sources, mapping, user=None, source_name="portfolio.csv", dry_run=False)
    assert not report.problems, imports.describe(report.problems[0])
    return time.perf_counter() - started, report.summary()


def time_floor(data: bytes) -> float:
    """Decode, split with `csv`, and insert the programmes' plain columns in one executemany."""
    started = time.perf_counter()
    records = list(csv.reader(io.StringIO(data.decode("cp1252")), delimiter=";"))[3:-2]
    rows = [
        {
            "code": f"FLR-{i:04d}" if i < 10_000 else "FLR-0",
            "name": r[1],
            "directorate": r[2],
            "focus": Focus.BOTH,
            "stage": Stage.IDEA,
        }
        for i, r in enumerate(records, start=1)
    ]
    db.session.execute(insert(Programme), rows)
    db.session.commit()
    return time.perf_counter() - started


def time_cli(data: bytes, url: str) -> dict[str, object]:
    """`flask import programmes` on the file in a child process: seconds, its last line, peak memory."""
    path = DATA_DIR / "portfolio.csv"
    path.write_bytes(data)
    root = Path(__file__).resolve().parent.parent
    environ = os.environ | {"DATABASE_URL": url, "SECRET_KEY": "bench-only", "SCHEDULER": "off"}
    command = [sys.executable, "-m", "flask", "--app", "app", "import", "programmes", str(path)]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--unit", "thousands"], cwd=root, env=environ, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"flask import programmes failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = done.stdout.strip()[-300:]
    return {"cli_s": round(seconds, 2), "cli_peak_mb": round(peak_mb), "cli_summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=f"sqlite:///{DATA_DIR / 'import.db'}")
    parser.add_argument("--cli", action="store_true", help="run `flask import programmes` in a child")
    args = parser.parse_args()
    DATA_DIR.mkdir(exist_ok=True)
    data = messy_file(args.rows)
    if args.cli:
        with bench_app(args.database_url).app_context():
            fresh_database()
        result = {"rows": args.rows, "bytes": len(data), "load_average": os.getloadavg()[0]}
        result |= time_cli(data, args.database_url)
        print(json.dumps(result))
        return
    app = bench_app(args.database_url)
    with app.app_context():
        fresh_database()
        first, summary = time_import(data)
        print(f"import, new:        {first:7.2f} s  {summary}")
        again, summary = time_import(data)
        print(f"import, unchanged:  {again:7.2f} s  {summary}")
        fresh_database()
        floor = time_floor(data)
        print(f"floor (csv + bulk insert of programmes only): {floor:7.2f} s")
        print(f"ratio new/floor: {first / floor:.1f}")
        result = {
            "rows": args.rows,
            "bytes": len(data),
            "import_new_s": round(first, 2),
            "import_unchanged_s": round(again, 2),
            "floor_s": round(floor, 2),
            "load_average": os.getloadavg()[0],
        }
        print(json.dumps(result))


if __name__ == "__main__":
    main()
