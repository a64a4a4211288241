"""Money: investment lines. A programme manager may change {own} but gets 403 on {other}."""

from tests.web.routes import Route, by_role

OWN = "/programmes/{own}/money"
OTHER = "/programmes/{other}/money"

ROUTES = {
    "money.index": Route("GET", f"{OWN}/", by_role(302, 200, 200, 200, 200)),
    "money.create": Route("GET", f"{OTHER}/new", by_role(302, 200, 200, 403, 403)),
    "money.edit": Route("GET", f"{OWN}/{{own_investment}}/edit", by_role(302, 200, 200, 200, 403)),
    # A post with only the CSRF token lacks the version: the confirmation page shows the error.
    "money.delete": Route("POST", f"{OTHER}/{{other_investment}}/delete", by_role(302, 200, 200, 403, 403)),
}
