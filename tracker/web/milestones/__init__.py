"""Milestones: add, edit, update forecasts and actuals, re-baseline requests."""

from tracker.web.milestones.views import blueprint

__all__ = ["blueprint"]
