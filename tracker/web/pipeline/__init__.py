"""The prioritised pipeline: scoring ideas and business cases, the ranked page and saved scenarios."""

from tracker.web.pipeline.views import blueprint

__all__ = ["blueprint"]
