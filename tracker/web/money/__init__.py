"""Money: investment lines per financial year, with totals, gap and variance."""

from tracker.web.money.views import blueprint

__all__ = ["blueprint"]
