"""Each programme's dashboard figures as one row, so the dashboard sums narrow rows instead of child tables.

`figures_select` is the one definition of the figures, in SQL. The risk scan stores every open
programme's row with it, and every service that changes a programme's numbers refreshes that programme's
row in its own transaction (`refresh_programme_figures`, through `editing.mark_programme_updated`). The
dashboard sums today's stored rows (`stored_in_scope`); when some programme in scope has no row of today
(one the scan has not seen, or every one before today's scan) it sums stored and computed rows together
(`figures_in_scope`) instead. So a figure is never stale: a row holds this financial year's money,
overdue milestones and the weeks of the ratings chart, all of which move with the date.

Cashable savings: a saving is a benefit's move from its baseline in its better direction (a value for
"higher is better" with no baseline counts from zero; "lower is better" with no baseline can't be
counted and is left out). Each trajectory point's or measurement's change from the one before is kept
by month of the year; planned to date and realised to date are the changes on or before the day.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Date,
    Select,
    String,
    Subquery,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite

from tracker.domain.calendar import LONDON, financial_year, financial_year_bounds, london_today
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    Direction,
    Investment,
    Measurement,
    Milestone,
    Programme,
    RiskAssessment,
    Stage,
    TrajectoryPoint,
)
from tracker.models.figures import (
    PAST_WEEKS,
    SAVINGS_BUCKETS,
    ProgrammeFigures,
    planned_column,
    rating_column,
    realised_column,
)
from tracker.models.types import UTCDateTime, utcnow
from tracker.services.portfolio.definitions import in_year, milestone_overdue
from tracker.services.portfolio.scope import latest_flags

ROW = ProgrammeFigures.__table__
FIGURES = tuple(column.name for column in ROW.columns if column.name not in ("as_of", "updated_at"))
"""The programme id and its figures, in the table's order: what the stored and computed rows share."""


_UPSERTS: dict[str, Any] = {}
"""The upsert of a few programmes' rows, built once per database dialect: every edit runs it, and building
the statement costs far more than running it for one programme."""


def refresh_programme_figures(programme_ids: Collection[int], *, now: datetime | None = None) -> None:
    """Rewrite these programmes' rows as of today, in one statement; the caller's transaction commits."""
    if programme_ids:
        now = now or utcnow()
        today = london_today(now)
        db.session.flush()  # the caller's pending changes are what the figures must include
        dialect = db.session.get_bind().dialect.name
        if dialect not in _UPSERTS:
            ids = select(Programme.id).where(Programme.id.in_(bindparam("fig_ids", expanding=True)))
            _UPSERTS[dialect] = _upsert(ids, today=today, now=now)
        params = figure_params(today) | {"fig_as_of": today, "fig_updated_at": now}
        db.session.execute(_UPSERTS[dialect], params | {"fig_ids": sorted(set(programme_ids))})


def refresh_open_programmes(*, today: date, now: datetime) -> None:
    """Every open programme's row as of `today`, in one statement (the risk scan's)."""
    _store(select(Programme.id).where(Programme.stage != Stage.CLOSED), today=today, now=now)


def start_the_day(*, now: datetime | None = None) -> str:
    """Just after midnight: today's rows for every open programme, so the dashboard reads stored figures
    from the first minute of the day rather than computing them until the morning's risk scan."""
    now = now or utcnow()
    refresh_open_programmes(today=london_today(now), now=now)
    db.session.commit()
    count = db.session.scalar(select(func.count()).select_from(ROW).where(ROW.c.as_of == london_today(now)))
    return f"Dashboard figures for {london_today(now).isoformat()}: {count} programmes."


def _store(programme_ids: Select[Any], *, today: date, now: datetime) -> None:
    """Insert or overwrite rows from `figures_select`: an upsert, so two refreshes at once both succeed."""
    db.session.flush()  # the caller's pending changes are what the figures must include
    db.session.execute(_upsert(programme_ids, today=today, now=now))


