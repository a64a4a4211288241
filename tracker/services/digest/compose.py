"""The weekly risk digest as data: one plain, frozen object per recipient and ISO week.

Who gets which digest is decided here too: CIOs and admins the whole portfolio (unless they opt
out), programme managers their own programmes (unless they opt out), viewers the portfolio only
if they opt in. Rendering (`digest_render`) and sending (`digest_jobs`) come after.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tracker.domain.calendar import parse_iso_week
from tracker.domain.digest import sections
from tracker.domain.digest.links import Links
from tracker.domain.digest.rows import DUE_SOON_DAYS, DigestSource, R
from tracker.domain.digest.sections import (
    ChangeLine,
    ClosedBenefitLine,
    FlagItem,
    MilestoneLine,
    Movement,
    ProgrammeRef,
    RequestLine,
    TodoLine,
)
from tracker.domain.digest.shown import EMPTY, Section
from tracker.domain.digest.todo import todo
from tracker.domain.rating import Rating
from tracker.models import Role, User
from tracker.policy import Action, can
from tracker.services.dashboard.whole_life import totals_of, whole_life_sentence


class Scope(StrEnum):
    PORTFOLIO = "portfolio"
    OWN = "own"


@dataclass(frozen=True)
class Recipient:
    id: int
    name: str
    email: str
    scope: Scope
    reason: str
    approves_rebaselines: bool


@dataclass(frozen=True)
class RatingCount:
    rating: str
    count: int
    change: int  # against the same programmes' ratings a week before


@dataclass(frozen=True)
class Digest:
    """Everything one recipient's digest says for one week, as plain values."""

    org_name: str
    recipient: Recipient
    week: str
    week_commencing: date
    today: date
    programme_count: int
    unrated: int
    compared: bool  # False when there are no ratings from a week before to compare with
    counts: tuple[RatingCount, ...]
    # Each section: its count, its first few lines worst first, and where the rest are listed.
    worse: Section[Movement]
    better: Section[Movement]
    overdue: Section[MilestoneLine]
    due_soon: Section[MilestoneLine]
    benefits_behind: Section[FlagItem]
    cost_overruns: Section[FlagItem]
    stale: Section[FlagItem]
    requests: Section[RequestLine]
    todo: Section[TodoLine]
    links: Links
    due_soon_days: int = DUE_SOON_DAYS
    whole_life_growth: Section[FlagItem] = EMPTY
    whole_life: str = ""
    """A sentence on the whole-life baseline and forecast in scope; empty when no programme has either."""
    changes: Section[ChangeLine] = EMPTY
    """Change requests decided in the week: news, not a task, so a week with only these is still quiet."""
    after_closure: Section[ClosedBenefitLine] = EMPTY
    """Closed programmes' benefits still being measured and behind plan (a manager's: those they managed)."""
    over_capacity: Section[FlagItem] = EMPTY
    """Programmes landing work on a service team over capacity in a month, each naming the team."""

    @property
    def quiet(self) -> bool:
        """Nothing got worse and nothing needs chasing: the digest says so in a line."""
        busy = (
            self.worse,
            self.overdue,
            self.due_soon,
            self.benefits_behind,
            self.after_closure,
            self.cost_overruns,
            self.whole_life_growth,
            self.over_capacity,
            self.stale,
            self.requests,
            self.todo,
        )
        return not any(busy)


def digest_scope(user: User) -> Scope | None:
    """The digest a user receives each week, or None; opting out and in are decided here only."""
    if not user.active:
        return None
    if can(user, Action.RECEIVE_PORTFOLIO_DIGEST):
        return None if user.digest_opt_out else Scope.PORTFOLIO
    if user.role is Role.PROGRAMME_MANAGER:
        return None if user.digest_opt_out else Scope.OWN
    return Scope.PORTFOLIO if user.digest_opt_in else None


def preview_scope(user: User) -> Scope:
    """The digest a user would receive: previews and test sends ignore an opt-out."""
    return Scope.OWN if user.role is Role.PROGRAMME_MANAGER else Scope.PORTFOLIO


def receives_by_default(user: User) -> bool:
    """CIOs, admins, board members and programme managers get it unless they opt out; viewers opt in."""
    return user.role is not Role.VIEWER


