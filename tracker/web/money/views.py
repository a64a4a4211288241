"""Money: investment lines per financial year, with totals, gap and variance."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("money", __name__, url_prefix="/programmes/<code>/money")
