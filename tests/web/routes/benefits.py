"""Benefits: everyone signed in reads; those who may update the programme change."""

from tests.web.routes import Route, by_role

BASE = "/programmes/{own}/benefits"
READ = by_role(302, 200, 200, 200, 200)
CHANGE_OWN = by_role(302, 200, 200, 200, 403)

ROUTES = {
    "benefits.index": Route("GET", f"{BASE}/", READ),
    "benefits.detail": Route("GET", f"{BASE}/{{own_benefit}}", READ),
    # A POST with only the CSRF token re-renders the form with its errors.
    "benefits.create": Route("POST", f"{BASE}/new", CHANGE_OWN),
    "benefits.edit": Route(
        "GET", "/programmes/{other}/benefits/{other_benefit}/edit", by_role(302, 200, 200, 403, 403)
    ),
    "benefits.delete": Route("GET", f"{BASE}/{{own_benefit}}/delete", CHANGE_OWN),
    "benefits.trajectory": Route("GET", f"{BASE}/{{own_benefit}}/trajectory", CHANGE_OWN),
    "benefits.record_measurement": Route("POST", f"{BASE}/{{own_benefit}}/measurements/new", CHANGE_OWN),
    "benefits.status": Route("GET", f"{BASE}/{{own_benefit}}/status", CHANGE_OWN),
}
