"""A programme's actions and decisions, kept beside its risks and issues."""

from tracker.web.raid.views import blueprint

__all__ = ["blueprint"]
