"""Which programmes a filter selects, written once for the programmes list, its exports and the dashboard;
and the flags of the latest scan unnested into rows, so every figure on the dashboard is counted over the
same programmes in the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, String, Subquery, and_, cast, column, func, or_, select, true

from tracker.extensions import db
from tracker.models import Focus, Programme, ProgrammeMember, Rag, RiskAssessment, Stage, User

NOT_RATED = "none"
"""`rating` filter value for programmes the scan has not rated yet."""
NO_MANAGER = 0
"""`manager_id` filter value for programmes with no manager."""


@dataclass(frozen=True)
class ProgrammeFilter:
    """The filters from the URL; `mine`: programmes the user manages or is on the team of."""

    mine: bool = False
    include_closed: bool = False
    directorate: str | None = None
    stage: Stage | None = None
    focus: Focus | None = None
    manager_id: int | None = None
    rating: str | None = None  # a Rag value or NOT_RATED
    reference: str | None = None
    """A published return's project number, matched whole and ignoring case."""
    flag: str | None = None
    """A rule's name (tracker.domain.risk_rules.RULE_LABELS): programmes whose latest rating has that flag."""

    def list_args(self) -> dict[str, str]:
        """The filters as the programmes list's query string, for the dashboard's links (open ones only)."""
        args = {"scope": "mine"} if self.mine else {}
        if self.directorate:
            args["directorate"] = self.directorate
        if self.stage:
            args["stage"] = self.stage.value
        if self.focus:
            args["focus"] = self.focus.value
        if self.manager_id is not None:
            args["manager"] = "none" if self.manager_id == NO_MANAGER else str(self.manager_id)
        if self.rating:
            args["rating"] = self.rating
        if self.flag:
            args["flag"] = self.flag
        return args


def managed_or_on_team(user_id: int) -> Any:
    """WHERE clause on Programme: the programmes this person manages or is on the team of."""
    on_team = select(ProgrammeMember.programme_id).where(ProgrammeMember.user_id == user_id)
    return or_(Programme.manager_id == user_id, Programme.id.in_(on_team))


def scope_conditions(user_id: int, filters: ProgrammeFilter) -> list[Any]:
    """WHERE clauses on Programme for the programmes the filters select (open ones unless asked)."""
    conditions: list[Any] = []
    if not filters.include_closed:
        conditions.append(Programme.stage != Stage.CLOSED)
    if filters.mine:
        conditions.append(managed_or_on_team(user_id))
    if filters.directorate:
        conditions.append(Programme.directorate == filters.directorate)
    if filters.stage:
        conditions.append(Programme.stage == filters.stage)
    if filters.focus:
        conditions.append(Programme.focus == filters.focus)
    if filters.manager_id == NO_MANAGER:
        conditions.append(Programme.manager_id.is_(None))
    elif filters.manager_id is not None:
        conditions.append(Programme.manager_id == filters.manager_id)
    if filters.reference:
        conditions.append(func.upper(Programme.external_reference) == filters.reference.strip().upper())
    if filters.rating:
        conditions.append(_rating_condition(filters.rating, include_closed=filters.include_closed))
    if filters.flag:
        conditions.append(Programme.id.in_(select(latest_flags(filters.flag).c.programme_id)))
    return conditions


def _rating_condition(rating: str, *, include_closed: bool) -> Any:
    """Closed programmes keep their last assessment as history but are not rated any more."""
    rated = select(RiskAssessment.programme_id).where(RiskAssessment.is_latest.is_(True))
    if rating == NOT_RATED:
        unrated = Programme.id.not_in(rated)
        return or_(Programme.stage == Stage.CLOSED, unrated) if include_closed else unrated
    matching = Programme.id.in_(rated.where(RiskAssessment.rating == Rag(rating)))
    return and_(Programme.stage != Stage.CLOSED, matching) if include_closed else matching


def filter_choices(*, include_closed: bool = False) -> tuple[list[str], list[tuple[int, str]]]:
    """What the filters offer: the directorates (of open programmes, or of all), and the people who manage
    any programme, by name. Two queries."""
    where = [] if include_closed else [Programme.stage != Stage.CLOSED]
    directorates = list(
        db.session.scalars(
            select(Programme.directorate).where(*where).distinct().order_by(Programme.directorate)
        )
    )
    managers = [
        (user_id, name)
        for user_id, name in db.session.execute(
            select(User.id, User.name)
            .where(User.id.in_(select(Programme.manager_id).where(Programme.manager_id.is_not(None))))
            .order_by(User.name)
        )
    ]
    return directorates, managers


def scoped_ids(conditions: list[Any]) -> Any:
    """The ids of the programmes in scope, as a subquery for `IN` on child tables."""
    return select(Programme.id).where(*conditions)


def latest_flags(rule: str, programme_ids: Any = None) -> Subquery:
    """One row per `rule` flag of each programme's latest assessment (of `programme_ids`, a subquery, when
    given): programme id, subject kind and id.

    Flags are a JSON list; SQLite unnests it with json_each, PostgreSQL with json_array_elements. Only
    assessments whose JSON text mentions the rule are unnested: parsing every list costs far more."""
    dialect = db.session.get_bind().dialect.name
    unnest = func.json_array_elements if dialect == "postgresql" else func.json_each
    elements = unnest(RiskAssessment.flags).table_valued(column("value", JSON), name="flag")
    flag = elements.c.value
    return (
        select(
            RiskAssessment.programme_id,
            flag[("subject", "kind")].as_string().label("subject_kind"),
            flag[("subject", "id")].as_integer().label("subject_id"),
        )
        .select_from(RiskAssessment)
        .join(elements, true())
        .where(
            is_latest(by_programme=programme_ids is not None),
            cast(RiskAssessment.flags, String).contains(rule, autoescape=True),
            flag["rule"].as_string() == rule,
            *([] if programme_ids is None else [RiskAssessment.programme_id.in_(programme_ids)]),
        )
        .subquery("latest_flag")
    )


def is_latest(*, by_programme: bool) -> Any:
    """The latest-assessment test; for a few programmes it is wrapped in a function so that the database
    finds their rows by programme (a handful) rather than every latest row by the flag (the portfolio)."""
    if by_programme:
        return func.coalesce(RiskAssessment.is_latest, False).is_(True)
    return RiskAssessment.is_latest.is_(True)
