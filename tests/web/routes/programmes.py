"""One programme's own pages: overview and history for everyone signed in; changes for CIO and admin.

A programme manager may not change key facts, team or stage even of a programme they manage."""

from tests.web.routes import Route, by_role

ROUTES = {
    "programmes.overview": Route("GET", "/programmes/{own}/", by_role(302, 200, 200, 200, 200)),
    "programmes.history": Route("GET", "/programmes/{own}/history", by_role(302, 200, 200, 200, 200)),
    # A post with only the CSRF token re-renders the form with its errors for those allowed.
    "programmes.create": Route("POST", "/programmes/new", by_role(302, 200, 200, 403, 403)),
    "programmes.edit": Route("POST", "/programmes/{own}/edit", by_role(302, 200, 200, 403, 403)),
    "programmes.team": Route("GET", "/programmes/{own}/team", by_role(302, 200, 200, 403, 403)),
    "programmes.stage": Route("POST", "/programmes/{other}/stage", by_role(302, 200, 200, 403, 403)),
}
