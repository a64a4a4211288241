"""The portfolio of programmes."""

from tracker.web.programmes.views import blueprint

__all__ = ["blueprint"]
