"""Calendar feed links (every signed-in user has their own) and the feed itself.

The feed is opened by the token in its URL, never by a session: a calendar app has none. So the
signed-in role makes no difference to it, and anonymous is its normal caller; with a token that does
not exist every caller gets the same 404 as for a revoked one (tests/web/test_calendar_feed.py covers
a live token for each role)."""

from tests.web.routes import Route, by_role

ROUTES = {
    "calendar.tokens": Route("GET", "/account/calendar?programme={own}", by_role(302, 200, 200, 200, 200)),
    # The new link is shown on the response itself (200), so it is never kept in a flash message.
    "calendar.create": Route(
        "POST", "/account/calendar/new", by_role(302, 200, 200, 200, 200), {"name": "Outlook"}
    ),
    # No such token of this user's: 404, the same as someone else's token.
    "calendar.revoke": Route("POST", "/account/calendar/999999/revoke", by_role(302, 404, 404, 404, 404)),
    "calendar.feed": Route(
        "GET", "/calendar/cal_no-such-token/programmes/{own}.ics", by_role(404, 404, 404, 404, 404)
    ),
}
