"""Status updates (highlight reports), frozen once submitted."""

from tracker.web.updates.views import blueprint

__all__ = ["blueprint"]
