"""A programme's change requests, and the CIO's decision on one."""

from tracker.web.changes.views import blueprint, decisions_blueprint

__all__ = ["blueprint", "decisions_blueprint"]
