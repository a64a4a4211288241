"""Dependencies: those who may update the waiting programme add and remove them; everyone signed in sees
the portfolio's dependency view."""

from tests.web.routes import Route, by_role

OWN = "/programmes/{own}/dependencies"
CHANGE_OWN = by_role(302, 200, 200, 200, 403)

ROUTES = {
    "dependencies.new": Route("GET", f"{OWN}/new", CHANGE_OWN),
    "dependencies.remove": Route("GET", f"{OWN}/{{own_dependency}}/remove", CHANGE_OWN),
    "dependencies.portfolio": Route("GET", "/portfolio/dependencies", by_role(302, 200, 200, 200, 200)),
}