def _upsert(programme_ids: Select[Any], *, today: date, now: datetime) -> Any:
    """The upsert of `figures_select`'s rows, its dates bound as parameters (`figure_params`)."""
    rows = figures_select(programme_ids, today=today).add_columns(
        bindparam("fig_as_of", today, Date).label("as_of"),
        bindparam("fig_updated_at", now, UTCDateTime()).label("updated_at"),
    )
    names = [*FIGURES, "as_of", "updated_at"]
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ROW).from_select(names, rows)
    return statement.on_conflict_do_update(
        index_elements=[ROW.c.programme_id],
        set_={name: statement.excluded[name] for name in names if name != "programme_id"},
    )


def stored_in_scope(conditions: list[Any], *, today: date) -> Subquery:
    """Today's stored row of figures, with the focus, of each programme the conditions select."""
    return _stored(conditions, today).subquery("figures")


def _stored(conditions: list[Any], today: date) -> Select[Any]:
    return (
        select(*(ROW.c[name] for name in FIGURES), Programme.focus)
        .join(Programme, Programme.id == ROW.c.programme_id)
        .where(ROW.c.as_of == today, *conditions)
    )


def figures_in_scope(conditions: list[Any], *, today: date) -> Subquery:
    """A row of figures and the focus of each programme the conditions select: its stored row when that is
    of today, else computed now (a programme just created, say, or every one before today's scan)."""
    fresh = select(ROW.c.programme_id).where(ROW.c.as_of == today)
    missing = select(Programme.id).where(*conditions, Programme.id.not_in(fresh))
    computed = figures_select(missing, today=today).add_columns(Programme.focus)
    return union_all(_stored(conditions, today), computed).subquery("figures")


def figure_params(today: date) -> dict[str, Any]:
    """The values of the dates and year `figures_select` binds, as at today (a day's statement can be run
    again for another day with these)."""
    year = financial_year(today)
    start, _ = financial_year_bounds(year)
    params: dict[str, Any] = {"fig_year": year, "fig_today": today}
    for n in range(SAVINGS_BUCKETS - 1):
        params[f"fig_month_{n}"] = date(
            start.year + (start.month - 1 + n) // 12, (start.month - 1 + n) % 12 + 1, 1
        )
    for weeks in range(1, PAST_WEEKS + 1):
        params[f"fig_week_{weeks}"] = _end_of_day(today - timedelta(weeks=weeks))
    return params


def figures_select(programme_ids: Select[Any], *, today: date) -> Select[Any]:
    """One row of figures (the FIGURES columns) for each programme `programme_ids` selects, as at today."""
    bound = {
        name: bindparam(name, value, UTCDateTime() if name.startswith("fig_week_") else None)
        for name, value in figure_params(today).items()
    }
    year, day = bound["fig_year"], bound["fig_today"]
    months = [bound[f"fig_month_{n}"] for n in range(SAVINGS_BUCKETS - 1)]
    money, overdue = _money(programme_ids, year), _overdue(programme_ids, day)
    service = _service_benefits(programme_ids)
    planned = _savings(TrajectoryPoint, "planned", programme_ids, months=months, today=day)
    realised = _savings(Measurement, "realised", programme_ids, months=months, today=day, past_only=True)
    flags = {rule: flagged(rule, programme_ids) for rule in ("stale", "technology_only")}
    parts = (money, overdue, service, planned, realised)
    values: dict[str, Any] = {
        "programme_id": Programme.id,
        "stale": flags["stale"],
        "technology_only": flags["technology_only"],
        **{
            column.name: func.coalesce(column, 0)
            for part in parts
            for column in part.c
            if column.name != "programme_id"
        },
    }
    for weeks in range(1, PAST_WEEKS + 1):
        values[rating_column(weeks)] = _rating_at(bound[f"fig_week_{weeks}"])
    if set(values) != set(FIGURES):
        raise RuntimeError(f"figures_select and the table disagree on {set(values) ^ set(FIGURES)}")
    statement = select(*(values[name].label(name) for name in FIGURES)).select_from(Programme)
    for part in parts:
        statement = statement.outerjoin(part, part.c.programme_id == Programme.id)
    return statement.where(Programme.id.in_(programme_ids))


