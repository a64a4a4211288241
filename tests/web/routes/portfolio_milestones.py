"""Milestones across the portfolio: whoever may see the portfolio may see it and download it."""

from tests.web.routes import Route, by_role

VIEW = by_role(302, 200, 200, 200, 200)

ROUTES = {
    "portfolio_milestones.index": Route("GET", "/milestones/?when=4&critical=1", VIEW),
    "portfolio_milestones.csv": Route("GET", "/milestones/export.csv?scope=mine", VIEW),
}
