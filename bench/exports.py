"""Time the portfolio exports in process: the CSV (programmes) and the Excel workbook (four sheets).

    python -m bench.exports --programmes 1000 [--database-url URL] [--repeat 3]

The portfolio is the risk scan benchmark's (20 milestones, 5 cost lines and 4 benefits a programme),
rated by a scan. The export is every programme, closed ones included, sorted by rating, as a CIO
would ask for it: the CSV as the download streams it, the workbook written to a temporary file as
the download does. Each is compared with its floor: the same rows read from the database in the
same batches and thrown away, nothing written. The workbook's peak memory is measured on one more
run under tracemalloc (Python's allocations; tracing slows it, so that run is not timed). The last
line printed is the result as JSON.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import select

from bench.risk_scan import (
    bench_app,
    portfolio_arguments,
    portfolio_url,
    rated_portfolio,
)
from tracker.domain.spreadsheet import Sheet, csv_chunks, write_xlsx
from tracker.extensions import db
from tracker.models import User
from tracker.services.portfolio.exports import portfolio_sheets, programmes_sheet
from tracker.services.portfolio.listing import PortfolioQuery

T = TypeVar("T")


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, float, T]:
    """Least wall-clock and least CPU time of several runs, and the last result.

    On a shared machine the CPU time says what the export costs; the wall-clock time what a user
    waited while the machine was that busy.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def csv_size(sheet: Sheet) -> int:
    """The CSV download's bytes, counted as they stream."""
    return sum(len(chunk) for chunk in csv_chunks(sheet))


def xlsx_size(sheets: Iterable[Sheet]) -> int:
    """The workbook written to a temporary file, as the download writes it; its size."""
    with tempfile.TemporaryFile(suffix=".xlsx") as file:
        write_xlsx(sheets, file)
        return file.tell()


def rows_only(sheets: Iterable[Sheet]) -> int:
    """The floor: every row read and built, nothing written."""
    return sum(1 for sheet in sheets for _ in sheet.rows)


def peak_memory_mb(work) -> float:
    """The most memory Python held at once during one run, in MB."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the portfolio, then time each export and its floor, best of several runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    portfolio_arguments(parser)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each; the best is reported")
    args = parser.parse_args(argv)
    url = portfolio_url(args)
    query = PortfolioQuery(include_closed=True, sort="rating", descending=True)
    with bench_app(url).app_context():
        rated_portfolio(args.programmes, args.seed)
        user = db.session.scalars(select(User).order_by(User.id)).first()
        csv_seconds, csv_cpu, csv_bytes = best_of(
            args.repeat, lambda: csv_size(programmes_sheet(user, query))
        )
        csv_floor, _, _ = best_of(args.repeat, lambda: rows_only([programmes_sheet(user, query)]))
        xlsx_seconds, xlsx_cpu, xlsx_bytes = best_of(
            args.repeat, lambda: xlsx_size(portfolio_sheets(user, query))
        )
        xlsx_floor, _, rows = best_of(args.repeat, lambda: rows_only(portfolio_sheets(user, query)))
        xlsx_peak = peak_memory_mb(lambda: xlsx_size(portfolio_sheets(user, query)))
        db.session.remove()
        db.engine.dispose()
    result = {
        "programmes": args.programmes,
        "csv_seconds": round(csv_seconds, 3),
        "csv_cpu_seconds": round(csv_cpu, 3),
        "csv_floor_seconds": round(csv_floor, 3),
        "csv_bytes": csv_bytes,
        "xlsx_seconds": round(xlsx_seconds, 3),
        "xlsx_cpu_seconds": round(xlsx_cpu, 3),
        "xlsx_floor_seconds": round(xlsx_floor, 3),
        "xlsx_bytes": xlsx_bytes,
        "xlsx_rows": rows,
        "xlsx_peak_python_mb": round(xlsx_peak, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(
        f"CSV   {csv_seconds:6.2f} s, CPU {csv_cpu:.2f} s (floor {csv_floor:.2f} s)  {csv_bytes / 1e6:.1f} MB"
    )
    print(
        f"Excel {xlsx_seconds:6.2f} s, CPU {xlsx_cpu:.2f} s (floor {xlsx_floor:.2f} s)  "
        f"{xlsx_bytes / 1e6:.1f} MB, "
        f"{rows:,} rows, peak Python memory {xlsx_peak:.1f} MB"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
