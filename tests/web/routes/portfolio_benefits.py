"""The benefits register: whoever may see the portfolio may see it and download it."""

from tests.web.routes import Route, by_role

VIEW = by_role(302, 200, 200, 200, 200)

ROUTES = {
    "portfolio_benefits.index": Route("GET", "/benefits/?type=cashable&status=all&owner=head", VIEW),
    "portfolio_benefits.csv": Route("GET", "/benefits/export.csv?scope=mine", VIEW),
}
