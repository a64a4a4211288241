"""PostgreSQL going away while the app runs, then coming back: 503s with a clear page meanwhile,
and the app answers again without a restart. The app reaches the database through a relay on
127.0.0.1 that the test can cut (closing every open connection) and restore on the same port."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import make_test_app
from tests.helpers import csrf_token_from
from tests.smtp_server import free_port
from tracker.extensions import db
from tracker.models import Role
from tracker.services.accounts.users import create_user

pytestmark = pytest.mark.postgres_only
PASSWORD = "relay test password"


class Relay:
    """A TCP relay from a local port to the database; `cut()` drops it, `restore()` brings it back."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            if self._listener is not None:
                self._open.append(self._listener)  # shut down too: that wakes the thread blocked in accept()
                self._listener = None
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def relay(database_url: str) -> Iterator[Relay]:
    if not database_url.startswith("postgres"):
        pytest.skip("PostgreSQL only")
    url = make_url(database_url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    relay.restore()
    yield relay
    relay.cut()


def test_postgres_down_mid_session_then_back(app, relay: Relay, database_url: str, workdir: Path) -> None:
    create_user("cio@testshire.gov.uk", name="Chris CIO", role=Role.CIO, password=PASSWORD)
    db.session.remove()
    relayed = make_url(database_url).set(host="127.0.0.1", port=relay.port)
    served = make_test_app(relayed.render_as_string(hide_password=False), workdir)
    client = served.test_client()
    token = csrf_token_from(client.get("/sign-in"))
    signed_in = client.post(
        "/sign-in", data={"email": "cio@testshire.gov.uk", "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    assert client.get("/dashboard").status_code == 200

    relay.cut()  # pooled connections die and new ones are refused

    down = client.get("/dashboard")
    page = down.get_data(as_text=True)
    assert down.status_code == 503 and "Sorry, the service is unavailable" in page
    assert "Traceback" not in page and str(relay.port) not in page
    assert client.get("/healthz").status_code == 503
    expired = client.post("/account/password", data={"csrf_token": "stale"})
    assert expired.status_code == 503  # not a 500 from the expired-form page looking up who is signed in
    assert "Sorry, the service is unavailable" in expired.get_data(as_text=True)

    relay.restore()

    assert client.get("/healthz").status_code == 200
    assert client.get("/dashboard").status_code == 200  # still signed in, no restart
    with served.app_context():
        db.engine.dispose()