def flagged(rule: str, programme_ids: Select[Any] | None = None) -> Any:
    """Whether the programme's latest assessment has a `rule` flag (looking only at `programme_ids`')."""
    return Programme.id.in_(select(latest_flags(rule, programme_ids).c.programme_id))


def _money(programme_ids: Select[Any], year: Any) -> Subquery:
    """This year's approved, forecast (floored at spend) and actual spend, and whole-life approved.

    Sums leave unknown amounts out; a forecast below the spend, or missing, counts as the spend."""

    def this_year(column: Any) -> Any:
        return func.sum(case((in_year(year), column), else_=0))

    # A line costs at least what it has spent: a missing or lower forecast counts as the actual.
    floored = case(
        (Investment.forecast.is_(None), Investment.actual),
        (Investment.actual > Investment.forecast, Investment.actual),
        else_=Investment.forecast,
    )

    return (
        select(
            Investment.programme_id,
            this_year(Investment.approved).label("approved"),
            this_year(floored).label("forecast"),
            this_year(Investment.actual).label("actual"),
            func.sum(Investment.approved).label("whole_life_approved"),
        )
        .where(Investment.programme_id.in_(programme_ids))
        .group_by(Investment.programme_id)
        .subquery("money")
    )


def _overdue(programme_ids: Select[Any], today: Any) -> Subquery:
    """Overdue milestones as the domain defines them: open (not done, not cancelled) and past the baseline."""
    return (
        select(Milestone.programme_id, func.count(Milestone.id).label("overdue_milestones"))
        .where(Milestone.programme_id.in_(programme_ids), milestone_overdue(today))
        .group_by(Milestone.programme_id)
        .subquery("overdue")
    )


def _service_benefits(programme_ids: Select[Any]) -> Subquery:
    """Service-improvement benefits: off track when the latest scan's "benefits behind trajectory" flag names
    them, on track when measured and not flagged, and not measured yet."""
    flags = latest_flags("benefits_behind_trajectory", programme_ids)
    off = Benefit.id.in_(select(flags.c.subject_id).where(flags.c.subject_kind == "benefit"))
    measured = select(Measurement.id).where(Measurement.benefit_id == Benefit.id).exists()
    return (
        select(
            Benefit.programme_id,
            func.count(Benefit.id).label("service_total"),
            func.count(case((off, 1))).label("service_off_track"),
            func.count(case((measured & ~off, 1))).label("service_on_track"),
            func.count(case((~measured, 1))).label("service_not_measured"),
        )
        .where(
            Benefit.benefit_type == BenefitType.SERVICE_IMPROVEMENT, Benefit.programme_id.in_(programme_ids)
        )
        .group_by(Benefit.programme_id)
        .subquery("service")
    )


def counts_as_saving() -> Any:
    """WHERE clause on Benefit: a cashable benefit whose saving can be counted (a "lower is better" one
    needs its baseline)."""
    return and_(
        Benefit.benefit_type == BenefitType.CASHABLE,
        or_(Benefit.direction == Direction.HIGHER, Benefit.baseline_value.is_not(None)),
    )


def saving(value: Any, *, since: Any = None) -> Any:
    """A benefit's saving at `value`: its move in its better direction from `since` when that is not
    NULL, else from its baseline (nothing, for "higher is better" with no baseline)."""
    higher = Benefit.direction == Direction.HIGHER
    baseline = case((higher, func.coalesce(Benefit.baseline_value, 0)), else_=Benefit.baseline_value)
    start = baseline if since is None else func.coalesce(since, baseline)
    return case((higher, 1), else_=-1) * (value - start)


