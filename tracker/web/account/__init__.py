"""The signed-in person's own account: changing their password."""

from tracker.web.account.views import blueprint

__all__ = ["blueprint"]
