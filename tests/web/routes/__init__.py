"""The route-by-role table, one module per feature; `all_routes()` merges them.

Each entry: endpoint -> Route(method, path, {role: expected status}, data). Paths may name
records of the world built for each test: {own} is the code of a programme the signed-in
programme manager manages, {other} one they have nothing to do with, and {own_milestone},
{other_milestone}, {own_investment}, {own_benefit}, {own_entry}, {own_update}, {own_request}, {own_gate},
{other_request}, {own_change}, {other_change} (change requests the signed-in user raised),
{own_lesson}, {other_lesson}, {own_dependency} (their go-live waiting for the other's), {scim_token} (the
provisioning service's), {user} are ids
in those programmes (see tests/web/test_routes_by_role.py).
Routes with `bearer=True` (the JSON API) are called with an API token instead of a session.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

ANON = "anonymous"
ROLES = [ANON, "admin", "cio", "programme_manager", "viewer", "board"]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    expected: dict[str, int]
    data: dict[str, str] = field(default_factory=dict)
    # Signed in by an API token of the role's user (none for anonymous), and data sent as JSON.
    bearer: bool = False


def by_role(
    anon: int, admin: int, cio: int, programme_manager: int, viewer: int, board: int | None = None
) -> dict[str, int]:
    """Expected statuses in the order of ROLES. A board member reads as a viewer does, so `board`
    is the viewer's status unless given: only the decisions delegated to the board differ."""
    statuses = (anon, admin, cio, programme_manager, viewer, viewer if board is None else board)
    return dict(zip(ROLES, statuses, strict=True))


def all_routes() -> dict[str, Route]:
    """Every module's ROUTES, merged; an endpoint listed twice is an error."""
    merged: dict[str, Route] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for endpoint, route in getattr(module, "ROUTES", {}).items():
            assert endpoint not in merged, f"{endpoint} is listed twice"
            merged[endpoint] = route
    return merged
