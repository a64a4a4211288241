"""A benefit's status on its own pages, changed by whoever may measure it (after closure too), and the
benefits register across the portfolio: filtered in the URL, the savings added up, unknowns said, paged,
downloadable, at a query cost that does not grow with the portfolio."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from tests.factories import BenefitFactory, ProgrammeFactory
from tests.helpers import csrf_token_from
from tests.web.pages import counting_queries, error_summary, get, table_rows, words
from tracker.extensions import db
from tracker.models import (
    Benefit,
    BenefitStatus,
    BenefitType,
    Direction,
    Measurement,
    Programme,
    Role,
    Stage,
    User,
)


@pytest.fixture(autouse=True)
def frozen(time_machine) -> None:
    time_machine.move_to(datetime(2026, 12, 4, 12, 0, tzinfo=UTC), tick=False)


def read_csv(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def post(client, path: str, data: dict[str, object]):
    """Open the form, then send it with its token and the version it shows, as a browser would."""
    opened = client.get(path)
    version = re.search(r'name="version"[^>]*value="(\d+)"', opened.get_data(as_text=True))
    assert version, "no version in the form"
    return client.post(
        path, data={**data, "csrf_token": csrf_token_from(opened), "version": version.group(1)}
    )


@pytest.fixture
def manager(auth) -> User:
    return auth.sign_in_as(Role.PROGRAMME_MANAGER)


@pytest.fixture
def closed_benefit(manager: User) -> Benefit:
    programme = ProgrammeFactory(code="ASC-013", stage=Stage.CLOSED, manager_id=manager.id)
    return BenefitFactory(programme=programme, title="Fewer failed alarm calls", owner="Jo Pearce")


def test_a_manager_writes_off_a_closed_programmes_benefit_with_a_reason(client, closed_benefit) -> None:
    path = f"/programmes/ASC-013/benefits/{closed_benefit.id}"
    detail = words(get(client, path))
    assert "Status Being measured" in detail and "Handed over to the service Not known" in detail

    refused = post(client, f"{path}/status", {"status": "written_off", "handed_over_on": ["5", "12", "2026"]})

    summary = error_summary(refused)
    assert "Enter why the benefit is written off" in summary
    assert "The handover date must be today or in the past" in summary
    saved = post(
        client,
        f"{path}/status",
        {
            "status": "written_off",
            "status_reason": "Switch-off delayed",
            "handed_over_on": ["30", "11", "2026"],
        },
    )
    assert saved.status_code == 302
    detail = words(get(client, path))
    assert "Status Written off Switch-off delayed" in detail
    assert "Handed over to the service 30 November 2026" in detail
    assert "Changed the status of 'Fewer failed alarm calls' to written off" in words(
        get(client, "/programmes/ASC-013/history")
    )
    assert "Written off" in table_rows(get(client, "/programmes/ASC-013/benefits/"))[0]


def test_a_viewer_sees_the_status_but_cannot_change_it(client, auth) -> None:
    benefit = BenefitFactory(status=BenefitStatus.REALISED)
    path = f"/programmes/{db.session.get(Programme, benefit.programme_id).code}/benefits/{benefit.id}"
    auth.sign_in_as(Role.VIEWER)

    page = get(client, path)

    assert "Realised" in page and "Change status" not in page
    assert client.get(f"{path}/status").status_code == 403


@pytest.fixture
def portfolio(make_user) -> None:
    pm = make_user(Role.PROGRAMME_MANAGER, name="Priya Shah")
    digital = ProgrammeFactory(code="DIG-001", directorate="Resources", manager_id=pm.id)
    closed = ProgrammeFactory(code="ASC-013", directorate="Adults", stage=Stage.CLOSED)
    printing = BenefitFactory(
        programme=digital, title="Lower print costs", benefit_type=BenefitType.CASHABLE,
        direction=Direction.LOWER, unit="£", measure="Print spend a year", owner="Karen Lowe",
        baseline_value=Decimal(100_000), baseline_date=date(2026, 4, 1), target_value=Decimal(40_000),
        target_date=date(2027, 3, 31),
    )  # fmt: skip
    db.session.add(Measurement(benefit_id=printing.id, on_date=date(2026, 9, 1), value=Decimal(75_000)))
    BenefitFactory(programme=digital, title="More contacts online", owner="")
    BenefitFactory(programme=closed, title="Fewer failed alarm calls", owner="Jo Pearce")
    BenefitFactory(programme=closed, title="Alarm units sold", status=BenefitStatus.REALISED)
    db.session.commit()


def test_the_register_shows_every_benefit_still_measured_and_the_savings(client, auth, portfolio) -> None:
    auth.sign_in_as(Role.VIEWER)

    page = get(client, "/benefits/")

    rows = table_rows(page)
    assert [row.split(" ")[0] for row in rows] == ["ASC-013", "DIG-001", "DIG-001"]
    assert "Fewer failed alarm calls" in rows[0] and "Closed" in rows[0] and "Being measured" in rows[0]
    printing = rows[1]
    assert "Lower print costs" in printing and "Cashable Print spend a year" in printing
    assert "£100,000 on 1 April 2026" in printing and "£40,000 by 31 March 2027" in printing
    assert "£75,000 on 1 September 2026" in printing and "Karen Lowe" in printing
    assert "Not known" in rows[2] and "No owner yet" in rows[2] and "None yet" in rows[2]
    shown = words(page)
    assert "3 benefits in 2 programmes" in shown and "Alarm units sold" not in shown
    assert "Cashable savings planned £60,000" in shown and "Cashable savings measured £25,000" in shown
    assert 'href="/benefits/"' in page and ">Benefits<" in page  # in the main navigation


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("status=realised", ["Alarm units sold"]),
        ("status=after_closure", ["Fewer failed alarm calls"]),
        ("status=all", ["Fewer failed alarm calls", "Alarm units sold", "Lower print costs",
                        "More contacts online"]),
        ("type=cashable", ["Lower print costs"]),
        ("owner=PEARCE", ["Fewer failed alarm calls"]),
        ("directorate=Resources&type=service_improvement", ["More contacts online"]),
        ("status=odd&type=odd", ["Fewer failed alarm calls", "Lower print costs", "More contacts online"]),
        ("owner=%25", []),
    ],
)  # fmt: skip
def test_the_filters_choose_the_benefits(client, auth, portfolio, query: str, titles: list[str]) -> None:
    auth.sign_in_as(Role.CIO)

    page = get(client, f"/benefits/?{query}")

    if titles:
        rows = table_rows(page)
        assert len(rows) == len(titles) and all(title in row for title, row in zip(titles, rows, strict=True))
    else:
        assert "No benefit matches these filters." in page


def test_the_csv_has_every_benefit_with_its_status(client, auth, portfolio) -> None:
    auth.sign_in_as(Role.VIEWER)

    response = client.get("/benefits/export.csv?status=all")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="benefits-2026-12-04.csv"' in response.headers["Content-Disposition"]
    rows = {row["Benefit"]: row for row in read_csv(response.get_data())}
    assert len(rows) == 4
    assert rows["Alarm units sold"]["Status"] == "Realised"
    printing = rows["Lower print costs"]
    assert (
        Decimal(printing["Latest measured value"]) == 75_000
        and printing["Latest measured on"] == "2026-09-01"
    )
    assert rows["More contacts online"]["Target value"] == ""  # unknown, not 0


def bulk_benefits(count: int, first_id: int) -> None:
    programme = db.session.scalar(select(Programme).where(Programme.code == "BLK-001"))
    if programme is None:
        programme = ProgrammeFactory(code="BLK-001", directorate="Place")
    db.session.execute(
        insert(Benefit),
        [
            {"id": first_id + n, "programme_id": programme.id, "title": f"Bulk {n}",
             "benefit_type": BenefitType.CASHABLE, "direction": Direction.HIGHER,
             "target_value": Decimal(n), "status": BenefitStatus.TRACKING}
            for n in range(count)
        ],
    )  # fmt: skip
    db.session.execute(
        insert(Measurement),
        [
            {"benefit_id": first_id + n, "on_date": date(2026, 10, 1), "value": Decimal(1)}
            for n in range(count)
        ],
    )
    db.session.commit()


def test_the_page_and_the_csv_cost_the_same_queries_at_10_and_300_benefits(client, auth) -> None:
    auth.sign_in_as(Role.VIEWER)
    bulk_benefits(10, first_id=1_000)
    client.get("/benefits/")  # warm up
    with counting_queries() as page_at_10:
        shown = words(get(client, "/benefits/?directorate=Place"))
        assert "10 benefits in 1 programme" in shown and "Cashable savings measured £10" in shown
    with counting_queries() as csv_at_10:
        assert len(read_csv(client.get("/benefits/export.csv").get_data())) == 10
    bulk_benefits(290, first_id=2_000)
    with counting_queries() as page_at_300:
        shown = words(get(client, "/benefits/?directorate=Place&page=4"))
        assert "300 benefits in 1 programme" in shown and "Cashable savings measured £300" in shown
    with counting_queries() as csv_at_300:
        assert len(read_csv(client.get("/benefits/export.csv").get_data())) == 300

    assert len(page_at_10) == len(page_at_300) <= 8
    assert len(csv_at_10) == len(csv_at_300)
