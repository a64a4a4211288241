"""The benefits register's filters, read from the query string (a GET form, so no CSRF token)."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from tracker.domain.vocabulary import BENEFIT_STATUS_LABELS, BENEFIT_TYPE_LABELS
from tracker.models import BenefitStatus, BenefitType
from tracker.services.portfolio.benefits import AFTER_CLOSURE, ALL, BenefitsQuery
from tracker.services.portfolio.scope import NO_MANAGER
from tracker.web.forms_support import query_text, whole_number
from tracker.web.programmes.forms import as_enum

TYPE_FILTER = {"": "Any type"} | {kind.value: text for kind, text in BENEFIT_TYPE_LABELS.items()}
STATUS_FILTER = (
    {"": "Open programmes', and closed ones' still being measured"}
    | {status.value: text for status, text in BENEFIT_STATUS_LABELS.items()}
    | {AFTER_CLOSURE: "Closed programmes', still being measured"}
    | {ALL: "Every benefit"}
)


def benefits_query(args: MultiDict[str, str]) -> BenefitsQuery:
    """The filters and page from the query string; a value that is not one of the choices is ignored."""
    manager = args.get("manager", "").strip()
    status = args.get("status", "")
    return BenefitsQuery(
        mine=args.get("scope") == "mine",
        directorate=query_text(args.get("directorate")),
        manager_id=NO_MANAGER if manager == "none" else whole_number(manager, 0) or None,
        benefit_type=as_enum(BenefitType, args.get("type")),
        status=status if status in (ALL, AFTER_CLOSURE) else as_enum(BenefitStatus, status),
        owner=query_text(args.get("owner")),
        page=whole_number(args.get("page"), 1),
    )


def chosen(query: BenefitsQuery) -> dict[str, str]:
    """The form's values as the query string writes them, so the form shows what is applied."""
    manager = "" if query.manager_id is None else str(query.manager_id)
    status = query.status.value if isinstance(query.status, BenefitStatus) else query.status
    return {
        "directorate": query.directorate or "",
        "manager": "none" if query.manager_id == NO_MANAGER else manager,
        "type": query.benefit_type.value if query.benefit_type else "",
        "status": status or "",
        "owner": query.owner or "",
    }
