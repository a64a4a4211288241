"""Change request pages: a programme manager raises one with its impact, the CIO decides it in the queue
beside the re-baselines, the programme's figures move, and the pages cost a fixed number of queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tests.factories import BenefitFactory, MilestoneFactory, ProgrammeFactory
from tests.web.pages import counting_queries, error_summary, get, text, words
from tracker.extensions import db
from tracker.models import (
    ChangeRequest,
    ChangeRequestKind,
    ChangeRequestStatus,
    Programme,
    RebaselineRequest,
    Role,
)

NEW = "/programmes/DIG-001/change-requests/new"


def cost_form(token: str, **values: object) -> dict[str, object]:
    return {
        "csrf_token": token,
        "kind": "cost",
        "title": "Extra integration",
        "description": "Integrate the housing system too",
        "impact": "Three more months of supplier time",
        "proposed_whole_life_baseline": "£1,250,000",
        **values,
    }


def add_change(programme_id: int, by: int | None = None, **values: object) -> ChangeRequest:
    change = ChangeRequest(
        programme_id=programme_id,
        kind=values.pop("kind", ChangeRequestKind.SCOPE),
        title=values.pop("title", "Add the library service"),
        impact="Two more months",
        requested_by_id=by,
        **values,
    )
    db.session.add(change)
    db.session.commit()
    return change


def test_a_raised_cost_request_is_approved_by_the_cio_and_moves_the_baseline(client, auth, make_user) -> None:
    pm = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    programme_id = ProgrammeFactory(
        code="DIG-001", manager_id=pm.id, whole_life_baseline=Decimal(1_000_000)
    ).id
    auth.sign_in(pm.email)
    listing = text(client.get("/programmes/DIG-001/change-requests/"))
    assert "No change requests have been raised" in listing and "Raise a change request" in listing
    form = client.get(NEW).get_data(as_text=True)
    assert "<legend" in form and "What would the change alter?" in form
    assert "Fill in only what this kind of change moves" in form

    response = client.post(NEW, data=cost_form(auth.csrf_token(NEW)))
    assert response.status_code == 302
    change_id = db.session.scalars(select(ChangeRequest.id)).one()
    page = text(client.get(response.headers["Location"]))
    assert "Waiting for a decision" in page
    assert "Whole-life cost baseline From £1,000,000 to £1,250,000" in page
    assert "Withdraw this request" in page and "Decide" not in page
    assert db.session.get(Programme, programme_id).whole_life_baseline == Decimal(1_000_000)

    auth.sign_out()
    cio = make_user(Role.CIO, name="Helen Carter")
    auth.sign_in(cio.email)
    queue = text(client.get("/rebaselines/"))
    assert "1 change request waiting for a decision" in queue and "Cost change" in queue
    decide = f"/rebaselines/changes/{change_id}"
    assert f'href="{decide}"' in get(client, "/rebaselines/")
    token = auth.csrf_token(decide)
    refused = client.post(decide, data={"csrf_token": token, "decision": "reject", "version": "1"})
    assert "Say why the change request is rejected" in error_summary(refused)
    approved = client.post(decide, data={"csrf_token": token, "decision": "approve", "version": "1"})
    assert approved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Programme, programme_id).whole_life_baseline == Decimal(1_250_000)

    recent = text(client.get("/rebaselines/"))
    recent = recent[recent.index("Recent decisions") :]
    assert "whole-life cost baseline from £1,000,000 to £1,250,000" in recent
    again = client.post(decide, data={"csrf_token": token, "decision": "approve", "version": "2"})
    assert "already approved by Helen Carter" in error_summary(again)
    history = text(client.get("/programmes/DIG-001/history"))
    assert "Approved change" in history and "Approved the change request 'Extra integration'" in history


def test_every_problem_shows_at_once_and_what_was_typed_stays(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    ProgrammeFactory(code="DIG-001", manager_id=pm.id, whole_life_baseline=Decimal(1_000_000))
    token = auth.csrf_token(NEW)
    response = client.post(NEW, data=cost_form(token, title="", proposed_whole_life_baseline=""))
    summary = error_summary(response)
    assert "Enter a title for the change" in summary
    assert "Enter the new whole-life cost baseline, in pounds" in summary
    assert "Three more months of supplier time</textarea>" in response.get_data(as_text=True)
    negative = error_summary(client.post(NEW, data=cost_form(token, proposed_whole_life_baseline="-5")))
    assert "cannot be negative" in negative
    no_kind = error_summary(client.post(NEW, data=cost_form(token, kind="")))
    assert "Choose what the change would alter" in no_kind
    # A field of a kind not chosen is not checked: scope with rubbish in the cost box goes through.
    scope = client.post(NEW, data=cost_form(token, kind="scope", proposed_whole_life_baseline="lots"))
    assert scope.status_code == 302
    assert db.session.scalars(select(ChangeRequest.proposed_whole_life_baseline)).one() is None


def test_a_benefit_of_another_programme_cannot_be_named(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    ProgrammeFactory(code="DIG-001", manager_id=pm.id)
    other_id = BenefitFactory(programme=ProgrammeFactory(code="OTH-001")).id
    token = auth.csrf_token(NEW)
    data = cost_form(token, kind="benefits", benefit_id=str(other_id), proposed_target_value="5")
    assert "Choose one of this programme's benefits" in error_summary(client.post(NEW, data=data))


def test_the_person_who_asked_withdraws_it(client, auth) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme = ProgrammeFactory(code="DIG-001", manager_id=pm.id)
    change_id = add_change(programme.id, pm.id).id
    path = f"/programmes/DIG-001/change-requests/{change_id}/withdraw"
    response = client.post(path, data={"csrf_token": auth.csrf_token(path), "version": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ChangeRequest, change_id).status is ChangeRequestStatus.WITHDRAWN
    assert "Withdrawn by" in text(client.get("/programmes/DIG-001/change-requests/"))
    assert "Withdrawn request" in text(client.get("/programmes/DIG-001/history"))


def test_the_queue_shows_both_kinds_to_a_cio_and_a_programme_manager_their_own(
    client, auth, make_user
) -> None:
    pm = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    own = ProgrammeFactory(code="DIG-001", manager_id=pm.id)
    other = ProgrammeFactory(code="OTH-001")
    for programme_id, title in ((own.id, "Own"), (other.id, "Other")):
        add_change(programme_id, title=f"{title} scope change")
        milestone = MilestoneFactory(programme_id=programme_id, title=f"{title} go-live")
        db.session.add(
            RebaselineRequest(milestone_id=milestone.id, proposed_date=date(2027, 9, 1), reason="x")
        )
    db.session.commit()
    mine = text(client.get("/rebaselines/"))
    assert "Your change and re-baseline requests" in mine
    assert "Own scope change" in mine and "Own go-live" in mine
    assert "Other scope change" not in mine and "Other go-live" not in mine
    assert "2 requests waiting" in words(get(client, "/dashboard?scope=mine"))

    auth.sign_out()
    auth.sign_in_as(Role.CIO)
    everything = text(client.get("/rebaselines/"))
    assert "2 change requests waiting for a decision" in everything
    assert "2 re-baseline requests waiting for a decision" in everything
    assert "4 requests to decide" in words(get(client, "/dashboard"))


def test_the_queue_and_the_programme_page_cost_the_same_queries_however_many(client, auth, make_user) -> None:
    auth.sign_in_as(Role.CIO)
    asker = make_user(Role.PROGRAMME_MANAGER).id
    programme_id = ProgrammeFactory(code="DIG-001", whole_life_baseline=Decimal(1000)).id

    def add(count: int) -> None:
        for number in range(count):
            benefit = BenefitFactory(programme_id=programme_id)
            add_change(programme_id, asker, kind=ChangeRequestKind.BENEFITS, benefit_id=benefit.id,
                       proposed_target_value=Decimal(number))  # fmt: skip
            other = ProgrammeFactory()
            add_change(other.id, asker, kind=ChangeRequestKind.COST, proposed_whole_life_baseline=Decimal(9))

    add(2)
    get(client, "/rebaselines/")
    with counting_queries() as queue_few, counting_queries():
        get(client, "/rebaselines/")
    with counting_queries() as page_few:
        get(client, "/programmes/DIG-001/change-requests/")
    add(8)
    with counting_queries() as queue_many:
        assert "20 change requests waiting" in text(client.get("/rebaselines/"))
    with counting_queries() as page_many:
        assert "10 change requests" in text(client.get("/programmes/DIG-001/change-requests/"))
    assert len(queue_few) == len(queue_many)
    assert len(page_few) == len(page_many)
