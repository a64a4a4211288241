"""Status updates: everyone signed in reads; those who may update the programme write and submit."""

from tests.web.routes import Route, by_role

BASE = "/programmes/{own}/updates"
READ = by_role(302, 200, 200, 200, 200)

ROUTES = {
    "updates.index": Route("GET", f"{BASE}/", READ),
    "updates.detail": Route("GET", "/programmes/{other}/updates/{other_update}", READ),
    # A POST with only the CSRF token re-renders the form with its errors.
    "updates.create": Route("POST", f"{BASE}/new", by_role(302, 200, 200, 200, 403)),
    "updates.edit": Route("GET", f"{BASE}/{{own_update}}/edit", by_role(302, 200, 200, 200, 403)),
    "updates.submit": Route(
        "POST",
        "/programmes/{other}/updates/{other_update}/submit",
        by_role(302, 302, 302, 403, 403),
        data={"version": "1"},
    ),
}
