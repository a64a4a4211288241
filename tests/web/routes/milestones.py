"""Milestones, the update page, re-baseline requests and the CIO's re-baseline queue.

A programme manager may change {own} but gets 403 on {other}; only CIOs, admins and board members decide
re-baselines.
"""

from tests.web.routes import Route, by_role

OWN = "/programmes/{own}/milestones"
OTHER = "/programmes/{other}/milestones"
VIEW = by_role(302, 200, 200, 200, 200)
CHANGE_OWN = by_role(302, 200, 200, 200, 403)
CHANGE_OTHER = by_role(302, 200, 200, 403, 403)
DECIDE = by_role(302, 200, 200, 403, 403, board=200)

ROUTES = {
    "milestones.index": Route("GET", f"{OTHER}/", VIEW),
    "milestones.create": Route("GET", f"{OWN}/new", CHANGE_OWN),
    "milestones.edit": Route("GET", f"{OTHER}/{{other_milestone}}/edit", CHANGE_OTHER),
    "milestones.delete": Route("GET", f"{OWN}/{{own_milestone}}/delete", CHANGE_OWN),
    # A post with only the CSRF token has no rows: the page says so (200) for those allowed.
    "milestones.update": Route("POST", f"{OTHER}/update", by_role(302, 200, 200, 403, 403)),
    "milestones.request_rebaseline": Route("GET", f"{OWN}/{{own_milestone}}/rebaseline", CHANGE_OWN),
    "rebaselines.index": Route("GET", "/rebaselines/", by_role(302, 200, 200, 200, 403, board=200)),
    # Posting no decision re-shows the form with its error.
    "rebaselines.decide": Route("POST", "/rebaselines/{other_request}", DECIDE),
}
