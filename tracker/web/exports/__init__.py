"""The portfolio as CSV and Excel files."""

from tracker.web.exports.views import blueprint

__all__ = ["blueprint"]
