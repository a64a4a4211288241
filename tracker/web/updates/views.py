"""Status updates (highlight reports), frozen once submitted."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("updates", __name__, url_prefix="/programmes/<code>/updates")
