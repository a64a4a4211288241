"""Shared fixtures: a database per test process (SQLite, or PostgreSQL via TEST_DATABASE_URL),
one app per process with clean tables for each test, a client, and an `auth` helper for signing in.

Under pytest-xdist each worker is its own process with its own temp folder and database."""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from sqlalchemy import create_engine, exists, literal, select, text, union_all
from sqlalchemy.engine import make_url

from tracker import create_app
from tracker.config import load_settings
from tracker.extensions import db
from tracker.models import Role, User

TEST_PASSWORD = "correct horse battery staple"
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

# Tests that start several processes of their own (flask, gunicorn) and wait on them with timeouts:
# one at a time across the xdist workers (of both runs, when SQLite and PostgreSQL run side by side),
# so two of them never share the two cores. (xdist's own `xdist_group` does not group under pytest
# 9.2: it renames items through an attribute pytest no longer reads.)
PROCESS_HEAVY = (
    "tests/services/test_bench_load.py",
    "tests/services/test_bench_milestone_save.py",
    "tests/services/test_bench_pages.py",
    "tests/services/test_claims.py::test_three_processes_racing_run_the_scan_once",
    "tests/services/test_digest_delivery.py::test_three_concurrent_send_processes_deliver_each_digest_once",
    "tests/services/test_digest_kill.py",
    "tests/services/test_scheduler_process.py",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that use the test database: the second run, on PostgreSQL, repeats "
        "those alone, as the rest answer the same whatever the database.",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --database-tests-only, leave out the tests that never reach a database (pure functions,
    templates, parsers): a test reaches one only through the `database_url` fixture."""
    if not os.environ.get("TEST_DATABASE_URL", "").strip().startswith("postgres"):
        needs_postgresql = pytest.mark.skip(reason="needs PostgreSQL (TEST_DATABASE_URL)")
        for item in items:
            if item.get_closest_marker("postgres_only"):
                item.add_marker(needs_postgresql)
    if not config.getoption("--database-tests-only"):
        return
    kept, left_out = [], []
    for item in items:
        uses_database = "database_url" in getattr(item, "fixturenames", ())
        (kept if uses_database else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Run a process-heavy test (setup to teardown) while holding this run's lock for them."""
    if not item.nodeid.startswith(PROCESS_HEAVY):
        return (yield)
    # One lock per checkout, so the SQLite and PostgreSQL runs `make test` starts side by side share it.
    checkout = hashlib.sha256(str(item.config.rootpath).encode()).hexdigest()[:12]
    with open(Path(tempfile.gettempdir()) / f"tracker-tests-{checkout}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return (yield)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _postgres_database(url: str) -> Iterator[str]:
    """Create a fresh PostgreSQL database for this worker and drop it afterwards, even on failure."""
    base = make_url(url).set(drivername="postgresql+psycopg")
    name = f"tracker_test_{WORKER}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            # A throwaway database: commits need not wait for the disk (a crash loses nothing we keep).
            connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                {"name": name},
            )
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix=f"tracker-tests-{WORKER}-") as path:
        yield Path(path)


@pytest.fixture(scope="session")
def database_url(workdir: Path) -> Iterator[str]:
    """The database this run uses: PostgreSQL when TEST_DATABASE_URL is set, else a SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if url.startswith("postgres"):
        yield from _postgres_database(url)
    else:
        yield f"sqlite:///{workdir / 'test.db'}"


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production, even while a test holds one.

    Flask reuses an app context already pushed for the same app, which would carry `g`
    (the signed-in user, the CSRF token) from one request to the next."""

    def open(self, *args, **kwargs):
        held = _cv_app.get(None)
        if held is None or held.app is not self.application:
            return super().open(*args, **kwargs)
        held.pop()
        # A streamed body (a CSV download) is read now, inside its request's context and while the held
        # context is out of the way: read later, its generator would push and pop around the held one.
        kwargs.setdefault("buffered", True)
        try:
            return super().open(*args, **kwargs)
        finally:
            held.push()


