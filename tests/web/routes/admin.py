"""Admin pages for digest deliveries (the settings pages are listed in admin_settings.py)."""

from tests.web.routes import Route, by_role

ROUTES = {
    "admin.deliveries": Route("GET", "/admin/deliveries", by_role(302, 200, 403, 403, 403)),
    # No delivery exists in the route world: an admin gets 404, everyone else is refused first.
    "admin.resend": Route("POST", "/admin/deliveries/999999/resend", by_role(302, 404, 403, 403, 403)),
}
