"""The pipeline's services against the database: scores, the weights and envelope, what a programme costs
next year, saved and chosen scenarios, and the board pack's section."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from pptx import Presentation
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.factories import InvestmentFactory, ProgrammeFactory
from tracker.domain.pipeline import CRITERION_KEYS
from tracker.extensions import db
from tracker.models import AuditEvent, PipelineScenario, PipelineScore, Role, Stage
from tracker.services.errors import Invalid
from tracker.services.packs.content import council_pack, portfolio_pack
from tracker.services.packs.deck import build_deck
from tracker.services.packs.pdf import portfolio_pdf
from tracker.services.pipeline.reads import pipeline_view
from tracker.services.pipeline.scenarios import choose_scenario, chosen_scenario, save_scenario
from tracker.services.pipeline.scores import save_scores
from tracker.services.pipeline.settings import current_settings, update_settings
from tracker.services.portfolio.scope import ProgrammeFilter

TODAY = date(2026, 12, 5)
NEXT = 2027
NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)
FIVES = dict.fromkeys(CRITERION_KEYS, "5")


@pytest.fixture
def cio(make_user):
    return make_user(Role.CIO, name="Chris Ofori")


def test_scores_are_saved_changed_and_cleared_with_the_change_audited(app, cio) -> None:
    programme = ProgrammeFactory(stage=Stage.IDEA)
    assert save_scores(programme, {**FIVES, "risk": ""}, user=cio) == {
        key: 5 for key in CRITERION_KEYS if key != "risk"
    }
    assert save_scores(programme, {**FIVES, "risk": "2", "cost": ""}, user=cio)["risk"] == 2
    stored = dict(db.session.execute(select(PipelineScore.criterion, PipelineScore.score)).all())
    assert "cost" not in stored and stored["risk"] == 2
    summaries = db.session.scalars(select(AuditEvent.summary).where(AuditEvent.programme_id == programme.id))
    assert list(summaries) == [
        "Changed pipeline scores: Strategic fit, Cashable savings, Service improvement, Statutory duty, Cost",
        "Changed pipeline scores: Risk, Cost",
    ]


def test_only_open_ideas_and_business_cases_are_scored_and_bad_scores_are_all_named(app, cio) -> None:
    with pytest.raises(Invalid, match="Only ideas and business cases"):
        save_scores(ProgrammeFactory(stage=Stage.DELIVERY), FIVES, user=cio)
    with pytest.raises(Invalid) as error:
        save_scores(
            ProgrammeFactory(stage=Stage.BUSINESS_CASE), {**FIVES, "risk": "6", "cost": "x"}, user=cio
        )
    assert [field for field, _ in error.value.problems] == ["risk", "cost"]


def test_weights_and_the_envelope_are_kept_per_year_and_blank_unsets_it(app, cio) -> None:
    assert current_settings().envelope(NEXT) is None
    update_settings(dict.fromkeys(CRITERION_KEYS, "3"), "£2.5m", year=NEXT, user_id=cio.id)
    settings = current_settings()
    assert settings.envelope(NEXT) == Decimal("2500000.00") and settings.weights["risk"] == 3
    assert settings.envelope(NEXT + 1) is None
    update_settings(dict.fromkeys(CRITERION_KEYS, "3"), "", year=NEXT, user_id=cio.id)
    assert current_settings().envelope(NEXT) is None
    with pytest.raises(Invalid) as error:
        update_settings({**dict.fromkeys(CRITERION_KEYS, "3"), "cost": "11"}, "-5", year=NEXT, user_id=cio.id)
    assert [field for field, _ in error.value.problems] == ["weight_cost", "envelope"]


def test_a_programmes_cost_next_year_is_forecast_else_approved_else_requested_and_never_zero_for_unknown(
    app,
) -> None:
    priced = ProgrammeFactory(code="IDE-001", stage=Stage.IDEA)
    InvestmentFactory(programme=priced, financial_year=NEXT, forecast=Decimal("10"), approved=Decimal("99"))
    InvestmentFactory(programme=priced, financial_year=NEXT, forecast=None, approved=Decimal("20"))
    InvestmentFactory(
        programme=priced, financial_year=NEXT, forecast=None, approved=None, requested=Decimal("30")
    )
    InvestmentFactory(programme=priced, financial_year=NEXT - 1, forecast=Decimal("1000"))
    unknown = ProgrammeFactory(code="IDE-002", stage=Stage.IDEA)
    InvestmentFactory(programme=unknown, financial_year=NEXT, forecast=None, approved=None, requested=None)
    ProgrammeFactory(code="IDE-003", stage=Stage.IDEA)  # no cost line next year at all
    ProgrammeFactory(code="CLO-001", stage=Stage.CLOSED)  # not in the pipeline
    view = pipeline_view(TODAY, [priced.id, unknown.id])
    costs = {row.code: row.cost for row in view.rows}
    assert costs == {"IDE-001": Decimal("60.00"), "IDE-002": None, "IDE-003": None}
    assert (view.money.chosen, view.money.chosen_unknown, view.money.chosen_count) == (Decimal("60.00"), 1, 2)
    assert view.money.left is None  # no envelope set


def test_a_scenario_keeps_only_pipeline_programmes_and_one_is_chosen_at_a_time(app, cio) -> None:
    update_settings(dict.fromkeys(CRITERION_KEYS, "5"), "1,000,000", year=NEXT, user_id=cio.id)
    idea = ProgrammeFactory(stage=Stage.IDEA)
    committed = ProgrammeFactory(stage=Stage.DELIVERY)
    first = save_scenario(
        name="A", note="", programme_ids=[idea.id, committed.id, 999_999], today=TODAY, user=cio
    )
    second = save_scenario(name="B", note="Why", programme_ids=[], today=TODAY, user=cio)
    assert [link.programme_id for link in first.programmes] == [idea.id]
    assert first.envelope == Decimal("1000000.00") and first.financial_year == NEXT
    with pytest.raises(Invalid, match="Enter a name"):
        save_scenario(name="  ", note="", programme_ids=[], today=TODAY, user=cio)
    choose_scenario(first.id, user=cio)
    choose_scenario(second.id, user=cio)
    assert db.session.scalar(select(func.count()).where(PipelineScenario.chosen.is_(True))) == 1
    assert chosen_scenario().name == "B"


def test_the_board_pack_has_the_chosen_scenario_and_leaves_it_out_when_none_is_chosen(app, cio) -> None:
    idea = ProgrammeFactory(code="IDE-100", name="Benefits self-service", stage=Stage.IDEA)
    ProgrammeFactory(code="IDE-101", name="Planning portal", stage=Stage.BUSINESS_CASE)
    InvestmentFactory(programme=idea, financial_year=NEXT, forecast=Decimal("250000"))
    assert portfolio_pack(cio, ProgrammeFilter(), as_of=TODAY, now=NOW).pipeline is None

    update_settings(dict.fromkeys(CRITERION_KEYS, "5"), "400000", year=NEXT, user_id=cio.id)
    scenario = save_scenario(name="Savings first", note="", programme_ids=[idea.id], today=TODAY, user=cio)
    choose_scenario(scenario.id, user=cio)
    pack = portfolio_pack(cio, ProgrammeFilter(), as_of=TODAY, now=NOW)
    assert pack.pipeline is not None and pack.pipeline.view.money.left == Decimal("150000.00")
    assert [(row.code, row.included) for row in pack.pipeline.rows] == [("IDE-100", True), ("IDE-101", False)]
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(portfolio_pdf(pack))).pages)
    assert "Pipeline: the chosen scenario" in text and "Savings first" in text and "£150,000" in text


def test_the_deck_has_the_chosen_scenario_as_an_editable_table(app, cio) -> None:
    idea = ProgrammeFactory(code="IDE-200", name="Benefits self-service", stage=Stage.IDEA)
    InvestmentFactory(programme=idea, financial_year=NEXT, forecast=Decimal("250000"))
    scenario = save_scenario(name="Savings first", note="", programme_ids=[idea.id], today=TODAY, user=cio)
    choose_scenario(scenario.id, user=cio)
    deck = Presentation(BytesIO(build_deck(portfolio_pack(cio, ProgrammeFilter(), as_of=TODAY, now=NOW))))
    [slide] = [slide for slide in deck.slides if slide.shapes.title.text == "Pipeline: the chosen scenario"]
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    assert any(
        "“Savings first” for 2027/28: 1 programme chosen; money left not known" in text for text in texts
    )
    [table] = [shape.table for shape in slide.shapes if shape.has_table]
    assert [cell.text for cell in table.rows[1].cells] == [
        "1",
        "IDE-200 Benefits self-service",
        "Idea",
        "In",
        "Not known",
        "£250,000",
    ]


def test_a_programme_managers_own_pack_and_a_viewers_leave_the_pipeline_out(app, cio, make_user) -> None:
    idea = ProgrammeFactory(stage=Stage.IDEA)
    choose_scenario(
        save_scenario(name="A", note="", programme_ids=[idea.id], today=TODAY, user=cio).id, user=cio
    )
    for role in (Role.PROGRAMME_MANAGER, Role.VIEWER):
        assert portfolio_pack(make_user(role), ProgrammeFilter(), as_of=TODAY, now=NOW).pipeline is None
    assert portfolio_pack(make_user(Role.BOARD), ProgrammeFilter(), as_of=TODAY, now=NOW).pipeline is not None
    assert council_pack(as_of=TODAY, now=NOW).pipeline is not None
