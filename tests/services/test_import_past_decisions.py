"""Change requests and gate decisions taken before the tracker, imported as history: recorded as they
were, moving nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from tests.services.test_import_registers import PROGRAMMES, problems, run, workbook
from tracker.domain.calendar import london_today
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    GateRequest,
    GateStatus,
    Programme,
    RiskAssessment,
    Role,
    Stage,
)
from tracker.models.types import utcnow

HEADER = [
    "Programme code",
    "Change request",
    "Kind",
    "Status",
    "Impact",
    "Baseline end date from",
    "Baseline end date to",
    "Whole-life baseline from",
    "Whole-life baseline to",
    "Decided by",
    "Decided on",
    "Decision note",
]
PROGRAMME = [
    ["Code", "Name", "Directorate", "Focus", "Baseline end date", "Whole-life cost"],
    ["DIG-001", "Front door", "Customer", "Both", "31/03/2027", "£2m"],
]


def test_decided_change_requests_are_recorded_and_move_no_baseline(app, make_user) -> None:
    cio = make_user(Role.CIO, name="Chris Io")
    assert run(workbook(Programmes=PROGRAMME), user=cio).committed
    ratings = db.session.scalar(select(func.count()).select_from(RiskAssessment))
    data = workbook(
        Change_requests=[
            HEADER,
            [
                "DIG-001",
                "Move go-live to summer",
                "Time",
                "Approved",
                "Three months later",
                "31/03/2026",
                "30/06/2026",
                None,
                None,
                "Chris Io",
                "12/01/2026",
                "Board content",
            ],
            [
                "DIG-001",
                "Add the app",
                "Cost",
                "Rejected",
                "More money",
                None,
                None,
                "£1.5m",
                "£2.5m",
                "Digital board",
                "01/02/2026",
                "No money this year",
            ],
        ]
    )
    report = run(data, user=cio)
    assert problems(report) == [] and report.committed
    assert report.change_requests_created == 2 and report.has_programmes is False
    assert "change requests 2 new, 0 updated" in report.summary()
    programme = db.session.scalar(select(Programme))
    assert programme.baseline_end_date == date(2027, 3, 31)  # history: nothing moved
    assert programme.whole_life_baseline == Decimal("2000000.00")
    assert db.session.scalar(select(func.count()).select_from(RiskAssessment)) == ratings
    requests = {r.title: r for r in db.session.scalars(select(ChangeRequest))}
    time = requests["Move go-live to summer"]
    assert (time.kind, time.status, time.from_end_date, time.proposed_end_date) == (
        ChangeRequestKind.TIME,
        ChangeRequestStatus.APPROVED,
        date(2026, 3, 31),
        date(2026, 6, 30),
    )
    assert time.decided_by_id == cio.id and time.decision_note == "Board content"
    assert time.decided_at.astimezone().date() in (date(2026, 1, 11), date(2026, 1, 12))
    cost = requests["Add the app"]
    assert (cost.from_whole_life_baseline, cost.proposed_whole_life_baseline) == (
        Decimal("1500000.00"),
        Decimal("2500000.00"),
    )
    assert cost.decided_by_id is None  # a board is no user: the note says who decided
    assert cost.decision_note == "Decided by Digital board. No money this year"
    summaries = set(db.session.scalars(select(AuditEvent.summary)))
    assert (
        "Recorded the change request 'Move go-live to summer', approved on 12 January 2026: "
        "history from before the tracker, nothing moved by import of raid.xlsx"
    ) in summaries
    again = run(data, user=cio)  # already recorded: left as it is
    assert problems(again) == [] and again.change_requests_created == 0


def test_a_change_request_row_that_is_not_a_decision_taken_is_a_problem(app, make_user) -> None:
    cio = make_user(Role.CIO)
    tomorrow = london_today(utcnow()) + timedelta(days=1)
    data = workbook(
        Programmes=PROGRAMMES,
        Change_requests=[
            HEADER,
            [
                "DIG-001",
                "Still waiting",
                "Scope",
                "Pending",
                "Wider",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                "DIG-001",
                "No date",
                "Time",
                "Approved",
                "Later",
                None,
                "30/06/2026",
                None,
                None,
                None,
                None,
                None,
            ],
            [
                "DIG-001",
                "No reason",
                "Scope",
                "Rejected",
                "Wider",
                None,
                None,
                None,
                None,
                None,
                "01/02/2026",
                None,
            ],
            ["DIG-001", "Future", "Cost", "Approved", None, None, None, None, None, None, tomorrow, None],
        ],
    )
    report = run(data, user=cio)
    assert not report.committed
    assert problems(report) == [
        "Change requests row 2, Status (D): Give the decision taken (approved, rejected or withdrawn): "
        "a change request still waiting is raised in the tracker, not imported",
        "Change requests row 3, Decided on (K): Give the date it was decided",
        "Change requests row 4, Decision note (L): Say why the change request was rejected",
        "Change requests row 5, Impact (E): "
        "Describe the impact the change had on the programme and the service",
        "Change requests row 5, Whole-life baseline to (I): "
        "A cost change request needs the new whole-life cost baseline it asked for",
        "Change requests row 5, Decided on (K): "
        "A decision already taken has no date to come: use today or an earlier date",
    ]
    assert db.session.scalar(select(func.count()).select_from(ChangeRequest)) == 0


def test_only_a_decider_records_past_change_decisions_and_not_into_a_closed_programme(app, make_user) -> None:
    manager = make_user(Role.PROGRAMME_MANAGER)
    programmes = [[*PROGRAMMES[0], "Programme manager"], [*PROGRAMMES[1], manager.email]]
    assert run(workbook(Programmes=programmes)).committed
    row = [
        "DIG-001",
        "Wider scope",
        "Scope",
        "Approved",
        "Wider",
        None,
        None,
        None,
        None,
        None,
        "01/02/2026",
        None,
    ]
    data = workbook(Change_requests=[HEADER, row])
    assert problems(run(data, user=manager)) == [
        "Change requests row 2: Only a CIO or an admin can record a change request's decision"
    ]
    db.session.execute(Programme.__table__.update().values(stage="closed"))
    db.session.commit()
    assert problems(run(data, user=make_user(Role.ADMIN))) == [
        "Change requests row 2: DIG-001 is closed, so its change requests cannot change: reopen it first"
    ]


GATES = [
    "Programme code",
    "Gate",
    "Status",
    "The case for passing",
    "Conditions",
    "Decision note",
    "Decided by",
    "Decided on",
]


def test_past_gate_decisions_are_recorded_from_the_stage_model_and_move_no_stage(app, make_user) -> None:
    cio = make_user(Role.CIO, name="Chris Io")
    assert run(workbook(Programmes=PROGRAMMES), user=cio).committed
    data = workbook(
        Gate_decisions=[
            GATES,
            [
                "DIG-001",
                "idea approved",
                "Deferred",
                "Outcome set",
                None,
                "No sponsor yet",
                "Chris Io",
                "10/01/2025",
            ],
            [
                "DIG-001",
                "Idea approved",
                "Passed",
                "Sponsor found",
                "Report in May",
                None,
                "Cabinet",
                "10/03/2025",
            ],
        ]
    )
    report = run(data, user=cio)
    assert problems(report) == [] and report.gates_created == 2
    assert ("gate decisions", 2, 0) in report.register_counts()
    assert db.session.scalar(select(Programme.stage)) is Stage.IDEA  # history: the stage did not move
    gates = db.session.scalars(select(GateRequest).order_by(GateRequest.requested_at)).all()
    deferred, approved = gates
    assert (deferred.status, deferred.decided_by_id, deferred.decision_note) == (
        GateStatus.DEFERRED,
        cio.id,
        "No sponsor yet",
    )
    assert (approved.gate_key, approved.from_stage_name, approved.to_stage_name, approved.approver_role) == (
        "idea",
        "Idea",
        "Business case",
        "cio",
    )
    assert (approved.status, approved.conditions, approved.decided_by_id) == (
        GateStatus.APPROVED,
        "Report in May",
        None,
    )
    assert approved.decision_note == "Decided by Cabinet."
    summaries = set(db.session.scalars(select(AuditEvent.summary)))
    assert (
        "Recorded the “Idea approved” gate decision, approved on 10 March 2025: "
        "history from before the tracker, the stage did not move by import of raid.xlsx"
    ) in summaries
    assert run(data, user=cio).gates_created == 0  # already recorded: left as it is


def test_a_gate_row_must_name_a_gate_of_the_model_and_a_decision_taken(app, make_user) -> None:
    cio = make_user(Role.CIO)
    assert run(workbook(Programmes=PROGRAMMES), user=cio).committed
    data = workbook(
        Gate_decisions=[
            GATES,
            ["DIG-001", "Gate 0", "Approved", None, None, None, None, "10/01/2025"],
            ["DIG-001", "Idea approved", "Waiting for a decision", None, None, None, None, "10/01/2025"],
            ["DIG-001", "Business case approved", "Rejected", None, None, None, None, "10/02/2025"],
            ["DIG-001", "Ready to close", "Approved", None, None, None, None, None],
        ]
    )
    assert problems(run(data, user=cio)) == [
        "Gate decisions row 2, Gate (B): The council's stage model has no gate called 'Gate 0': "
        "its gates are Idea approved, Business case approved, Ready to close, Closure",
        "Gate decisions row 3, Status (C): Give the decision taken (approved, deferred, rejected or "
        "withdrawn): a gate still waiting is asked for in the tracker, not imported",
        "Gate decisions row 4, Decision note (F): "
        "Enter the reason for rejecting: the programme manager reads it",
        "Gate decisions row 5, Decided on (H): Give the date the gate was decided",
    ]
    manager = make_user(Role.PROGRAMME_MANAGER)
    db.session.execute(Programme.__table__.update().values(manager_id=manager.id))
    db.session.commit()
    fine = workbook(
        Gate_decisions=[GATES, ["DIG-001", "Idea approved", "Approved", None, None, None, None, "10/01/2025"]]
    )
    assert problems(run(fine, user=manager)) == [
        "Gate decisions row 2: The CIO or an admin can record the “Idea approved” gate's decision, not you"
    ]
    assert db.session.scalar(select(func.count()).select_from(GateRequest)) == 0
