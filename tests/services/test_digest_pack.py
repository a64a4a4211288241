"""The board pack attached to the weekly digest of those who get the whole portfolio's digest and chose it."""

from __future__ import annotations

from io import BytesIO

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from tests.helpers import csrf_token_from
from tests.smtp_server import SmtpSink
from tracker.domain.calendar import london_today
from tracker.extensions import db
from tracker.models import Role, User
from tracker.models.types import utcnow
from tracker.services.demo.seed import seed_demo
from tracker.services.digest.account import set_pack_attachment
from tracker.services.digest.jobs import send_weekly_digest
from tracker.services.errors import Invalid
from tracker.services.ratings.scan import scan_portfolio


@pytest.fixture
def smtp(app: Flask):
    with SmtpSink() as sink:
        app.config.update(sink.settings())
        yield sink


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def attachments(sink: SmtpSink, email: str) -> list[tuple[str, bytes]]:
    [received] = sink.to(email)
    return [(part.get_filename(), part.get_content()) for part in received.message.iter_attachments()]


def test_the_cio_who_chose_it_gets_the_board_pack_with_the_digest(app: Flask, smtp: SmtpSink) -> None:
    seed_demo()
    scan_portfolio()
    assert set_pack_attachment(user("cio@demo.council.example"), attach=True)
    assert set_pack_attachment(user("board@demo.council.example"), attach=True)

    send_weekly_digest()

    [(name, data)] = attachments(smtp, "cio@demo.council.example")
    assert name == f"board-pack-{london_today(utcnow()).isoformat()}.pdf"
    reader = PdfReader(BytesIO(data))
    assert reader.metadata.title.startswith("Portfolio board pack, ")
    assert "Whole council: 12 open programmes" in reader.pages[0].extract_text()
    assert attachments(smtp, "board@demo.council.example") == [(name, data)], "drawn once, sent to each"
    assert attachments(smtp, "admin@demo.council.example") == []
    assert attachments(smtp, "pm@demo.council.example") == []


def test_a_programme_managers_digest_cannot_carry_the_councils_pack(app: Flask) -> None:
    seed_demo()

    with pytest.raises(Invalid):
        set_pack_attachment(user("pm@demo.council.example"), attach=True)


def test_a_cio_chooses_the_pack_on_their_email_preferences(client: FlaskClient, auth) -> None:
    user_id = auth.sign_in_as(Role.CIO).id
    page = client.get("/account/preferences")
    assert "Do you want the board pack attached to it?" in page.get_data(as_text=True)

    client.post(
        "/account/preferences",
        data={"csrf_token": csrf_token_from(page), "receive": "yes", "pack": "yes"},
    )

    db.session.expire_all()
    assert db.session.get(User, user_id).digest_pack_pdf is True


def test_a_programme_manager_is_not_offered_the_pack(client: FlaskClient, auth) -> None:
    auth.sign_in_as(Role.PROGRAMME_MANAGER)

    assert "board pack" not in client.get("/account/preferences").get_data(as_text=True)
