"""A programme's change requests and the CIO's decision on one.

Anyone signed in reads them; a programme manager raises them on {own} only; the person who raised a
request withdraws it ({own_change} is raised by the signed-in user); only CIOs, admins and board
members decide."""

from tests.web.routes import Route, by_role

OWN = "/programmes/{own}/change-requests"
OTHER = "/programmes/{other}/change-requests"
VIEW = by_role(302, 200, 200, 200, 200)
CHANGE_OWN = by_role(302, 200, 200, 200, 403)
CHANGE_OTHER = by_role(302, 200, 200, 403, 403)

ROUTES = {
    "changes.index": Route("GET", f"{OTHER}/", VIEW),
    "changes.create": Route("GET", f"{OWN}/new", CHANGE_OWN),
    "changes.show": Route("GET", f"{OTHER}/{{other_change}}", VIEW),
    "changes.withdraw": Route("GET", f"{OWN}/{{own_change}}/withdraw", CHANGE_OWN),
    # Posting no decision re-shows the form with its error.
    "change_decisions.decide": Route(
        "POST", "/rebaselines/changes/{other_change}", by_role(302, 200, 200, 403, 403, board=200)
    ),
}
