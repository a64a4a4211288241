"""Lesson forms: a lesson, and the log's filters (a GET form, so no CSRF token). They collect; the lessons
services decide."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from werkzeug.datastructures import MultiDict
from wtforms import HiddenField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.models import Lesson, LessonKind
from tracker.services.lessons import MAX_TEXT, MAX_TITLE, LessonValues
from tracker.services.portfolio.lessons import LessonsQuery
from tracker.services.portfolio.scope import NO_MANAGER
from tracker.web.forms_support import query_text, trim, whole_number
from tracker.web.programmes.forms import as_enum
from tracker.web.widgets import GovRadioInput

KIND_CHOICES = [
    SelectChoice("went_well", "Went well: worth repeating"),
    SelectChoice("do_differently", "Do differently: what the next programme should change"),
]


def _long_text(label: str, *, required: str | None = None, hint: str | None = None) -> TextAreaField:
    message = f"{label.split(' (')[0]} must be {MAX_TEXT:,} characters or fewer"
    validators: list[Any] = [Length(max=MAX_TEXT, message=message)]
    if required:
        validators.insert(0, DataRequired(required))
    return TextAreaField(label, validators, widget=GovTextArea(), filters=[trim], description=hint)


class LessonForm(FlaskForm):
    kind = RadioField(
        "What kind of lesson is it?",
        choices=KIND_CHOICES,
        widget=GovRadioInput(),
        invalid_choice_message="Select whether it went well or should be done differently",
    )
    title = StringField(
        "Lesson",
        [
            DataRequired("Enter the lesson in a few words"),
            Length(max=MAX_TITLE, message=f"The lesson must be {MAX_TITLE} characters or fewer"),
        ],
        widget=GovTextInput(),
        filters=[trim],
        description="In a few words, like 'Train the service before go-live, not after'",
    )
    what_happened = _long_text(
        "What happened", required="Enter what happened", hint="What the programme did and what came of it"
    )
    recommendation = _long_text(
        "Recommendation (optional)", hint="What the next programme should do, and who should know"
    )
    version = HiddenField()
    submit = SubmitField("Save lesson", widget=GovSubmitInput())

    @classmethod
    def for_lesson(cls, lesson: Lesson) -> LessonForm:
        """The form filled in with a lesson as saved."""
        return cls(
            data={
                "kind": lesson.kind.value,
                "title": lesson.title,
                "what_happened": lesson.what_happened,
                "recommendation": lesson.recommendation,
                "version": str(lesson.version),
            }
        )

    def values(self) -> LessonValues:
        """The validated input, typed for the service."""
        return LessonValues(
            kind=LessonKind(self.kind.data),
            title=self.title.data or "",
            what_happened=self.what_happened.data or "",
            recommendation=self.recommendation.data or "",
        )


def lessons_query(args: MultiDict[str, str]) -> LessonsQuery:
    """The log's filters and page from the query string; a value that is not one of the choices is ignored."""
    manager = args.get("manager", "").strip()
    return LessonsQuery(
        words=query_text(args.get("words")),
        directorate=query_text(args.get("directorate")),
        manager_id=NO_MANAGER if manager == "none" else whole_number(manager, 0) or None,
        kind=as_enum(LessonKind, args.get("kind")),
        page=whole_number(args.get("page"), 1),
    )


def chosen(query: LessonsQuery) -> dict[str, str]:
    """The filters as the query string writes them, so the form shows what is applied."""
    manager = "" if query.manager_id is None else str(query.manager_id)
    return {
        "words": query.words or "",
        "directorate": query.directorate or "",
        "manager": "none" if query.manager_id == NO_MANAGER else manager,
        "kind": query.kind.value if query.kind else "",
    }
