"""The RAID view's filters, read from the query string (a GET form, so no CSRF token)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from tracker.services.portfolio.raid_items import BANDS, KINDS, OPEN, STATUSES, RegisterQuery
from tracker.services.portfolio.scope import NO_MANAGER
from tracker.web.forms_support import whole_number

MAX_TEXT = 120
ALL = "all"
KIND_LABELS = {
    "": "Everything",
    "risk": "Risks",
    "action": "Actions",
    "issue": "Issues",
    "decision": "Decisions",
}
STATUS_LABELS = {
    "open": "Open, or decisions in force",
    "overdue": "Actions past their due date",
    "closed": "Closed, done or superseded",
    ALL: "Any status",
}
BAND_LABELS = {"": "Any score", "medium": "Medium or high", "high": "High only"}


def register_query(args: MultiDict[str, str]) -> RegisterQuery:
    """The filters and page from the query string; a value that is not one of the choices is ignored."""
    manager = args.get("manager", "").strip()
    status = args.get("status", "")
    band = args.get("band", "")
    kind = args.get("kind", "")
    return RegisterQuery(
        mine=args.get("scope") == "mine",
        directorate=_text(args.get("directorate")),
        manager_id=NO_MANAGER if manager == "none" else whole_number(manager, 0) or None,
        kind=kind if kind in KINDS else None,
        status=None if status == ALL else status if status in STATUSES else OPEN,
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
        "kind": query.kind or "",
        "status": query.status or ALL,
        "band": query.band or "",
        "owner": query.owner or "",
    }


def _text(value: str | None) -> str | None:
    return (value or "").replace("\x00", "").strip()[:MAX_TEXT] or None
