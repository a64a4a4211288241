"""The portfolio dashboard: the whole portfolio, or a programme manager's own, at a glance."""

from tracker.web.dashboard.views import blueprint

__all__ = ["blueprint"]
