"""The database busy, missing or cut off: people get a clear page (503), never a stack trace, and the
app carries on once the database is back."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tests.conftest import TEST_PASSWORD, make_test_app
from tests.helpers import csrf_token_from
from tests.web.programme_data import add_programme
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Benefit,
    BenefitType,
    Direction,
    Measurement,
    Milestone,
    MilestoneKind,
    MilestoneStatus,
    Role,
    User,
)
from tracker.services.accounts.users import create_user

BUSY_PAGE = "Sorry, the service is busy"
DOWN_PAGE = "Sorry, the service is unavailable"
NOT_SAVED = "If you were saving a change, it has not been saved."


def sqlite_path(url: str) -> str:
    return make_url(url).database or ""


@pytest.fixture
def sqlite_only(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")


@pytest.fixture
def manager(auth) -> User:
    return auth.sign_in_as(Role.PROGRAMME_MANAGER)


@pytest.fixture
def benefit(app: Flask, manager: User) -> Benefit:
    """A programme the signed-in manager runs, with one benefit to record measurements against."""
    programme = add_programme("ASC-003", manager_id=manager.id)
    benefit = Benefit(
        programme_id=programme.id, title="Faster assessments", benefit_type=BenefitType.SERVICE_IMPROVEMENT,
        measure="Days to assess", unit="days", direction=Direction.LOWER, owner="Head of Adults",
    )  # fmt: skip
    db.session.add(benefit)
    db.session.commit()
    return benefit


def record(client: FlaskClient, benefit: Benefit, value: str):
    path = f"/programmes/ASC-003/benefits/{benefit.id}/measurements/new"
    token = csrf_token_from(client.get(path))
    return client.post(path, data={"csrf_token": token, "on_date": ["2", "11", "2026"], "value": value})


def stored_values() -> list[Decimal]:
    db.session.rollback()
    return [row.value for row in db.session.scalars(select(Measurement).order_by(Measurement.id))]


@pytest.fixture
def write_lock(database_url: str) -> Iterator[sqlite3.Connection]:
    """Another process's write in progress: a separate connection holding SQLite's write lock."""
    outsider = sqlite3.connect(
        sqlite_path(database_url), timeout=0, isolation_level=None, check_same_thread=False
    )
    outsider.execute("BEGIN IMMEDIATE")
    outsider.execute("UPDATE programme SET description = description")
    try:
        yield outsider
    finally:
        if outsider.in_transaction:
            outsider.execute("ROLLBACK")
        outsider.close()


def test_a_save_waits_for_another_writer_and_is_stored(sqlite_only, client, benefit, write_lock) -> None:
    releaser = threading.Timer(0.5, lambda: write_lock.execute("COMMIT"))
    releaser.start()
    started = time.monotonic()
    response = record(client, benefit, "21")
    releaser.join()

    assert response.status_code == 302
    assert time.monotonic() - started >= 0.4  # it waited for the lock rather than failing
    assert stored_values() == [Decimal("21")]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "measurement")) is not None


def test_a_request_that_writes_takes_the_write_lock_before_it_reads(sqlite_only, app, database_url) -> None:
    """Reading first and locking later is what fails at once with 'database is locked' under load."""
    outsider = sqlite3.connect(sqlite_path(database_url), timeout=0, isolation_level=None)
    try:
        with app.test_request_context("/programmes/", method="POST"):
            db.session.execute(text("SELECT count(*) FROM programme"))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                outsider.execute("BEGIN IMMEDIATE")
            db.session.rollback()
        with app.test_request_context("/programmes/", method="GET"):
            db.session.execute(text("SELECT count(*) FROM programme"))
            outsider.execute("BEGIN IMMEDIATE")  # a page that only reads leaves writers free
            outsider.execute("ROLLBACK")
            db.session.rollback()
    finally:
        outsider.close()


def test_a_lock_held_past_the_wait_gives_the_busy_page_then_saving_again_works(
    sqlite_only, schema: str, workdir: Path, manager: User, benefit, write_lock
) -> None:
    impatient = make_test_app(schema, workdir, SQLITE_BUSY_TIMEOUT_MS=200)
    client = impatient.test_client()
    path = f"/programmes/ASC-003/benefits/{benefit.id}/measurements/new"
    write_lock.execute("ROLLBACK")  # sign in first; the lock is taken again below
    assert sign_in_form(client, manager.email) == 302
    write_lock.execute("BEGIN IMMEDIATE")
    token = csrf_token_from(client.get(path))
    form = {"csrf_token": token, "on_date": ["2", "11", "2026"], "value": "19"}

    response = client.post(path, data=form)

    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert BUSY_PAGE in page and NOT_SAVED in page
    assert "Traceback" not in page and "OperationalError" not in page
    write_lock.execute("ROLLBACK")
    assert stored_values() == []

    assert client.post(path, data=form).status_code == 302
    assert stored_values() == [Decimal("19")]
    with impatient.app_context():
        db.engine.dispose()


def sign_in_form(client: FlaskClient, email: str) -> int:
    token = csrf_token_from(client.get("/sign-in"))
    return client.post(
        "/sign-in", data={"email": email, "password": TEST_PASSWORD, "csrf_token": token}
    ).status_code


def test_sqlite_file_out_of_reach_at_start_then_back(tmp_path: Path, workdir: Path) -> None:
    folder = tmp_path / "not-yet-mounted"
    url = f"sqlite:///{folder / 'tracker.db'}"
    app = make_test_app(url, workdir)  # starts although the database cannot be opened
    client = app.test_client()

    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unreachable"
    assert client.get("/sign-in").status_code == 200  # the form needs no database
    token = csrf_token_from(client.get("/sign-in"))
    response = client.post(
        "/sign-in", data={"email": "pm@testshire.gov.uk", "password": TEST_PASSWORD, "csrf_token": token}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and DOWN_PAGE in page and "Traceback" not in page
    assert str(folder) not in page

    folder.mkdir()  # the volume is back
    with app.app_context():
        upgrade()
        create_user(
            "pm@testshire.gov.uk", name="Pat Manager", role=Role.PROGRAMME_MANAGER, password=TEST_PASSWORD
        )
        db.session.remove()
    assert client.get("/healthz").status_code == 200
    assert sign_in_form(client, "pm@testshire.gov.uk") == 302
    with app.app_context():
        db.engine.dispose()


@pytest.mark.postgres_only
def test_postgres_connections_cut_then_the_next_request_reconnects(app, auth, database_url: str) -> None:
    if not database_url.startswith("postgres"):
        pytest.skip("PostgreSQL only")
    client = auth._client
    auth.sign_in_as(Role.CIO)
    assert client.get("/dashboard").status_code == 200
    name = make_url(database_url).database
    admin = create_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        cut = connection.execute(
            text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :name"),
            {"name": name},
        ).scalar()
    admin.dispose()
    assert cut >= 1  # the pooled connections the app held are gone

    assert client.get("/dashboard").status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.postgres_only
def test_postgres_not_listening_gives_503_and_no_trace(workdir: Path, database_url: str) -> None:
    if not database_url.startswith("postgres"):
        pytest.skip("PostgreSQL only")
    from tests.smtp_server import free_port

    nowhere = make_url(database_url).set(host="127.0.0.1", port=free_port())
    app = make_test_app(nowhere.render_as_string(hide_password=False), workdir)
    client = app.test_client()

    assert client.get("/healthz").status_code == 503
    token = csrf_token_from(client.get("/sign-in"))
    response = client.post(
        "/sign-in", data={"email": "x@testshire.gov.uk", "password": "x", "csrf_token": token}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and DOWN_PAGE in page
    assert "Traceback" not in page and str(nowhere.port) not in page


def test_a_save_that_loses_a_race_past_the_version_check_gets_a_409_page(schema: str, workdir: Path) -> None:
    app = make_test_app(schema, workdir, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/race-for-test")
    def race() -> str:
        raise StaleDataError(
            "UPDATE statement on table 'milestone' expected to update 1 row(s); 0 were matched."
        )

    response = app.test_client().get("/race-for-test")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "someone else saved a change at the same time" in page and "nothing you entered was saved" in page
    assert "Traceback" not in page and "UPDATE statement" not in page


@pytest.mark.postgres_only
def test_postgres_two_managers_saving_one_milestone_at_once(app, client, auth, database_url: str) -> None:
    """The other save commits after this request's version check and before its write."""
    if not database_url.startswith("postgres"):
        pytest.skip("PostgreSQL only: SQLite's write lock keeps the other save out")
    manager = auth.sign_in_as(Role.PROGRAMME_MANAGER)
    programme = add_programme("DIG-001", manager_id=manager.id)
    milestone = Milestone(
        programme_id=programme.id, title="Go-live", kind=MilestoneKind.IT_DELIVERY,
        original_baseline_date=date(2027, 3, 1), baseline_date=date(2027, 3, 1),
        forecast_date=date(2027, 3, 1), status=MilestoneStatus.IN_PROGRESS,
    )  # fmt: skip
    db.session.add(milestone)
    db.session.commit()
    milestone_id = milestone.id
    path = "/programmes/DIG-001/milestones/update"
    token = csrf_token_from(client.get(path))
    form = {
        "csrf_token": token, "rows-0-milestone_id": str(milestone_id),
        "rows-0-version": str(milestone.version),
        "rows-0-forecast_date": ["1", "5", "2027"], "rows-0-actual_date": ["", "", ""],
        "rows-0-status": "in_progress", "rows-0-reason": "Supplier late",
    }  # fmt: skip
    table = Milestone.__table__

    done: list[bool] = []

    def the_other_save(session, _context, _instances) -> None:
        if done:
            return
        done.append(True)
        with db.engine.begin() as other:
            other.execute(
                update(table)
                .where(table.c.id == milestone_id)
                .values(version=table.c.version + 1, forecast_date=date(2027, 6, 1))
            )

    event.listen(Session, "before_flush", the_other_save)
    try:
        response = client.post(path, data=form)
    finally:
        event.remove(Session, "before_flush", the_other_save)

    # The update page comes back with the message and everything the manager typed.
    page = response.get_data(as_text=True)
    assert done and response.status_code == 200
    assert "changed by someone else while you were saving" in page
    assert "Supplier late" in page
    db.session.rollback()
    assert db.session.get(Milestone, milestone_id).forecast_date == date(2027, 6, 1)  # theirs stands
