"""The JSON API under /api/v1, one blueprint per resource; flask-smorest documents them all."""

from flask_smorest import Blueprint

from tracker.web.api import (
    benefits,
    capacity,
    changes,
    dependencies,
    gates,
    investments,
    lessons,
    milestones,
    programmes,
    raid,
)


def blueprints() -> list[Blueprint]:
    """The API's blueprints, for the factory to register through flask-smorest."""
    return [
        programmes.blueprint,
        milestones.blueprint,
        investments.blueprint,
        benefits.blueprint,
        changes.blueprint,
        lessons.blueprint,
        gates.blueprint,
        raid.blueprint,
        capacity.blueprint,
        dependencies.blueprint,
    ]
