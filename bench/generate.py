"""A synthetic council portfolio of any size, bulk-inserted with Core executemany for speed.

Each programme has 20 milestones, 5 investment lines, 4 benefits (4 trajectory points and 12 monthly
measurements each) and 8 register entries. The mix of stages, slippage, overspend, stale reporting
and unowned risks is chosen so every kind of flag fires somewhere, as in a real portfolio. Dates are
relative to REFERENCE_DAY, so a scan run "as of" that day gives the same ratings every time.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, func, select, text

from tracker.domain.calendar import financial_year
from tracker.models import (
    Benefit,
    Investment,
    Measurement,
    Milestone,
    MilestoneChange,
    MilestoneTeamLoad,
    Programme,
    RegisterEntry,
    ServiceTeam,
    TrajectoryPoint,
    User,
)

REFERENCE_DAY = date(2027, 1, 15)
REFERENCE_NOW = datetime.combine(REFERENCE_DAY, time(6, 0), tzinfo=UTC)
FLUSH_EVERY = 1_000
"""Programmes built in memory before their rows are written."""

TABLES: tuple[Table, ...] = tuple(
    model.__table__  # parents before children
    for model in (
        User,
        ServiceTeam,
        Programme,
        Milestone,
        MilestoneTeamLoad,
        MilestoneChange,
        Investment,
        Benefit,
        TrajectoryPoint,
        Measurement,
        RegisterEntry,
    )
)
TRACKED = frozenset({"programme", "milestone", "investment", "benefit", "register_entry", "service_team"})
TEAMS_PER_DIRECTORATE = 8
LOADED_SHARE = 0.3
"""The share of open business change milestones that land change days on service teams."""
DIRECTORATES = ("Adult Social Care", "Children's Services", "Environment", "Housing", "Resources")
SUBJECTS = ("Case management", "Customer portal", "Mobile working", "Waste routing", "Payments", "Telecare")
# (title, type, measure and unit, direction, baseline, target)
BENEFITS = (
    ("Reduced cost of printing and postage", "cashable", ("Annual spend", "£"), "lower", 250_000, 150_000),
    ("Faster decisions", "service_improvement", ("Days to decide", "days"), "lower", 28, 14),
    ("More transactions online", "service_improvement", ("Share online", "%"), "higher", 35, 75),
    ("Fewer repeat calls", "non_cashable", ("Repeat calls a month", "calls"), "lower", 4_000, 2_500),
    ("Increased income from fees", "cashable", ("Fee income a quarter", "£"), "higher", 80_000, 120_000),
    ("Backlog while staff learn the system", "dis_benefit", ("Open cases", "cases"), "higher", 200, 320),
)
COST_LINES = ("Licences", "Implementation partner", "Backfill", "Hardware", "Training")
RISKS = ("supplier capacity", "data quality", "staff adoption", "funding")
STAGES = ("idea", "business_case", "delivery", "closing", "closed")
# Milestone kinds by position: business change milestones throughout, a benefit review last.
_KIND_CYCLE = ("it_delivery", "it_delivery", "business_change", "it_delivery", "governance")
KINDS = (*(_KIND_CYCLE * 4)[:19], "benefit")
# Per programme health: share of past milestones done on time, range of future slips in days,
# and the chance that a milestone was re-baselined.
HEALTH = {
    "on_track": (0.995, (0, 10), 0.02),
    "slipping": (0.95, (0, 60), 0.12),
    "troubled": (0.85, (20, 150), 0.12),
}


def generate_portfolio(engine_or_url: Engine | str, n_programmes: int, *, seed: int = 2027) -> dict[str, int]:
    """Insert `n_programmes` programmes with their children into an existing schema; return row counts."""
    engine = create_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    try:
        with engine.begin() as connection:
            builder = _Builder(random.Random(seed), _next_ids(connection))
            builder.users()
            builder.teams()
            for start in range(0, n_programmes, FLUSH_EVERY):
                for _ in range(min(FLUSH_EVERY, n_programmes - start)):
                    builder.programme()
                builder.flush(connection)
            if connection.dialect.name == "postgresql":
                _advance_sequences(connection)
        return builder.counts
    finally:
        if isinstance(engine_or_url, str):
            engine.dispose()


def _next_ids(connection: Connection) -> dict[str, int]:
    """Ids are assigned here so children can point at parents without a round trip per row."""
    return {t.name: (connection.scalar(select(func.max(t.c.id))) or 0) + 1 for t in TABLES}


def _advance_sequences(connection: Connection) -> None:
    """Explicit ids leave PostgreSQL sequences behind; move them on so later inserts don't collide."""
    for table in TABLES:
        name = f'"{table.name}"'
        connection.execute(
            text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))")
        )


