"""The portfolio register's filters, read from the query string (a GET form, so no CSRF token)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from tracker.models import EntryKind, EntryStatus
from tracker.services.portfolio.register import BANDS, RegisterQuery
from tracker.services.portfolio.scope import NO_MANAGER
from tracker.web.forms_support import whole_number
from tracker.web.programmes.forms import as_enum

MAX_TEXT = 120
ALL = "all"
KIND_LABELS = {
    "": "Risks and issues",
    EntryKind.RISK.value: "Risks only",
    EntryKind.ISSUE.value: "Issues only",
}
STATUS_LABELS = {EntryStatus.OPEN.value: "Open", EntryStatus.CLOSED.value: "Closed", ALL: "Open and closed"}
BAND_LABELS = {"": "Any score", "medium": "Medium or high", "high": "High only"}


def register_query(args: MultiDict[str, str]) -> RegisterQuery:
    """The filters and page from the query string; a value that is not one of the choices is ignored."""
    manager = args.get("manager", "").strip()
    status = args.get("status", "")
    band = args.get("band", "")
    return RegisterQuery(
        mine=args.get("scope") == "mine",
        directorate=_text(args.get("directorate")),
        manager_id=NO_MANAGER if manager == "none" else whole_number(manager, 0) or None,
        kind=as_enum(EntryKind, args.get("kind")),
        status=None if status == ALL else as_enum(EntryStatus, status) or EntryStatus.OPEN,
        band=band if band in BANDS else None,
        owner=_text(args.get("owner")),
        page=whole_number(args.get("page"), 1),
    )


def chosen(query: RegisterQuery) -> dict[str, str]:
    """The form's values as the query string writes them, so the form shows what is applied."""
    manager = "" if query.manager_id is None else str(query.manager_id)
    return {
        "directorate": query.directorate or "",
        "manager": "none" if query.manager_id == NO_MANAGER else manager,
        "kind": query.kind.value if query.kind else "",
        "status": query.status.value if query.status else ALL,
        "band": query.band or "",
        "owner": query.owner or "",
    }


def _text(value: str | None) -> str | None:
    return (value or "").replace("\x00", "").strip()[:MAX_TEXT] or None
