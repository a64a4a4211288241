"""Board packs to download: the dashboard's portfolio pack and a programme's highlight reports."""

from tracker.web.packs.views import blueprint

__all__ = ["blueprint"]
