"""Reading the portfolio: the programmes a user may see, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from tracker.extensions import db
from tracker.models import Programme, ProgrammeMember, Stage, User


@dataclass(frozen=True)
class PortfolioQuery:
    """Filters from the URL; `mine` limits to programmes the user manages or is on the team of."""

    mine: bool = False
    include_closed: bool = False


def list_programmes(user: User, query: PortfolioQuery) -> list[Programme]:
    """Programmes with their manager loaded in the same query, ordered by code."""
    statement = select(Programme).options(joinedload(Programme.manager)).order_by(Programme.code)
    if not query.include_closed:
        statement = statement.where(Programme.stage != Stage.CLOSED)
    if query.mine:
        on_team = select(ProgrammeMember.programme_id).where(ProgrammeMember.user_id == user.id)
        statement = statement.where(or_(Programme.manager_id == user.id, Programme.id.in_(on_team)))
    return list(db.session.scalars(statement))
