"""Dependencies between programmes through the services: recorded with every rule checked, audited on both
programmes, and re-rating the waiting programme at once, whether its dependency or the predecessor's dates
change; read in a fixed number of queries; and replayed to a past day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.services.test_risk_scan import (
    add_full_programmes,
    add_milestone,
    add_programme,
    counting_queries,
    latest,
)
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    ChangeKind,
    MilestoneChange,
    MilestoneDependency,
    MilestoneStatus,
    Programme,
    Rag,
    Role,
    Stage,
)
from tracker.services.dependencies import reads, records
from tracker.services.dependencies.records import NewDependency
from tracker.services.errors import Invalid
from tracker.services.milestones import records as milestones
from tracker.services.ratings.scan import scan_portfolio
from tracker.services.ratings.snapshots import load_portfolio

SCAN_AT = datetime(2027, 3, 10, 6, 0, tzinfo=UTC)
NOW = datetime(2027, 3, 10, 14, 5, tzinfo=UTC)
TODAY = date(2027, 3, 10)
NEEDED = date(2027, 5, 1)


@pytest.fixture(autouse=True)
def afternoon(time_machine) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def pm(make_user):
    return make_user(Role.PROGRAMME_MANAGER, name="Pat Manager")


@pytest.fixture
def pair():
    """DAT-005's dashboards and FIN-002's finance go-live (forecast 20 April), rated by the morning scan."""
    finance = add_programme(code="FIN-002", name="Finance system")
    go_live = add_milestone(finance, "Finance go-live", date(2027, 4, 20), forecast_date=date(2027, 4, 20))
    data = add_programme(code="DAT-005", name="Data platform")
    dashboards = add_milestone(data, "Dashboards live", date(2027, 6, 1), forecast_date=date(2027, 6, 1))
    db.session.commit()
    scan_portfolio(today=TODAY, now=SCAN_AT)
    return data, dashboards, finance, go_live


def wanted(dashboards, go_live, **changes) -> NewDependency:
    values = {
        "milestone_id": dashboards.id,
        "predecessor_code": "fin-002 ",
        "predecessor_milestone_id": go_live.id,
        "needed_by": NEEDED,
        "note": "The dashboards read the new ledger",
    }
    return NewDependency(**(values | changes))


def rules(programme: Programme) -> list[str]:
    return [flag["rule"] for flag in latest(programme).flags]


def move_forecast(programme, milestone, to: date, pm) -> None:
    row = milestones.Progress(
        milestone.id, milestone.version, to, None, MilestoneStatus.IN_PROGRESS, "Supplier"
    )
    milestones.update_progress(programme, user=pm, updates=[row], today=TODAY)


def test_a_dependency_is_recorded_audited_on_both_programmes_and_rates_the_waiting_one(app, pm, pair) -> None:
    data, dashboards, finance, go_live = pair
    dependency = records.add_dependency(data, wanted(dashboards, go_live), user=pm)

    assert (dependency.milestone_id, dependency.depends_on_id, dependency.needed_by) == (
        dashboards.id,
        go_live.id,
        NEEDED,
    )
    summaries = {
        programme_id: summary
        for programme_id, summary in db.session.execute(select(AuditEvent.programme_id, AuditEvent.summary))
        if summary and "waits" in summary
    }
    assert summaries == {
        data.id: "Dashboards live now waits for FIN-002 Finance go-live, needed by 1 May 2027",
        finance.id: "DAT-005 Dashboards live now waits for Finance go-live, needed by 1 May 2027",
    }
    row = latest(data)
    assert (row.trigger, row.triggered_by_id, row.rating) == ("dependency", pm.id, Rag.GREEN)
    assert latest(finance).trigger == "scan"  # what it waits for changed, not the predecessor


def test_moving_the_predecessors_forecast_past_the_needed_by_date_flags_the_dependant_at_once(
    app, pm, pair
) -> None:
    data, dashboards, finance, go_live = pair
    records.add_dependency(data, wanted(dashboards, go_live), user=pm)

    move_forecast(finance, go_live, date(2027, 5, 13), pm)

    row = latest(data)
    assert (row.rating, row.trigger, row.triggered_by_id) == (Rag.AMBER, "dependency", pm.id)
    assert [flag["message"] for flag in row.flags] == [
        "Depends on FIN-002 Finance go-live, forecast for 13 May 2027, needed by 1 May 2027 "
        "for Dashboards live: 12 days late"
    ]
    assert row.flags[0]["subject"] == {"kind": "milestone", "id": dashboards.id}
    holding = reads.programme_dependencies(finance.id, today=TODAY).holding_up
    assert [(line.waiting_code, line.gap) for line in holding] == [("DAT-005", "12 days late")]

    move_forecast(finance, go_live, date(2027, 4, 30), pm)
    assert rules(data) == [] and latest(data).rating == Rag.GREEN


def test_removing_a_dependency_clears_its_flag_and_is_audited(app, pm, pair) -> None:
    data, dashboards, _, go_live = pair
    dependency = records.add_dependency(
        data, wanted(dashboards, go_live, needed_by=date(2027, 4, 1)), user=pm
    )
    assert rules(data) == ["dependency_late"]

    name = records.remove_dependency(data, dependency.id, user=pm, expected_version=dependency.version)

    assert name == "FIN-002 Finance go-live"
    assert rules(data) == []
    assert db.session.scalar(select(MilestoneDependency)) is None
    removed = db.session.scalars(select(AuditEvent.summary).where(AuditEvent.action == "delete")).all()
    assert sorted(removed) == [
        "DAT-005 Dashboards live no longer waits for Finance go-live, needed by 1 April 2027",
        "Dashboards live no longer waits for FIN-002 Finance go-live, needed by 1 April 2027",
    ]


def test_every_problem_is_named_at_once(app, pm, pair) -> None:
    data, _, _, go_live = pair
    with pytest.raises(Invalid) as refused:
        records.add_dependency(
            data,
            NewDependency(None, "NOPE-1", go_live.id, None, "x" * 2001),
            user=pm,
        )
    assert refused.value.problems == [
        ("milestone_id", "Choose the milestone that waits"),
        ("predecessor_code", "There is no programme NOPE-1"),
        ("needed_by", "Enter the date it is needed by"),
        ("note", "Note must be 2,000 characters or fewer"),
    ]


OWN = (
    "A milestone cannot depend on a milestone of its own programme: "
    "order them in the programme's own plan instead"
)


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"milestone_id": 10**6}, ("milestone_id", "There is no such milestone in this programme")),
        ({"predecessor_code": "DAT-005"}, ("predecessor_code", OWN)),
        ({"predecessor_code": ""}, ("predecessor_code", "Enter the code of the programme it waits for")),
        ({"predecessor_milestone_id": None}, ("predecessor_milestone_id", "Choose the milestone it waits for")),  # noqa: E501
        ({"predecessor_milestone_id": 10**12}, ("predecessor_milestone_id", "FIN-002 has no such milestone")),
    ],
)  # fmt: skip
def test_what_cannot_be_a_dependency_is_refused(app, pm, pair, changes, problem) -> None:
    data, dashboards, _, go_live = pair
    with pytest.raises(Invalid) as refused:
        records.add_dependency(data, wanted(dashboards, go_live, **changes), user=pm)
    assert refused.value.problems == [problem]
    assert db.session.scalar(select(MilestoneDependency)) is None


def test_a_done_milestone_waits_for_nothing_and_a_pair_is_recorded_once(app, pm, pair) -> None:
    data, dashboards, _, go_live = pair
    records.add_dependency(data, wanted(dashboards, go_live), user=pm)
    with pytest.raises(Invalid) as twice:
        records.add_dependency(data, wanted(dashboards, go_live), user=pm)
    assert twice.value.problems == [
        ("predecessor_milestone_id", "Dashboards live already waits for FIN-002 Finance go-live")
    ]
    done = add_milestone(data, "Discovery", date(2026, 9, 1), actual_date=date(2026, 9, 1))
    done.status = MilestoneStatus.COMPLETE
    db.session.commit()
    with pytest.raises(Invalid) as finished:
        records.add_dependency(data, wanted(done, go_live), user=pm)
    assert finished.value.problems == [
        ("milestone_id", "Discovery is done or cancelled: it waits for nothing now")
    ]


def test_a_dependency_closing_a_loop_is_refused_naming_the_loop(app, pm, pair) -> None:
    data, dashboards, finance, go_live = pair
    care = add_programme(code="ASC-004", name="Social care")
    training = add_milestone(care, "Social workers trained", date(2027, 3, 30))
    db.session.commit()
    records.add_dependency(data, wanted(dashboards, go_live), user=pm)
    records.add_dependency(
        care, NewDependency(training.id, "DAT-005", dashboards.id, date(2027, 7, 1)), user=pm
    )
    with pytest.raises(Invalid) as refused:
        records.add_dependency(
            finance, NewDependency(go_live.id, "ASC-004", training.id, date(2027, 4, 1)), user=pm
        )
    assert refused.value.problems == [
        (
            "predecessor_milestone_id",
            "That would make a loop: FIN-002 Finance go-live would wait for ASC-004 Social workers trained, "
            "which waits for DAT-005 Dashboards live, which waits for FIN-002 Finance go-live. "
            "A milestone cannot wait, even through others, for itself.",
        )
    ]


def test_deleting_a_predecessor_removes_its_dependencies_and_rerates_the_dependants(app, pm, pair) -> None:
    data, dashboards, finance, go_live = pair
    records.add_dependency(data, wanted(dashboards, go_live, needed_by=date(2027, 4, 1)), user=pm)
    assert rules(data) == ["dependency_late"]

    milestones.delete_milestone(finance, go_live.id, user=pm, expected_version=go_live.version)

    assert db.session.scalar(select(MilestoneDependency)) is None
    assert rules(data) == [] and latest(data).trigger == "dependency"
    summaries = db.session.scalars(select(AuditEvent.summary).where(AuditEvent.programme_id == data.id)).all()
    assert (
        "Dashboards live no longer waits for FIN-002 Finance go-live, needed by 1 April 2027 "
        "(Finance go-live was deleted)" in summaries
    )


def test_a_closed_programme_waiting_is_not_rerated(app, pm, pair) -> None:
    data, dashboards, finance, go_live = pair
    records.add_dependency(data, wanted(dashboards, go_live), user=pm)
    data.stage = Stage.CLOSED
    db.session.commit()
    before = latest(data).id
    move_forecast(finance, go_live, date(2027, 6, 1), pm)
    assert latest(data).id == before


def test_the_portfolio_list_picks_the_late_ones_as_the_rule_does(app, pm) -> None:
    """Each kind of predecessor, late or not: the SQL that pages and counts agrees with the rule."""
    waiting = add_programme(code="WAI-001")
    cases = {
        "forecast late": ({"forecast_date": date(2027, 5, 2)}, True),
        "forecast on the day": ({"forecast_date": NEEDED}, False),
        "done late": ({"actual_date": date(2027, 3, 5), "status": MilestoneStatus.COMPLETE}, True),
        "done in time": ({"actual_date": date(2027, 2, 1), "status": MilestoneStatus.COMPLETE}, False),
        "open past its date": ({"forecast_date": date(2027, 3, 1)}, True),
        "cancelled": ({"status": MilestoneStatus.CANCELLED}, True),
        "baseline late": ({}, True),
    }
    needed = {
        "done late": date(2027, 3, 1),
        "done in time": date(2027, 3, 1),
        "open past its date": date(2027, 3, 5),
    }
    for number, (name, (values, _)) in enumerate(cases.items()):
        other = add_programme(code=f"PRE-{number:03d}")
        before = add_milestone(other, name, date(2027, 5, 10), **values)
        mine = add_milestone(waiting, f"Waits for {name}", date(2027, 6, 1))
        db.session.add(
            MilestoneDependency(
                milestone_id=mine.id, depends_on_id=before.id, needed_by=needed.get(name, NEEDED)
            )
        )
    db.session.commit()

    page = reads.portfolio_dependencies(today=TODAY)
    late = {line.predecessor_title for line in page.lines if line.late}
    assert late == {name for name, (_, is_late) in cases.items() if is_late}
    assert (page.total, page.late) == (len(cases), len(late))
    assert [line.late for line in page.lines] == sorted((line.late for line in page.lines), reverse=True)
    only_late = reads.portfolio_dependencies(today=TODAY, late_only=True)
    assert {line.predecessor_title for line in only_late.lines} == late
    snapshot = next(s for s in load_portfolio().snapshots if s.code == "WAI-001")
    from tracker.domain.rules_dependencies import dependency_late
    from tracker.domain.thresholds import Thresholds

    flagged = {
        flag.evidence["predecessor_milestone"] for flag in dependency_late(snapshot, TODAY, Thresholds())
    }
    assert flagged == late


def test_reads_cost_the_same_queries_whatever_the_portfolio_size(app) -> None:
    def queries() -> tuple[int, int, int]:
        first = db.session.scalars(select(Programme).order_by(Programme.id)).first()
        with counting_queries() as one:
            reads.programme_dependencies(first.id, today=TODAY)
        with counting_queries() as many:
            reads.portfolio_dependencies(today=TODAY)
        with counting_queries() as waiting:
            reads.waiting_on([first.id])
        return len(one), len(many), len(waiting)

    add_full_programmes(3)
    with_three = queries()
    add_full_programmes(40)
    assert queries() == with_three == (2, 2, 1)


def test_a_past_days_rating_reads_the_predecessor_as_it_stood(app, pm, pair) -> None:
    _, dashboards, _, go_live = pair
    data = pair[0]
    dependency = records.add_dependency(data, wanted(dashboards, go_live), user=pm)
    dependency.created_at, data.created_at = NOW - timedelta(days=30), NOW - timedelta(days=90)
    go_live.forecast_date = date(2027, 5, 20)  # moved last week from 20 April
    db.session.add(
        MilestoneChange(
            milestone_id=go_live.id,
            kind=ChangeKind.FORECAST_MOVED,
            from_value="2027-04-20",
            to_value="2027-05-20",
            changed_at=NOW - timedelta(days=7),
        )
    )
    db.session.commit()

    def waits(as_of: date | None):
        snapshot = next(s for s in load_portfolio(as_of).snapshots if s.code == "DAT-005")
        return [(d.predecessor.forecast_date, d.needed_by) for d in snapshot.dependencies]

    assert waits(None) == [(date(2027, 5, 20), NEEDED)]
    assert waits(TODAY - timedelta(days=14)) == [(date(2027, 4, 20), NEEDED)]
    assert waits(TODAY - timedelta(days=60)) == []  # not recorded yet
