"""Signing in through the council's directory: without OIDC_ISSUER (as here) neither route exists.
With a directory, tests/web/test_directory_sign_in.py covers them against a real provider."""

from tests.web.routes import ROLES, Route

ROUTES = {
    "auth.directory_start": Route("POST", "/sign-in/directory", dict.fromkeys(ROLES, 404)),
    "auth.directory_callback": Route(
        "GET", "/sign-in/directory/callback?code=x&state=y", dict.fromkeys(ROLES, 404)
    ),
}
