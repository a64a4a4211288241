"""Risks and issues across the portfolio."""

from tracker.web.portfolio_register.views import blueprint

__all__ = ["blueprint"]
