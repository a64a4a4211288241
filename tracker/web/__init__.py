"""Blueprints, one package per feature; `blueprints()` lists them for the factory."""

from __future__ import annotations

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint the app serves, in registration order."""
    from tracker.web import auth, main, programmes

    return [main.blueprint, auth.blueprint, programmes.blueprint]
