"""The weekly digest reports the change requests decided in the week: approved ones with what moved,
rejected ones with the reason; a programme manager sees only their own programmes'."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from tests.services.test_digest import BASE, NOW, digest_for, make_programme
from tracker.extensions import db
from tracker.models import ChangeRequest, ChangeRequestKind, ChangeRequestStatus, Role
from tracker.services.digest.compose import Scope
from tracker.services.digest.render import render_digest


def decided(
    programme_id: int, title: str, status: ChangeRequestStatus, days_ago: float, cio_id: int, **values
):
    db.session.add(
        ChangeRequest(
            programme_id=programme_id,
            kind=values.pop("kind", ChangeRequestKind.COST),
            title=title,
            impact="Impact",
            status=status,
            decided_by_id=cio_id,
            decided_at=NOW - timedelta(days=days_ago),
            **values,
        )
    )


def test_the_digest_shows_change_requests_decided_in_the_week(app, make_user) -> None:
    cio = make_user(Role.CIO, name="Helen Carter")
    pm = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    own = make_programme("ASC-004", manager=pm)
    other = make_programme("FIN-002")
    approved = ChangeRequestStatus.APPROVED
    cost = {
        "from_whole_life_baseline": Decimal(1_000_000),
        "proposed_whole_life_baseline": Decimal(1_250_000),
    }
    decided(own.id, "Extra integration", approved, 2, cio.id, **cost)
    decided(other.id, "Drop the app", ChangeRequestStatus.REJECTED, 1, cio.id, kind=ChangeRequestKind.SCOPE,
            decision_note="Residents asked for it")  # fmt: skip
    decided(own.id, "Last month's", approved, 10, cio.id, kind=ChangeRequestKind.SCOPE)
    db.session.add(
        ChangeRequest(programme_id=own.id, kind=ChangeRequestKind.SCOPE, title="Waiting", impact="I")
    )
    db.session.commit()

    portfolio = digest_for(cio, Scope.PORTFOLIO)
    assert [line.title for line in portfolio.changes.lines] == ["Drop the app", "Extra integration"]
    line = portfolio.changes.lines[1]
    assert line.approved and line.moved == "Whole-life cost baseline from £1,000,000 to £1,250,000"
    assert line.url == f"{BASE}/programmes/ASC-004/change-requests/{line.url.rsplit('/', 1)[1]}"
    rendered = render_digest(portfolio)
    assert "CHANGE REQUESTS DECIDED THIS WEEK (2)" in rendered.text
    assert "approved: Whole-life cost baseline from £1,000,000 to £1,250,000" in rendered.text
    assert "rejected: nothing moved" in rendered.text and "Residents asked for it" in rendered.text
    assert "Change requests decided this week" in rendered.html

    mine = digest_for(pm, Scope.OWN)
    assert [line.title for line in mine.changes.lines] == ["Extra integration"]
