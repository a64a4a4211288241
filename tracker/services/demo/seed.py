"""Load a demo council with users, programmes and history that show every screen and every risk flag.

The portfolio itself is plain data in `demo_data`, easy to read and review; this module only turns
it into rows, with every date counted from `today` so the demo stays meaningful whenever it is loaded.
Then it rates the portfolio as it stood at the end of each of the last 12 weeks, and today, so trends,
change since last week and the 12-week chart show real history from the first sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from tracker.domain.calendar import financial_year, format_date
from tracker.domain.stage_models import SIMPLE
from tracker.extensions import db
from tracker.models import (
    ActionStatus,
    AuditAction,
    Benefit,
    ChangeKind,
    Decision,
    EntryKind,
    EntryStatus,
    GateRequest,
    Investment,
    Lesson,
    Measurement,
    Milestone,
    MilestoneChange,
    MilestoneDependency,
    MilestoneStatus,
    Programme,
    ProgrammeAction,
    ProgrammeMember,
    Rag,
    RebaselineRequest,
    RegisterEntry,
    RequestStatus,
    Role,
    StatusUpdate,
    TrajectoryPoint,
    User,
)
from tracker.models.types import utcnow
from tracker.services import audit
from tracker.services.accounts.users import find_by_email, hash_password
from tracker.services.demo.capacity import seed_capacity
from tracker.services.demo.data import (
    DEMO_USERS,
    DEPENDENCIES,
    OBJECTIVES,
    PROGRAMMES,
    Act,
    Ben,
    Cost,
    Dec,
    Learnt,
    Ms,
    Prog,
    Risk,
)
from tracker.services.demo.pipeline import seed_pipeline
from tracker.services.demo.whole_life import apply_whole_life
from tracker.services.ratings.scan import scan_portfolio

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published on purpose: it signs in to demo data only
DEMO_SIGN_INS: list[tuple[str, str]] = [(email, role) for _, email, _, role in DEMO_USERS]
THOUSAND = Decimal(1000)
QUARTER = 91
HISTORY_WEEKS = 12
RAGS = {"G": Rag.GREEN, "A": Rag.AMBER, "R": Rag.RED}


@dataclass(frozen=True)
class SeedResult:
    """What the seed did, for the CLI to print."""

    loaded: bool
    message: str
    users: int = 0
    programmes: int = 0
    milestones: int = 0
    investments: int = 0
    benefits: int = 0
    register_entries: int = 0
    status_updates: int = 0
    lessons: int = 0

    def summary(self) -> str:
        """Counts, then the sign-ins, so whoever ran `make demo` can log straight in."""
        if not self.loaded:
            return self.message
        lines = [
            self.message,
            f"  {self.users} users, {self.programmes} programmes, {self.milestones} milestones, "
            f"{self.investments} investment lines, {self.benefits} benefits, "
            f"{self.register_entries} register entries, {self.status_updates} status updates, "
            f"{self.lessons} lessons",
            f"Sign in as any of these with the password {DEMO_PASSWORD}:",
        ]
        lines += [f"  {email} ({role})" for email, role in DEMO_SIGN_INS]
        return "\n".join(lines)


@dataclass(frozen=True)
class _Context:
    """What every row builder needs: the day counted from, the moment now, and the demo users."""

    today: date
    now: datetime
    users: dict[str, User]

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def ago(self, days: int) -> datetime:
        return self.now - timedelta(days=days)


def seed_demo(today: date | None = None) -> SeedResult:
    """Load the demo council in one transaction; a database that has programmes is left alone."""
    existing = db.session.scalar(select(func.count(Programme.id))) or 0
    if existing:
        return SeedResult(False, f"Database already has {existing} programmes; demo not loaded.")
    today = today or date.today()
    users, created = _users()
    ctx = _Context(today, datetime.combine(today, utcnow().timetz()), users)
    programmes = [_programme(ctx, spec) for spec in PROGRAMMES]
    for programme in programmes:
        db.session.add_all(apply_whole_life(programme, today, user_id=users["admin"].id))
        audit.record(
            AuditAction.CREATE,
            programme,
            user_id=users["admin"].id,
            programme_id=programme.id,
            summary=f"Loaded demo council programme {programme.code}",
        )
    _gates(ctx, {programme.code: programme for programme in programmes})
    seed_capacity(user_id=users["admin"].id)
    seed_pipeline(today, {programme.code: programme for programme in programmes}, user_id=users["admin"].id)
    _dependencies(ctx, {programme.code: programme for programme in programmes})
    db.session.commit()
    _rating_history(ctx)
    return SeedResult(
        True,
        f"Loaded the demo council as at {format_date(today)}, with {HISTORY_WEEKS} weeks of ratings.",
        users=created,
        programmes=len(PROGRAMMES),
        milestones=sum(len(spec.milestones) for spec in PROGRAMMES),
        investments=sum(len(spec.costs) for spec in PROGRAMMES),
        benefits=sum(len(spec.benefits) for spec in PROGRAMMES),
        register_entries=sum(len(spec.risks) for spec in PROGRAMMES),
        status_updates=sum(_report_count(spec) for spec in PROGRAMMES),
        lessons=sum(len(spec.lessons) for spec in PROGRAMMES),
    )


def _gates(ctx: _Context, programmes: dict[str, Programme]) -> None:
    """The planning system's idea waits for its first gate, planned a month ahead; the telephony
    programme's closure gate was planned three weeks ago and is not yet asked for."""
    programmes["CCT-009"].planned_gate_date = ctx.today - timedelta(days=21)
    planning = programmes["PLN-011"]
    planning.planned_gate_date = ctx.today + timedelta(days=30)
    gate = SIMPLE.gates[0]
    db.session.add(
        GateRequest(
            programme_id=planning.id,
            gate_key=gate.key,
            gate_name=gate.name,
            from_stage=SIMPLE.stages[0].key,
            from_stage_name=SIMPLE.stages[0].name,
            to_stage=SIMPLE.stages[1].key,
            to_stage_name=SIMPLE.stages[1].name,
            approver_role=gate.approver.value,
            checklist=[
                {"item": gate.checklist[0], "met": True, "note": ""},
                {"item": gate.checklist[1], "met": False, "note": "The Place director is asked to be SRO"},
            ],
            summary="The contract ends in 2028; a replacement takes two years to procure and migrate.",
            requested_by_id=ctx.users["pm2"].id,
            requested_at=ctx.now - timedelta(days=3),
        )
    )


