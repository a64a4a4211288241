"""A programme's actions and decisions: those who may update the programme add, change and delete them."""

from tests.web.routes import Route, by_role

BASE = "/programmes/{own}/risks"
CHANGE_OWN = by_role(302, 200, 200, 200, 403)

ROUTES = {
    # A POST with only the CSRF token re-renders the form with its errors.
    "raid.new_action": Route("POST", f"{BASE}/actions/new", CHANGE_OWN),
    "raid.edit_action": Route(
        "GET", "/programmes/{other}/risks/actions/{other_action}/edit", by_role(302, 200, 200, 403, 403)
    ),
    "raid.action_done": Route(
        "POST", f"{BASE}/actions/{{own_action}}/done", by_role(302, 302, 302, 302, 403), data={"version": "1"}
    ),
    "raid.delete_action": Route("GET", f"{BASE}/actions/{{own_action}}/delete", CHANGE_OWN),
    "raid.new_decision": Route("GET", f"{BASE}/decisions/new", CHANGE_OWN),
    "raid.edit_decision": Route("POST", f"{BASE}/decisions/{{own_decision}}/edit", CHANGE_OWN),
    "raid.delete_decision": Route(
        "POST",
        f"{BASE}/decisions/{{own_decision}}/delete",
        by_role(302, 302, 302, 302, 403),
        data={"version": "1"},
    ),
}
