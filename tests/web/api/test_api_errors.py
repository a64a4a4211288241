"""Every API error is JSON with a plain message and the right status, never a page."""

from __future__ import annotations

import re

from flask.testing import FlaskClient


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()
    assert body["status"] == status and body["error"]
    return body


def test_malformed_json_is_400(client: FlaskClient, world, bearer) -> None:
    headers = bearer() | {"Content-Type": "application/json"}
    body = _error(
        client.patch(f"/api/v1/milestones/{world.own_milestone}", data="{not json", headers=headers), 400
    )
    assert "JSON" in body["error"]


def test_wrong_types_and_unknown_fields_are_422_by_field(client: FlaskClient, world, bearer) -> None:
    body = {"forecast_date": "next Tuesday", "status": "done", "colour": "blue"}
    response = client.patch(f"/api/v1/milestones/{world.own_milestone}", json=body, headers=bearer())
    assert set(_error(response, 422)["fields"]) == {"forecast_date", "status", "colour"}


def test_dates_outside_the_forms_years_are_422(client: FlaskClient, world, bearer) -> None:
    body = {"forecast_date": "1066-10-14", "reason": "History"}
    response = client.patch(f"/api/v1/milestones/{world.own_milestone}", json=body, headers=bearer())
    assert "between 1950 and 2100" in _error(response, 422)["fields"]["forecast_date"]


def test_the_document_states_the_rules_of_the_body(client: FlaskClient) -> None:
    """What the 422s above refuse, the document says: the years, and at least one thing to change."""
    document = client.get("/api/v1/openapi.json").get_json()
    change = document["components"]["schemas"]["MilestoneChange"]
    pattern = re.compile(change["properties"]["forecast_date"]["pattern"])
    assert [bool(pattern.match(day)) for day in ("1949-12-31", "1950-01-01", "2100-12-31", "2101-01-01")] == [
        False,
        True,
        True,
        False,
    ]
    assert {"required": ["status"]} in change["anyOf"]
    assert change["not"]["required"] == ["actual_date", "status"]


def test_nothing_to_change_is_422(client: FlaskClient, world, bearer) -> None:
    response = client.patch(
        f"/api/v1/milestones/{world.own_milestone}", json={"reason": "x"}, headers=bearer()
    )
    assert "forecast_date" in _error(response, 422)["error"]


def test_unknown_records_and_urls_are_404(client: FlaskClient, world, bearer) -> None:
    headers = bearer()
    _error(client.patch("/api/v1/milestones/999999", json={"status": "complete"}, headers=headers), 404)
    _error(client.patch(f"/api/v1/milestones/{2**40}", json={"status": "complete"}, headers=headers), 404)
    _error(
        client.post(
            "/api/v1/benefits/999999/measurements",
            json={"on_date": "2026-01-01", "value": "1"},
            headers=headers,
        ),
        404,
    )
    _error(client.get("/api/v1/no-such-thing", headers=headers), 404)
    _error(client.get("/api/no-version", headers=headers), 404)


def test_a_wrong_method_is_405_with_allow(client: FlaskClient, world, bearer) -> None:
    response = client.delete(f"/api/v1/milestones/{world.own_milestone}", headers=bearer())
    _error(response, 405)
    assert "PATCH" in response.headers["Allow"]


def test_forbidden_is_403_json(client: FlaskClient, world, bearer) -> None:
    body = _error(
        client.patch(
            f"/api/v1/milestones/{world.own_milestone}", json={"status": "complete"}, headers=bearer("viewer")
        ),
        403,
    )
    assert "permission" in body["error"]
