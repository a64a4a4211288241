"""The digest preview, the test send and email preferences: every signed-in user has them."""

from tests.web.routes import Route, by_role

ROUTES = {
    "digest.preview": Route("GET", "/digest/preview", by_role(302, 200, 200, 200, 200)),
    "digest.send_test": Route("POST", "/digest/test", by_role(302, 302, 302, 302, 302)),
    "digest.preferences": Route("GET", "/account/preferences", by_role(302, 200, 200, 200, 200)),
}