def _dependencies(ctx: _Context, programmes: dict[str, Programme]) -> None:
    """The milestones that wait for other programmes', on record since the waiting programme was."""
    db.session.flush()
    milestones = {
        (code, title): milestone_id
        for code, title, milestone_id in db.session.execute(
            select(Programme.code, Milestone.title, Milestone.id).join(Programme)
        )
    }
    for spec in DEPENDENCIES:
        since = programmes[spec.code].created_at
        db.session.add(
            MilestoneDependency(
                milestone_id=milestones[spec.code, spec.milestone],
                depends_on_id=milestones[spec.on_code, spec.on_milestone],
                needed_by=ctx.day(spec.needed_by),
                note=spec.note,
                updated_by_id=ctx.users["pm"].id,
                created_at=since,
                updated_at=since,
            )
        )


def _rating_history(ctx: _Context) -> None:
    """Rate the portfolio as it stood each Sunday of the last 12 weeks, oldest first, then today."""
    last_sunday = ctx.today - timedelta(days=ctx.today.isoweekday() % 7 or 7)
    for weeks in range(HISTORY_WEEKS - 1, -1, -1):
        scan_portfolio(as_of=last_sunday - timedelta(weeks=weeks), now=ctx.now)
    scan_portfolio(today=ctx.today, now=ctx.now)


def _users() -> tuple[dict[str, User], int]:
    """The demo users, reusing any that already exist (their passwords are left as they are)."""
    users, created, password_hash = {}, 0, hash_password(DEMO_PASSWORD)
    for key, email, name, role in DEMO_USERS:
        user = find_by_email(email)
        if user is None:
            user = User(email=email, name=name, role=Role(role), password_hash=password_hash)
            db.session.add(user)
            created += 1
        users[key] = user
    db.session.flush()
    return users, created


def _programme(ctx: _Context, spec: Prog) -> Programme:
    """One programme and everything that hangs off it."""
    manager = ctx.users[spec.manager] if spec.manager else None
    start, end, forecast_end = (ctx.day(offset) for offset in spec.dates)
    programme = Programme(
        code=spec.code,
        name=spec.name,
        description=spec.description,
        directorate=spec.directorate,
        strategic_objective=OBJECTIVES.get(spec.directorate, ""),
        focus=spec.focus,
        sro_name=spec.sro,
        manager=manager,
        stage=spec.stage,
        paused=spec.paused,
        start_date=start,
        baseline_end_date=end,
        forecast_end_date=forecast_end,
        confidence=spec.confidence,
        confidence_commentary=spec.commentary,
        change_plan=spec.change_plan,
        adoption_owner=spec.adoption_owner,
        last_update_at=ctx.ago(spec.updated),
        created_at=ctx.ago(max(-spec.dates[0], spec.updated)),
    )
    programme.members = [
        ProgrammeMember(user=ctx.users[key], role_title=title) for key, title in spec.members
    ]
    db.session.add(programme)
    db.session.flush()  # the rows below need the programme's id
    author = manager or ctx.users["cio"]
    for milestone in spec.milestones:
        _milestone(
            ctx, programme, milestone, author, since=max(-spec.dates[0], spec.updated), updated=spec.updated
        )
    # Everything is on record from the day the programme was, so ratings of past weeks see it.
    children = [_investment(ctx, programme, cost) for cost in spec.costs]
    children += [_benefit(ctx, programme, benefit, author) for benefit in spec.benefits]
    entries = _register(ctx, programme, spec.risks)
    children += entries
    children += _actions(ctx, programme, spec.actions, {entry.title: entry for entry in entries})
    children += [_decision(ctx, programme, decision) for decision in spec.decisions]
    for child in children:
        child.created_at = child.updated_at = programme.created_at
    db.session.add_all(children)
    db.session.add_all(_lesson(ctx, programme, lesson, author) for lesson in spec.lessons)
    _reports(ctx, programme, spec, author)
    return programme


