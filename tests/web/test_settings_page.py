"""Admins change risk thresholds on a page that validates, explains and audits."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select

from tracker.domain.thresholds import THRESHOLD_FIELDS, Thresholds
from tracker.extensions import db
from tracker.models import AuditEvent, Role
from tracker.services.settings import current_thresholds

PAGE = "/admin/settings/risk-thresholds"


def _form(auth, **changes: str) -> dict[str, str]:
    values = {name: str(value) for name, value in Thresholds().as_dict().items()}
    values.update(changes)
    return {"csrf_token": auth.csrf_token(PAGE), **values}


def test_page_shows_every_threshold_with_its_current_value(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.ADMIN)
    body = client.get(PAGE).get_data(as_text=True)
    for spec in THRESHOLD_FIELDS:
        assert spec.label in body
    assert re.search(r'<input[^>]*name="stale_days"[^>]*value="30"', body)
    assert re.search(r'<input[^>]*name="high_risk_score"[^>]*value="15"', body)


def test_admin_saves_a_threshold_and_the_change_is_audited(client: FlaskClient, auth) -> None:
    admin = auth.sign_in_as(Role.ADMIN)
    response = client.post(PAGE, data=_form(auth, stale_days="45"))
    assert response.status_code == 302
    assert "Risk thresholds saved" in client.get(PAGE).get_data(as_text=True)
    assert current_thresholds().stale_days == 45
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "setting"))
    assert event.user_id == admin.id
    assert event.changes == {"stale_days": [30, 45]}


def test_bad_values_are_explained_and_nothing_is_saved(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.ADMIN)
    for value, message in (
        ("lots", "must be a whole number"),
        ("0", "must be between 1 and 365"),
        ("", "Enter no update, amber (days)"),
    ):
        response = client.post(PAGE, data=_form(auth, stale_days=value))
        body = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "There is a problem" in body
        assert message in body
        assert 'href="#stale_days"' in body
    assert current_thresholds() == Thresholds()


def test_red_must_stay_above_amber(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.ADMIN)
    body = client.post(PAGE, data=_form(auth, stale_days="70")).get_data(as_text=True)
    assert "must be more than no update, amber (days)" in body
    assert 'href="#stale_red_days"' in body
    assert current_thresholds().stale_days == 30


def test_cio_cannot_change_thresholds(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.CIO)
    token = auth.csrf_token("/sign-in")
    assert client.post(PAGE, data={"csrf_token": token, "stale_days": "1"}).status_code == 403
    assert current_thresholds() == Thresholds()


def test_whole_life_growth_thresholds_are_validated_with_every_error_at_once(
    client: FlaskClient, auth
) -> None:
    auth.sign_in_as(Role.ADMIN)
    body = client.post(
        PAGE,
        data=_form(auth, whole_life_growth_pct="20", whole_life_growth_red_pct="15", stale_days="0"),
    ).get_data(as_text=True)
    assert "Whole-life cost growth, red (%) must be more than whole-life cost growth, amber (%)" in body
    assert "No update, amber (days) must be between 1 and 365" in body
    assert 'href="#whole_life_growth_red_pct"' in body and 'href="#stale_days"' in body
    assert current_thresholds() == Thresholds()

    response = client.post(PAGE, data=_form(auth, whole_life_growth_pct="15", whole_life_growth_red_pct="40"))
    assert response.status_code == 302
    saved = current_thresholds()
    assert (saved.whole_life_growth_pct, saved.whole_life_growth_red_pct) == (15, 40)
