"""The home redirect and the health check."""

from tracker.web.main.views import blueprint

__all__ = ["blueprint"]
