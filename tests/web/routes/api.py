"""The JSON API: called with each role's own API token, anonymous with none (401, as JSON).

Reads follow the web pages' policy; writes need the right to update the programme, so a programme
manager may change {own} and gets 403 on {other}, and a viewer's token never writes.
The OpenAPI document is public: it describes the API and holds nothing of the council's."""

from tests.web.routes import Route, by_role

READ = by_role(401, 200, 200, 200, 200)
API = "/api/v1"


def api(method: str, path: str, expected: dict[str, int], data: dict[str, str] | None = None) -> Route:
    return Route(method, f"{API}{path}", expected, data or {}, bearer=True)


ROUTES = {
    "api-docs.openapi_json": Route("GET", f"{API}/openapi.json", by_role(200, 200, 200, 200, 200)),
    "api_programmes.index": api("GET", "/programmes", READ),
    "api_programmes.detail": api("GET", "/programmes/{other}", READ),
    "api_programmes.assessments": api("GET", "/programmes/{other}/assessments", READ),
    "api_programmes.flags": api("GET", "/programmes/{other}/flags", READ),
    "api_milestones.index": api("GET", "/programmes/{other}/milestones", READ),
    "api_investments.index": api("GET", "/programmes/{other}/investments", READ),
    "api_benefits.index": api("GET", "/programmes/{other}/benefits", READ),
    "api_changes.index": api("GET", "/programmes/{other}/change-requests", READ),
    "api_lessons.index": api("GET", "/programmes/{other}/lessons", READ),
    "api_gates.index": api("GET", "/programmes/{other}/gates", READ),
    "api_raid.actions": api("GET", "/programmes/{other}/actions", READ),
    "api_raid.decisions": api("GET", "/programmes/{other}/decisions", READ),
    "api_capacity.index": api("GET", "/teams", READ),
    "api_capacity.milestone_loads": api(
        "GET", "/programmes/{other}/milestones/{other_milestone}/teams", READ
    ),
    "api_dependencies.index": api("GET", "/programmes/{other}/dependencies", READ),
    # Milestones that are not there: those allowed are told why (409), before anything is written.
    "api_dependencies.add": api(
        "POST",
        "/programmes/{own}/dependencies",
        by_role(401, 409, 409, 409, 403),
        {
            "milestone_id": 2**31 - 1,
            "depends_on": "NOPE-1",
            "depends_on_milestone_id": 1,
            "needed_by": "2026-12-15",
        },
    ),
    "api_dependencies.remove": api(
        "DELETE", "/programmes/{own}/dependencies/{own_dependency}", by_role(401, 204, 204, 204, 403)
    ),
    "api_milestones.change": api(
        "PATCH", "/milestones/{own_milestone}", by_role(401, 200, 200, 200, 403), {"status": "in_progress"}
    ),
    "api_benefits.record": api(
        "POST",
        "/benefits/{other_benefit}/measurements",
        by_role(401, 201, 201, 403, 403),
        {"on_date": "2026-11-01", "value": "12.5"},
    ),
}
