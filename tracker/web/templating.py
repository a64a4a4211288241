"""Jinja set-up: GOV.UK macros beside our templates, UK formats, versioned static URLs."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache

from flask import Flask, Response, current_app, request, url_for
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader

from tracker.domain.calendar import parse_iso_week
from tracker.domain.confidence import confidence_colour, confidence_label, is_split, source_label
from tracker.domain.formatting import money, uk_date, uk_datetime
from tracker.domain.user_agents import describe_user_agent
from tracker.domain.vocabulary import label
from tracker.domain.wording import format_number, format_percent
from tracker.policy import Action, ProgrammeTeam, can, gate_deciders_text

LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=3600"


def register_templating(app: Flask) -> None:
    """Make our templates, the GOV.UK macros and our filters available to every render."""
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(os.path.join(app.root_path, app.template_folder or "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.filters.update(uk_date=uk_date, uk_datetime=uk_datetime, money=money)
    app.jinja_env.filters.update(week_start=parse_iso_week)
    app.jinja_env.filters.update(
        confidence_label=confidence_label,
        confidence_colour=confidence_colour,
        source_label=source_label,
        percent=format_percent,
        number=format_number,
        label=label,
        gate_deciders=gate_deciders_text,
        device=describe_user_agent,
    )
    app.jinja_env.tests.update(split_confidence=lambda value: bool(value) and is_split(value))
    WTFormsHelpers(app)  # adds wtforms_errors(form) for govukErrorSummary
    app.context_processor(_template_globals)
    app.after_request(_static_cache_headers)


def _template_globals() -> dict[str, object]:
    """What every page needs: the council's name, cache-busting asset URLs, and the policy."""
    return {
        "org_name": current_app.config.get("ORG_NAME", ""),
        "static_url": static_url,
        "can": user_can,
        "accessibility_url": url_for("main.accessibility"),
        "help_url": url_for("main.help"),
    }


def user_can(action: str, programme: ProgrammeTeam | None = None) -> bool:
    """The policy module, for templates deciding whether to show a link or button."""
    return can(current_user, Action(action), programme)


def static_url(filename: str) -> str:
    """URL of a static file with its content hash, so browsers may keep it for a year."""
    version = static_version(filename)
    if version is None:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=version)


def static_version(filename: str) -> str | None:
    """Short content hash of a file in the static folder, or None if there is no such file."""
    folder = current_app.static_folder
    if folder is None:
        return None
    path = os.path.realpath(os.path.join(folder, filename))
    if not path.startswith(os.path.realpath(folder) + os.sep):
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _file_hash(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _file_hash(path: str, mtime_ns: int, size: int) -> str:
    """Hash once per file version: the mtime and size in the key notice a rebuild."""
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def _static_cache_headers(response: Response) -> Response:
    """A year for URLs naming the current file version, an hour for anything else."""
    if request.endpoint != "static" or response.status_code not in (200, 206, 304):
        return response
    filename = (request.view_args or {}).get("filename", "")
    versioned = request.args.get("v") is not None and request.args["v"] == static_version(filename)
    response.headers["Cache-Control"] = LONG_CACHE if versioned else SHORT_CACHE
    return response
