"""Portfolio downloads: everyone signed in can view the portfolio, so everyone can download what they see."""

from tests.web.routes import Route, by_role

ROUTES = {
    "exports.csv": Route("GET", "/programmes/export.csv?closed=1", by_role(302, 200, 200, 200, 200)),
    "exports.xlsx": Route("GET", "/programmes/export.xlsx?scope=mine", by_role(302, 200, 200, 200, 200)),
}
