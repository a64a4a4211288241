"""Each committed programme's team-months for the risk rules: every service team it lands change on in the
next 12 months, with the whole load there (every committed programme's), the team's capacity, its own
share and the other programmes sharing it. A fixed number of queries, whatever the portfolio's size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tracker.domain.capacity import ZERO_DAYS, months_ahead, team_months
from tracker.domain.snapshot import Sharer, TeamLoadSnap
from tracker.extensions import db
from tracker.models import Programme, ServiceTeam
from tracker.services.capacity import reads


def team_loads(
    today: date, *, programme_ids: Collection[int] | None = None
) -> dict[int, tuple[TeamLoadSnap, ...]]:
    """Each programme's team-months from `today`'s month on, by programme id (just `programme_ids`', if
    given; the load still counts every committed programme). One query, or three when any lands."""
    months = months_ahead(today, 12)
    landings = reads.landings(months)
    wanted = None if programme_ids is None else set(programme_ids)
    if not landings or (wanted is not None and not wanted & {landing.programme_id for landing in landings}):
        return {}
    teams = db.session.execute(select(ServiceTeam.id, ServiceTeam.name, ServiceTeam.monthly_capacity)).all()
    capacities = {team_id: capacity for team_id, _, capacity in teams}
    names = {team_id: name for team_id, name, _ in teams}
    sharing = team_months(landings, capacities, months)
    if wanted is not None:
        # Re-rating a few programmes (a save): only the names of those sharing their team-months.
        sharing = {key: cell for key, cell in sharing.items() if wanted & set(cell.programme_ids)}
        programme_refs = _programme_refs({pid for cell in sharing.values() for pid in cell.programme_ids})
    else:
        programme_refs = _programme_refs()
    result: defaultdict[int, list[TeamLoadSnap]] = defaultdict(list)
    for (team_id, month), cell in sorted(sharing.items(), key=lambda item: (names[item[0][0]], item[0][1])):
        shares: defaultdict[int, Decimal] = defaultdict(lambda: ZERO_DAYS)
        milestones: defaultdict[int, list[int]] = defaultdict(list)
        for landing in cell.landings:
            shares[landing.programme_id] += landing.change_days
            milestones[landing.programme_id].append(landing.milestone_id)
        for pid, share in shares.items():
            if wanted is not None and pid not in wanted:
                continue
            others = tuple(
                programme_refs[other]
                for other in sorted(shares, key=lambda o: programme_refs[o].code)
                if other != pid
            )
            mine = tuple(sorted(milestones[pid]))
            result[pid].append(
                TeamLoadSnap(team_id, names[team_id], month, cell.load, cell.capacity, share, others, mine)
            )
    return {pid: tuple(loads) for pid, loads in result.items()}


def _programme_refs(programme_ids: Collection[int] | None = None) -> dict[int, Sharer]:
    """Code and name of each committed programme (or just `programme_ids`), any of which may share a team
    (one query)."""
    statement = select(Programme.id, Programme.code, Programme.name).where(
        Programme.stage.in_(reads.COMMITTED)
    )
    if programme_ids is not None:
        statement = statement.where(Programme.id.in_(sorted(programme_ids)))
    rows = db.session.execute(statement)
    return {pid: Sharer(code, name) for pid, code, name in rows}
