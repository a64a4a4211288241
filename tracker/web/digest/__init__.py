"""The weekly digest in the app: preview, test send, and email preferences."""

from tracker.web.digest.views import blueprint

__all__ = ["blueprint"]
