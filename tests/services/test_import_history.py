"""Five years of the GMPP as five returns of the same projects, through `flask import programmes`.

2015 to 2017 are turned sheets with no year in them, so each gets `--as-at`; 2018 and 2019 say their
publication year. Names that drifted between years are accepted with `--match-near`.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Programme, ProgrammeReturn, Role
from tracker.services.ratings.scan import scan_portfolio

GMPP = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "gmpp"
YEARS = (2015, 2016, 2017, 2018, 2019)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_five_years_of_returns_make_one_programme_per_project_with_five_returns(
    app: Flask, tmp_path: Path, client, auth
) -> None:
    mapping = tmp_path / "gmpp.json"
    # One cell of 2017 no reader could take (`1/012/2014`) is put right in the mapping, as a person would.
    fixed = {"values": {"start_date": {"1/012/2014": "01/12/2014"}}}
    mapping.write_text(json.dumps({"defaults": {"focus": "both", "stage": "delivery"}, "programmes": fixed}))
    rows = 0
    for year in YEARS:
        args = ["import", "programmes", str(GMPP / f"gmpp_{year}.csv"), "--mapping", str(mapping)]
        args += ["--match-near"] + (["--as-at", f"{year}-03-31"] if year < 2018 else [])
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        rows += int(result.output.split("Imported ", 1)[1].split(" rows", 1)[0])
    programmes = count(Programme)
    # The distinct projects, not the sum of the rows: most projects report in several years.
    assert rows == 740 and programmes < 400, (programmes, rows)

    a400m = db.session.scalars(select(Programme).where(func.lower(Programme.name) == "a400m")).one()
    returns = list(
        db.session.scalars(
            select(ProgrammeReturn)
            .where(ProgrammeReturn.programme_id == a400m.id)
            .order_by(ProgrammeReturn.as_at)
        )
    )
    assert [r.as_at for r in returns] == [date(year, 3, 31) for year in YEARS]
    assert all(r.note == f"gmpp_{r.as_at.year}.csv" for r in returns)
    assert len({r.whole_life_baseline for r in returns}) > 1  # each year's own figures, not copies
    # The newest return is the programme's current state.
    assert a400m.confidence == returns[-1].confidence

    code = a400m.code
    summary = scan_portfolio()
    assert summary.summary().startswith(f"Scanned {programmes} programmes")
    auth.sign_in_as(Role.VIEWER)
    page = client.get(f"/programmes/{code}/history")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for year in YEARS:
        assert f"31 March {year}" in html and f"gmpp_{year}.csv" in html
