"""Calendar feeds: tokens on the account pages, and the feeds Outlook fetches with them."""

from tracker.web.calendar.views import blueprint

__all__ = ["blueprint"]
