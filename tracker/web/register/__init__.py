"""Risks and issues: the register and its 5x5 matrix."""

from tracker.web.register.views import blueprint

__all__ = ["blueprint"]
