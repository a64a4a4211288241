"""Time the portfolio exports in process: the CSV (programmes) and the Excel workbook (four sheets).

    python -m bench.exports --programmes 1000 [--database-url URL] [--repeat 3]

The portfolio is the risk scan benchmark's (20 milestones, 5 cost lines and 4 benefits a programme),
rated by a scan. The export is every programme, closed ones included, sorted by rating, as a CIO
would ask for it. The last line printed is the result as JSON.
"""

from __future__ import annotations

import argparse
import json

from sqlalchemy import func, select

from bench.risk_scan import DATA_DIR, bench_app, best_of, prepare, scan
from tracker.domain.spreadsheet import csv_bytes, xlsx_bytes
from tracker.extensions import db
from tracker.models import RiskAssessment, User
from tracker.services.portfolio.exports import portfolio_sheets, programmes_sheet
from tracker.services.portfolio.listing import PortfolioQuery


def main(argv: list[str] | None = None) -> None:
    """Build or reuse the portfolio, then time each export's bytes, best of several runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programmes", type=int, required=True)
    parser.add_argument("--database-url", help="Default: SQLite file bench/.data/portfolio-N.db")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each; the best is reported")
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args(argv)
    DATA_DIR.mkdir(exist_ok=True)
    url = args.database_url or f"sqlite:///{DATA_DIR / f'portfolio-{args.programmes}.db'}"
    query = PortfolioQuery(include_closed=True, sort="rating", descending=True)
    with bench_app(url).app_context():
        prepare(args.programmes, args.seed)
        if not db.session.scalar(select(func.count(RiskAssessment.id))):
            scan()
        user = db.session.scalars(select(User).order_by(User.id)).first()
        csv_seconds, csv_body = best_of(args.repeat, lambda: csv_bytes(programmes_sheet(user, query)))
        xlsx_seconds, xlsx_body = best_of(args.repeat, lambda: xlsx_bytes(portfolio_sheets(user, query)))
        db.session.remove()
        db.engine.dispose()
    print(
        json.dumps(
            {
                "programmes": args.programmes,
                "csv_seconds": round(csv_seconds, 3),
                "csv_bytes": len(csv_body),
                "xlsx_seconds": round(xlsx_seconds, 3),
                "xlsx_bytes": len(xlsx_body),
            }
        )
    )


if __name__ == "__main__":
    main()
