"""The money pages through the client: totals by year, amounts typed as people type them, odd input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests.web.pages import counting_queries, error_summary
from tracker.extensions import db
from tracker.models import CostType, Focus, Investment, Programme, Recurrence, Role, Stage, User

PATH = "/programmes/FIN-002/money"


def detached(record):
    """A loaded copy the test can read after requests (each request ends the test's session)."""
    db.session.commit()
    db.session.refresh(record)
    db.session.expunge(record)
    return record


def make_programme(manager: User | None) -> Programme:
    programme = Programme(
        code="FIN-002",
        name="ERP",
        directorate="Resources",
        focus=Focus.BOTH,
        stage=Stage.DELIVERY,
        manager_id=manager.id if manager else None,
    )
    db.session.add(programme)
    return detached(programme)


def make_line(
    programme: Programme, title: str, year: int, approved: str, forecast: str, **values
) -> Investment:
    line = Investment(
        programme_id=programme.id,
        title=title,
        cost_type=CostType.CAPITAL,
        recurrence=Recurrence.ONE_OFF,
        financial_year=year,
        requested=Decimal(values.pop("requested", approved)),
        approved=Decimal(approved),
        forecast=Decimal(forecast),
        **values,
    )
    db.session.add(line)
    return detached(line)


def form(**values: str) -> dict[str, str]:
    data = {
        "title": "Integrator",
        "financial_year": "2026/27",
        "category": "technology",
        "cost_type": "capital",
        "recurrence": "one_off",
        "requested": "",
        "approved": "",
        "forecast": "",
        "actual": "",
    }
    return data | values


def text(response) -> str:
    return response.get_data(as_text=True)


def test_lines_by_year_with_totals_gap_and_variance(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    programme = make_programme(None)
    first = make_line(programme, "Integrator", 2026, "450000", "480000", requested="500000")
    make_line(programme, "Licences", 2026, "120000", "115000")
    make_line(programme, "Licences", 2027, "100000", "100000", requested="125000")

    page = text(client.get(f"{PATH}/"))

    assert f'id="investment-{first.id}"' in page
    assert "2026/27" in page and "2027/28" in page
    assert "Total 2026/27" in page and "Whole life" in page
    assert "£30,000 over" in page and "£5,000 under" in page  # the two 2026/27 lines
    assert "£25,000 over" in page  # 2026/27 in total
    assert "£50,000" in page and "£75,000" in page  # gaps: 2026/27 and whole life
    assert "Add an investment line" not in page and "/edit" not in page  # a viewer changes nothing


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1250000", "1250000"), ("1,250,000", "1250000"), ("£1,250,000.50", "1250000.50"), ("", None)],
)
def test_amounts_are_accepted_as_people_type_them(client, auth, typed, stored) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    make_programme(pm)
    response = client.post(
        f"{PATH}/new", data={"csrf_token": auth.csrf_token(f"{PATH}/new")} | form(approved=typed)
    )
    assert response.status_code == 302
    line = db.session.scalars(select(Investment)).one()
    assert response.headers["Location"].endswith(f"{PATH}/#investment-{line.id}")
    assert (line.approved, line.financial_year) == (stored and Decimal(stored), 2026)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"requested": "-5000"}, "Requested cannot be negative"),
        ({"forecast": "twelve pounds"}, "Forecast: Enter the amount in numbers"),
        ({"financial_year": "2026/28"}, "The second year must follow the first, as in 2026/27"),
        ({"financial_year": "next year"}, "Enter a financial year like 2026/27"),
        ({"financial_year": ""}, "Enter the financial year, like 2026/27"),
        ({"financial_year": "1980/81"}, "Enter a financial year from 1990/91 to 2100/01"),
        ({"cost_type": "both"}, "Not a valid choice"),
        ({"title": "x" * 201}, "Title must be 200 characters or fewer"),
    ],
)
def test_bad_input_is_explained_in_the_error_summary(client, auth, values, message) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    make_programme(pm)
    response = client.post(
        f"{PATH}/new", data={"csrf_token": auth.csrf_token(f"{PATH}/new")} | form(**values)
    )
    assert response.status_code == 200
    assert message in error_summary(response)
    assert db.session.scalars(select(Investment)).all() == []


