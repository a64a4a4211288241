"""The dashboard's whole-life cost: known figures summed, unknown ones counted and said, growth flagged."""

from __future__ import annotations

from datetime import date

from tests.web.pages import text
from tracker.models import Role
from tracker.services.demo.seed import seed_demo
from tracker.services.ratings.scan import scan_portfolio


def test_dashboard_sums_known_whole_life_figures_and_says_how_many_are_unknown(client, auth) -> None:
    seed_demo()
    scan_portfolio(today=date.today())
    auth.sign_in_as(Role.CIO)
    page = text(client.get("/dashboard"))
    assert "Whole-life baseline £20,670,000 4 of 12 programmes not known, left out" in page
    assert "Whole-life forecast £20,420,000 5 of 12 programmes not known, left out" in page
    assert "Forecast against baseline 6.5% above" in page
    assert "Over the 7 programmes with both figures; 2 flagged for growth since their first baseline" in page
