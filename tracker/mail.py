"""Email: build a multipart message, and deliver it by SMTP or into an outbox folder of `.eml` files.

Council mail servers and laptops without one both work: with `SMTP_HOST` set messages go over
SMTP (the standard library's smtplib, STARTTLS and login when configured); without it each message
is written to `OUTBOX_DIR` as an `.eml` file a person can open, and logged.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30.0

HEADERS_UNFOLDED = default_policy.clone(max_line_length=998)
"""RFC 5322's own line limit: at 78, Python folds a subject with brackets before its first word, and the
subject then reads with a leading space ("Risk digest w/c ...: 7 Red (+1), ...")."""


class DeliveryError(Exception):
    """A message could not be handed over; the text says why, for the delivery log."""


@dataclass(frozen=True)
class Envelope:
    """Who a message is from and to: the sender's display name and address, and one recipient."""

    sender_name: str
    sender: str
    recipient: str


def build_message(
    envelope: Envelope,
    *,
    subject: str,
    text: str,
    html: str,
    sent_at: datetime,
    message_id: str | None = None,
) -> EmailMessage:
    """A text part first and an HTML alternative, so every mail client shows something readable."""
    message = EmailMessage(policy=HEADERS_UNFOLDED)
    message["From"] = formataddr((envelope.sender_name, envelope.sender))
    message["To"] = envelope.recipient
    message["Subject"] = subject
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = message_id or make_msgid(domain=sender_domain(envelope.sender))
    # Tells out-of-office replies and ticket systems this came from a machine.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def sender_domain(address: str) -> str:
    """The domain of the sender, for Message-IDs that belong to it."""
    domain = address.rpartition("@")[2].strip()
    return domain if re.fullmatch(r"[A-Za-z0-9.-]+", domain) else "localhost"


class Mailer(Protocol):
    """Hands one message over for delivery, or raises DeliveryError."""

    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True)
class SmtpMailer:
    """Delivers over SMTP, one connection per message, so a failure affects one recipient only."""

    host: str
    port: int
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = SMTP_TIMEOUT_SECONDS

    def send(self, message: EmailMessage) -> None:
        """Send, turning every SMTP or network failure into a DeliveryError that names it."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                smtp.ehlo()
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                    smtp.ehlo()
                if self.username:
                    smtp.login(self.username, self.password)
                refused = smtp.send_message(message)
        except smtplib.SMTPException as error:
            raise DeliveryError(f"SMTP {self.host}:{self.port}: {_describe(error)}") from error
        except OSError as error:
            raise DeliveryError(f"Could not reach SMTP {self.host}:{self.port}: {error}") from error
        if refused:
            raise DeliveryError(f"SMTP {self.host}:{self.port} refused: {', '.join(refused)}")


def _describe(error: smtplib.SMTPException) -> str:
    """The server's code and words where it gave them, else the exception's own text."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address} refused ({code} {_text(reply)})"
            for address, (code, reply) in error.recipients.items()
        )
    code, reply = getattr(error, "smtp_code", None), getattr(error, "smtp_error", None)
    if code is not None and reply is not None:
        return f"{code} {_text(reply)}"
    return str(error) or type(error).__name__


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


@dataclass(frozen=True)
class OutboxMailer:
    """Writes each message as an `.eml` file, so the app works offline and a person can open the mail."""

    directory: Path

    def send(self, message: EmailMessage) -> None:
        """Write atomically (temporary file, then rename) so a reader never sees half a message."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            path = self.directory / self._filename(message)
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(handle, "wb") as output:
                output.write(message.as_bytes())
            os.replace(temporary, path)
        except OSError as error:
            raise DeliveryError(f"Could not write to the outbox {self.directory}: {error}") from error
        log.info("Wrote %r for %s to %s", str(message["Subject"]), message["To"], path)

    @staticmethod
    def _filename(message: EmailMessage) -> str:
        """Sortable by time, readable by recipient, unique whatever happens."""
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        who = re.sub(r"[^A-Za-z0-9.@_-]", "_", str(message["To"] or "unknown"))[:80]
        return f"{stamp}-{who}-{uuid.uuid4().hex[:8]}.eml"


def mailer_from_config(config: Mapping[str, object]) -> Mailer:
    """SMTP when SMTP_HOST is set, else the outbox folder."""
    host = str(config.get("SMTP_HOST") or "").strip()
    if not host:
        return OutboxMailer(Path(str(config.get("OUTBOX_DIR") or "instance/outbox")))
    return SmtpMailer(
        host=host,
        port=int(str(config.get("SMTP_PORT") or 25)),
        username=str(config.get("SMTP_USERNAME") or ""),
        password=str(config.get("SMTP_PASSWORD") or ""),
        starttls=bool(config.get("SMTP_STARTTLS")),
    )


def envelope_from_config(config: Mapping[str, object], recipient: str) -> Envelope:
    """The sender is the tracker, named after the council, at MAIL_FROM."""
    org = str(config.get("ORG_NAME") or "").strip()
    name = f"{org} change programme tracker" if org else "Change programme tracker"
    return Envelope(
        sender_name=name, sender=str(config.get("MAIL_FROM") or "tracker@localhost"), recipient=recipient
    )
