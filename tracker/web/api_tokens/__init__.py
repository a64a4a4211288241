"""API tokens on the account pages: create one (shown once), see when each was last used, revoke."""

from tracker.web.api_tokens.views import blueprint

__all__ = ["blueprint"]
