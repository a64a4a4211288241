"""Exports read the database in batches: more programmes than a batch still gives every row once, in order."""

from __future__ import annotations

from sqlalchemy import select

from tests.web.test_programme_list import fill
from tracker.domain.spreadsheet import Sheet
from tracker.extensions import db
from tracker.models import Programme, Role
from tracker.services.portfolio.exports import portfolio_sheets
from tracker.services.portfolio.listing import PortfolioQuery


def rows(sheets: list[Sheet]) -> dict[str, list[tuple[object, ...]]]:
    return {sheet.name: [tuple(row) for row in sheet.rows] for sheet in sheets}


def test_a_portfolio_larger_than_a_batch_gives_every_programme_once_in_order(app, make_user) -> None:
    cio = make_user(Role.CIO)
    manager = make_user(Role.PROGRAMME_MANAGER)
    fill(7, manager.id, manager.id)
    db.session.commit()
    query = PortfolioQuery(include_closed=True, sort="rating", descending=True)

    in_twos = rows(portfolio_sheets(cio, query, batch=2))
    at_once = rows(portfolio_sheets(cio, query, batch=1000))

    # fill() rates PRG-00n Red with score 100 + n: the riskiest first
    assert [row[0] for row in in_twos["Programmes"]] == [f"PRG-{n:03d}" for n in range(6, -1, -1)]
    codes = sorted(db.session.scalars(select(Programme.code)))
    for name in ("Milestones", "Money"):  # two each, by programme code
        assert [row[0] for row in in_twos[name]] == [code for code in codes for _ in range(2)]
    assert in_twos == at_once
