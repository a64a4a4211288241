"""A programme's stage in the council's stage model, and its gate decisions."""

from tracker.web.gates.views import blueprint

__all__ = ["blueprint"]
