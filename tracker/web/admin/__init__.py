"""Admin pages: digest deliveries and users (risk thresholds are in settings)."""

from tracker.web.admin.views import blueprint

__all__ = ["blueprint"]
