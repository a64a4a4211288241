"""The pipeline pages as people use them: scoring an idea, setting the weights and envelope, ticking
programmes in and out without saving, saving and choosing a scenario, and the queries each page costs."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import func, insert, select

from tests.factories import InvestmentFactory, MilestoneFactory, ProgrammeFactory
from tests.web.pages import counting_queries, error_summary, get, text, words
from tracker.domain.calendar import london_today
from tracker.domain.capacity import months_ahead
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    MilestoneTeamLoad,
    PipelineScenario,
    PipelineScore,
    Programme,
    Role,
    ServiceTeam,
    Stage,
)
from tracker.models.types import utcnow
from tracker.services.pipeline.reads import next_financial_year
from tracker.services.pipeline.scenarios import save_scenario

ALL_FIVES = {
    "strategic_fit": "5",
    "cashable_savings": "5",
    "service_improvement": "5",
    "statutory_duty": "5",
    "risk": "5",
    "cost": "5",
}


def year() -> int:
    return next_financial_year(london_today(utcnow()))


def token(client, path: str) -> str:
    from tests.helpers import csrf_token_from

    return csrf_token_from(client.get(path))


def idea(code: str, *, cost: str | None = None, stage: Stage = Stage.IDEA, manager_id: int | None = None):
    programme = ProgrammeFactory(code=code, name=f"Idea {code}", stage=stage, manager_id=manager_id)
    if cost is not None:
        InvestmentFactory(
            programme=programme, financial_year=year(), forecast=None, approved=None, requested=Decimal(cost)
        )
    return programme


def score(programme: Programme, **values: int) -> None:
    for key, value in values.items():
        db.session.add(PipelineScore(programme_id=programme.id, criterion=key, score=value))
    db.session.commit()


def test_a_manager_scores_their_idea_and_a_criterion_left_unscored_stays_unknown(client, auth) -> None:
    manager = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme_id = idea("IDE-001", manager_id=manager.id).id
    overview = get(client, "/programmes/IDE-001/")
    assert "Score this idea for the pipeline" in words(overview)
    path = "/programmes/IDE-001/pipeline-scores"
    form = {**ALL_FIVES, "risk": "", "csrf_token": token(client, path)}
    response = client.post(path, data=form)
    assert response.status_code == 302
    saved = dict(
        db.session.execute(
            select(PipelineScore.criterion, PipelineScore.score).where(
                PipelineScore.programme_id == programme_id
            )
        ).all()
    )
    assert saved == {key: 5 for key in ALL_FIVES if key != "risk"}
    assert db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.summary.like("%pipeline scores%"))
    )
    again = get(client, path)
    assert '<input class="govuk-radios__input" id="risk" name="risk" type="radio" value="" checked>' in again
    assert 'name="cost" type="radio" value="5" checked>' in again


def test_a_score_out_of_range_is_refused_with_every_problem_at_once_and_nothing_lost(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    idea("IDE-002")
    path = "/programmes/IDE-002/pipeline-scores"
    response = client.post(
        path,
        data={
            **ALL_FIVES,
            "risk": "9",
            "cost": "-1",
            "strategic_fit": "3",
            "csrf_token": token(client, path),
        },
    )
    assert response.status_code == 200
    summary = error_summary(response)
    assert (
        "Choose a score for risk from 0 to 5" in summary and "Choose a score for cost from 0 to 5" in summary
    )
    assert 'value="3" checked' in response.get_data(as_text=True).replace(
        'checked value="3"', 'value="3" checked'
    )
    assert db.session.scalar(select(func.count()).select_from(PipelineScore)) == 0


def test_only_ideas_and_business_cases_are_scored(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    ProgrammeFactory(code="DEL-001")
    assert client.get("/programmes/DEL-001/pipeline-scores").status_code == 404
    assert "for the pipeline" not in words(get(client, "/programmes/DEL-001/"))


def test_the_pipeline_ranks_by_weighted_score_and_puts_the_unscored_last(client, auth) -> None:
    auth.sign_in_as(Role.BOARD)
    low, high, partial = idea("IDE-010"), idea("IDE-011", stage=Stage.BUSINESS_CASE), idea("IDE-012")
    score(low, **dict.fromkeys(ALL_FIVES, 1))
    score(high, **dict.fromkeys(ALL_FIVES, 4))
    score(partial, strategic_fit=5)
    page = text(client.get("/pipeline/"))
    assert page.index("IDE-011") < page.index("IDE-010") < page.index("IDE-012")
    assert "4.0 out of 5" in page and "1.0 out of 5" in page
    assert "Missing: Cashable savings, Service improvement, Statutory duty, Risk, Cost" in page
    assert "for risk, 5 is the lowest risk; for cost, 5 is the cheapest" in page
    assert "Save this scenario" not in page  # the board reads; the CIO saves


def test_ticking_in_recomputes_the_money_left_without_saving(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    first, second = idea("IDE-020", cost="300000").id, idea("IDE-021").id
    committed = ProgrammeFactory(code="DEL-020")
    InvestmentFactory(programme=committed, financial_year=year(), forecast=Decimal("500000"))
    settings_path = "/admin/settings/pipeline"
    data = {f"weight_{key}": "5" for key in ALL_FIVES} | {"envelope": "£1,000,000"}
    response = client.post(settings_path, data={**data, "csrf_token": token(client, settings_path)})
    assert response.status_code == 302

    before = text(client.get("/pipeline/"))
    assert "Money left £500,000" in before
    after = text(client.get(f"/pipeline/?include={first}&include={second}"))
    assert "Chosen pipeline programmes £300,000 for 2 programmes" in after
    assert "1 of them with a cost in" in after and "is not known" in after
    assert "Money left £200,000" in after
    assert db.session.scalar(select(func.count()).select_from(PipelineScenario)) == 0


def test_without_an_envelope_the_page_says_the_money_left_cannot_be_worked_out(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    idea("IDE-030", cost="1000")
    page = text(client.get("/pipeline/"))
    assert "Budget envelope Not set" in page
    assert "Money left Cannot be worked out: the envelope for" in page


def test_the_settings_page_shows_every_problem_at_once(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    path = "/admin/settings/pipeline"
    data = {f"weight_{key}": "5" for key in ALL_FIVES} | {
        "weight_risk": "11",
        "weight_cost": "x",
        "envelope": "lots",
    }
    response = client.post(path, data={**data, "csrf_token": token(client, path)})
    assert response.status_code == 200
    summary = error_summary(response)
    assert "weight of risk" in summary and "weight of cost" in summary and "amount" in summary.lower()
    assert 'value="lots"' in response.get_data(as_text=True)


def test_a_scenario_needs_a_name_then_is_saved_listed_and_chosen(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    first = idea("IDE-040", cost="1000").id
    idea("IDE-041")
    save_token = token(client, f"/pipeline/?include={first}")
    missing = client.post(
        "/pipeline/scenarios", data={"include": str(first), "name": " ", "csrf_token": save_token}
    )
    assert missing.status_code == 200
    assert "Enter a name for the scenario" in error_summary(missing)
    assert f'id="include-{first}" name="include" type="checkbox" value="{first}" checked' in missing.get_data(
        as_text=True
    )

    response = client.post(
        "/pipeline/scenarios",
        data={
            "include": str(first),
            "name": "Statutory first",
            "note": "For December",
            "csrf_token": save_token,
        },
    )
    assert response.status_code == 302
    shown = text(client.get(response.headers["Location"]))
    assert "Statutory first" in shown and "For December" in shown
    assert "IDE-040 Idea IDE-040 In" in shown and "IDE-041 Idea IDE-041 Out" in shown
    scenario_id = db.session.scalar(select(PipelineScenario.id))
    choose = client.post(f"/pipeline/scenarios/{scenario_id}/choose", data={"csrf_token": save_token})
    assert choose.status_code == 302
    assert "Chosen" in text(client.get("/pipeline/"))
    assert db.session.scalar(select(PipelineScenario.chosen))


def test_the_board_reads_a_saved_scenario_but_cannot_choose_it(client, auth) -> None:
    scenario = PipelineScenario(name="Savings first", financial_year=year(), envelope=Decimal("750000"))
    db.session.add(scenario)
    db.session.commit()
    scenario_id = scenario.id
    auth.sign_in_as(Role.BOARD)
    page = text(client.get(f"/pipeline/scenarios/{scenario_id}"))
    assert "Savings first" in page and "Envelope when saved £750,000" in page
    assert "Make this the chosen scenario" not in page


def bulk_pipeline(count: int, *, start: int) -> list[int]:
    """Pipeline programmes with a score, a cost next year and a milestone landing on a team."""
    team = db.session.scalar(select(ServiceTeam)) or ServiceTeam(
        name="Revenues", directorate="Resources", monthly_capacity=Decimal("1")
    )
    db.session.add(team)
    db.session.flush()
    ids = []
    for n in range(start, start + count):
        programme = ProgrammeFactory(code=f"BLK-{n:04d}", stage=Stage.IDEA)
        InvestmentFactory(programme=programme, financial_year=year())
        milestone = MilestoneFactory(programme=programme, forecast_date=months_ahead(date.today(), 3)[2])
        db.session.add(
            MilestoneTeamLoad(milestone_id=milestone.id, team_id=team.id, change_days=Decimal("2"))
        )
        ids.append(programme.id)
    db.session.execute(
        insert(PipelineScore),
        [
            {
                "programme_id": pid,
                "criterion": key,
                "score": 3,
                "version": 1,
                "created_at": utcnow(),
                "updated_at": utcnow(),
            }
            for pid in ids
            for key in ALL_FIVES
        ],
    )
    db.session.commit()
    return ids


def test_the_pages_cost_the_same_queries_at_3_and_30_pipeline_programmes(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    few = bulk_pipeline(3, start=0)
    scenario = PipelineScenario(name="Small", financial_year=year())
    db.session.add(scenario)
    db.session.commit()
    scenario_id = scenario.id
    client.get("/pipeline/")  # warm up
    with counting_queries() as index_small:
        small = text(client.get(f"/pipeline/?include={few[0]}"))
    # Capacity 1 change day, none without this choice, 2 with it: whole numbers, as the capacity pages say.
    assert re.search(r"Revenues [A-Z][a-z]+ \d{4} 1 0 2 Yes", small)
    with counting_queries() as scenario_small:
        get(client, f"/pipeline/scenarios/{scenario_id}")
    many = bulk_pipeline(27, start=100)
    with counting_queries() as index_large:
        assert "Revenues" in text(
            client.get("/pipeline/?" + "&".join(f"include={pid}" for pid in few + many))
        )
    with counting_queries() as scenario_large:
        get(client, f"/pipeline/scenarios/{scenario_id}")
    assert len(index_small) == len(index_large) <= 12
    assert len(scenario_small) == len(scenario_large) <= 12


def test_ticks_on_other_pages_travel_with_the_form_and_the_page_links(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    ids = [idea(f"IDE-{n:03d}").id for n in range(200, 255)]
    last = ids[-1]  # ranked on page 2: nothing is scored, so the order is by code
    page_one = client.get(f"/pipeline/?include={last}").get_data(as_text=True)
    assert f'<input type="hidden" name="include" value="{last}">' in page_one
    assert f"include={last}&amp;page=2" in page_one
    page_two = client.get(f"/pipeline/?include={last}&page=2").get_data(as_text=True)
    assert f'id="include-{last}" name="include" type="checkbox" value="{last}" checked' in page_two
    assert "Chosen pipeline programmes Not known for the 1 programme" in words(page_two)


def test_a_saved_scenario_says_when_its_programmes_have_moved_into_delivery(client, auth) -> None:
    cio = auth.sign_in_as(Role.CIO)
    first, second = idea("IDE-300", cost="1000").id, idea("IDE-301").id
    scenario_id = save_scenario(
        name="Both", note="", programme_ids=[first, second], today=london_today(utcnow()), user=cio
    ).id
    db.session.get(Programme, first).stage = Stage.DELIVERY
    db.session.commit()
    page = text(client.get(f"/pipeline/scenarios/{scenario_id}"))
    assert "1 of the programmes this scenario took on has since left the pipeline" in page
    assert "IDE-301 Idea IDE-301 In" in page and "IDE-300" not in page


def test_odd_ticks_in_the_address_are_ignored(client, auth) -> None:
    auth.sign_in_as(Role.CIO)
    odd = ["²", "9" * 5000, "-1", "0", "x", " "]
    response = client.get("/pipeline/?" + "&".join(f"include={value}" for value in odd))
    assert response.status_code == 200
    assert "Chosen pipeline programmes None" in text(response)


def test_a_programme_manager_may_not_score_someone_elses_idea_nor_see_the_pipeline(client, auth) -> None:
    auth.sign_in_as(Role.PROGRAMME_MANAGER)
    idea("IDE-400")
    assert client.get("/programmes/IDE-400/pipeline-scores").status_code == 403
    assert "for the pipeline" not in words(get(client, "/programmes/IDE-400/"))
    assert client.get("/pipeline/").status_code == 403
    assert "Pipeline" not in words(get(client, "/programmes/"))
