"""Risk thresholds: defaults until an admin changes them, validated as a whole, and audited."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from tracker.domain.thresholds import Thresholds
from tracker.extensions import db
from tracker.models import AuditAction, AuditEvent, Setting
from tracker.services.errors import Invalid
from tracker.services.settings import RISK_THRESHOLDS, current_thresholds, update_thresholds


def audit_events() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "setting")))


def test_defaults_until_anything_is_saved(app) -> None:
    assert current_thresholds() == Thresholds()
    assert current_thresholds().stale_days == 30


def test_update_saves_merges_over_defaults_and_audits(app, make_user) -> None:
    admin = make_user("admin")

    updated = update_thresholds({"stale_days": "45", "high_risk_score": 12}, user_id=admin.id)

    assert updated == Thresholds(stale_days=45, high_risk_score=12)
    assert current_thresholds() == updated
    row = db.session.get(Setting, RISK_THRESHOLDS)
    assert row.value["stale_days"] == 45 and row.updated_by_id == admin.id
    [event] = audit_events()
    assert (event.action, event.user_id, event.programme_id) == (AuditAction.UPDATE, admin.id, None)
    assert event.changes == {"stale_days": [30, 45], "high_risk_score": [15, 12]}
    assert event.summary == "Changed risk thresholds: No update, amber (days), High risk score (1 to 25)"

    update_thresholds({"stale_days": 50}, user_id=admin.id)

    assert current_thresholds() == Thresholds(stale_days=50, high_risk_score=12)
    assert [e.changes for e in audit_events()][-1] == {"stale_days": [45, 50]}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"stale_red_days": 20},
            "stale_red_days",
            "No update, red (days) must be more than no update, amber (days)",
        ),
        ({"stale_days": "soon"}, "stale_days", "No update, amber (days) must be a whole number"),
        ({"high_risk_score": 26}, "high_risk_score", "High risk score (1 to 25) must be between 1 and 25"),
        ({"colour": 3}, "colour", "is not a risk threshold"),
    ],
)
def test_invalid_values_name_the_field_and_change_nothing(app, make_user, values, field, message) -> None:
    admin = make_user("admin")

    with pytest.raises(Invalid) as raised:
        update_thresholds(values, user_id=admin.id)

    assert (raised.value.field, raised.value.message) == (field, message)
    assert db.session.get(Setting, RISK_THRESHOLDS) is None
    assert audit_events() == []


def test_saving_the_same_values_writes_nothing(app, make_user) -> None:
    admin = make_user("admin")

    assert update_thresholds(Thresholds().as_dict(), user_id=admin.id) == Thresholds()

    assert db.session.scalar(select(func.count()).select_from(Setting)) == 0
    assert audit_events() == []


def test_stored_values_from_older_code_do_not_stop_the_scan(app, caplog) -> None:
    db.session.add(Setting(key=RISK_THRESHOLDS, value={"stale_days": 40, "retired_rule_days": 9}))
    db.session.commit()
    assert current_thresholds() == Thresholds(stale_days=40)

    db.session.get(Setting, RISK_THRESHOLDS).value = {"stale_days": 90, "stale_red_days": 60}
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger="tracker.services.settings"):
        assert current_thresholds() == Thresholds()
    assert "using the defaults" in caplog.text
