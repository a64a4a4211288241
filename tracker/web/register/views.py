"""Risks and issues: the register and its 5x5 matrix."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("register", __name__, url_prefix="/programmes/<code>/risks")
