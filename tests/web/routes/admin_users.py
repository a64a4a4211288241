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
    "admin.users.user_sessions": Route(
        "GET", "/admin/users/{user}/sessions", by_role(302, 200, 403, 403, 403)
    ),
    # No session 999999 exists: an admin gets 404, everyone else is refused first.
    "admin.users.end_session": Route(
        "POST", "/admin/users/{user}/sessions/999999/end", by_role(302, 404, 403, 403, 403)
    ),
    "admin.users.end_all_sessions": Route(
        "POST", "/admin/users/{user}/sessions/end-all", by_role(302, 302, 403, 403, 403)
    ),
    "admin.sign_ins": Route("GET", "/admin/sign-ins", by_role(302, 200, 403, 403, 403)),
}