def _savings(
    model: Any,
    prefix: str,
    programme_ids: Select[Any],
    *,
    months: list[Any],
    today: Any,
    past_only: bool = False,
    benefits: Any = None,
) -> Subquery:
    """Changes in cashable savings by month of the year (`prefix`_0 to _13) and up to today
    (`prefix`_to_date), from trajectory points or measurements (`past_only`: later ones left out)."""
    before = func.lag(model.value).over(partition_by=model.benefit_id, order_by=(model.on_date, model.id))
    bucket = case(*((model.on_date < day, index) for index, day in enumerate(months)), else_=13)
    changes = (
        select(
            Benefit.programme_id,
            bucket.label("bucket"),
            case((model.on_date <= today, 1), else_=0).label("to_date"),
            saving(model.value, since=before).label("change"),
        )
        .join(Benefit, Benefit.id == model.benefit_id)
        .where(
            counts_as_saving(),
            Benefit.programme_id.in_(programme_ids),
            *([model.on_date <= today] if past_only else []),
            *([] if benefits is None else [benefits]),
        )
        .subquery(f"{prefix}_changes")
    )
    # Summed by programme and month first, then laid out as columns: far fewer rows go through the CASEs.
    by_month = (
        select(
            changes.c.programme_id,
            changes.c.bucket,
            func.sum(changes.c.change).label("change"),
            func.sum(case((changes.c.to_date == 1, changes.c.change), else_=0)).label("to_date"),
        )
        .group_by(changes.c.programme_id, changes.c.bucket)
        .subquery(f"{prefix}_by_month")
    )
    column = planned_column if prefix == "planned" else realised_column
    return (
        select(
            by_month.c.programme_id,
            *(
                func.sum(case((by_month.c.bucket == index, by_month.c.change), else_=0)).label(column(index))
                for index in range(SAVINGS_BUCKETS)
            ),
            func.sum(by_month.c.to_date).label(f"{prefix}_to_date"),
        )
        .group_by(by_month.c.programme_id)
        .subquery(prefix)
    )


def savings_of(programme_ids: Select[Any], benefits: Any, *, today: date) -> Select[Any]:
    """One row: the cashable savings of these programmes' `benefits` (a condition on Benefit), planned and
    realised, by month of the year and to date, summed as `figures_select` sums each programme's."""
    params = figure_params(today)
    months = [params[f"fig_month_{n}"] for n in range(SAVINGS_BUCKETS - 1)]
    parts = {
        "planned": _savings(
            TrajectoryPoint, "planned", programme_ids, months=months, today=today, benefits=benefits
        ),
        "realised": _savings(
            Measurement,
            "realised",
            programme_ids,
            months=months,
            today=today,
            past_only=True,
            benefits=benefits,
        ),
    }
    # Each part summed once into a single row, then the two rows side by side: a scalar subquery per
    # column re-ran the whole part for each of its 30 columns (570 ms at 10,000 programmes on SQLite).
    totals = [
        select(
            *(func.sum(column).label(column.name) for column in part.c if column.name != "programme_id")
        ).subquery(f"{name}_total")
        for name, part in parts.items()
    ]
    return select(*totals[0].c, *totals[1].c).select_from(totals[0].join(totals[1], true()))


def _rating_at(moment: Any) -> Any:
    """The programme's rating in its newest assessment before `moment`, or NULL if it had none by then."""
    return (
        select(type_coerce(RiskAssessment.rating, String))
        .where(RiskAssessment.programme_id == Programme.id, RiskAssessment.assessed_at < moment)
        .order_by(RiskAssessment.assessed_at.desc(), RiskAssessment.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _end_of_day(day: date) -> datetime:
    """Midnight in London after `day`: what "at the end of that day" means to the council."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=LONDON)
