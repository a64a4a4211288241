"""Managing users: admins only."""

from tests.web.routes import Route, by_role

ROUTES = {
    "admin.users.index": Route("GET", "/admin/users", by_role(302, 200, 403, 403, 403)),
    "admin.users.create": Route("GET", "/admin/users/new", by_role(302, 200, 403, 403, 403)),
    "admin.users.edit": Route("GET", "/admin/users/{user}", by_role(302, 200, 403, 403, 403)),
    # {user} is someone else, so the admin's reset goes through and its answer shows the password.
    "admin.users.force_reset": Route(
        "POST", "/admin/users/{user}/force-reset", by_role(302, 200, 403, 403, 403)
    ),
}
