"""The weekly digest in the app: preview, test send, and email preferences."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("digest", __name__, url_prefix="")