def test_edit_and_delete_with_version_checks(client, auth, make_user) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    line = make_line(make_programme(pm), "Integrator", 2026, "450000", "480000")
    edit = f"{PATH}/{line.id}/edit"
    page = text(client.get(edit))
    assert 'value="2026/27"' in page and 'value="£450,000"' in page
    token = auth.csrf_token(edit)

    changed = db.session.get(Investment, line.id)
    changed.forecast, changed.updated_by_id = Decimal("500000"), make_user(Role.CIO, name="Helen Carter").id
    db.session.commit()
    response = client.post(
        edit, data={"csrf_token": token, "version": line.version} | form(forecast="470000")
    )
    assert "This investment line was changed by Helen Carter" in error_summary(response)
    assert 'value="470000"' in text(response) and "£500,000" in text(response)

    current = db.session.get(Investment, line.id).version
    response = client.post(edit, data={"csrf_token": token, "version": current} | form(forecast="470000"))
    assert response.status_code == 302
    assert db.session.get(Investment, line.id).forecast == Decimal("470000")

    delete = f"{PATH}/{line.id}/delete"
    assert "Are you sure you want to delete" in text(client.get(delete))
    response = client.post(
        delete, data={"csrf_token": token, "version": db.session.get(Investment, line.id).version}
    )
    assert response.status_code == 302
    assert db.session.get(Investment, line.id) is None


def test_a_line_of_another_programme_is_not_found_through_this_one(client, auth, make_user) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    make_programme(pm)
    other = Programme(
        code="OTH-001", name="Other", directorate="Adults", focus=Focus.BOTH, stage=Stage.DELIVERY
    )
    db.session.add(other)
    theirs = make_line(detached(other), "Theirs", 2026, "1", "1")
    assert client.get(f"{PATH}/{theirs.id}/edit").status_code == 404
    assert client.get(f"{PATH}/99999999999999999999/edit").status_code == 404


def test_the_page_issues_the_same_number_of_queries_for_2_or_40_lines(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme = make_programme(pm)
    counts = []
    for total in (2, 40):
        for n in range(len(db.session.scalars(select(Investment.id)).all()), total):
            make_line(programme, f"Line {n}", 2024 + n % 5, "1000", "1100")
        with counting_queries() as statements:
            assert client.get(f"{PATH}/").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_random_input_to_the_investment_form_never_causes_a_server_error(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    line = make_line(make_programme(pm), "Integrator", 2026, "450000", "480000")
    token = auth.csrf_token(f"{PATH}/new")
    amount = st.sampled_from(["1250000", "£1,250,000.50", "-1", "1e9"]) | st.text(max_size=20)

    @settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        title=st.text(max_size=30),
        year=st.sampled_from(["2026/27", "FY2030-31"]) | st.text(max_size=12),
        kinds=st.tuples(
            st.sampled_from(["capital", "revenue", ""]) | st.text(max_size=8), st.text(max_size=8)
        ),
        amounts=st.tuples(amount, amount, amount, amount),
        version=st.sampled_from([str(line.version), ""]) | st.text(max_size=24),
        path=st.sampled_from(["/new", f"/{line.id}/edit", f"/{line.id}/delete"]),
    )
    def post(title, year, kinds, amounts, version, path) -> None:
        data = form(title=title, financial_year=year, cost_type=kinds[0], recurrence=kinds[1] or "one_off")
        data |= dict(zip(("requested", "approved", "forecast", "actual"), amounts, strict=True))
        response = client.post(f"{PATH}{path}", data={"csrf_token": token, "version": version} | data)
        assert response.status_code in (200, 302, 404), data

    post()


def test_the_investment_form_shows_every_problem_at_once(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    make_programme(pm)
    wrong = form(title="", financial_year="1980/81", cost_type="", forecast="-5", actual="twelve pounds")

    response = client.post(f"{PATH}/new", data={"csrf_token": auth.csrf_token(f"{PATH}/new")} | wrong)

    summary = error_summary(response)
    for message in (
        "Enter a title",
        "Enter a financial year from 1990/91 to 2100/01",
        "Choose capital or revenue",
        "Forecast cannot be negative",
        "Actual spend so far: Enter the amount in numbers",
    ):
        assert message in summary, (message, summary)
    assert "<title>Error: " in text(response)
    assert db.session.scalars(select(Investment)).all() == []
