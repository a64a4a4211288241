"""Lessons learned: read a programme's, closed or not, newest first."""

from __future__ import annotations

from typing import Any

from tracker.models import Lesson
from tracker.policy import Action
from tracker.services import lessons as service
from tracker.web.api.auth import api_blueprint, documents, programme_for
from tracker.web.api.schemas import LessonListSchema

blueprint = api_blueprint("api_lessons", "Lessons learned: what went well and what to do differently")


@blueprint.route("/programmes/<code>/lessons")
@blueprint.response(200, LessonListSchema)
@documents(blueprint, 403, 404)
def index(code: str) -> dict[str, Any]:
    """A programme's lessons learned, newest first."""
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return {"items": [_lesson(lesson) for lesson in service.list_lessons(programme)]}


def _lesson(lesson: Lesson) -> dict[str, Any]:
    names = ["id", "kind", "title", "what_happened", "recommendation", "recorded_at"]
    return {name: getattr(lesson, name) for name in names} | {
        "recorded_by": lesson.recorded_by.name if lesson.recorded_by else None
    }
