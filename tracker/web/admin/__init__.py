"""Admin pages: digest deliveries and risk thresholds."""

from tracker.web.admin.views import blueprint

__all__ = ["blueprint"]
