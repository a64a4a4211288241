"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 at a free port, keeping every message it accepts.

Test modules wrap it in their own fixture (`pytest_plugins` belongs only in the root conftest):

    @pytest.fixture
    def smtp(app):
        with SmtpSink() as sink:
            app.config.update(sink.settings())
            yield sink
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Received:
    """One accepted message: the envelope as the server saw it, and the parsed message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    authenticated_as: str | None

    @property
    def text(self) -> str:
        """The plain-text part, with SMTP's CRLF line ends read back as newlines."""
        return self.message.get_body(("plain",)).get_content().replace("\r\n", "\n")

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content().replace("\r\n", "\n")


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address: str, rcpt_options: list[str]) -> str:
        if address.lower() in self.sink.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        with self.sink.lock:
            self.sink.received.append(
                Received(envelope.mail_from, tuple(envelope.rcpt_tos), message, login)  # type: ignore[arg-type]
            )
        return "250 Message accepted for delivery"


class SmtpSink:
    """Start with `with SmtpSink() as sink:`; `sink.received` lists what arrived, in order."""

    def __init__(self, port: int | None = None, *, credentials: tuple[str, str] | None = None) -> None:
        self.port = port or free_port()
        self.received: list[Received] = []
        self.refuse: set[str] = set()
        self.lock = threading.Lock()
        self._credentials = credentials
        self._controller: Controller | None = None

    def settings(self) -> dict[str, Any]:
        """App config pointing at this server."""
        return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": self.port}

    def start(self) -> SmtpSink:
        options: dict[str, Any] = {}
        if self._credentials is not None:
            options = {"authenticator": self._authenticate, "auth_require_tls": False}
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **options)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = (
            isinstance(auth_data, LoginPassword)
            and (
                auth_data.login.decode(),
                auth_data.password.decode(),
            )
            == self._credentials
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    def to(self, address: str) -> list[Received]:
        """Messages whose envelope named `address` (case-insensitive)."""
        with self.lock:
            return [item for item in self.received if address.lower() in (a.lower() for a in item.rcpt_tos)]

    def recipients(self) -> list[str]:
        """Every envelope recipient of every message, in arrival order (repeats show duplicates)."""
        with self.lock:
            return [address.lower() for item in self.received for address in item.rcpt_tos]

    def wait_for(self, count: int, timeout: float = 10.0) -> None:
        """Wait until at least `count` messages have arrived (the server runs in its own thread)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
