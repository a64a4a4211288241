"""Risks and issues: everyone signed in reads; those who may update the programme change."""

from tests.web.routes import Route, by_role

BASE = "/programmes/{own}/risks"
CHANGE_OWN = by_role(302, 200, 200, 200, 403)

ROUTES = {
    "register.index": Route("GET", f"{BASE}/", by_role(302, 200, 200, 200, 200)),
    # A POST with only the CSRF token re-renders the form with its errors.
    "register.create": Route("POST", f"{BASE}/new", CHANGE_OWN),
    "register.edit": Route(
        "GET", "/programmes/{other}/risks/{other_entry}/edit", by_role(302, 200, 200, 403, 403)
    ),
    "register.delete": Route("GET", f"{BASE}/{{own_entry}}/delete", CHANGE_OWN),
    "register.raise_issue": Route(
        "POST", f"{BASE}/{{own_entry}}/raise-issue", by_role(302, 302, 302, 302, 403), data={"version": "1"}
    ),
}
