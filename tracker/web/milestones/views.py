"""Milestones: add, edit, update forecasts and actuals, re-baseline requests."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("milestones", __name__, url_prefix="/programmes/<code>/milestones")
