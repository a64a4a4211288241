"""The import wizard: upload a spreadsheet, choose what each column holds, check every row, import.

The file stays in the database between steps (any instance serves the next); the cookie carries
nothing of it. Files are parsed with no transaction open, so a slow file never holds SQLite's lock.
Nothing is written until the person presses Import, and then all rows or none.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from tracker.domain.imports.choices import FOCUSES, STAGES
from tracker.domain.vocabulary import CATEGORY_LABELS
from tracker.policy import Action, require
from tracker.services import imports
from tracker.services.errors import Invalid, NotFound
from tracker.services.imports import files as import_files
from tracker.services.imports import mappings as import_mappings
from tracker.services.imports import preview as import_preview
from tracker.services.imports.report import group_problems
from tracker.web.imports import steps
from tracker.web.imports.forms import AS_HEADERS, MAX_BYTES, StepForm, UploadForm

blueprint = Blueprint("imports", __name__, url_prefix="/imports")
Page = str | Response | tuple[str, int]
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
                    user_id=user_id,
                    files=files,
                    settings={"unit": "" if form.unit.data == AS_HEADERS else form.unit.data or ""},
                )
            except Invalid as error:
                form.programmes.errors.append(error.message)
            else:
                return redirect(url_for(".columns", upload_id=saved.id))
    return render_template("imports/upload.html", form=form, waiting=import_files.waiting(current_user.id))


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


def with_upload(view: Callable[[import_files.Upload, imports.Sources], Page]) -> Callable[[str], Page]:
    """A step of one upload: the import permission checked, the upload and its sheets opened for the view,
    or step 1 when the upload has gone."""

    @wraps(view)
    def opened_view(upload_id: str) -> Page:
        require(current_user, Action.IMPORT_PROGRAMMES)
        opened = _opened(upload_id)
        if isinstance(opened, Response):
            return opened
        return view(*opened)

    return opened_view


def _mapping(saved: import_files.Upload, sources: imports.Sources) -> imports.ImportMapping:
    """Step 2's columns (else a saved mapping's, else guessed), with unit, defaults and translations."""
    return steps.mapping_for(saved.settings, sources)


def _offer_saved_mapping(saved: import_files.Upload, sources: imports.Sources) -> None:
    """On the first visit, preselect the mapping saved for files with these headings, if there is one."""
    if "offered" in saved.settings:
        return
    found = import_mappings.find_for(sources)
    saved.settings |= {"offered": True, "saved_mapping": found.name if found else ""}
    saved.save()


@blueprint.route("/<upload_id>/columns", methods=["GET", "POST"])
@login_required
@with_upload
def columns(saved: import_files.Upload, sources: imports.Sources) -> Page:
    _offer_saved_mapping(saved, sources)
    form = StepForm()
    mapping = _mapping(saved, sources)
    problems: list[dict[str, str]] = []
    if form.validate_on_submit():
        chosen = steps.chosen_columns(request.form, sources)
        mapping = mapping.but(columns=chosen, templates={}, defaults=steps.chosen_defaults(request.form))
        mapping = mapping.with_guesses(sources)
        problems = [{"text": text} for text in imports.mapping_errors(sources, mapping)]
        problems += steps.missing_answers(mapping, sources)
        if not problems:
            saved.settings |= {"columns": imports.as_plain(chosen), "defaults": mapping.defaults}
            saved.save()
            return redirect(url_for(".check", upload_id=saved.id))
    return render_template(
        "imports/columns.html",
        form=form,
        saved=saved,
        sheets=steps.previews(sources, mapping),
        defaults=mapping.defaults,
        # A RAID log alone adds no programme and no investment line: nothing to ask about them.
        new_programmes=sources.programmes is not None,
        new_lines=sources.programmes is not None or sources.investments is not None,
        asked={item["href"].removeprefix("#default-") for item in steps.missing_answers(mapping, sources)},
        focus_choices=steps.choices(FOCUSES),
        stage_choices=steps.choices(STAGES),
        category_choices=list(CATEGORY_LABELS.items()),
        problems=problems,
    ), (400 if problems else 200)


@blueprint.route("/<upload_id>/forget-mapping", methods=["POST"])
@login_required
@with_upload
def forget_mapping(saved: import_files.Upload, _: imports.Sources) -> Page:
    """Decline the saved mapping offered: back to the guesses."""
    if StepForm().validate_on_submit():
        for key in ("columns", "defaults", "values"):
            saved.settings.pop(key, None)
        saved.settings["saved_mapping"] = ""
        saved.save()
    return redirect(url_for(".columns", upload_id=saved.id))


def _check_page(
    saved: import_files.Upload, sources: imports.Sources, report: imports.Report, status: int = 200
) -> tuple[str, int]:
    mapping = _mapping(saved, sources)
    return render_template(
        "imports/check.html",
        form=StepForm(),
        saved=saved,
        report=report,
        groups=group_problems(report.problems),
        problems=report.problems[:SHOWN_PROBLEMS],
        more=max(0, len(report.problems) - SHOWN_PROBLEMS),
        preview=import_preview.preview(sources, mapping),
        unit_given=mapping.unit,
        keep=steps.KEEP,
    ), status


def _run(saved: import_files.Upload, sources: imports.Sources, *, dry_run: bool) -> imports.Report | Response:
    """Check (dry run) or import the upload with its chosen columns; a file that no longer reads goes
    back to the columns step with the reason."""
    mapping = _mapping(saved, sources)
    try:
        return imports.run_import(
            sources,
            mapping,
            user=current_user,
            source_name=saved.names["programmes"],
            dry_run=dry_run,
            progress=steps.budget(CHECK_SECONDS) if dry_run else None,
            options=imports.ReturnOptions(near_accepted=mapping.near_accepted()),
        )
    except Invalid as error:
        flash(error.message)
        return redirect(url_for(".columns", upload_id=saved.id))


@blueprint.route("/<upload_id>/check")
@login_required
@with_upload
def check(saved: import_files.Upload, sources: imports.Sources) -> Page:
    report = _run(saved, sources, dry_run=True)
    if isinstance(report, Response):
        return report
    return _check_page(saved, sources, report)


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
    if not report.committed:  # a problem or a question that appeared since the check: nothing was written
        return _check_page(saved, sources, report, 409)
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


@blueprint.route("/<upload_id>/values", methods=["POST"])
@login_required
@with_upload
def values(saved: import_files.Upload, _: imports.Sources) -> Page:
    """Keep the translations of texts no field could read, then check every row again."""
    if StepForm().validate_on_submit():
        kept = saved.settings.setdefault("values", {})
        for kind, by_key in steps.chosen_values(request.form).items():
            for key, table in by_key.items():
                kept.setdefault(kind, {}).setdefault(key, {}).update(table)
        saved.save()
    return redirect(url_for(".check", upload_id=saved.id))


@blueprint.route("/<upload_id>/save-mapping", methods=["POST"])
@login_required
@with_upload
def save_mapping(saved: import_files.Upload, sources: imports.Sources) -> Page:
    """Keep these choices by name, offered again for the next file with the same headings."""
    if StepForm().validate_on_submit():
        name = request.form.get("mapping_name", "")
        try:
            kept = import_mappings.save_mapping(name, sources, _mapping(saved, sources), user=current_user)
        except Invalid as error:
            flash(error.message)
        else:
            saved.settings |= {"saved_mapping": kept.name, "offered": True}
            saved.save()
            flash(
                f"Saved these choices as '{kept.name}': files with the same headings will use them", "success"
            )
    return redirect(url_for(".check", upload_id=saved.id))


@blueprint.route("/<upload_id>/near-matches", methods=["POST"])
@login_required
@with_upload
def near_matches(saved: import_files.Upload, sources: imports.Sources) -> Page:
    """Keep which near-matched names a person confirmed as the same programme, then check again."""
    if StepForm().validate_on_submit():
        confirmed = steps.confirmed_pairs(request.form, _mapping(saved, sources).same_programmes)
        saved.settings["same_programmes"] = confirmed
        saved.save()
    return redirect(url_for(".check", upload_id=saved.id) + "#near-matches")


@blueprint.route("/<upload_id>/cancel", methods=["POST"])
@login_required
def cancel(upload_id: str) -> Page:
    """Delete the upload now (not after a day), so its place in the person's quota is free at once."""
    require(current_user, Action.IMPORT_PROGRAMMES)
    if StepForm().validate_on_submit() and import_files.discard_upload(upload_id, user_id=current_user.id):
        flash("Import cancelled: the upload is deleted and nothing was saved.", "success")
    return redirect(url_for(".upload"))
