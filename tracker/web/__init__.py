"""Blueprints, one package per feature; `blueprints()` lists them for the factory."""

from __future__ import annotations

from flask import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint the app serves, in registration order."""
    from tracker.web import (
        account,
        admin,
        api_tokens,
        auth,
        benefits,
        calendar,
        capacity,
        changes,
        dashboard,
        dependencies,
        digest,
        exports,
        gates,
        imports,
        lessons,
        main,
        milestones,
        money,
        packs,
        pipeline,
        portfolio_benefits,
        portfolio_milestones,
        portfolio_register,
        programmes,
        raid,
        register,
        scim,
        settings,
        updates,
    )

    return [
        main.blueprint,
        auth.blueprint,
        dashboard.blueprint,
        packs.blueprint,
        programmes.blueprint,
        gates.blueprint,
        exports.blueprint,
        portfolio_milestones.blueprint,
        portfolio_register.blueprint,
        portfolio_benefits.blueprint,
        lessons.log_blueprint,
        imports.blueprint,
        milestones.blueprint,
        milestones.views.rebaselines_blueprint,
        dependencies.blueprint,
        changes.blueprint,
        changes.decisions_blueprint,
        money.blueprint,
        benefits.blueprint,
        register.blueprint,
        raid.blueprint,
        updates.blueprint,
        lessons.blueprint,
        digest.blueprint,
        calendar.blueprint,
        admin.blueprint,
        account.blueprint,
        api_tokens.blueprint,
        settings.blueprint,
        capacity.blueprint,
        capacity.loads_blueprint,
        pipeline.blueprint,
        scim.blueprint,
    ]


def api_blueprints() -> list[Blueprint]:
    """The JSON API's blueprints, which the factory registers through flask-smorest."""
    from tracker.web import api

    return api.blueprints()
