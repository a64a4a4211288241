"""Lessons learned: a programme's own (recorded, changed and removed, closed or not), and the log of every
programme's, searched and filtered, with its download."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from tracker.models import Programme
from tracker.policy import Action, can, require
from tracker.services import lessons
from tracker.services.errors import Invalid
from tracker.services.portfolio.lessons import lessons_page, lessons_sheet
from tracker.web.benefits.forms import ConfirmForm
from tracker.web.exports.views import csv_download
from tracker.web.forms_support import accepted, add_service_error, validate_all, version_of
from tracker.web.lessons.forms import KIND_CHOICES, LessonForm, chosen, lessons_query
from tracker.web.programmes.access import found, programme_for
from tracker.web.programmes.views import _pagination
from tracker.web.saving import Save, stale_save

blueprint = Blueprint("lessons", __name__, url_prefix="/programmes/<code>/lessons")
log_blueprint = Blueprint("lessons_log", __name__, url_prefix="/lessons")


def _render(template: str, programme: Programme, **context: object) -> str:
    return render_template(template, programme=programme, section="lessons", **context)


def _lesson_url(programme: Programme, lesson_id: int) -> str:
    """The programme's lessons, scrolled to this one."""
    return url_for("lessons.index", code=programme.code, _anchor=f"lesson-{lesson_id}")


def _problems(form: LessonForm) -> list[tuple[str | None, str]]:
    return lessons.lesson_problems(**accepted(form, "title", "what_happened"))


@blueprint.route("/")
@login_required
def index(code: str) -> str:
    programme = programme_for(code, Action.VIEW_PROGRAMME)
    return _render(
        "lessons/index.html",
        programme,
        lessons=lessons.list_lessons(programme),
        can_record=can(current_user, Action.RECORD_LESSON, programme),
    )


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def create(code: str) -> str | Response:
    programme = programme_for(code, Action.RECORD_LESSON)
    form = LessonForm()
    if validate_all(form, lambda: _problems(form)):
        try:
            lesson = lessons.create_lesson(programme, values=form.values(), user=current_user)
        except Invalid as error:
            add_service_error(form, error)
        else:
            flash(f"Lesson recorded: {lesson.title}", "success")
            return redirect(_lesson_url(programme, lesson.id))
    return _render("lessons/form.html", programme, form=form, lesson=None, saved=None)


@blueprint.route("/<int:lesson_id>/edit", methods=["GET", "POST"])
@login_required
def edit(code: str, lesson_id: int) -> str | Response:
    programme = programme_for(code, Action.RECORD_LESSON)
    lesson = found(lessons.get_lesson, programme, lesson_id)
    form = LessonForm() if request.method == "POST" else LessonForm.for_lesson(lesson)
    save = Save()
    if validate_all(form, lambda: _problems(form)):
        try:
            with stale_save(form, lambda: lessons.get_lesson(programme, lesson_id)) as save:
                lessons.update_lesson(
                    programme,
                    lesson_id=lesson.id,
                    values=form.values(),
                    expected_version=version_of(form),
                    user=current_user,
                )
                flash("Lesson saved", "success")
                return redirect(_lesson_url(programme, lesson.id))
        except Invalid as error:
            add_service_error(form, error)
    return _render("lessons/form.html", programme, form=form, lesson=lesson, saved=save.latest)


@blueprint.route("/<int:lesson_id>/delete", methods=["GET", "POST"])
@login_required
def delete(code: str, lesson_id: int) -> str | Response:
    programme = programme_for(code, Action.RECORD_LESSON)
    lesson = found(lessons.get_lesson, programme, lesson_id)
    form = ConfirmForm() if request.method == "POST" else ConfirmForm(data={"version": str(lesson.version)})
    if form.validate_on_submit():
        with stale_save(form, lambda: lessons.get_lesson(programme, lesson_id)) as save:
            title = lessons.delete_lesson(
                programme, lesson_id=lesson.id, expected_version=version_of(form), user=current_user
            )
            flash(f"Lesson deleted: {title}", "success")
            return redirect(url_for("lessons.index", code=programme.code))
        lesson = save.latest  # the page shows what would be deleted now
    return _render("lessons/delete.html", programme, form=form, lesson=lesson)


@log_blueprint.route("/", endpoint="index")
@login_required
def log_index() -> str:
    require(current_user, Action.VIEW_PORTFOLIO)
    query = lessons_query(request.args)
    page = lessons_page(current_user, query)
    return render_template(
        "lessons/log.html",
        page=page,
        query=query,
        chosen=chosen(query),
        kind_labels={"": "Any kind"} | {choice.value: choice.label.split(":")[0] for choice in KIND_CHOICES},
        export_args={key: value for key, value in request.args.items() if key != "page"},
        pagination=_pagination(page.page, page.pages, "lessons_log.index"),
    )


@log_blueprint.route("/export.csv")
@login_required
def csv() -> Response:
    """Every lesson the filters select, written as it is read."""
    require(current_user, Action.VIEW_PORTFOLIO)
    return csv_download(lessons_sheet(current_user, lessons_query(request.args)), "lessons")
