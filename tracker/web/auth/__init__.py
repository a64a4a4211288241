"""Signing in and out."""

from tracker.web.auth.views import blueprint

__all__ = ["blueprint"]
