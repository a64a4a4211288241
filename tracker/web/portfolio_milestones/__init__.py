"""Milestones across the portfolio: the overdue and upcoming ones of every open programme."""

from tracker.web.portfolio_milestones.views import blueprint

__all__ = ["blueprint"]
