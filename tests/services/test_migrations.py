"""The migrations build exactly the models' schema, both ways, on this run's database."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from tests.conftest import make_test_app
from tracker.extensions import db
from tracker.models.base import on_this_database


@pytest.fixture
def empty_database(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the same kind as this run's."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    url = make_url(database_url)
    name = f"tracker_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _drift() -> list[object]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": on_this_database(connection.dialect.name)},
        )
        return compare_metadata(context, db.metadata)


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade_leaves_no_drift(empty_database: str, workdir: Path) -> None:
    app = make_test_app(empty_database, workdir)
    with app.app_context():
        upgrade()
        assert _tables() == set(db.metadata.tables)
        assert _drift() == []
        downgrade(revision="base")
        db.engine.dispose()
        assert _tables() == set()
        upgrade()
        assert _drift() == []
        db.engine.dispose()


def test_sqlite_migrations_leave_no_batch_leftovers(empty_database: str, workdir: Path) -> None:
    if not empty_database.startswith("sqlite"):
        pytest.skip("SQLite batch mode")
    app = make_test_app(empty_database, workdir)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert not [name for name in _tables() if name.startswith("_alembic_tmp")]
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_check_constraints_hold(app) -> None:
    from datetime import date

    from sqlalchemy.exc import IntegrityError

    from tracker.models import EntryKind, Focus, Programme, RegisterEntry

    programme = Programme(code="CHK-001", name="Check", directorate="Resources", focus=Focus.BOTH)
    db.session.add(programme)
    db.session.commit()
    db.session.add(
        RegisterEntry(
            programme_id=programme.id,
            kind=EntryKind.RISK,
            title="Bad",
            likelihood=6,
            impact=1,
            review_date=date(2026, 12, 1),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


ROWS_BEFORE_FROM_DATE = [
    ("programme", "id, code, name, directorate, focus, stage, created_at, updated_at",
     "1, 'DIG-001', 'Digital', 'Resources', 'both', 'delivery', :at, :at"),
    ("milestone",
     "id, programme_id, title, kind, original_baseline_date, baseline_date, status, created_at, updated_at",
     "1, 1, 'Go-live', 'it_delivery', '2026-10-24', '2027-01-07', 'not_started', :at, :at"),
    ("milestone_change", "milestone_id, kind, from_value, to_value, changed_at",
     "1, 'rebaseline_requested', '2026-10-24', '2027-01-07', :at"),
    ("milestone_change", "milestone_id, kind, from_value, to_value, changed_at",
     "1, 'rebaseline_requested', '2027-01-07', '2027-03-01', :at"),
    ("rebaseline_request", "id, milestone_id, proposed_date, reason, status, requested_at",
     "1, 1, '2027-01-07', 'Supplier', 'approved', :at"),
    ("rebaseline_request", "id, milestone_id, proposed_date, reason, status, requested_at",
     "2, 1, '2027-03-01', 'Again', 'pending', :at"),
    ("rebaseline_request", "id, milestone_id, proposed_date, reason, status, requested_at",
     "3, 1, '2027-05-01', 'Not logged', 'rejected', :at"),
]  # fmt: skip


def test_rebaseline_requests_get_the_baseline_they_moved_from(empty_database: str, workdir: Path) -> None:
    """Requests made before `from_date` was kept take it from the milestone history they logged."""
    app = make_test_app(empty_database, workdir)
    at = datetime(2026, 11, 1, 10, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="5b2e8c1d9f40")
        with db.engine.begin() as connection:
            for table, columns, values in ROWS_BEFORE_FROM_DATE:
                connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), {"at": at})
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT id, from_date FROM rebaseline_request ORDER BY id")).all()
        assert [(request_id, str(from_date)) for request_id, from_date in rows] == [
            (1, "2026-10-24"),  # approved: moved from the original, though the baseline is now the new date
            (2, "2027-01-07"),
            (3, "2027-01-07"),  # nothing logged: the milestone's baseline now
        ]
        db.engine.dispose()


def test_the_open_milestones_partial_index_is_made_on_postgresql_only(app, database_url: str) -> None:
    """PostgreSQL's planner needs it for the overdue count; SQLite could not use it, so it is not made."""
    indexes = {index["name"] for index in inspect(db.engine).get_indexes("milestone")}
    assert ("ix_milestone_open_baseline_pg" in indexes) is database_url.startswith("postgresql")
    assert "ix_milestone_open_by_baseline" in indexes
