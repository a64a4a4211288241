"""Whole-life cost and five-point confidence through the key facts form, History and Money pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from tests.web.pages import error_summary, text
from tests.web.programme_data import add_programme, key_facts
from tracker.domain.calendar import london_today
from tracker.extensions import db
from tracker.models import Confidence, ConfidenceSource, Programme, Role
from tracker.models.returns import ProgrammeReturn
from tracker.models.types import utcnow

EDIT = "/programmes/DIG-001/edit"


def save(client, auth, **overrides) -> object:
    """Post the edit form at the programme's current version."""
    version = db.session.scalar(select(Programme.version))
    token = auth.csrf_token(EDIT)
    return client.post(EDIT, data={**key_facts(version=str(version), **overrides), "csrf_token": token})


def returns() -> list[ProgrammeReturn]:
    db.session.expire_all()
    return list(db.session.scalars(select(ProgrammeReturn).order_by(ProgrammeReturn.as_at)))


def test_whole_life_figures_and_confidence_round_trip_with_blank_as_unknown(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme()
    response = save(
        client,
        auth,
        whole_life_baseline="£4.2m",
        whole_life_forecast="",
        confidence="amber_green",
        confidence_source="assurance_review",
        confidence_assessed_on=["14", "10", "2026"],
    )
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme))
    assert programme.whole_life_baseline == Decimal("4200000")
    assert programme.whole_life_forecast is None  # blank is unknown, not £0
    assert programme.confidence is Confidence.AMBER_GREEN
    assert programme.confidence_source is ConfidenceSource.ASSURANCE_REVIEW
    assert programme.confidence_assessed_on == date(2026, 10, 14)

    form = client.get(EDIT).get_data(as_text=True)
    assert 'name="whole_life_baseline" type="text" value="£4,200,000"' in form
    assert 'name="whole_life_forecast" type="text" value=""' in form
    assert 'value="amber_green" checked' in form and 'value="assurance_review" checked' in form

    overview = text(client.get("/programmes/DIG-001/"))
    assert "Delivery confidence Amber/Green (shown as amber where three colours are used)" in overview
    assert "IPA or internal assurance review, 14 October 2026" in overview
    assert "Whole-life cost baseline £4,200,000 Whole-life cost forecast Not known" in overview


def test_each_day_keeps_one_return_and_other_edits_add_none(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme()
    assert save(client, auth, whole_life_baseline="1000000", whole_life_forecast="1100000").status_code == 302
    assert save(client, auth, whole_life_baseline="1000000", whole_life_forecast="1250000").status_code == 302
    assert save(client, auth, name="Digital front door phase 2", whole_life_baseline="1000000",
                whole_life_forecast="1250000").status_code == 302  # fmt: skip
    (row,) = returns()
    assert row.as_at == london_today(utcnow()) and row.source == "form"
    assert (row.whole_life_baseline, row.whole_life_forecast) == (Decimal("1000000"), Decimal("1250000"))


def test_history_and_money_pages_show_growth_against_the_first_baseline(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    programme = add_programme()
    db.session.add(
        ProgrammeReturn(
            programme_id=programme.id,
            as_at=london_today(utcnow()) - timedelta(days=120),
            source="import",
            note="Q2 return.xlsx",
            whole_life_baseline=Decimal("1000000"),
            confidence=Confidence.GREEN,
        )
    )
    db.session.commit()
    save(client, auth, whole_life_baseline="1200000", whole_life_forecast="1300000", confidence="amber_red",
         confidence_source="gateway_review")  # fmt: skip

    money = text(client.get("/programmes/DIG-001/money/"))
    assert "Whole-life baseline £1,200,000 Whole-life forecast £1,300,000" in money
    assert "Growth since the first baseline 30% above the first baseline of £1,000,000" in money
    assert "Recent returns" in money

    history = text(client.get("/programmes/DIG-001/history"))
    assert "Whole-life cost and confidence over time" in history
    assert (
        "£1,200,000 £1,300,000 Not known Not known Not known Amber/Red Gateway review The key facts form"
        in history
    )
    assert "£1,000,000 Not known Not known Not known Not known Green An import (Q2 return.xlsx)" in history
    assert "Delivery confidence Not set Amber/Red" in history  # the audit trail in published words


def test_money_page_says_growth_cannot_be_measured_without_figures(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme()
    money = text(client.get("/programmes/DIG-001/money/"))
    assert "Growth since the first baseline Cannot be measured: no whole-life baseline is recorded" in money


def test_confidence_details_are_checked(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    add_programme()
    response = save(client, auth, confidence="", confidence_source="self_assessment")
    assert "Choose the delivery confidence that was assessed" in error_summary(response)
    tomorrow = london_today(utcnow()) + timedelta(days=1)
    response = save(
        client,
        auth,
        confidence="green",
        confidence_assessed_on=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
    )
    assert "Date of the assessment must be today or in the past" in error_summary(response)
    response = save(client, auth, whole_life_forecast="lots", confidence="purple")
    summary = error_summary(response)
    assert "Whole-life cost forecast" in summary and "Not a valid choice" in summary
    assert returns() == []


def test_a_new_programme_with_whole_life_figures_starts_its_returns(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    token = auth.csrf_token("/programmes/new")
    data = key_facts(
        code="DIG-009", whole_life_baseline="£2.5m", confidence="green", confidence_source="self_assessment"
    )
    assert client.post("/programmes/new", data={**data, "csrf_token": token}).status_code == 302
    (row,) = returns()
    assert (row.whole_life_baseline, row.whole_life_forecast, row.confidence) == (
        Decimal("2500000"),
        None,
        Confidence.GREEN,
    )
    history = text(client.get("/programmes/DIG-009/history"))
    assert "Whole-life cost baseline Not set 2500000.00" in history  # the audit trail, labelled
    assert (
        "£2,500,000 Not known Not known Not known Not known Green SRO self-assessment The key facts form"
        in history
    )