def _milestone(
    ctx: _Context, programme: Programme, spec: Ms, author: User, *, since: int, updated: int
) -> None:
    """A milestone with the history that explains its dates: re-baselines, forecast moves, completion."""
    original, baseline = ctx.day(spec.original or spec.baseline), ctx.day(spec.baseline)
    done = spec.actual is not None
    forecast = ctx.day(spec.actual if done else (spec.forecast or spec.baseline))
    status = MilestoneStatus.NOT_STARTED
    if done:
        status = MilestoneStatus.COMPLETE
    elif spec.baseline <= QUARTER or spec.forecast is not None:
        status = MilestoneStatus.IN_PROGRESS
    milestone = Milestone(
        programme_id=programme.id,
        title=spec.title,
        kind=spec.kind,
        critical=spec.critical,
        owner=_milestone_owner(programme, spec),
        original_baseline_date=original,
        baseline_date=baseline,
        forecast_date=forecast,
        actual_date=ctx.day(spec.actual) if done else None,
        status=status,
        created_at=ctx.ago(since),
    )
    cio = ctx.users["cio"]
    history = [(ChangeKind.CREATED, None, original, "", since)]
    if spec.rebaselined is not None:
        asked = spec.rebaselined + 14
        history.append((ChangeKind.REBASELINE_REQUESTED, original, baseline, spec.reason, asked))
        history.append(
            (ChangeKind.REBASELINE_APPROVED, original, baseline, "Approved by the CIO", spec.rebaselined)
        )
        db.session.add(
            RebaselineRequest(
                milestone=milestone,
                from_date=original,
                proposed_date=baseline,
                reason=spec.reason,
                status=RequestStatus.APPROVED,
                requested_by=author,
                requested_at=ctx.ago(asked),
                decided_by=cio,
                decided_at=ctx.ago(spec.rebaselined),
                decision_note="Agreed at the portfolio board.",
            )
        )
    if not done and spec.forecast is not None:
        history.append((ChangeKind.FORECAST_MOVED, baseline, forecast, spec.reason, updated))
    if spec.pending is not None:
        proposed = ctx.day(spec.pending)
        history.append((ChangeKind.REBASELINE_REQUESTED, baseline, proposed, spec.reason, updated))
        db.session.add(
            RebaselineRequest(
                milestone=milestone,
                from_date=baseline,
                proposed_date=proposed,
                reason=spec.reason,
                requested_by=author,
                requested_at=ctx.ago(updated),
            )
        )
    if done:
        history.append((ChangeKind.ACTUAL_RECORDED, None, milestone.actual_date, "", max(-spec.actual, 0)))
    milestone.changes = [
        MilestoneChange(
            kind=kind,
            from_value=_iso(old),
            to_value=_iso(new),
            reason=reason,
            changed_by=cio if kind == ChangeKind.REBASELINE_APPROVED else author,
            changed_at=ctx.ago(days_ago),
        )
        for kind, old, new, reason, days_ago in history
    ]
    db.session.add(milestone)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _milestone_owner(programme: Programme, spec: Ms) -> str:
    """Governance sits with the SRO, business change with the service, the rest with the manager."""
    if spec.kind == "governance":
        return programme.sro_name
    if spec.kind == "business_change" and programme.adoption_owner:
        return programme.adoption_owner
    return programme.manager.name if programme.manager else "Programme team"


def _investment(ctx: _Context, programme: Programme, spec: Cost) -> Investment:
    return Investment(
        programme_id=programme.id,
        title=spec.title,
        cost_type=spec.cost_type,
        recurrence=spec.recurrence,
        financial_year=financial_year(ctx.today) + spec.year,
        category=spec.category,
        requested=_thousands(spec.requested),
        approved=_thousands(spec.approved),
        forecast=_thousands(spec.forecast),
        actual=_thousands(spec.actual),
    )


