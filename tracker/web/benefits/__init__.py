"""Benefits: profiles, planned trajectory and measurements."""

from tracker.web.benefits.views import blueprint

__all__ = ["blueprint"]
