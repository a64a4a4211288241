"""The signed-in person's own account pages."""

from tests.web.routes import Route, by_role

ROUTES = {
    "account.password": Route("GET", "/account/password", by_role(302, 200, 200, 200, 200)),
}
