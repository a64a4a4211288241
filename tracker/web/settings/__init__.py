"""Admin settings: the risk thresholds the scan uses."""

from tracker.web.settings.views import blueprint

__all__ = ["blueprint"]