def make_test_app(database_url: str, workdir: Path, **overrides: object) -> Flask:
    """An app configured for tests: fast password hashing, mail to a temp outbox, no scheduler."""
    environ = {
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "ORG_NAME": "Testshire County Council",
        "BASE_URL": "http://tracker.test",
        "OUTBOX_DIR": str(workdir / "outbox"),
        "SCHEDULER": "off",
    }
    settings = load_settings(environ, instance_dir=workdir / "instance")
    config = {"TESTING": True, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    config.update(overrides)
    app = create_app(config, settings=settings)
    app.test_client_class = FreshContextClient
    return app


@pytest.fixture(scope="session")
def schema(database_url: str, workdir: Path) -> str:
    """Create the schema once per run, through the migrations (as production does)."""
    from flask_migrate import upgrade

    app = make_test_app(database_url, workdir)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


def _empty_tables() -> None:
    """Delete every row, children first, in one transaction; tables found empty are left alone.

    One query finds the tables with rows (usually a handful), so a clean database costs one round
    trip. DELETE, not TRUNCATE: on PostgreSQL truncating two dozen tables takes a quarter of a second."""
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        probes = [
            select(literal(position)).where(exists().select_from(table))
            for position, table in enumerate(tables)
        ]
        filled = set(connection.scalars(union_all(*probes)))
        for position, table in enumerate(tables):
            if position in filled:
                connection.execute(table.delete())


def _setup_of(app: Flask) -> tuple[int, ...]:
    """How much setup an app has: routes and request hooks, which a test may add to."""
    hooks = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
    return (len(app.view_functions), *(sum(map(len, funcs.values())) for funcs in hooks))


class SharedApp:
    """The app a test process lends to each test; rebuilt after a test that added to its setup."""

    def __init__(self, database_url: str, workdir: Path) -> None:
        self._database_url = database_url
        self._workdir = workdir
        self._app: Flask | None = None

    def lend(self) -> Flask:
        if self._app is None:
            self._app = make_test_app(self._database_url, self._workdir)
        # Flask refuses a new route once an app has served a request. A test may add one, as it
        # could to an app of its own; `give_back` then drops this app for a fresh one.
        self._app._got_first_request = False
        self._setup = _setup_of(self._app)
        self._config = dict(self._app.config)
        return self._app

    def give_back(self) -> None:
        """Put back the config a test changed, or drop the app if its setup changed."""
        assert self._app is not None
        if _setup_of(self._app) != self._setup:
            self._app = None
            return
        self._app.config.clear()
        self._app.config.update(self._config)


@pytest.fixture(scope="session")
def shared_app(schema: str, workdir: Path) -> SharedApp:
    """One app per test process; tests needing other settings build their own with make_test_app."""
    return SharedApp(schema, workdir)


@pytest.fixture
def app(shared_app: SharedApp) -> Iterator[Flask]:
    """The shared app with a fresh app context and empty tables; its config is put back afterwards."""
    app = shared_app.lend()
    with app.app_context():
        _empty_tables()
        try:
            yield app
        finally:
            db.session.remove()
            shared_app.give_back()
            _empty_tables()
            # Tests cut connections and break files: the next test starts with no pooled connection.
            db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_user(app: Flask):
    """Create a user with a role; the password is TEST_PASSWORD unless given."""
    from tracker.services.accounts.users import create_user

    def make(
        role: Role | str = Role.VIEWER,
        *,
        email: str | None = None,
        name: str | None = None,
        password: str = TEST_PASSWORD,
    ) -> User:
        role = Role(role)
        email = email or f"{role.value}-{uuid.uuid4().hex[:8]}@testshire.gov.uk"
        return create_user(email, name=name or f"Test {role.value}", role=role, password=password)

    return make


class AuthActions:
    """Sign in and out through the real sign-in form (CSRF and all)."""

    def __init__(self, client: FlaskClient, make_user) -> None:
        self._client = client
        self._make_user = make_user

    def csrf_token(self, path: str = "/sign-in") -> str:
        from tests.helpers import csrf_token_from

        return csrf_token_from(self._client.get(path, follow_redirects=True))

    def sign_in(self, email: str, password: str = TEST_PASSWORD, *, next_url: str | None = None):
        path = "/sign-in" + (f"?next={next_url}" if next_url else "")
        token = self.csrf_token(path)
        return self._client.post(path, data={"email": email, "password": password, "csrf_token": token})

    def sign_in_as(self, role: Role | str) -> User:
        user = self._make_user(role)
        response = self.sign_in(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    def sign_out(self):
        token = self.csrf_token("/programmes/")
        return self._client.post("/sign-out", data={"csrf_token": token})


@pytest.fixture
def auth(client: FlaskClient, make_user) -> AuthActions:
    return AuthActions(client, make_user)


@pytest.fixture(scope="session")
def oidc_provider(workdir: Path):
    """A real OpenID provider (oidc-provider, under Node) for this test process; see tests/oidc_support.py."""
    from tests.oidc_support import OpenIdProvider

    with OpenIdProvider(workdir) as provider:
        yield provider
