"""Dependencies between programmes: add and remove them, and the portfolio's dependency view."""

from tracker.web.dependencies.views import blueprint

__all__ = ["blueprint"]
