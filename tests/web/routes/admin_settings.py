"""The admin risk thresholds page."""

from tests.web.routes import Route, by_role

ROUTES = {
    "settings.risk_thresholds": Route(
        "GET", "/admin/settings/risk-thresholds", by_role(302, 200, 403, 403, 403)
    ),
}
