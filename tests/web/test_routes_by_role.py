"""Every route in the URL map, for every role: the status a user gets.

A route without an entry in tests/web/routes/ fails the completeness test, so none is forgotten."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.routes import ANON, ROLES, Route, all_routes
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitType,
    ChangeRequest,
    ChangeRequestKind,
    CostType,
    Decision,
    Direction,
    EntryKind,
    Focus,
    GateRequest,
    Investment,
    Lesson,
    LessonKind,
    Milestone,
    MilestoneDependency,
    MilestoneKind,
    PipelineScenario,
    Programme,
    ProgrammeAction,
    Rag,
    RebaselineRequest,
    Recurrence,
    RegisterEntry,
    Role,
    ScimToken,
    ServiceTeam,
    Stage,
    StatusUpdate,
    User,
)
from tracker.services.accounts.tokens import create_token

ROUTES = all_routes()


def build_world(signed_in: User | None, make_user) -> dict[str, object]:
    """Two programmes: one the signed-in user manages (when a programme manager), one not theirs."""
    outsider = make_user(Role.PROGRAMME_MANAGER, name="Someone Else")
    manager_id = signed_in.id if signed_in and signed_in.role is Role.PROGRAMME_MANAGER else outsider.id
    ids: dict[str, object] = {"user": outsider.id}
    team = ServiceTeam(name="Revenues and benefits", directorate="Resources", monthly_capacity=Decimal(30))
    db.session.add(team)
    db.session.flush()
    ids["team"] = team.id
    for key, code, manager in (("own", "OWN-001", manager_id), ("other", "OTH-001", outsider.id)):
        programme = Programme(
            code=code,
            name=f"{key} programme",
            directorate="Resources",
            focus=Focus.BOTH,
            stage=Stage.DELIVERY,
            manager_id=manager,
            start_date=date(2026, 4, 1),
            baseline_end_date=date(2027, 3, 31),
        )
        db.session.add(programme)
        db.session.flush()
        milestone = Milestone(
            programme_id=programme.id,
            title="Go-live",
            kind=MilestoneKind.IT_DELIVERY,
            original_baseline_date=date(2026, 12, 1),
            baseline_date=date(2026, 12, 1),
        )
        investment = Investment(
            programme_id=programme.id,
            title="Licences",
            cost_type=CostType.REVENUE,
            recurrence=Recurrence.RECURRING,
            financial_year=2026,
            requested=Decimal("1000"),
            approved=Decimal("1000"),
        )
        benefit = Benefit(
            programme_id=programme.id,
            title="Faster assessments",
            benefit_type=BenefitType.SERVICE_IMPROVEMENT,
            direction=Direction.LOWER,
            unit="days",
            owner="Head of Service",
        )
        entry = RegisterEntry(
            programme_id=programme.id,
            kind=EntryKind.RISK,
            title="Supplier capacity",
            likelihood=3,
            impact=3,
        )
        update = StatusUpdate(
            programme_id=programme.id,
            period_start=date(2026, 11, 1),
            period_end=date(2026, 11, 30),
            overall=Rag.AMBER,
            schedule=Rag.AMBER,
            cost=Rag.GREEN,
            benefits=Rag.GREEN,
            resources=Rag.AMBER,
            narrative="Supplier capacity is the worry.",
        )
        lesson = Lesson(
            programme_id=programme.id,
            kind=LessonKind.DO_DIFFERENTLY,
            title="Book supplier capacity early",
            what_happened="The supplier had no one free for the data migration.",
        )
        db.session.add_all([milestone, investment, benefit, entry, update, lesson])
        db.session.flush()
        request = RebaselineRequest(
            milestone_id=milestone.id, proposed_date=date(2027, 1, 15), reason="Supplier"
        )
        gate = GateRequest(
            programme_id=programme.id,
            gate_key="delivery",
            gate_name="Ready to close",
            from_stage="delivery",
            from_stage_name="Delivery",
            to_stage="closing",
            to_stage_name="Closing",
            approver_role="cio",
            checklist=[{"item": "Milestones delivered or cancelled", "met": True, "note": ""}],
            summary="All delivered.",
        )
        change = ChangeRequest(
            programme_id=programme.id,
            kind=ChangeRequestKind.SCOPE,
            title="Add the library service",
            impact="Two more months",
            requested_by_id=signed_in.id if signed_in else outsider.id,
        )
        action = ProgrammeAction(programme_id=programme.id, title="Confirm staffing", owner="Ann")
        decision = Decision(programme_id=programme.id, title="Go with the framework", decided_by="Board")
        db.session.add_all([request, gate, change, action, decision])
        db.session.flush()
        ids.update({f"{key}_action": action.id, f"{key}_decision": decision.id})
        ids.update(
            {
                key: code,
                f"{key}_milestone": milestone.id,
                f"{key}_investment": investment.id,
                f"{key}_benefit": benefit.id,
                f"{key}_entry": entry.id,
                f"{key}_update": update.id,
                f"{key}_request": request.id,
                f"{key}_gate": gate.id,
                f"{key}_change": change.id,
                f"{key}_lesson": lesson.id,
            }
        )
    # The pipeline: an idea each (its scoring form) and a saved scenario.
    for key, code, manager in (("own_idea", "OWN-002", manager_id), ("other_idea", "OTH-002", outsider.id)):
        db.session.add(
            Programme(
                code=code,
                name=f"{key} programme",
                directorate="Resources",
                focus=Focus.BOTH,
                stage=Stage.IDEA,
                manager_id=manager,
            )
        )
        ids[key] = code
    scenario = PipelineScenario(name="Statutory first", financial_year=2027)
    db.session.add(scenario)
    db.session.flush()
    ids["scenario"] = scenario.id
    # Their own programme's go-live waits for the other's.
    dependency = MilestoneDependency(
        milestone_id=ids["own_milestone"], depends_on_id=ids["other_milestone"], needed_by=date(2026, 12, 15)
    )
    db.session.add(dependency)
    db.session.flush()
    ids["own_dependency"] = dependency.id
    scim_token = ScimToken(name="Entra ID", token_hash="0" * 64)
    db.session.add(scim_token)
    db.session.flush()
    ids["scim_token"] = scim_token.id
    db.session.commit()
    return ids


def test_every_route_has_an_entry(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(ROUTES) == set(), "add the new routes to tests/web/routes/ with each role's status"
    assert set(ROUTES) - endpoints == set(), "tests/web/routes/ lists routes the app does not have"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_status_by_role(client: FlaskClient, auth, make_user, endpoint: str, role: str) -> None:
    route = ROUTES[endpoint]
    if route.bearer:
        _check_with_token(client, make_user, route, role)
        return
    user = auth.sign_in_as(role) if role != ANON else None
    world = build_world(user, make_user)
    path = route.path.format(**world)
    data = None
    if route.method == "POST":
        data = {"csrf_token": auth.csrf_token(), **route.data}
    response = client.open(path, method=route.method, data=data)
    assert response.status_code == route.expected[role], f"{route.method} {path} as {role}"


def _check_with_token(client: FlaskClient, make_user, route: Route, role: str) -> None:
    """API routes: the role's user sends a token of their own; anonymous sends none."""
    user = make_user(role) if role != ANON else None
    world = build_world(user, make_user)
    path = route.path.format(**world)
    headers = {"Authorization": f"Bearer {create_token(user, name='matrix')[1]}"} if user else {}
    response = client.open(path, method=route.method, json=route.data or None, headers=headers)
    assert response.status_code == route.expected[role], f"{route.method} {path} as {role} with a token"
    assert response.is_json, f"{route.method} {path} as {role} answered {response.content_type}"
