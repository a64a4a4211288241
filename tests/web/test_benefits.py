"""Benefit pages as a programme manager uses them: profiles, planned values and measurements."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from tests.helpers import csrf_token_from
from tests.web.pages import error_summary
from tracker.extensions import db
from tracker.models import (
    AuditAction,
    AuditEvent,
    Benefit,
    BenefitType,
    Direction,
    Focus,
    Measurement,
    Programme,
    Role,
    Stage,
    TrajectoryPoint,
    User,
)

D0, D10 = date(2026, 1, 1), date(2026, 1, 11)
PROFILE = {
    "title": "Faster: days to assess a care need",
    "benefit_type": "service_improvement",
    "measure": "Average days from referral to assessment",
    "unit": "days",
    "direction": "lower",
    "baseline_value": "28",
    "baseline_date": ["1", "1", "2026"],
    "target_value": "18",
    "target_date": ["11", "1", "2026"],
    "owner": "Chris Moss, Head of Adult Social Care",
    "notes": "",
}


@pytest.fixture
def manager(auth) -> User:
    return auth.sign_in_as(Role.PROGRAMME_MANAGER)


@pytest.fixture
def programme(manager: User) -> Programme:
    programme = Programme(
        code="ASC-003", name="Care records", directorate="Adults", focus=Focus.SERVICE_IMPROVEMENT,
        stage=Stage.DELIVERY, manager_id=manager.id,
    )  # fmt: skip
    db.session.add(programme)
    db.session.commit()
    return programme


@pytest.fixture
def benefit(programme: Programme) -> Benefit:
    benefit = Benefit(
        programme_id=programme.id,
        title="Faster: days to assess a care need",
        benefit_type=BenefitType.SERVICE_IMPROVEMENT,
        unit="days",
        direction=Direction.LOWER,
        baseline_value=Decimal(28),
        baseline_date=D0,
        target_value=Decimal(18),
        target_date=D10,
        owner="Chris Moss",
    )
    benefit.trajectory = [TrajectoryPoint(on_date=d, value=Decimal(v)) for d, v in ((D0, 28), (D10, 18))]
    db.session.add(benefit)
    db.session.commit()
    return benefit


def post(client: FlaskClient, path: str, data: dict[str, object], **kwargs: object):
    """Post a form the way a browser would: with the CSRF token from the page itself."""
    token = csrf_token_from(client.get(path))
    return client.post(path, data={"csrf_token": token, **data}, **kwargs)


def base(programme: Programme) -> str:
    return f"/programmes/{programme.code}/benefits"


def test_adding_a_benefit_accepts_values_as_people_type_them(client, programme) -> None:
    data = {
        **PROFILE,
        "direction": "higher",
        "unit": "£",
        "baseline_value": "£1,250",
        "target_value": "2,500.5",
    }
    response = post(client, f"{base(programme)}/new", data)

    assert response.status_code == 302
    benefit = db.session.scalars(select(Benefit)).one()
    assert (benefit.baseline_value, benefit.target_value) == (Decimal(1250), Decimal("2500.5"))
    assert response.headers["Location"].endswith(f"/benefits/{benefit.id}/trajectory")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # The planned values start from the baseline and the target.
    assert 'value="1,250"' in page and 'value="2,500.5"' in page


def test_a_dis_benefit_is_labelled_as_one(client, programme) -> None:
    post(
        client,
        f"{base(programme)}/new",
        {**PROFILE, "benefit_type": "dis_benefit", "title": "More missed bins"},
    )
    benefit = db.session.scalars(select(Benefit)).one()
    listing = client.get(f"{base(programme)}/").get_data(as_text=True)
    detail = client.get(f"{base(programme)}/{benefit.id}").get_data(as_text=True)
    assert "Dis-benefit" in listing
    assert "This is a dis-benefit" in detail


def test_missing_and_unreadable_answers_show_the_error_summary(client, programme) -> None:
    data = {
        **PROFILE,
        "title": " ",
        "benefit_type": "",
        "baseline_value": "lots",
        "target_date": ["31", "2", "2026"],
    }
    response = post(client, f"{base(programme)}/new", data)

    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in body
    for message in (
        "Enter the title of the benefit",
        "Select the type of benefit",
        "Baseline value must be a number",
        "Target date must be a real date",
    ):
        assert message in body
    assert 'value="lots"' in body  # what they typed is kept
    assert db.session.scalars(select(Benefit)).all() == []


@pytest.mark.parametrize(
    "parts",
    [
        ["31", "2", "2026"],
        ["a", "b", "c"],
        ["", "3", "2026"],
        ["1", "3"],
        ["1", "3", "2026", "4"],
        ["1", "3", "26"],
        ["99999999999999999999", "1", "2026"],
        ["1", "1", "0001"],
        ["²", "1", "2026"],
        [],
    ],
)
def test_odd_dates_are_explained_never_a_server_error(client, benefit, parts: list[str]) -> None:
    response = post(
        client,
        f"/programmes/ASC-003/benefits/{benefit.id}/measurements/new",
        {"on_date": parts, "value": "20"},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalars(select(Measurement)).all() == []


def test_recording_a_measurement_shows_it_against_the_plan(client, benefit, manager) -> None:
    path = f"/programmes/ASC-003/benefits/{benefit.id}"
    response = post(
        client,
        f"{path}/measurements/new",
        {"on_date": ["6", "1", "2026"], "value": "25", "note": "From Mosaic"},
    )

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    # Planned 23 days on 6 January; 25 is 3 of the 5 days saved so far.
    assert "Measurement recorded: 25 days on 6 January 2026. Behind plan (60%)." in page
    assert "against a planned 23 days" in page
    assert manager.name in page and "From Mosaic" in page
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "measurement")).all()
    assert [e.user_id for e in events] == [manager.id]


def test_a_measurement_dated_tomorrow_is_refused(client, benefit) -> None:
    tomorrow = date.today() + timedelta(days=2)
    response = post(
        client,
        f"/programmes/ASC-003/benefits/{benefit.id}/measurements/new",
        {"on_date": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)], "value": "20"},
    )
    assert "The date of the measurement must be today or in the past" in response.get_data(as_text=True)
    assert db.session.scalars(select(Measurement)).all() == []


def test_planned_values_are_replaced_and_half_filled_rows_are_explained(client, benefit) -> None:
    path = f"/programmes/ASC-003/benefits/{benefit.id}/trajectory"
    rows = {
        "version": str(benefit.version),
        "points-0-on_date": ["1", "1", "2026"],
        "points-0-value": "28",
        "points-1-on_date": ["1", "4", "2026"],
        "points-1-value": "",
        "points-2-on_date": ["", "", ""],
        "points-2-value": "",
    }
    refused = post(client, path, rows)
    assert "Row 2: Enter the planned value" in refused.get_data(as_text=True)

    saved = post(client, path, {**rows, "points-1-value": "20"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert [(p.on_date, p.value) for p in db.session.get(Benefit, benefit.id).trajectory] == [
        (D0, Decimal(28)),
        (date(2026, 4, 1), Decimal(20)),
    ]


def test_more_rows_can_be_added_without_saving(client, benefit) -> None:
    path = f"/programmes/ASC-003/benefits/{benefit.id}/trajectory"
    rows = re.compile(r"Row \d+: planned value")
    assert len(rows.findall(client.get(path).get_data(as_text=True))) == 5  # two saved, three blank
    data = {
        "version": str(benefit.version),
        "points-0-on_date": ["1", "1", "2026"],
        "points-0-value": "30",
        "more": "y",
    }
    page = post(client, path, data).get_data(as_text=True)
    assert len(rows.findall(page)) == 4  # the row posted, three more
    assert 'value="30"' in page
    db.session.expire_all()
    assert [p.value for p in db.session.get(Benefit, benefit.id).trajectory] == [28, 18]


def test_a_second_editor_sees_who_saved_first_and_keeps_their_input(client, benefit, make_user) -> None:
    benefit_id = benefit.id
    path = f"/programmes/ASC-003/benefits/{benefit_id}/edit"
    stale_version = str(benefit.version)
    cio = make_user(Role.CIO, name="Chris Orr")
    benefit.owner, benefit.updated_by_id = "Dan Price", cio.id
    db.session.commit()

    response = post(client, path, {**PROFILE, "owner": "My new owner", "version": stale_version})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This benefit was changed by Chris Orr" in body
    assert "What is saved now" in body and "Dan Price" in body
    assert 'value="My new owner"' in body
    db.session.expire_all()
    assert db.session.get(Benefit, benefit_id).owner == "Dan Price"

    # Saving again from the refreshed form goes through.
    version = str(db.session.get(Benefit, benefit_id).version)
    assert post(client, path, {**PROFILE, "owner": "My new owner", "version": version}).status_code == 302


def test_deleting_asks_first_then_records_it(client, benefit) -> None:
    path = f"/programmes/ASC-003/benefits/{benefit.id}/delete"
    assert "Are you sure you want to delete" in client.get(path).get_data(as_text=True)
    response = post(client, path, {"version": str(benefit.version)})
    assert response.status_code == 302
    assert db.session.get(Benefit, benefit.id) is None
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == AuditAction.DELETE)).one()


def test_a_viewer_sees_no_change_buttons_and_cannot_post(client, auth, benefit) -> None:
    benefit_id = benefit.id
    auth.sign_out()
    auth.sign_in_as(Role.VIEWER)
    page = client.get(f"/programmes/ASC-003/benefits/{benefit_id}").get_data(as_text=True)
    assert "Record a measurement" not in page and "Delete this benefit" not in page
    token = auth.csrf_token("/programmes/")
    response = client.post(
        f"/programmes/ASC-003/benefits/{benefit_id}/measurements/new",
        data={"csrf_token": token, "on_date": ["1", "1", "2026"], "value": "1"},
    )
    assert response.status_code == 403


def test_the_list_takes_the_same_queries_for_few_or_many_benefits(client, programme) -> None:
    programme_id, path = programme.id, f"{base(programme)}/"

    def queries_with(count: int) -> int:
        for number in range(count):
            db.session.add(
                Benefit(
                    programme_id=programme_id,
                    title=f"Benefit {number}",
                    benefit_type=BenefitType.CASHABLE,
                    direction=Direction.HIGHER,
                    trajectory=[TrajectoryPoint(on_date=D0, value=Decimal(0))],
                    measurements=[Measurement(on_date=D10, value=Decimal(5))],
                )
            )
        db.session.commit()
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    client.get(path)  # the first request of a session does some one-off work
    assert queries_with(2) == queries_with(12)


text = st.text(max_size=300)
date_parts = st.lists(st.text(max_size=12), max_size=4)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.fixed_dictionaries(
        {name: text for name in ("title", "benefit_type", "measure", "unit", "direction", "owner", "notes")}
        | {"baseline_value": text, "target_value": text, "adoption_measure": text, "version": text}
    ),
    baseline_date=date_parts,
    target_date=date_parts,
)
def test_random_input_to_the_benefit_form_never_causes_a_server_error(
    client, benefit, fields: dict[str, str], baseline_date: list[str], target_date: list[str]
) -> None:
    path = f"/programmes/ASC-003/benefits/{benefit.id}/edit"
    token = csrf_token_from(client.get(path))
    data = {"csrf_token": token, **fields, "baseline_date": baseline_date, "target_date": target_date}
    assert client.post(path, data=data).status_code in (200, 302)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(on_date=date_parts, value=text, note=text)
def test_random_input_to_the_measurement_form_never_causes_a_server_error(
    client, benefit, on_date: list[str], value: str, note: str
) -> None:
    path = f"/programmes/ASC-003/benefits/{benefit.id}/measurements/new"
    token = csrf_token_from(client.get(path))
    data = {"csrf_token": token, "on_date": on_date, "value": value, "note": note}
    assert client.post(path, data=data).status_code in (200, 302)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(date_parts, text), max_size=4), version=text)
def test_random_input_to_the_planned_values_form_never_causes_a_server_error(
    client, benefit, rows: list[tuple[list[str], str]], version: str
) -> None:
    path = f"/programmes/ASC-003/benefits/{benefit.id}/trajectory"
    token = csrf_token_from(client.get(path))
    data: dict[str, object] = {"csrf_token": token, "version": version}
    for index, (parts, value) in enumerate(rows):
        data |= {f"points-{index}-on_date": parts, f"points-{index}-value": value}
    assert client.post(path, data=data).status_code in (200, 302)


def test_a_benefit_page_has_one_back_link_to_the_benefits(client, programme, benefit) -> None:
    html = client.get(f"{base(programme)}/{benefit.id}").get_data(as_text=True)
    links = re.findall(r'<a [^>]*class="govuk-back-link"[^>]*>([^<]*)</a>', html)
    assert links == ["All benefits"]
    assert html.index("govuk-back-link") < html.index('id="main-content"')


def _shows_every_error(response, *messages: str) -> None:
    """Every message in the error summary at once, and the title says there are errors."""
    summary = error_summary(response)
    for message in messages:
        assert message in summary, (message, summary)
    assert re.search(r"<title>Error: ", response.get_data(as_text=True))


def test_the_benefit_form_shows_every_problem_at_once(client, programme, benefit) -> None:
    """The form's own checks and the service's (dates in the wrong order) show together."""
    wrong = {
        **PROFILE,
        "title": "",  # the form's own check
        "direction": "",
        "baseline_value": "lots",
        "baseline_date": ["1", "4", "2027"],  # the service's: the target comes first
        "target_date": ["1", "4", "2026"],
    }
    for path in (f"{base(programme)}/new", f"{base(programme)}/{benefit.id}/edit"):
        response = post(client, path, wrong)

        _shows_every_error(
            response,
            "Enter the title of the benefit",
            "Select whether higher or lower is better",
            "Baseline value must be a number",
            "The target date must be after the baseline date",
        )
    assert db.session.scalars(select(Benefit.title)).all() == ["Faster: days to assess a care need"]


def test_the_measurement_form_shows_every_problem_at_once(client, benefit) -> None:
    later = date.today() + timedelta(days=3)
    response = post(
        client,
        f"/programmes/ASC-003/benefits/{benefit.id}/measurements/new",
        {"on_date": [str(later.day), str(later.month), str(later.year)], "value": "", "note": "x" * 1001},
    )

    _shows_every_error(
        response,
        "The date of the measurement must be today or in the past",
        "Enter the value measured",
        "The note must be 1,000 characters or fewer",
    )
    assert db.session.scalars(select(Measurement)).all() == []


def test_the_planned_values_form_shows_every_problem_at_once(client, benefit) -> None:
    response = post(
        client,
        f"/programmes/ASC-003/benefits/{benefit.id}/trajectory",
        {
            "points-0-on_date": ["1", "1", "2026"],
            "points-0-value": "lots",  # the form's own check
            "points-1-on_date": ["1", "4", "2026"],
            "points-1-value": "20",
            "points-2-on_date": ["1", "4", "2026"],  # the service's: the same date twice
            "points-2-value": "19",
            "points-3-on_date": ["1", "5", "2026"],
            "points-3-value": "",
        },
    )

    _shows_every_error(
        response,
        "Row 1: Planned value must be a number",
        "Two planned values are dated 1 April 2026: keep one",
        "Row 4: Enter the planned value",
    )
    assert [p.value for p in db.session.get(Benefit, benefit.id).trajectory] == [28, 18]
