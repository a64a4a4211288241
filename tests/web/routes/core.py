"""Sign-in, home, health, static and the portfolio list."""

from tests.web.routes import ROLES, Route, by_role

ROUTES = {
    "main.index": Route("GET", "/", dict.fromkeys(ROLES, 302)),
    "main.healthz": Route("GET", "/healthz", dict.fromkeys(ROLES, 200)),
    "main.accessibility": Route("GET", "/accessibility", dict.fromkeys(ROLES, 200)),
    "main.help": Route("GET", "/help", dict.fromkeys(ROLES, 200)),
    "main.favicon": Route("GET", "/favicon.ico", dict.fromkeys(ROLES, 204)),
    "auth.sign_in": Route("GET", "/sign-in", by_role(200, 302, 302, 302, 302)),
    "auth.sign_out": Route("POST", "/sign-out", dict.fromkeys(ROLES, 302)),
    "programmes.index": Route("GET", "/programmes/", by_role(302, 200, 200, 200, 200)),
    "static": Route("GET", "/static/tracker.css", dict.fromkeys(ROLES, 200)),
}
