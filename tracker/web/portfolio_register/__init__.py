"""The RAID view: risks, actions, issues and decisions across the portfolio."""

from tracker.web.portfolio_register.views import blueprint

__all__ = ["blueprint"]
