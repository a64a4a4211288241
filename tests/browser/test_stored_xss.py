"""Stored XSS: script and markup typed into every free-text field is shown as text on every page
that shows it, and in the digest email, and never runs (no dialog, no CSP violation)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import TEST_PASSWORD
from tracker.extensions import db
from tracker.models import (
    AuditAction,
    Benefit,
    BenefitType,
    ChangeKind,
    CostType,
    Direction,
    EntryKind,
    Focus,
    Investment,
    Measurement,
    Milestone,
    MilestoneChange,
    MilestoneKind,
    Programme,
    ProgrammeMember,
    Rag,
    RebaselineRequest,
    Recurrence,
    RegisterEntry,
    Role,
    Stage,
    StatusUpdate,
    TrajectoryPoint,
)
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.accounts.users import create_user
from tracker.services.digest.account import preview_digest
from tracker.services.ratings.scan import scan_portfolio

pytestmark = pytest.mark.browser

CODE = "XSS-001"


def payload(tag: str) -> str:
    """Markup that would run if shown raw, in text and attribute contexts; 119 characters at most."""
    script = f'<script>alert("{tag}")</script>'
    return f'{tag} {script} "><img src=x onerror=alert(2)> <svg onload=alert(3)> {{{{7*7}}}}'


SHORT = "<svg onload=alert(5)>{{7*7}}"  # for the 40-character unit
LINKISH = "javascript:alert(4)//" + payload("ADOPT")[:90]


def build_portfolio() -> dict[str, int]:
    """One programme whose every free-text field, and everything hanging off it, carries a payload."""
    admin = create_user("admin@xss.test", name="Admin Tester", role=Role.ADMIN, password=TEST_PASSWORD)
    manager = create_user(
        "pm@xss.test", name=payload("USER"), role=Role.PROGRAMME_MANAGER, password=TEST_PASSWORD
    )
    member = create_user("member@xss.test", name="Team Member", role=Role.VIEWER, password=TEST_PASSWORD)
    programme = Programme(
        code=CODE,
        name=payload("PNAME"),
        description=payload("PDESC") * 3,
        directorate=payload("PDIR"),
        strategic_objective=payload("POBJ"),
        focus=Focus.BOTH,
        sro_name=payload("PSRO"),
        manager_id=manager.id,
        stage=Stage.DELIVERY,
        start_date=date(2026, 4, 1),
        baseline_end_date=date(2027, 3, 31),
        forecast_end_date=date(2027, 6, 30),
        confidence=Rag.GREEN,
        confidence_commentary=payload("PCOMM"),
        change_plan=payload("PPLAN"),
        adoption_owner=LINKISH,
    )
    db.session.add(programme)
    db.session.flush()
    milestone = Milestone(
        programme_id=programme.id,
        title=payload("MTITLE"),
        kind=MilestoneKind.IT_DELIVERY,
        critical=True,
        owner=payload("MOWNER"),
        original_baseline_date=date(2026, 10, 1),
        baseline_date=date(2026, 10, 1),
        forecast_date=date(2027, 2, 1),
    )
    investment = Investment(
        programme_id=programme.id,
        title=payload("ITITLE"),
        cost_type=CostType.CAPITAL,
        recurrence=Recurrence.ONE_OFF,
        financial_year=2026,
        requested=Decimal("500000"),
        approved=Decimal("300000"),
        forecast=Decimal("450000"),
        actual=Decimal("400000"),
    )
    benefit = Benefit(
        programme_id=programme.id,
        title=payload("BTITLE"),
        benefit_type=BenefitType.SERVICE_IMPROVEMENT,
        measure=payload("BMEASURE"),
        unit=SHORT,
        direction=Direction.LOWER,
        baseline_value=Decimal("20"),
        baseline_date=date(2026, 4, 1),
        target_value=Decimal("5"),
        target_date=date(2027, 3, 31),
        owner=payload("BOWNER"),
        notes=payload("BNOTES"),
    )
    entry = RegisterEntry(
        programme_id=programme.id,
        kind=EntryKind.RISK,
        title=payload("ETITLE"),
        description=payload("EDESC"),
        likelihood=5,
        impact=5,
        owner=payload("EOWNER"),
        mitigation=payload("EMIT"),
    )
    update = StatusUpdate(
        programme_id=programme.id,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        overall=Rag.AMBER,
        schedule=Rag.RED,
        cost=Rag.AMBER,
        benefits=Rag.GREEN,
        resources=Rag.AMBER,
        narrative=payload("UNARR") + "\n\n" + payload("UNARR2"),
        author_id=manager.id,
        submitted_at=utcnow(),
    )
    db.session.add_all([milestone, investment, benefit, entry, update])
    db.session.add(ProgrammeMember(programme_id=programme.id, user_id=member.id, role_title=payload("TROLE")))
    db.session.flush()
    benefit.trajectory.append(TrajectoryPoint(on_date=date(2026, 10, 1), value=Decimal("10")))
    benefit.measurements.append(
        Measurement(
            on_date=date(2026, 10, 15), value=Decimal("18"), note=payload("BNOTE"), recorded_by_id=manager.id
        )
    )
    milestone.changes.append(
        MilestoneChange(
            kind=ChangeKind.FORECAST_MOVED,
            from_value="2026-10-01",
            to_value="2027-02-01",
            reason=payload("MREASON"),
            changed_by_id=manager.id,
        )
    )
    request = RebaselineRequest(
        milestone_id=milestone.id,
        proposed_date=date(2027, 2, 1),
        reason=payload("RREASON"),
        requested_by_id=manager.id,
    )
    db.session.add(request)
    audit.record(
        AuditAction.UPDATE,
        programme,
        user_id=manager.id,
        programme_id=programme.id,
        summary=f"Changed milestone {milestone.title}",
        changes={"title": ("Go-live", milestone.title), "owner": ("", milestone.owner)},
    )
    db.session.commit()
    scan_portfolio()  # ratings whose flag messages quote the titles
    return {"admin": admin.id, "manager": manager.id, "milestone": milestone.id, "benefit": benefit.id,
            "entry": entry.id, "update": update.id, "request": request.id}  # fmt: skip


def text_of(tag: str) -> str:
    return {"UNIT": SHORT, "ADOPT": LINKISH}.get(tag) or payload(tag)


# Each page and the payloads it must show as plain text; between them they cover every field.
def pages(ids: dict[str, int]) -> dict[str, set[str]]:
    p = f"/programmes/{CODE}"
    return {
        "/dashboard": {"PNAME", "PDIR", "USER", "BTITLE"},
        "/programmes/": {"PNAME", "PDIR", "USER", "MTITLE"},
        f"{p}/": {"PNAME", "PDESC", "PDIR", "POBJ", "PSRO", "PCOMM", "PPLAN", "ADOPT", "USER", "MTITLE",
                  "BTITLE", "TROLE", "UNARR"},
        f"{p}/milestones/": {"PNAME", "MTITLE", "MOWNER", "MREASON", "RREASON", "USER"},
        f"{p}/money/": {"PNAME", "ITITLE"},
        f"{p}/benefits/": {"PNAME", "BTITLE", "BOWNER"},
        f"{p}/benefits/{ids['benefit']}": {"BTITLE", "BMEASURE", "UNIT", "BOWNER", "BNOTES", "BNOTE", "USER"},
        f"{p}/risks/": {"PNAME", "ETITLE", "EDESC", "EOWNER", "EMIT"},
        f"{p}/updates/": {"PNAME", "USER"},
        f"{p}/updates/{ids['update']}": {"PNAME", "UNARR", "UNARR2", "USER"},
        f"{p}/history": {"PNAME", "MTITLE", "MOWNER", "USER"},
        f"{p}/team": {"PNAME", "PSRO", "USER"},
        "/rebaselines/": {"PNAME", "MTITLE", "USER"},
        f"/rebaselines/{ids['request']}": {"PNAME", "MTITLE", "RREASON", "USER"},
        "/admin/users": {"USER"},
        f"/admin/users/{ids['manager']}": {"USER"},
        # Forms put the saved values back into inputs: the attribute context.
        f"{p}/edit": {"PNAME", "PDESC", "PDIR", "POBJ", "PCOMM", "PPLAN", "ADOPT"},
        f"{p}/milestones/{ids['milestone']}/edit": {"MTITLE", "MOWNER"},
        f"{p}/benefits/{ids['benefit']}/edit": {"BTITLE", "BMEASURE", "UNIT", "BOWNER", "BNOTES"},
        f"{p}/risks/{ids['entry']}/edit": {"ETITLE", "EDESC", "EOWNER", "EMIT"},
        "/digest/preview": {"PNAME", "MTITLE", "BTITLE", "RREASON", "USER"},
    }  # fmt: skip


SHOWN = """() => {
  const fields = [...document.querySelectorAll('input, textarea, option')];
  const values = fields.map(e => e.value + ' ' + e.textContent);
  return document.body.textContent + '\\n' + values.join('\\n');
}"""

INJECTED = "script:not([nonce]), [onerror], [onload], img[src='x'], a[href^='javascript:' i], iframe, object"


def test_payloads_are_shown_as_text_and_never_run(live_server: str, page) -> None:
    ids = build_portfolio()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("admin@xss.test")
    page.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/dashboard")

    missing: dict[str, set[str]] = {}
    for path, tags in pages(ids).items():
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        shown = page.evaluate(SHOWN)
        absent = {tag for tag in tags if text_of(tag) not in shown}
        if absent:
            missing[path] = absent
        assert "{{7*7}}" in shown, path  # templates never evaluate what people type
        assert page.locator(INJECTED).count() == 0, f"{path}: injected markup became elements"
    assert missing == {}, "payloads not shown as text (escaped) where expected"
    assert dialogs == []
    assert page.console_errors == [], "nothing blocked by the CSP, no script errors"  # type: ignore[attr-defined]


def test_the_digest_email_escapes_the_payloads(app) -> None:
    ids = build_portfolio()
    from tracker.models import User

    html = preview_digest(db.session.get(User, ids["admin"])).html
    assert payload("PNAME").replace("<", "&lt;")[:20] in html.replace("&#34;", '"').replace("&gt;", ">")
    lowered = html.lower()
    for raw in ("<script", "<img src=x", "<svg onload", "javascript:alert"):
        assert raw not in lowered, raw
    assert "&lt;script&gt;alert(" in html