def _pounds(value: float) -> Decimal:
    """Councils budget in whole pounds."""
    return Decimal(round(value))


class _Builder:
    """Accumulates rows per table, with ids assigned here, and writes them parents first."""

    def __init__(self, rng: random.Random, next_ids: dict[str, int]) -> None:
        self.rng = rng
        self.ids = next_ids
        self.rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
        self.counts: dict[str, int] = dict.fromkeys(self.rows, 0)
        self.user_ids: list[int] = []
        self.team_ids: list[int] = []
        # Capacity has its own random stream, so adding it left every other generated value as it was.
        self.capacity_rng = random.Random(20271)

    def add(self, table: str, **values: Any) -> int:
        row_id = self.ids[table]
        self.ids[table] += 1
        if table in TRACKED:
            values.update(version=1, created_at=REFERENCE_NOW, updated_at=REFERENCE_NOW)
        self.rows[table].append({"id": row_id, **values})
        return row_id

    def flush(self, connection: Connection) -> None:
        for table in TABLES:
            rows = self.rows[table.name]
            if rows:
                connection.execute(table.insert(), rows)
                self.counts[table.name] += len(rows)
                rows.clear()

    def users(self) -> None:
        for role in ["admin", "cio"] + ["programme_manager"] * 8 + ["viewer"] * 2:
            number = self.ids["user"]
            # "!" matches no password hash: nobody signs in as these users.
            email, name = f"bench-{number}@council.example", f"Bench user {number}"
            self.user_ids.append(self.add("user", email=email, name=name, role=role, password_hash="!"))

    def teams(self) -> None:
        """Service teams in every directorate, most with a monthly capacity in change days."""
        rng = self.capacity_rng
        for directorate in DIRECTORATES:
            for _ in range(TEAMS_PER_DIRECTORATE):
                capacity = None if rng.random() < 0.1 else Decimal(rng.randint(20, 80))
                name = f"{directorate} team {self.ids['service_team']}"  # unique, however often run
                self.team_ids.append(
                    self.add("service_team", name=name, directorate=directorate, monthly_capacity=capacity)
                )

    def team_loads(self, milestone_id: int) -> None:
        """One or two teams a business change milestone lands change days on."""
        rng = self.capacity_rng
        if not self.team_ids or rng.random() >= LOADED_SHARE:
            return
        for team_id in rng.sample(self.team_ids, rng.choice((1, 1, 2))):
            days = Decimal(rng.randint(2, 40)) / 2
            self.add("milestone_team_load", milestone_id=milestone_id, team_id=team_id, change_days=days)

    def programme(self) -> None:
        rng = self.rng
        number = self.ids["programme"]
        stage = rng.choices(STAGES, (8, 12, 60, 12, 8))[0]
        health = rng.choices(tuple(HEALTH), (78, 15, 7))[0]
        start = REFERENCE_DAY - timedelta(days=rng.randint(60, 900))
        end = start + timedelta(days=rng.randint(365, 1100))
        updated = REFERENCE_NOW - timedelta(days=int(rng.expovariate(1 / 12)), hours=3)
        pid = self.add(
            "programme",
            code=f"PRG-{number:05d}",
            name=f"{rng.choice(SUBJECTS)} {number}",
            directorate=rng.choice(DIRECTORATES),
            focus=rng.choice(("service_improvement", "cost_reduction", "both")),
            manager_id=rng.choice(self.user_ids[2:10]),
            stage=stage,
            paused=rng.random() < 0.04,
            start_date=start,
            baseline_end_date=end,
            forecast_end_date=end + timedelta(days={"on_track": 0, "slipping": 45, "troubled": 120}[health]),
            confidence=rng.choices(("green", "amber", "red", None), (45, 35, 10, 10))[0],
            last_update_at=None if rng.random() < 0.03 else updated,
        )
        done = self.milestones(pid, start, end, health, tech_only=rng.random() < 0.12)
        self.investments(pid, start, stage, done)
        self.benefits(pid, start, end, adoption=rng.random() < 0.75)
        for k in range(8):
            self.register_entry(pid, k)

    def milestones(self, pid: int, start: date, end: date, health: str, *, tech_only: bool) -> float:
        """Twenty milestones spread over the plan, with their history; returns the share done."""
        rng, done = self.rng, 0
        on_time, slip_days, rebaselined = HEALTH[health]
        for k, kind in enumerate(KINDS):
            kind = "it_delivery" if tech_only and kind == "business_change" else kind
            baseline = start + timedelta(days=(end - start).days * (k + 1) // 21)
            actual, status = None, "not_started"
            if baseline <= REFERENCE_DAY and rng.random() < on_time:
                actual = min(REFERENCE_DAY, baseline + timedelta(days=rng.randint(-5, 10)))
                forecast, status, done = actual, "complete", done + 1
            elif baseline <= REFERENCE_DAY:
                forecast, status = REFERENCE_DAY + timedelta(days=rng.randint(1, 60)), "in_progress"
            else:
                forecast = baseline + timedelta(days=rng.randint(*slip_days) if rng.random() < 0.3 else 0)
            mid, original = self.ids["milestone"], baseline
            created = datetime.combine(start, time(9), tzinfo=UTC)
            self.add("milestone_change", milestone_id=mid, kind="created", changed_at=created)
            if rng.random() < rebaselined:
                original = baseline - timedelta(days=rng.randint(30, 120))
                approved = REFERENCE_NOW - timedelta(days=rng.randint(5, 400))
                self.add(
                    "milestone_change", milestone_id=mid, kind="rebaseline_approved", changed_at=approved
                )
            self.add(
                "milestone",
                programme_id=pid,
                title=f"{kind.replace('_', ' ').capitalize()} stage {k + 1}",
                kind=kind,
                critical=rng.random() < 0.2,
                original_baseline_date=original,
                baseline_date=baseline,
                forecast_date=forecast,
                actual_date=actual,
                status=status,
            )
            if kind == "business_change" and status != "complete":
                self.team_loads(mid)
        return done / len(KINDS)

    def investments(self, pid: int, start: date, stage: str, done: float) -> None:
        """Five cost lines; some programmes overspend, some spend ahead of their milestones."""
        rng = self.rng
        overrun = rng.choices(
            (rng.uniform(0.95, 1.05), rng.uniform(1.1, 1.25), rng.uniform(1.25, 1.6)), (82, 12, 6)
        )
        burn = min(
            1.0, max(0.0, done + (rng.uniform(0.3, 0.5) if rng.random() < 0.06 else rng.uniform(-0.1, 0.1)))
        )
        undecided = stage == "idea" or (stage == "business_case" and rng.random() < 0.6)
        share = rng.uniform(0.55, 0.95) if rng.random() < 0.1 else 1.0
        for k, title in enumerate(COST_LINES):
            requested = rng.randrange(20_000, 1_500_000, 1_000)
            approved = 0 if undecided else requested * share
            self.add(
                "investment",
                programme_id=pid,
                title=title,
                cost_type="capital" if k in (1, 3) else "revenue",
                recurrence="recurring" if k == 0 else "one_off",
                financial_year=financial_year(start) + k // 2,
                requested=_pounds(requested),
                approved=_pounds(approved),
                forecast=_pounds(approved * overrun[0]),
                actual=_pounds(approved * overrun[0] * burn),
            )

    def benefits(self, pid: int, start: date, end: date, *, adoption: bool) -> None:
        """Four benefits, each with a planned trajectory and a year of monthly measurements."""
        rng = self.rng
        first, last = start + timedelta(days=60), end + timedelta(days=180)
        for k in range(4):
            title, kind, (measure, unit), direction, baseline, target = rng.choice(BENEFITS)
            realised = rng.choices(
                (rng.uniform(0.85, 1.1), rng.uniform(0.55, 0.8), rng.uniform(0.1, 0.5)), (92, 6, 2)
            )
            bid = self.add(
                "benefit",
                programme_id=pid,
                title=title,
                benefit_type=kind,
                measure=measure,
                unit=unit,
                direction=direction,
                adoption_measure=adoption and k == 1,
                baseline_value=Decimal(baseline),
                target_value=Decimal(target),
                owner="" if rng.random() < 0.02 else f"Service manager {k}",
            )
            for point in range(4):
                planned = baseline + (target - baseline) * point / 3
                on = first + (last - first) * point / 3
                self.add("trajectory_point", benefit_id=bid, on_date=on, value=Decimal(f"{planned:.2f}"))
            for month in range(12):
                on = REFERENCE_DAY - timedelta(days=30 * (11 - month) + 3)
                share = min(1.0, max(0.0, (on - first).days / (last - first).days))
                value = baseline + (target - baseline) * share * realised[0] * rng.uniform(0.97, 1.03)
                self.add("measurement", benefit_id=bid, on_date=on, value=Decimal(f"{value:.2f}"))

    def register_entry(self, pid: int, k: int) -> None:
        """A risk or issue; a few high scorers lack an owner or a mitigation."""
        rng = self.rng
        self.add(
            "register_entry",
            programme_id=pid,
            kind="issue" if rng.random() < 0.2 else "risk",
            title=f"Risk {k + 1}: {rng.choice(RISKS)}",
            likelihood=rng.randint(1, 5),
            impact=rng.randint(1, 5),
            owner="" if rng.random() < 0.04 else f"Risk owner {k}",
            mitigation="" if rng.random() < 0.05 else "Weekly supplier review",
            status="open" if rng.random() < 0.75 else "closed",
        )
