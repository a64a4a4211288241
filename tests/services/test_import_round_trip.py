"""A workbook exported from the tracker comes back in unchanged: the import reads what the export writes."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from tracker.domain.calendar import london_today
from tracker.domain.imports.fields import SheetKind
from tracker.domain.spreadsheet import xlsx_bytes
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    ChangeRequest,
    ChangeRequestKind,
    Confidence,
    Decision,
    GateRequest,
    GateStatus,
    Lesson,
    Programme,
    ProgrammeAction,
    RegisterEntry,
    Role,
    Stage,
    User,
)
from tracker.models.types import utcnow
from tracker.services import imports
from tracker.services.changes.requests import Proposal, decide, raise_request
from tracker.services.demo.seed import seed_demo
from tracker.services.portfolio.exports import portfolio_sheets
from tracker.services.portfolio.listing import PortfolioQuery
from tracker.services.settings import current_stage_model


def test_the_exported_portfolio_imports_back_unchanged(app) -> None:
    seed_demo()
    _give_references()
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
    data = xlsx_bytes(portfolio_sheets(admin, PortfolioQuery(include_closed=True)))
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    sources = imports.pick_sources(imports.read_file(data, "portfolio.xlsx"))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    assert sources.milestones is not None and sources.investments is not None
    assert {"code", "name", "manager", "confidence"} <= set(mapping.columns[SheetKind.PROGRAMMES].values())
    assert {"baseline_date", "forecast_date", "status"} <= set(mapping.columns[SheetKind.MILESTONES].values())
    assert {"title", "financial_year", "approved"} <= set(mapping.columns[SheetKind.INVESTMENTS].values())
    report = imports.run_import(sources, mapping, user=admin, source_name="portfolio.xlsx", dry_run=False)
    assert [imports.describe(p) for p in report.problems] == []
    assert report.rows >= 10 and (report.created, report.updated, report.unchanged) == (0, 0, report.rows)
    assert (report.milestones_created, report.milestones_updated) == (0, 0)
    assert (report.investments_created, report.investments_updated) == (0, 0)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_whole_life_cost_and_five_point_confidence_come_back_from_the_export(app) -> None:
    seed_demo()
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
    programmes = db.session.scalars(select(Programme).order_by(Programme.code)).all()
    before = {p.code: _facts(p) for p in programmes}
    assert any(f[0] == Confidence.AMBER_GREEN for f in before.values())
    assert any(f[3] is not None and f[4] is not None for f in before.values())
    assert any(f[4] is None for f in before.values())  # an unknown forecast travels as an empty cell
    data = xlsx_bytes(portfolio_sheets(admin, PortfolioQuery(include_closed=True)))
    for programme in (p for p in programmes if not p.is_closed):  # lose them (closed ones stay as they are)
        programme.confidence = programme.confidence_source = programme.confidence_assessed_on = None
        programme.whole_life_baseline = programme.whole_life_forecast = None
    db.session.commit()
    sources = imports.pick_sources(imports.read_file(data, "portfolio.xlsx"))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    report = imports.run_import(sources, mapping, user=admin, source_name="portfolio.xlsx", dry_run=False)
    assert [imports.describe(p) for p in report.problems] == []
    db.session.expire_all()
    after = {p.code: _facts(p) for p in db.session.scalars(select(Programme))}
    assert after == before


def test_external_references_come_back_from_the_export(app) -> None:
    seed_demo()
    given = _give_references()
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
    data = xlsx_bytes(portfolio_sheets(admin, PortfolioQuery(include_closed=True)))
    for programme in db.session.scalars(select(Programme)):
        programme.external_reference = None
    db.session.commit()
    sources = imports.pick_sources(imports.read_file(data, "portfolio.xlsx"))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    assert mapping.columns[SheetKind.PROGRAMMES]["External reference"] == "external_reference"
    assert mapping.columns[SheetKind.PROGRAMMES]["Code"] == "code"
    report = imports.run_import(sources, mapping, user=admin, source_name="portfolio.xlsx", dry_run=False)
    assert [imports.describe(p) for p in report.problems] == []
    assert (report.created, report.updated) == (0, len(given))
    db.session.expire_all()
    after = {
        code: ref for code, ref in db.session.execute(select(Programme.code, Programme.external_reference))
    }
    assert {code: after[code] for code in given} == given
    assert all(reference is None for code, reference in after.items() if code not in given)


def test_a_sheet_of_references_without_codes_matches_by_reference(app) -> None:
    seed_demo()
    given = _give_references()
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
    code, reference = next(iter(given.items()))
    data = f"External reference,Name,SRO\n{reference.lower()},Renamed from the return,Sam Senior\n".encode()
    sources = imports.pick_sources(imports.read_file(data, "return.csv"))
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    report = imports.run_import(sources, mapping, user=admin, source_name="return.csv", dry_run=False)
    assert [imports.describe(p) for p in report.problems] == []
    assert (report.created, report.updated) == (0, 1)
    programme = db.session.scalar(select(Programme).where(Programme.code == code))
    assert (programme.name, programme.sro_name) == ("Renamed from the return", "Sam Senior")
    assert programme.external_reference == reference.lower()


def test_the_exported_registers_and_past_decisions_import_back_and_restore_what_was_lost(app) -> None:
    seed_demo()
    admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
    open_programme = Programme.stage != Stage.CLOSED
    asked = db.session.scalars(select(Programme).where(open_programme).order_by(Programme.code)).first()
    proposal = Proposal(ChangeRequestKind.SCOPE, "Add the waste app", "Three more months of work")
    raised = raise_request(asked, proposal, user=admin)
    decide(raised.id, user=admin, approve=False, note="Not this year", expected_version=None)
    passed = _decided_gate(asked, admin)
    data = xlsx_bytes(portfolio_sheets(admin, PortfolioQuery(include_closed=True)))
    held = {model: _titles(model) for model in (RegisterEntry, ProgrammeAction, Decision, Lesson)}
    assert all(held.values())  # the demo has some of each, so the round trip carries them
    sources = imports.pick_sources(imports.read_file(data, "portfolio.xlsx"))
    assert set(sources.registers) == {
        SheetKind.RISKS,
        SheetKind.ACTIONS,
        SheetKind.DECISIONS,
        SheetKind.LESSONS,
        SheetKind.CHANGE_REQUESTS,
        SheetKind.GATES,
    }
    mapping = imports.ImportMapping(columns={}).with_guesses(sources)
    assert {"programme_code", "title", "due_date", "status", "done_on"} <= set(
        mapping.columns[SheetKind.ACTIONS].values()
    )
    report = imports.run_import(sources, mapping, user=admin, source_name="portfolio.xlsx", dry_run=True)
    assert [imports.describe(p) for p in report.problems] == []
    assert report.register_counts() == [
        ("risks and issues", 0, 0),
        ("actions", 0, 0),
        ("decisions", 0, 0),
        ("lessons", 0, 0),
        ("change requests", 0, 0),
        ("gate decisions", 0, 0),
    ]

    action = db.session.scalars(select(ProgrammeAction).join(Programme).where(open_programme)).first()
    decision = db.session.scalars(select(Decision).join(Programme).where(open_programme)).first()
    lesson = db.session.scalars(select(Lesson).join(Programme).where(Programme.stage == Stage.CLOSED)).first()
    assert lesson is not None, "the demo has a closed programme's lesson: it comes back too"
    change = db.session.get(ChangeRequest, raised.id)
    kept = _change_facts(change)
    gate_kept = _gate_facts(passed)
    entries = db.session.scalars(
        select(RegisterEntry).join(Programme).where(open_programme).order_by(RegisterEntry.id)
    ).all()
    lost = entries[0]
    # Re-scored so the file's row differs: a likelihood that moves (6 - 3 would not) and a mitigation
    # the file holds (a blank cell leaves a field as it is).
    rescored = next(entry for entry in entries[1:] if entry.mitigation and entry.likelihood != 3)
    kept_score = (rescored.likelihood, rescored.impact, rescored.mitigation, rescored.review_date)
    rescored.likelihood, rescored.mitigation = 6 - rescored.likelihood, "Changed since"
    decided_by = decision.decided_by
    decision.decided_by = "Someone else"
    for record in (lost, action, lesson, change, passed):
        db.session.delete(record)
    db.session.commit()
    report = imports.run_import(sources, mapping, user=admin, source_name="portfolio.xlsx", dry_run=False)
    assert [imports.describe(p) for p in report.problems] == []
    assert report.register_counts() == [
        ("risks and issues", 1, 1),
        ("actions", 1, 0),
        ("decisions", 0, 1),
        ("lessons", 1, 0),
        ("change requests", 1, 0),
        ("gate decisions", 1, 0),
    ]
    db.session.expire_all()
    assert {model: _titles(model) for model in held} == held
    assert db.session.get(Decision, decision.id).decided_by == decided_by
    back_entry = db.session.get(RegisterEntry, rescored.id)
    assert (
        back_entry.likelihood,
        back_entry.impact,
        back_entry.mitigation,
        back_entry.review_date,
    ) == kept_score
    back = db.session.scalar(select(ChangeRequest).where(ChangeRequest.title == kept[0]))
    assert _change_facts(back) == kept
    gate = db.session.scalar(select(GateRequest).where(GateRequest.decision_note == "Board content"))
    assert _gate_facts(gate) == gate_kept


def _decided_gate(programme: Programme, admin: User) -> GateRequest:
    """A gate decided in the tracker, as its page leaves it (the page's own steps are tested elsewhere)."""
    model = current_stage_model()
    index = model.stage(programme.model_stage, programme.stage)
    gate, before, after = model.gates[index], model.stages[index], model.stages[index + 1]
    request = GateRequest(
        programme_id=programme.id,
        gate_key=gate.key,
        gate_name=gate.name,
        from_stage=before.key,
        from_stage_name=before.name,
        to_stage=after.key,
        to_stage_name=after.name,
        approver_role=gate.approver.value,
        checklist=[],
        summary="The case",
        status=GateStatus.APPROVED,
        conditions="Report in May",
        decision_note="Board content",
        requested_by_id=admin.id,
        requested_at=utcnow() - timedelta(days=40),
        decided_by_id=admin.id,
        decided_at=utcnow() - timedelta(days=30),
    )
    db.session.add(request)
    db.session.commit()
    return request


def _gate_facts(gate: GateRequest) -> tuple[object, ...]:
    """What a gate decision's row carries back."""
    return (
        gate.programme_id,
        gate.gate_key,
        gate.from_stage,
        gate.to_stage,
        gate.status,
        gate.summary,
        gate.conditions,
        gate.decision_note,
        gate.requested_by_id,
        london_today(gate.requested_at),
        gate.decided_by_id,
        london_today(gate.decided_at),
    )


def _change_facts(change: ChangeRequest) -> tuple[object, ...]:
    """What a change request's row carries back: what it asked, its outcome, who decided and on what day."""
    return (
        change.title,
        change.kind,
        change.status,
        change.impact,
        change.from_end_date,
        change.proposed_end_date,
        change.from_whole_life_baseline,
        change.proposed_whole_life_baseline,
        change.benefit_id,
        change.from_target_date,
        change.proposed_target_date,
        change.decided_by_id,
        london_today(change.decided_at) if change.decided_at else None,
        change.decision_note,
    )


def _titles(model) -> list[tuple[str, str]]:
    """Each record's programme code and title."""
    statement = select(Programme.code, model.title).join_from(
        model, Programme, model.programme_id == Programme.id
    )
    return sorted((code, title) for code, title in db.session.execute(statement))


def _give_references() -> dict[str, str]:
    """Published-return references on two of the demo's open programmes (closed ones cannot change)."""
    open_ones = select(Programme).where(Programme.stage != Stage.CLOSED).order_by(Programme.code).limit(2)
    programmes = db.session.scalars(open_ones).all()
    given = dict(zip((p.code for p in programmes), ("MOD_0106_1617-Q1", "aafc-agriclient-crm"), strict=True))
    for programme in programmes:
        programme.external_reference = given[programme.code]
    db.session.commit()
    return given


def _facts(programme: Programme) -> tuple[object, ...]:
    return (
        programme.confidence,
        programme.confidence_source,
        programme.confidence_assessed_on,
        programme.whole_life_baseline,
        programme.whole_life_forecast,
    )
