"""The weekly digest lists the programmes landing work on a service team over capacity, and a programme
manager's to-do list asks them to agree with the other programmes how to spread the change."""

from __future__ import annotations

from flask import Flask

from tests.services.test_digest import BASE, assess, digest_for, flag, make_programme
from tracker.domain.flags import Severity
from tracker.extensions import db
from tracker.models import Rag, Role
from tracker.services.digest.render import render_digest

OVER = (
    "Revenues and benefits is over capacity in March 2027: 36 change days planned against 30, 20 of them "
    "from this programme; shared with REV-006 Revenues automation"
)


def test_the_digest_lists_teams_over_capacity_and_the_manager_is_asked_to_agree_a_spread(
    app: Flask, make_user
) -> None:
    cio, manager = make_user(Role.CIO), make_user(Role.PROGRAMME_MANAGER)
    erp = make_programme("FIN-002", "Finance system", manager=manager)
    assess(
        erp,
        Rag.AMBER,
        [flag("over_capacity", Severity.AMBER, OVER, team="Revenues and benefits")],
        days_ago=0.1,
        latest=True,
    )
    db.session.commit()

    portfolio = render_digest(digest_for(cio))
    own = render_digest(digest_for(manager))

    assert (
        "SERVICE TEAMS OVER CAPACITY (1)" in portfolio.text
        and "Service teams over capacity (1)" in portfolio.html
    )
    assert f"FIN-002 Finance system: {OVER}" in portfolio.text
    assert f"{BASE}/programmes/FIN-002/milestones/" in portfolio.text
    assert (
        "Agree with the programmes sharing the team how to spread the change (revenues and benefits is over"
        in own.text
    )
