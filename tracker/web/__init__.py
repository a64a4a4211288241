"""Blueprints, one package per feature; `blueprints()` lists them for the factory."""

from __future__ import annotations

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint the app serves, in registration order."""
    from tracker.web import (
        account,
        admin,
        auth,
        benefits,
        dashboard,
        digest,
        main,
        milestones,
        money,
        programmes,
        register,
        settings,
        updates,
    )

    return [
        main.blueprint,
        auth.blueprint,
        dashboard.blueprint,
        programmes.blueprint,
        milestones.blueprint,
        milestones.views.rebaselines_blueprint,
        money.blueprint,
        benefits.blueprint,
        register.blueprint,
        updates.blueprint,
        digest.blueprint,
        admin.blueprint,
        account.blueprint,
        settings.blueprint,
    ]