def _thousands(amount: int | None) -> Decimal | None:
    """Demo amounts are in thousands of pounds; None stays not known."""
    return None if amount is None else amount * THOUSAND


def _benefit(ctx: _Context, programme: Programme, spec: Ben, author: User) -> Benefit:
    """A benefit with its quarterly plan; measurements fall on the plan's dates, taken in order."""
    dates = [ctx.day(spec.start + QUARTER * n) for n in range(len(spec.planned))]
    return Benefit(
        programme_id=programme.id,
        title=spec.title,
        benefit_type=spec.kind,
        measure=spec.measure,
        unit=spec.unit,
        direction=spec.direction,
        adoption_measure=spec.adoption,
        baseline_value=Decimal(spec.planned[0]),
        baseline_date=dates[0],
        target_value=Decimal(spec.planned[-1]),
        target_date=dates[-1],
        owner=spec.owner,
        status=spec.status,
        status_reason=spec.reason,
        handed_over_on=None if spec.handed_over is None else ctx.day(spec.handed_over),
        trajectory=[
            TrajectoryPoint(on_date=d, value=Decimal(v)) for d, v in zip(dates, spec.planned, strict=True)
        ],
        measurements=[
            Measurement(
                on_date=d,
                value=Decimal(v),
                recorded_by=author,
                recorded_at=ctx.ago(max((ctx.today - d).days - 3, 0)),
            )
            for d, v in zip(dates, spec.measured, strict=False)
        ],
    )


def _lesson(ctx: _Context, programme: Programme, spec: Learnt, author: User) -> Lesson:
    """A lesson as the programme's manager recorded it, `recorded` days ago."""
    at = ctx.ago(spec.recorded)
    return Lesson(
        programme_id=programme.id,
        kind=spec.kind,
        title=spec.title,
        what_happened=spec.what_happened,
        recommendation=spec.recommendation,
        recorded_by=author,
        recorded_at=at,
        created_at=at,
        updated_at=at,
    )


def _register(ctx: _Context, programme: Programme, risks: tuple[Risk, ...]) -> list[RegisterEntry]:
    """Register entries; an issue points back at the risk it grew from."""
    entries: dict[str, RegisterEntry] = {}
    for spec in risks:
        entries[spec.title] = RegisterEntry(
            programme_id=programme.id,
            kind=EntryKind.ISSUE if spec.issue else EntryKind.RISK,
            title=spec.title,
            likelihood=spec.likelihood,
            impact=spec.impact,
            owner=spec.owner,
            mitigation=spec.mitigation,
            status=EntryStatus.CLOSED if spec.closed else EntryStatus.OPEN,
            review_date=None if spec.closed else ctx.day(30),
            raised_from=entries[spec.raised_from] if spec.raised_from else None,
        )
    return list(entries.values())


def _actions(
    ctx: _Context, programme: Programme, actions: tuple[Act, ...], entries: dict[str, RegisterEntry]
) -> list[ProgrammeAction]:
    """Actions, each pointing at the risk or issue it answers."""
    return [
        ProgrammeAction(
            programme_id=programme.id,
            title=spec.title,
            owner=spec.owner,
            due_date=None if spec.due is None else ctx.day(spec.due),
            status=ActionStatus.OPEN if spec.done is None else ActionStatus.DONE,
            done_on=None if spec.done is None else ctx.day(spec.done),
            entry=entries[spec.responds_to] if spec.responds_to else None,
        )
        for spec in actions
    ]


def _decision(ctx: _Context, programme: Programme, spec: Dec) -> Decision:
    return Decision(
        programme_id=programme.id,
        title=spec.title,
        detail=spec.detail,
        decided_by=spec.decided_by,
        decided_on=None if spec.on is None else ctx.day(spec.on),
        status=spec.status,
    )


def _report_count(spec: Prog) -> int:
    """Ideas do not report yet; others have their latest report, and some the one before."""
    if spec.stage == "idea":
        return 0
    return 2 if spec.earlier else 1


def _reports(ctx: _Context, programme: Programme, spec: Prog, author: User) -> None:
    """Submitted highlight reports: the latest on the day of the last update, the earlier a month before."""
    narratives = [spec.commentary, spec.earlier][: _report_count(spec)]
    schedule, cost, benefits, resources = (RAGS[letter] for letter in spec.rags or "AAAA")
    for n, narrative in enumerate(narratives):
        submitted = ctx.ago(spec.updated + 28 * n)
        db.session.add(
            StatusUpdate(
                programme_id=programme.id,
                period_start=submitted.date() - timedelta(days=27),
                period_end=submitted.date(),
                overall=spec.confidence or Rag.AMBER,
                schedule=schedule,
                cost=cost,
                benefits=benefits,
                resources=resources,
                narrative=narrative,
                author=author,
                created_at=submitted,
                submitted_at=submitted,
            )
        )
