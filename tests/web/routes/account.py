"""The signed-in person's own account pages."""

from tests.web.routes import Route, by_role

ROUTES = {
    "account.password": Route("GET", "/account/password", by_role(302, 200, 200, 200, 200)),
    "account.devices": Route("GET", "/account/devices", by_role(302, 200, 200, 200, 200)),
    # No session 999999 exists, so no one can end it: the same 404 as for someone else's.
    "account.end_device": Route("POST", "/account/devices/999999/end", by_role(302, 404, 404, 404, 404)),
    "account.end_other_devices": Route(
        "POST", "/account/devices/end-others", by_role(302, 302, 302, 302, 302)
    ),
}
