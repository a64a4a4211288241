"""Settings from the environment, and the factory built from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker import create_app
from tracker.config import ConfigError, load_settings


def test_defaults_need_nothing_set(tmp_path: Path) -> None:
    settings = load_settings({}, instance_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'tracker.db'}"
    assert settings.org_name == "Anytown Borough Council"
    assert settings.accessibility_contact_email == "accessibility@council.example"
    assert (settings.host, settings.port) == ("127.0.0.1", 5000)
    assert settings.base_url == "http://127.0.0.1:5000"
    assert settings.outbox_dir == tmp_path / "outbox"
    assert settings.scheduler == "off"
    assert not settings.smtp_host


def test_development_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_settings({}, instance_dir=tmp_path).secret_key
    second = load_settings({}, instance_dir=tmp_path).secret_key
    assert len(first) >= 32
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings({"ENV": "production"}, instance_dir=tmp_path)
    assert load_settings({"ENV": "production", "SECRET_KEY": "s3cret"}, instance_dir=tmp_path).production


def test_environment_values_are_read(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "DATABASE_URL": "postgres://tracker:pw@db.internal/tracker",
            "ORG_NAME": "Borsetshire County Council",
            "BASE_URL": "https://tracker.borsetshire.gov.uk/",
            "SMTP_HOST": "smtp.borsetshire.gov.uk",
            "SMTP_PORT": "587",
            "SMTP_STARTTLS": "true",
            "MAIL_FROM": "tracker@borsetshire.gov.uk",
            "SCHEDULER": "embedded",
            "HOST": "0.0.0.0",
            "PORT": "8000",
            "SECRET_KEY": "k",
        },
        instance_dir=tmp_path,
    )
    assert settings.database_url == "postgresql+psycopg://tracker:pw@db.internal/tracker"
    assert settings.base_url == "https://tracker.borsetshire.gov.uk"
    assert (settings.smtp_port, settings.smtp_starttls, settings.scheduler) == (587, True, "embedded")
    config = settings.flask_config()
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_plain_http_base_url_does_not_mark_cookies_secure(tmp_path: Path) -> None:
    config = load_settings({"BASE_URL": "http://localhost:5000"}, instance_dir=tmp_path).flask_config()
    assert config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SCHEDULER", "sometimes", "SCHEDULER"),
        ("PORT", "eighty", "PORT"),
        ("SMTP_PORT", "x", "SMTP_PORT"),
        ("TRUSTED_PROXIES", "one", "TRUSTED_PROXIES"),
        ("TRUSTED_PROXIES", "-1", "TRUSTED_PROXIES"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings({name: value}, instance_dir=tmp_path)


def test_factory_applies_settings_and_overrides(tmp_path: Path) -> None:
    settings = load_settings({"ORG_NAME": "Ambridge Parish", "SECRET_KEY": "k"}, instance_dir=tmp_path)
    app = create_app({"TESTING": True}, settings=settings)
    assert app.config["ORG_NAME"] == "Ambridge Parish"
    assert app.testing
    assert {"auth", "main", "programmes"} <= set(app.blueprints)
    assert {"users", "demo", "scheduler", "risk", "db", "serve"} <= set(app.cli.commands)


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(app) -> None:
    from sqlalchemy import text

    from tracker.extensions import db

    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite connection settings")
    with db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 30000
