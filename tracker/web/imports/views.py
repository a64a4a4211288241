"""The import wizard: upload a spreadsheet, choose what each column holds, check every row, import.

The file stays in the database between steps (any instance serves the next); the cookie carries
nothing of it. Files are parsed with no transaction open, so a slow file never holds SQLite's lock.
Nothing is written until the person presses Import, and then all rows or none.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from tracker.domain.imports.choices import FOCUSES, STAGES
from tracker.domain.imports.fields import CATALOGUE, SheetKind
from tracker.domain.imports.tables import column_letter
from tracker.domain.imports.values import Unit, cell_text
from tracker.policy import Action, require
from tracker.services import import_files, imports
from tracker.services.errors import Invalid, NotFound
from tracker.services.money import CATEGORY_LABELS
from tracker.web.imports.forms import MAX_BYTES, StepForm, UploadForm

blueprint = Blueprint("imports", __name__, url_prefix="/imports")
Page = str | Response | tuple[str, int]
PREVIEW_ROWS = 5
SHOWN_PROBLEMS = 500
ROLES = ("programmes", "milestones", "investments")
CHECK_SECONDS = 20.0


@blueprint.route("/", methods=["GET", "POST"])
@login_required
def upload() -> Page:
    require(current_user, Action.IMPORT_PROGRAMMES)
    form = UploadForm()
    if form.validate_on_submit():
        user_id = current_user.id
        import_files.release()  # parse with no lock held: others' saves go on meanwhile
        files: dict[str, tuple[str, bytes]] = {}
        for role in ROLES:
            storage = form[role].data
            if not isinstance(storage, FileStorage) or not storage.filename:
                if role == "programmes":
                    form.programmes.errors.append("Choose a CSV or Excel file of programmes")
                continue
            data = storage.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                form[role].errors.append(
                    "The file is larger than 10 MB: split it, or use flask import programmes"
                )
                continue
            try:
                book = imports.read_file(data, storage.filename)
            except Invalid as error:
                form[role].errors.append(error.message)
                continue
            if not any(sheet.rows for sheet in book.sheets):
                form[role].errors.append("The file has headings but no rows under them")
                continue
            files[role] = (storage.filename, data)
        if not form.errors and "programmes" in files:
            try:
                saved = import_files.store_upload(
                    user_id=user_id, files=files, settings={"unit": form.unit.data or "pounds"}
                )
            except Invalid as error:
                form.programmes.errors.append(error.message)
            else:
                return redirect(url_for(".columns", upload_id=saved.id))
    return render_template("imports/upload.html", form=form)


def _opened(upload_id: str) -> tuple[import_files.Upload, imports.Sources] | Response:
    """The upload and its sheets, or a redirect to step 1 when it has gone."""
    try:
        saved = import_files.load_upload(upload_id, user_id=current_user.id)
        books = {role: imports.read_file(saved.data(role), name) for role, name in saved.names.items()}
    except NotFound:
        flash("That upload has gone (uploads are kept for a day, and until imported): upload the file again.")
        return redirect(url_for(".upload"))
    except Invalid as error:  # pragma: no cover - checked when uploaded
        flash(error.message)
        return redirect(url_for(".upload"))
    return saved, imports.pick_sources(
        books["programmes"], milestones=books.get("milestones"), investments=books.get("investments")
    )


def _mapping(saved: import_files.Upload, sources: imports.Sources) -> imports.ImportMapping:
    """The columns chosen on step 2 (guessed until then), with the unit and defaults."""
    settings = saved.settings
    columns = {SheetKind(kind): chosen for kind, chosen in settings.get("columns", {}).items()}
    mapping = imports.ImportMapping(
        columns, Unit(settings.get("unit", "pounds")), defaults=settings.get("defaults", {})
    )
    return mapping.with_guesses(sources)


@blueprint.route("/<upload_id>/columns", methods=["GET", "POST"])
@login_required
def columns(upload_id: str) -> Page:
    require(current_user, Action.IMPORT_PROGRAMMES)
    opened = _opened(upload_id)
    if isinstance(opened, Response):
        return opened
    saved, sources = opened
    form = StepForm()
    mapping = _mapping(saved, sources)
    problems: list[str] = []
    if form.validate_on_submit():
        chosen = {
            kind: {
                header: request.form.get(f"{kind.value}-{index}", "")
                for index, header in enumerate(sheet.headers)
                if request.form.get(f"{kind.value}-{index}", "") in {f.key for f in CATALOGUE[kind]}
            }
            for kind, sheet in sources.sheets().items()
        }
        defaults = {key: request.form.get(f"default-{key}", "").strip()[:120] for key in imports.DEFAULTABLE}
        defaults = {key: value for key, value in defaults.items() if value}
        mapping = imports.ImportMapping(chosen, mapping.unit, defaults=defaults)
        problems = imports.mapping_errors(sources, mapping)
        if not problems:
            saved.settings |= {"columns": imports.as_plain(chosen), "defaults": defaults}
            saved.save()
            return redirect(url_for(".check", upload_id=saved.id))
    return render_template(
        "imports/columns.html",
        form=form,
        saved=saved,
        sheets=_previews(sources, mapping),
        defaults=mapping.defaults,
        focus_choices=_choices(FOCUSES),
        stage_choices=_choices(STAGES),
        category_choices=list(CATEGORY_LABELS.items()),
        problems=[{"text": text} for text in problems],
    ), (400 if problems else 200)


def _choices(table: dict[str, str]) -> list[tuple[str, str]]:
    return [(value, value.replace("_", " ").capitalize()) for value in dict.fromkeys(table.values())]


def _previews(sources: imports.Sources, mapping: imports.ImportMapping) -> list[dict[str, Any]]:
    """For each sheet: its columns (header, letter, chosen field) and its first rows as text."""
    return [
        {
            "kind": kind.value,
            "name": sheet.name,
            "header_row": sheet.header_row,
            "count": len(sheet.rows),
            "footnotes": sheet.footnote_rows,
            "fields": imports.field_choices(kind),
            "columns": [
                {
                    "index": i,
                    "header": h,
                    "letter": column_letter(i),
                    "chosen": mapping.columns.get(kind, {}).get(h, ""),
                }
                for i, h in enumerate(sheet.headers)
            ],
            "rows": [(number, [cell_text(c) for c in cells]) for number, cells in sheet.rows[:PREVIEW_ROWS]],
        }
        for kind, sheet in sources.sheets().items()
    ]


def _check_page(saved: import_files.Upload, report: imports.Report, status: int = 200) -> tuple[str, int]:
    return render_template(
        "imports/check.html",
        form=StepForm(),
        saved=saved,
        report=report,
        problems=report.problems[:SHOWN_PROBLEMS],
        more=max(0, len(report.problems) - SHOWN_PROBLEMS),
    ), status


def _run(saved: import_files.Upload, sources: imports.Sources, *, dry_run: bool) -> imports.Report | Response:
    """Check (dry run) or import the upload with its chosen columns; a file that no longer reads goes
    back to the columns step with the reason."""
    try:
        return imports.run_import(
            sources,
            _mapping(saved, sources),
            user=current_user,
            source_name=saved.names["programmes"],
            dry_run=dry_run,
            progress=_budget(CHECK_SECONDS) if dry_run else None,
        )
    except Invalid as error:
        flash(error.message)
        return redirect(url_for(".columns", upload_id=saved.id))


def _budget(seconds: float) -> imports.Progress:
    """A progress callback that stops a check running past `seconds`: a worker serves other people too."""
    started = time.monotonic()

    def check(done: int, total: int) -> None:
        if time.monotonic() - started > seconds:
            raise Invalid(
                f"Checking stopped after {seconds:g} seconds at row {done // 2:,} of {total // 2:,}: "
                "import a file this size with flask import programmes FILE"
            )

    return check


@blueprint.route("/<upload_id>/check")
@login_required
def check(upload_id: str) -> Page:
    require(current_user, Action.IMPORT_PROGRAMMES)
    opened = _opened(upload_id)
    if isinstance(opened, Response):
        return opened
    saved, sources = opened
    report = _run(saved, sources, dry_run=True)
    if isinstance(report, Response):
        return report
    return _check_page(saved, report)


@blueprint.route("/<upload_id>/commit", methods=["POST"])
@login_required
def commit(upload_id: str) -> Page:
    require(current_user, Action.IMPORT_PROGRAMMES)
    form = StepForm()
    if not form.validate_on_submit():
        return redirect(url_for(".check", upload_id=upload_id))
    opened = _opened(upload_id)
    if isinstance(opened, Response):
        return opened
    saved, sources = opened
    report = _run(saved, sources, dry_run=False)
    if isinstance(report, Response):
        return report
    if report.problems:
        return _check_page(saved, report, 409)
    saved.settings["summary"] = {
        "text": report.summary(),
        "codes": report.programme_codes[:100],
        "total": len(report.programme_codes),
    }
    saved.save()
    import_files.discard_files(saved)
    flash(report.summary(), "success")
    return redirect(url_for(".done", upload_id=saved.id))


@blueprint.route("/<upload_id>/done")
@login_required
def done(upload_id: str) -> Page:
    require(current_user, Action.IMPORT_PROGRAMMES)
    try:
        saved = import_files.load_upload(upload_id, user_id=current_user.id)
    except NotFound:
        return redirect(url_for(".upload"))
    summary = saved.settings.get("summary")
    if summary is None:
        return redirect(url_for(".check", upload_id=saved.id))
    return render_template("imports/done.html", saved=saved, summary=summary)
