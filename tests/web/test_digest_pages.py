"""The digest pages: preview, test send, email preferences, and the admin delivery log with resend."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.helpers import csrf_token_from
from tests.smtp_server import SmtpSink
from tests.web.pages import counting_queries
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    DeliveryStatus,
    DigestDelivery,
    Focus,
    Milestone,
    MilestoneKind,
    Programme,
    Rag,
    RiskAssessment,
    Role,
    Stage,
    Trend,
    User,
)
from tracker.models.types import utcnow
from tracker.services.demo.seed import seed_demo
from tracker.services.digest.account import preview_digest
from tracker.services.digest.jobs import send_weekly_digest
from tracker.services.ratings.scan import scan_portfolio


@pytest.fixture
def smtp(app: Flask) -> Iterator[SmtpSink]:
    with SmtpSink() as sink:
        app.config.update(sink.settings())
        yield sink


def add_rated_programmes(prefix: str, count: int, manager: User) -> None:
    """Programmes rated amber now and a week ago, each with an overdue milestone."""
    for number in range(count):
        programme = Programme(
            code=f"{prefix}-{number:03d}",
            name=f"Programme {prefix} {number}",
            directorate="Resources",
            focus=Focus.BOTH,
            stage=Stage.DELIVERY,
            manager_id=manager.id,
        )
        db.session.add(programme)
        db.session.flush()
        late = date.today() - timedelta(days=3)
        db.session.add(
            Milestone(
                programme_id=programme.id,
                title="Go-live",
                kind=MilestoneKind.IT_DELIVERY,
                original_baseline_date=late,
                baseline_date=late,
            )
        )
        flags = [{"rule": "stale", "severity": "amber", "message": "No update for 40 days", "evidence": {}}]
        for days, latest in ((8, False), (0, True)):
            db.session.add(
                RiskAssessment(
                    programme_id=programme.id,
                    assessed_at=utcnow() - timedelta(days=days),
                    rating=Rag.AMBER,
                    score=10,
                    trend=Trend.SAME,
                    flags=flags,
                    is_latest=latest,
                )
            )
    db.session.commit()


def test_preview_is_the_email_itself_with_a_policy_for_inline_styles(client: FlaskClient, auth, app) -> None:
    seed_demo()
    scan_portfolio()
    auth.sign_in_as(Role.CIO)

    response = client.get("/digest/preview")

    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert html.startswith("<!DOCTYPE html>")
    assert re.search(r"<title>Risk digest w/c \d+ \w+ 20\d\d: \d+ Red", html)
    assert "the whole portfolio" in html and "http://tracker.test/programmes/FIN-002/" in html
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "style-src 'unsafe-inline'" in policy
    assert "script-src" not in policy and "<script" not in html  # no scripts at all
    assert response.headers["Cache-Control"] == "no-store"


def test_preview_for_a_programme_manager_covers_their_programmes(client: FlaskClient, auth) -> None:
    seed_demo()
    scan_portfolio()
    auth.sign_in("pm@demo.council.example", "demo-password-2026")

    html = client.get("/digest/preview").get_data(as_text=True)

    assert "For Priya Shah: your programmes" not in html  # that is the text part
    assert "Priya Shah" in html and "your programmes" in html
    assert "What to update this week" in html
    assert "WST-007" not in html


def test_preview_issues_the_same_queries_for_any_portfolio_size(client: FlaskClient, auth) -> None:
    user = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    add_rated_programmes("SML", 2, manager=user)
    with counting_queries() as small:
        assert client.get("/digest/preview").status_code == 200
    add_rated_programmes("BIG", 10, manager=user)

    with counting_queries() as large:
        html = client.get("/digest/preview").get_data(as_text=True)

    assert "12 open programmes you manage or work on" in html and "BIG-009" in html
    assert len(large) == len(small), large


def test_send_me_a_test_digest(client: FlaskClient, auth, smtp: SmtpSink) -> None:
    seed_demo()
    scan_portfolio()
    auth.sign_in("pm2@demo.council.example", "demo-password-2026")
    token = csrf_token_from(client.get("/account/preferences"))

    response = client.post("/digest/test", data={"csrf_token": token}, follow_redirects=True)

    assert "A test digest was sent to pm2@demo.council.example" in response.get_data(as_text=True)
    [received] = smtp.received
    assert received.rcpt_tos == ("pm2@demo.council.example",)
    assert "For Tom Barker: your programmes" in received.text
    assert received.message["Subject"].startswith("Risk digest w/c ")
    assert db.session.scalar(select(DigestDelivery)) is None  # the weekly one is still to come


def test_a_failed_test_send_says_why(client: FlaskClient, auth, app: Flask) -> None:
    from tests.smtp_server import free_port

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    auth.sign_in_as(Role.CIO)
    token = csrf_token_from(client.get("/account/preferences"))

    page = client.post("/digest/test", data={"csrf_token": token}, follow_redirects=True).get_data(
        as_text=True
    )

    assert "The test digest could not be sent: Could not reach SMTP 127.0.0.1:" in page


def test_a_cio_opts_out_and_back_in(client: FlaskClient, auth) -> None:
    user_id = auth.sign_in_as(Role.CIO).id
    page = client.get("/account/preferences")
    html = page.get_data(as_text=True)
    assert "You get the digest at the moment." in html
    assert re.search(r'value="yes"\s+checked', html)

    response = client.post(
        "/account/preferences",
        data={"csrf_token": csrf_token_from(page), "receive": "no"},
        follow_redirects=True,
    )

    assert "You will not get the weekly risk digest." in response.get_data(as_text=True)
    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert user.digest_opt_out is True and user.digest_opt_in is False
    event_row = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "user", AuditEvent.entity_id == user.id)
        .order_by(AuditEvent.id.desc())
    )
    assert event_row.changes == {"digest_opt_out": [False, True]}

    client.post("/account/preferences", data={"csrf_token": csrf_token_from(page), "receive": "yes"})
    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert user.digest_opt_out is False


def test_a_viewer_opts_in(client: FlaskClient, auth) -> None:
    user_id = auth.sign_in_as(Role.VIEWER).id
    page = client.get("/account/preferences")
    assert "You do not get the digest at the moment." in page.get_data(as_text=True)

    client.post("/account/preferences", data={"csrf_token": csrf_token_from(page), "receive": "yes"})

    db.session.expire_all()
    user = db.session.get(User, user_id)
    assert user.digest_opt_in is True and user.digest_opt_out is False


def test_preferences_without_a_choice_shows_the_error_summary(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.PROGRAMME_MANAGER)
    token = csrf_token_from(client.get("/account/preferences"))

    for data in ({}, {"receive": "maybe"}):
        response = client.post("/account/preferences", data={"csrf_token": token, **data})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "govuk-error-summary" in html and "Error: Email preferences" in html


def make_deliveries(users: list[User]) -> list[DigestDelivery]:
    statuses = [DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.PENDING]
    rows = []
    for user, status in zip(users, statuses, strict=False):
        rows.append(
            DigestDelivery(
                user_id=user.id,
                iso_week="2026-W49",
                recipient=user.email,
                status=status,
                attempts=6 if status is DeliveryStatus.FAILED else 1,
                subject="Risk digest w/c 30 November 2026: 1 Red, 0 Amber, 0 Green",
                html_body="<p>Stored HTML</p>",
                text_body="Stored text",
                last_error="SMTP 10.0.0.5:25: 550 Mailbox unavailable"
                if status is DeliveryStatus.FAILED
                else "",
                sent_at=utcnow() if status is DeliveryStatus.SENT else None,
            )
        )
    rows.append(
        DigestDelivery(
            user_id=users[0].id,
            iso_week="2026-W48",
            recipient=users[0].email,
            status=DeliveryStatus.SENT,
            attempts=1,
        )
    )
    db.session.add_all(rows)
    db.session.commit()
    return rows


def test_admin_sees_deliveries_by_week_with_failures_first(client: FlaskClient, auth, make_user) -> None:
    auth.sign_in_as(Role.ADMIN)
    people = [make_user(Role.CIO, email=f"person{n}@testshire.gov.uk") for n in range(3)]
    make_deliveries(people)

    with counting_queries() as queries:
        html = client.get("/admin/deliveries").get_data(as_text=True)

    assert "Week of 30 November 2026" in html
    assert '<option value="2026-W48">Week of 23 November 2026</option>' in html
    assert "W49" not in html.replace('value="2026-W49"', "")
    statuses = re.findall(r'data-status="(\w+)"', html)
    assert statuses == ["failed", "pending", "sent"]
    failed_row = html[html.index('data-status="failed"') : html.index('data-status="pending"')]
    assert "person1@testshire.gov.uk" in failed_row
    assert 'govuk-tag govuk-tag--red">Failed' in failed_row
    assert 'class="govuk-error-message">SMTP 10.0.0.5:25: 550 Mailbox unavailable' in failed_row
    assert "1 digest could not be delivered after every retry" in html
    assert "Stored HTML" not in html

    older = client.get("/admin/deliveries?week=2026-W48&status=sent").get_data(as_text=True)
    assert re.findall(r'data-status="(\w+)"', older) == ["sent"] and "Week of 23 November 2026" in older
    only_failed = client.get("/admin/deliveries?status=failed").get_data(as_text=True)
    assert re.findall(r'data-status="(\w+)"', only_failed) == ["failed"]
    nonsense = client.get("/admin/deliveries?week=not-a-week&status=lost")
    assert nonsense.status_code == 200 and "Week of 30 November 2026" in nonsense.get_data(as_text=True)

    more = [make_user(Role.CIO) for _ in range(5)]
    db.session.add_all(
        DigestDelivery(user_id=u.id, iso_week="2026-W49", recipient=u.email, status=DeliveryStatus.SENT)
        for u in more
    )
    db.session.commit()
    with counting_queries() as more_queries:
        client.get("/admin/deliveries")
    assert len(more_queries) == len(queries)


def test_admin_resends_a_failed_digest(client: FlaskClient, auth, make_user, smtp: SmtpSink) -> None:
    auth.sign_in_as(Role.ADMIN)
    people = [make_user(Role.CIO, email=f"person{n}@testshire.gov.uk") for n in range(3)]
    failed_id = make_deliveries(people)[1].id
    token = csrf_token_from(client.get("/admin/deliveries"))

    response = client.post(
        f"/admin/deliveries/{failed_id}/resend", data={"csrf_token": token, "week": "2026-W49"}
    )

    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/admin/deliveries?week=2026-W49"
    )
    resent = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The digest for the week of 30 November 2026 was sent again to person1@testshire.gov.uk" in resent
    [received] = smtp.received
    assert received.rcpt_tos == ("person1@testshire.gov.uk",)
    assert received.text.strip() == "Stored text" and "Stored HTML" in received.html
    db.session.expire_all()
    failed = db.session.get(DigestDelivery, failed_id)
    assert failed.status is DeliveryStatus.SENT and failed.attempts == 7 and failed.last_error == ""


def test_a_failed_resend_keeps_the_row_failed_and_says_why(client: FlaskClient, auth, make_user, app) -> None:
    from tests.smtp_server import free_port

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    auth.sign_in_as(Role.ADMIN)
    failed_id = make_deliveries([make_user(Role.CIO), make_user(Role.CIO)])[1].id
    token = csrf_token_from(client.get("/admin/deliveries"))

    page = client.post(
        f"/admin/deliveries/{failed_id}/resend",
        data={"csrf_token": token, "week": "2026-W49"},
        follow_redirects=True,
    ).get_data(as_text=True)

    assert "The digest could not be sent: Could not reach SMTP" in page
    db.session.expire_all()
    failed = db.session.get(DigestDelivery, failed_id)
    assert failed.status is DeliveryStatus.FAILED and "Could not reach SMTP" in failed.last_error


def test_the_weekly_job_fills_the_delivery_log(client: FlaskClient, auth, smtp: SmtpSink) -> None:
    seed_demo()
    scan_portfolio()
    send_weekly_digest()
    auth.sign_in("admin@demo.council.example", "demo-password-2026")

    html = client.get("/admin/deliveries").get_data(as_text=True)

    assert re.findall(r'data-status="(\w+)"', html) == ["sent"] * 5
    assert "cio@demo.council.example" in html and "viewer@demo.council.example" not in html


def test_digest_flags_read_as_sentences_with_labelled_figures_and_no_raw_keys(
    client: FlaskClient, auth
) -> None:
    seed_demo()
    scan_portfolio()
    cio = auth.sign_in_as(Role.CIO)

    html = client.get("/digest/preview").get_data(as_text=True)
    text = preview_digest(db.session.get(User, cio.id)).text
    for part in (html, text):
        assert "milestone is forecast" in part and "days late (" in part  # the rule's own sentence
        assert "Forecast later than baseline by: " in part and "Approved baseline: " in part  # its figures
        for raw in (
            "days_overdue",
            "baseline_date",
            "threshold_days",
            "Threshold days",
            "Days overdue",
            "_pct",
        ):
            assert raw not in part, raw
