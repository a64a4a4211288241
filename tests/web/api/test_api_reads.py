"""Reading the portfolio through the API: the same data as the pages, money as decimal strings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask.testing import FlaskClient
from sqlalchemy import select

from tracker.domain.calendar import london_today
from tracker.extensions import db
from tracker.models import (
    Confidence,
    ConfidenceSource,
    CostType,
    Investment,
    InvestmentCategory,
    Programme,
    Recurrence,
    Role,
)
from tracker.models.types import utcnow


def test_programmes_list_with_filters_and_paging(client: FlaskClient, world, bearer) -> None:
    headers = bearer(Role.VIEWER)
    page = client.get("/api/v1/programmes", headers=headers).get_json()
    assert [row["code"] for row in page["items"]] == ["OTH-001", "OWN-001"]
    assert (page["page"], page["pages"], page["total"], page["per_page"]) == (1, 1, 2, 50)
    assert page["financial_year"] == "2026/27"
    row = page["items"][1]
    assert row["rating"] == "red" and row["score"] == 40 and row["manager_name"] == "Priya Manager"
    assert row["budget"] == "200000.00" and row["forecast"] == "210000.10"
    assert row["next_milestone"] == "Go-live" and row["next_milestone_date"] == "2026-12-01"

    only = client.get("/api/v1/programmes?directorate=Adults&rating=red", headers=headers).get_json()
    assert [row["code"] for row in only["items"]] == ["OWN-001"]
    none = client.get("/api/v1/programmes?stage=idea", headers=headers).get_json()
    assert none["items"] == [] and none["total"] == 0

    second = client.get("/api/v1/programmes?per_page=1&page=2", headers=headers).get_json()
    assert [row["code"] for row in second["items"]] == ["OWN-001"]
    assert (second["page"], second["pages"], second["per_page"]) == (2, 2, 1)


def test_mine_lists_a_managers_own_programmes(client: FlaskClient, world, bearer) -> None:
    page = client.get("/api/v1/programmes?mine=true", headers=bearer(user_id=world.manager_id)).get_json()
    assert [row["code"] for row in page["items"]] == ["OWN-001"]


def test_bad_filters_are_named(client: FlaskClient, world, bearer) -> None:
    response = client.get("/api/v1/programmes?stage=finished&page=0&per_page=201", headers=bearer())
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"stage", "page", "per_page"}


def test_a_misspelt_filter_is_named_rather_than_ignored(client: FlaskClient, world, bearer) -> None:
    response = client.get("/api/v1/programmes?ratng=red", headers=bearer())
    assert response.status_code == 422
    assert set(response.get_json()["fields"]) == {"ratng"}


def test_programme_with_its_rating_and_flags(client: FlaskClient, world, bearer) -> None:
    response = client.get("/api/v1/programmes/own-001", headers=bearer(Role.VIEWER))
    programme = response.get_json()
    assert programme["code"] == "OWN-001" and programme["stage"] == "delivery"
    assert programme["baseline_end_date"] == "2027-03-31" and programme["confidence"] == "amber"
    assessment = programme["assessment"]
    assert assessment["rating"] == "red" and assessment["score"] == 40 and assessment["trend"] == "worse"
    flag = assessment["flags"][0]
    assert (flag["rule"], flag["severity"]) == ("forecast_slip", "red")
    assert flag["message"] == "Go-live is forecast 45 days after its baseline"


def test_flags_and_assessment_history(client: FlaskClient, world, bearer) -> None:
    headers = bearer(Role.VIEWER)
    flags = client.get("/api/v1/programmes/OWN-001/flags", headers=headers).get_json()
    assert [flag["rule"] for flag in flags["items"]] == ["forecast_slip"]
    assert flags["assessed_at"].startswith("2026-11-27T06:00:00")
    history = client.get("/api/v1/programmes/OWN-001/assessments", headers=headers).get_json()
    assert [item["rating"] for item in history["items"]] == ["red", "amber"]


def test_milestones(client: FlaskClient, world, bearer) -> None:
    items = client.get("/api/v1/programmes/OWN-001/milestones", headers=bearer()).get_json()["items"]
    # Overdue from the day after its 1 December 2026 baseline, counted as the risk rules count it.
    late = (london_today(utcnow()) - date(2026, 12, 1)).days
    assert items[0].pop("overdue_days") == (late if late > 0 else None)
    assert items == [
        {
            "id": world.own_milestone,
            "title": "Go-live",
            "kind": "it_delivery",
            "critical": True,
            "owner": "",
            "original_baseline_date": "2026-12-01",
            "baseline_date": "2026-12-01",
            "forecast_date": "2026-12-01",
            "actual_date": None,
            "status": "not_started",
            "variance_days": 0,
            "version": items[0]["version"],
        }
    ]


def test_investments_in_pounds_as_strings(client: FlaskClient, world, bearer) -> None:
    money = client.get("/api/v1/programmes/OWN-001/investments", headers=bearer()).get_json()
    line = money["items"][0]
    assert line["financial_year"] == "2026/27" and line["cost_type"] == "revenue"
    assert (line["requested"], line["approved"], line["forecast"], line["actual"]) == (
        "250000.00",
        "200000.00",
        "210000.10",
        "90000.01",
    )
    assert line["gap"] == "50000.00" and line["variance"] == "10000.10"
    assert money["whole_life"]["approved"] == "200000.00"
    assert line["category"] == "technology" and money["whole_life"]["not_known"]["forecast"] == 0


def test_unknown_investment_amounts_are_null_not_zero(client: FlaskClient, world, bearer) -> None:
    programme = db.session.scalar(select(Programme).where(Programme.code == "OWN-001"))
    db.session.add(
        Investment(
            programme_id=programme.id,
            title="Depot works",
            category=InvestmentCategory.OTHER,
            cost_type=CostType.CAPITAL,
            recurrence=Recurrence.ONE_OFF,
            financial_year=2026,
            approved=Decimal("250000"),
            actual=Decimal("1200000"),
        )
    )
    db.session.commit()
    money = client.get("/api/v1/programmes/OWN-001/investments", headers=bearer()).get_json()
    depot = next(line for line in money["items"] if line["title"] == "Depot works")
    assert depot["category"] == "other"
    assert [depot[name] for name in ("requested", "forecast", "gap", "variance")] == [None] * 4
    whole = money["whole_life"]
    assert whole["not_known"] == {"requested": 1, "approved": 0, "forecast": 1, "actual": 0}
    assert whole["forecast"] == "1410000.10"  # the depot's £1.2m spend stands in for its missing forecast
    assert (whole["gap"], whole["variance"]) == (None, None)


def test_benefits_with_plan_and_measurements(client: FlaskClient, world, bearer) -> None:
    benefit = client.get("/api/v1/programmes/OWN-001/benefits", headers=bearer()).get_json()["items"][0]
    assert benefit["title"] == "Faster assessments" and benefit["owner"] == "Head of Adult Social Care"
    assert [point["on_date"] for point in benefit["trajectory"]] == ["2026-04-01", "2027-03-31"]
    assert benefit["measurements"][0]["note"] == "Q2 return"
    assert benefit["measurements"][0]["value"].startswith("40000.5")
    assert benefit["latest"]["measured_on"] == "2026-10-01" and isinstance(benefit["latest"]["planned"], str)


def test_unknown_programmes_are_404(client: FlaskClient, world, bearer) -> None:
    headers = bearer()
    for path in (
        "/api/v1/programmes/NOPE-1",
        "/api/v1/programmes/%00/flags",
        "/api/v1/programmes/" + "A" * 40,
    ):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and response.is_json, path


def test_whole_life_cost_and_five_point_confidence(client: FlaskClient, world, bearer) -> None:
    programme = db.session.scalar(select(Programme).where(Programme.code == "OWN-001"))
    programme.confidence = Confidence.AMBER_RED
    programme.confidence_source = ConfidenceSource.SELF_ASSESSMENT
    programme.confidence_assessed_on = date(2026, 10, 1)
    programme.whole_life_baseline = Decimal("3500000")
    db.session.commit()
    headers = bearer(Role.VIEWER)

    one = client.get("/api/v1/programmes/OWN-001", headers=headers).get_json()
    assert (one["confidence"], one["confidence_source"]) == ("amber_red", "self_assessment")
    assert one["confidence_assessed_on"] == "2026-10-01"
    assert (one["whole_life_baseline"], one["whole_life_forecast"]) == ("3500000.00", None)
    row = client.get("/api/v1/programmes", headers=headers).get_json()["items"][1]
    assert (row["code"], row["confidence"], row["confidence_assessed_on"]) == (
        "OWN-001",
        "amber_red",
        "2026-10-01",
    )


def test_external_reference_is_read_and_finds_its_programme(client: FlaskClient, world, bearer) -> None:
    programme = db.session.scalar(select(Programme).where(Programme.code == "OWN-001"))
    programme.external_reference = "MOD_0106_1617-Q1"
    db.session.commit()
    headers = bearer(Role.VIEWER)

    one = client.get("/api/v1/programmes/OWN-001", headers=headers).get_json()
    assert one["external_reference"] == "MOD_0106_1617-Q1"
    other = client.get("/api/v1/programmes/OTH-001", headers=headers).get_json()
    assert other["external_reference"] is None
    rows = client.get("/api/v1/programmes", headers=headers).get_json()["items"]
    assert [(row["code"], row["external_reference"]) for row in rows] == [
        ("OTH-001", None),
        ("OWN-001", "MOD_0106_1617-Q1"),
    ]

    found = client.get("/api/v1/programmes?reference=mod_0106_1617-q1", headers=headers).get_json()
    assert [row["code"] for row in found["items"]] == ["OWN-001"] and found["total"] == 1
    partial = client.get("/api/v1/programmes?reference=MOD_0106", headers=headers).get_json()
    assert partial["items"] == [] and partial["total"] == 0  # whole references only
    too_long = client.get(f"/api/v1/programmes?reference={'x' * 65}", headers=headers)
    assert too_long.status_code == 422 and set(too_long.get_json()["fields"]) == {"reference"}
