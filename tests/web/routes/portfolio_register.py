"""Risks and issues across the portfolio: whoever may see the portfolio may see it and download it."""

from tests.web.routes import Route, by_role

VIEW = by_role(302, 200, 200, 200, 200)

ROUTES = {
    "portfolio_register.index": Route("GET", "/risks/?kind=risk&band=medium&status=all", VIEW),
    "portfolio_register.csv": Route("GET", "/risks/export.csv?scope=mine", VIEW),
}
