"""Lessons learned: each programme's, and the log of every programme's."""

from tracker.web.lessons.views import blueprint, log_blueprint

__all__ = ["blueprint", "log_blueprint"]
