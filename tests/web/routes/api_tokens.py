"""API tokens on the account pages: every signed-in role may have them."""

from tests.web.routes import Route, by_role

SIGNED_IN = by_role(302, 200, 200, 200, 200)

ROUTES = {
    "api_tokens.index": Route("GET", "/account/api-tokens", SIGNED_IN),
    # Created and shown once on the response itself.
    "api_tokens.create": Route("POST", "/account/api-tokens/new", SIGNED_IN, {"name": "Finance dashboard"}),
    # Someone else's token is not found; revoking needs a token of one's own (tested in tests/web/api/).
    "api_tokens.revoke": Route("POST", "/account/api-tokens/999/revoke", by_role(302, 404, 404, 404, 404)),
}
