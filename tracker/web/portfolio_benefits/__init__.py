"""The benefits register: every benefit across the portfolio."""

from tracker.web.portfolio_benefits.views import blueprint

__all__ = ["blueprint"]
