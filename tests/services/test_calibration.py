"""The calibration against the IPA on a real return: rated as of its date, from facts only."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date
from pathlib import Path

from bench.calibration import calibrate, red_share_rises, rho_of, summary, table
from tracker.domain.rating import Rating

GMPP = Path(__file__).resolve().parents[3] / "shared" / "data" / "real" / "gmpp" / "gmpp_2018.csv"


def without_column(data: bytes, header: str) -> bytes:
    rows = list(csv.reader(io.StringIO(data.decode("cp1252"))))
    drop = rows[0].index(header)
    out = io.StringIO()
    csv.writer(out).writerows([row[:drop] + row[drop + 1 :] for row in rows])
    return out.getvalue().encode("cp1252")


def test_a_real_return_is_rated_as_of_its_date_against_its_published_dca() -> None:
    assert GMPP.exists(), f"{GMPP} is missing: put the shared folder beside the checkout"
    data = GMPP.read_bytes()
    result = calibrate(data, "gmpp_2018")
    assert (result.rows, result.refused, len(result.rated)) == (133, 0, 133)
    assert result.as_at == date(2018, 3, 31)
    # The five-point DCA as published, with the withheld ones unknown.
    dcas = Counter(r.dca for r in result.rated)
    assert dcas["amber_green"] == 22 and dcas["amber_red"] == 38 and dcas[None] == 4
    # Rated as of 31 March 2018: a project ending between then and today is not overdue.
    ends = {r.name: r.snapshot.baseline_end_date for r in result.rated if r.snapshot}
    later = [r for r in result.rated if (ends[r.name] or date.min) > result.as_at]
    assert len(later) > 100 and not any("overdue_milestone" in r.rules for r in later)
    assert all("optimism" not in r.rules for r in result.rated)
    assert isinstance(rho_of(result.rated), float)
    assert isinstance(red_share_rises(result.rated), bool)
    assert table(result.rated)[1].startswith("Green")
    # A return records no dependencies between projects: that rule is listed as never firing.
    assert (
        table(result.rated)[-1].startswith("never fired: ") and "dependency_late" in table(result.rated)[-1]
    )
    assert summary(result.rows, result.rated, True).startswith('{"rows": 133, "rho": ')

    # The DCA is what is checked, never an input: without its column every score is the same.
    blind = calibrate(without_column(data, "colour_rating"), "gmpp_2018")
    assert {r.name: (r.score, r.rating) for r in blind.rated} == {
        r.name: (r.score, r.rating) for r in result.rated
    }
    assert all(r.dca is None for r in blind.rated)
    assert Counter(r.rating for r in result.rated)[Rating.RED] < len(result.rated)
