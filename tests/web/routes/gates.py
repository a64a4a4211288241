"""A programme's stage and gates: everyone signed in reads them; those who update the programme ask for
a gate decision, set its planned date and withdraw a request; the gate's approver (the CIO here, so not
a board member) or an admin decides; admins choose the stage model. A post with only the CSRF token
re-renders the form with its errors for those allowed (asking: a gate is already waiting)."""

from tests.web.routes import Route, by_role

ROUTES = {
    "gates.index": Route("GET", "/programmes/{own}/gates/", by_role(302, 200, 200, 200, 200)),
    "gates.ask": Route("POST", "/programmes/{own}/gates/ask", by_role(302, 200, 200, 200, 403)),
    "gates.decide": Route("POST", "/programmes/{own}/gates/{own_gate}", by_role(302, 200, 200, 403, 403)),
    "gates.withdraw": Route(
        "POST", "/programmes/{own}/gates/{own_gate}/withdraw", by_role(302, 302, 302, 302, 403)
    ),
    "gates.stage_model": Route("POST", "/admin/settings/stage-model", by_role(302, 200, 403, 403, 403)),
}
