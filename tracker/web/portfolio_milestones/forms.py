"""The milestones page's filters, read from the query string (a GET form, so no CSRF token)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from tracker.services.milestones.portfolio import OVERDUE, WEEKS, MilestoneQuery
from tracker.services.portfolio.scope import NO_MANAGER
from tracker.web.forms_support import whole_number

MAX_DIRECTORATE = 120
WHEN_LABELS = {OVERDUE: "Overdue", **{str(weeks): f"Due in the next {weeks} weeks" for weeks in WEEKS}}


def milestone_query(args: MultiDict[str, str]) -> MilestoneQuery:
    """The filters and page from the query string; a value that is not one of the choices is ignored."""
    manager = args.get("manager", "").strip()
    when = args.get("when", "")
    return MilestoneQuery(
        mine=args.get("scope") == "mine",
        directorate=args.get("directorate", "").replace("\x00", "").strip()[:MAX_DIRECTORATE] or None,
        manager_id=NO_MANAGER if manager == "none" else whole_number(manager, 0) or None,
        critical=bool(args.get("critical")),
        weeks=int(when) if when in WHEN_LABELS and when != OVERDUE else None,
        page=whole_number(args.get("page"), 1),
    )


def chosen(query: MilestoneQuery) -> dict[str, str]:
    """The form's values as the query string writes them, so the form shows what is applied."""
    manager = "" if query.manager_id is None else str(query.manager_id)
    return {
        "directorate": query.directorate or "",
        "manager": "none" if query.manager_id == NO_MANAGER else manager,
        "when": str(query.weeks) if query.weeks else OVERDUE,
    }
