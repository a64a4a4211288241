"""The weekly risk digest as data: one plain, frozen object per recipient and ISO week.

Who gets which digest is decided here too: CIOs and admins the whole portfolio (unless they opt
out), programme managers their own programmes (unless they opt out), viewers the portfolio only
if they opt in. Rendering (`digest_render`) and sending (`digest_jobs`) come after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from tracker.domain.calendar import parse_iso_week
from tracker.domain.digest import sections
from tracker.domain.digest.links import Links
from tracker.domain.digest.rows import DUE_SOON_DAYS, DigestSource, ProgrammeRow
from tracker.domain.digest.sections import FlagItem, MilestoneLine, Movement, RequestLine, TodoLine
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
    worse: tuple[Movement, ...]
    better: tuple[Movement, ...]
    overdue: tuple[MilestoneLine, ...]
    due_soon: tuple[MilestoneLine, ...]
    benefits_behind: tuple[FlagItem, ...]
    cost_overruns: tuple[FlagItem, ...]
    stale: tuple[FlagItem, ...]
    requests: tuple[RequestLine, ...]
    todo: tuple[TodoLine, ...]
    links: Links
    due_soon_days: int = DUE_SOON_DAYS
    whole_life_growth: tuple[FlagItem, ...] = ()
    whole_life: str = ""
    """A sentence on the whole-life baseline and forecast in scope; empty when no programme has either."""

    @property
    def quiet(self) -> bool:
        """Nothing got worse and nothing needs chasing: the digest says so in a line."""
        busy = (
            self.worse,
            self.overdue,
            self.due_soon,
            self.benefits_behind,
            self.cost_overruns,
            self.whole_life_growth,
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
    """CIOs, admins and programme managers get the digest unless they opt out; viewers opt in."""
    return user.role is not Role.VIEWER


_REASONS = {
    Role.CIO: "as CIO: it covers the whole portfolio",
    Role.ADMIN: "as an administrator: it covers the whole portfolio",
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
    """Pick the recipient's programmes and say what changed and what needs doing, in plain values."""
    refs = {
        p.id: sections.ProgrammeRef(p.code, p.name, p.manager_name, p.manager_email, links.programme(p.code))
        for p in source.programmes
        if _in_scope(p, person)
    }
    latest = {pid: source.latest[pid] for pid in refs if pid in source.latest}
    worse, better = sections.movements(latest, source.previous, refs)
    dated = (row for row in source.milestones if row.programme_id in refs)
    overdue, due_soon = sections.milestones(dated, refs, source.today, links)
    show_requests = person.scope is Scope.OWN or person.approves_rebaselines
    pending = (row for row in source.requests if row.programme_id in refs and show_requests)
    ratings = [row.rating for row in latest.values()]
    before = [source.previous[pid].rating for pid in latest if pid in source.previous]
    compared = bool(before)
    growth = sections.flagged(latest, refs, "whole_life_cost_growth", links, "money")
    wlc = totals_of(
        [(p.whole_life_baseline, p.whole_life_forecast) for p in source.programmes if p.id in refs],
        growing=len({item.programme.code for item in growth}),
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
            RatingCount(
                rating.value,
                ratings.count(rating),
                ratings.count(rating) - before.count(rating) if compared else 0,
            )
            for rating in (Rating.RED, Rating.AMBER, Rating.GREEN)
        ),
        worse=worse,
        better=better,
        overdue=overdue,
        due_soon=due_soon,
        benefits_behind=sections.flagged(latest, refs, "benefits_behind_trajectory", links, "benefits"),
        cost_overruns=sections.flagged(latest, refs, "cost_overrun", links, "money"),
        stale=sections.flagged(latest, refs, "stale", links, "updates"),
        requests=sections.requests(pending, refs, links, approver=person.approves_rebaselines),
        todo=sections.todo(refs, latest, overdue, due_soon, links) if person.scope is Scope.OWN else (),
        links=links,
        whole_life_growth=growth,
        whole_life=whole_life_sentence(wlc) if wlc.both_known or wlc.baseline or wlc.forecast else "",
    )


def _in_scope(programme: ProgrammeRow, person: Recipient) -> bool:
    if person.scope is Scope.PORTFOLIO:
        return True
    return programme.manager_id == person.id or person.id in programme.member_ids
