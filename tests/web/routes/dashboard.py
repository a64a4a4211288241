"""The portfolio dashboard: everyone signed in may read it (programme managers also scoped to their own)."""

from tests.web.routes import Route, by_role

ROUTES = {
    "dashboard.index": Route("GET", "/dashboard", by_role(302, 200, 200, 200, 200)),
}