_REASONS = {
    Role.CIO: "as CIO: it covers the whole portfolio",
    Role.ADMIN: "as an administrator: it covers the whole portfolio",
    Role.BOARD: "as a board member: it covers the whole portfolio",
    Role.PROGRAMME_MANAGER: "as a programme manager: it covers the programmes you manage or work on",
    Role.VIEWER: "because you asked for it: it covers the whole portfolio",
}


def recipient(user: User, scope: Scope) -> Recipient:
    """The plain facts about a user the digest needs, with a line saying why they get it."""
    return Recipient(
        id=user.id,
        name=user.name,
        email=user.email,
        scope=scope,
        reason=_REASONS[user.role],
        approves_rebaselines=can(user, Action.APPROVE_REBASELINE),
    )


def build_digest(
    source: DigestSource, person: Recipient, *, week: str, org_name: str, links: Links
) -> Digest:
    """Pick the recipient's programmes and say what changed and what needs doing, in plain values.

    Only the source's rows for the recipient's programmes are read (through its indexes), and each
    section puts only its first few lines into words, so a digest costs little whatever the portfolio.
    """
    mine = person.scope is Scope.OWN
    programmes = source.programmes_of.get(person.id, ()) if mine else source.programmes
    refs = {
        p.id: sections.ProgrammeRef(p.code, p.name, p.manager_name, p.manager_email, links.programme(p.code))
        for p in programmes
    }
    latest = {pid: source.latest[pid] for pid in refs if pid in source.latest}
    worse, better = sections.movements(latest, source.previous, refs, links, mine=mine)
    dated = sections.milestones(
        _rows(source.milestones, source.milestones_of, refs, mine), refs, source.today, links, mine=mine
    )
    show_requests = mine or person.approves_rebaselines
    pending = sorted(_rows(source.requests, source.requests_of, refs, mine), key=lambda row: row.requested_at)

    ratings = Counter(row.rating for row in latest.values())
    before = Counter(source.previous[pid].rating for pid in latest if pid in source.previous)
    compared = bool(before)
    growth = sections.flagged(latest, refs, "whole_life_cost_growth", links, "money", mine=mine)
    wlc = totals_of(
        [(p.whole_life_baseline, p.whole_life_forecast) for p in programmes],
        growing=sum(
            1 for row in latest.values() if any(f.rule == "whole_life_cost_growth" for f in row.flags)
        ),
    )
    return Digest(
        org_name=org_name,
        recipient=person,
        week=week,
        week_commencing=parse_iso_week(week),
        today=source.today,
        programme_count=len(refs),
        unrated=len(refs) - len(latest),
        compared=compared,
        counts=tuple(
            RatingCount(rating.value, ratings[rating], ratings[rating] - before[rating] if compared else 0)
            for rating in (Rating.RED, Rating.AMBER, Rating.GREEN)
        ),
        worse=worse,
        better=better,
        overdue=dated.overdue,
        due_soon=dated.due_soon,
        benefits_behind=sections.flagged(
            latest, refs, "benefits_behind_trajectory", links, "benefits", mine=mine
        ),
        cost_overruns=sections.flagged(latest, refs, "cost_overrun", links, "money", mine=mine),
        stale=sections.flagged(latest, refs, "stale", links, "updates", mine=mine),
        requests=sections.requests(
            pending if show_requests else [], refs, links, approver=person.approves_rebaselines
        ),
        todo=todo(refs, latest, dated, links) if mine else EMPTY,
        links=links,
        whole_life_growth=growth,
        after_closure=sections.after_closure(
            [row for row in source.after_closure if not mine or row.manager_id == person.id], links
        ),
        changes=sections.decided_changes(
            sorted(
                _rows(source.changes, source.changes_of, refs, mine),
                key=lambda row: row.decided_at,
                reverse=True,
            ),
            refs,
            links,
            mine=mine,
        ),
        whole_life=whole_life_sentence(wlc) if wlc.both_known or wlc.baseline or wlc.forecast else "",
        over_capacity=sections.flagged(latest, refs, "over_capacity", links, "milestones", mine=mine),
    )


def _rows(
    everyone: tuple[R, ...], by_programme: dict[int, tuple[R, ...]], refs: dict[int, ProgrammeRef], mine: bool
) -> Iterable[R]:
    """The source's rows for these programmes: all of them for the portfolio, else each programme's own."""
    if not mine:
        return everyone
    return [row for pid in refs for row in by_programme.get(pid, ())]
