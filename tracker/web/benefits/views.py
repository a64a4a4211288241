"""Benefits: profiles, planned trajectory and measurements."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("benefits", __name__, url_prefix="/programmes/<code>/benefits")
