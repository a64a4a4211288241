"""Settings from the environment (and `.env`), with test settings beside them."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from dotenv import load_dotenv

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"


class ConfigError(RuntimeError):
    """Raised when the environment cannot give a safe configuration."""


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(environ: dict[str, str], instance_dir: Path, production: bool) -> str:
    """Use SECRET_KEY; in development generate one once and keep it in instance/."""
    key = environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY must be set when ENV=production.")
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def database_url(environ: dict[str, str], instance_dir: Path) -> str:
    """DATABASE_URL, defaulting to a SQLite file under instance/."""
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_dir / 'tracker.db'}"
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgres://")
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment, already parsed."""

    database_url: str
    secret_key: str
    org_name: str
    base_url: str
    smtp_host: str
    smtp_port: int
    smtp_username: str
    smtp_password: str
    smtp_starttls: bool
    mail_from: str
    outbox_dir: Path
    scheduler: str
    host: str
    port: int
    production: bool
    idle_timeout_hours: float
    trusted_proxies: int = 0
    accessibility_contact_email: str = "accessibility@council.example"

    @property
    def https(self) -> bool:
        return urlparse(self.base_url).scheme == "https"

    def flask_config(self) -> dict[str, object]:
        """The Flask config keys these settings stand for."""
        return {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options(self.database_url),
            "ORG_NAME": self.org_name,
            "BASE_URL": self.base_url,
            "SMTP_HOST": self.smtp_host,
            "SMTP_PORT": self.smtp_port,
            "SMTP_USERNAME": self.smtp_username,
            "SMTP_PASSWORD": self.smtp_password,
            "SMTP_STARTTLS": self.smtp_starttls,
            "MAIL_FROM": self.mail_from,
            "OUTBOX_DIR": str(self.outbox_dir),
            "SCHEDULER": self.scheduler,
            "HOST": self.host,
            "PORT": self.port,
            "PRODUCTION": self.production,
            "TRUSTED_PROXIES": self.trusted_proxies,
            "ACCESSIBILITY_CONTACT_EMAIL": self.accessibility_contact_email,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            "SESSION_COOKIE_SECURE": self.https,
            "REMEMBER_COOKIE_HTTPONLY": True,
            "REMEMBER_COOKIE_SAMESITE": "Lax",
            "REMEMBER_COOKIE_SECURE": self.https,
            "PERMANENT_SESSION_LIFETIME": int(self.idle_timeout_hours * 3600),
            "SESSION_REFRESH_EACH_REQUEST": True,
            "WTF_CSRF_TIME_LIMIT": None,
            "SEND_FILE_MAX_AGE_DEFAULT": 3600,
            "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        }


def engine_options(url: str) -> dict[str, object]:
    """SQLite waits for locks instead of failing; PostgreSQL checks pooled connections."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def load_settings(environ: dict[str, str] | None = None, *, instance_dir: Path = INSTANCE_DIR) -> Settings:
    """Read settings from `environ` (default: the process environment plus `.env`)."""
    if environ is None:
        load_dotenv(PROJECT_ROOT / ".env")
        environ = dict(os.environ)
    production = environ.get("ENV", "development").strip().lower() == "production"
    scheduler = environ.get("SCHEDULER", "off").strip().lower() or "off"
    if scheduler not in {"embedded", "off"}:
        raise ConfigError(f"SCHEDULER must be 'embedded' or 'off', not {scheduler!r}.")
    host = environ.get("HOST", "127.0.0.1").strip() or "127.0.0.1"
    port_text = environ.get("PORT", "5000").strip() or "5000"
    smtp_port_text = environ.get("SMTP_PORT", "25").strip() or "25"
    try:
        port = int(port_text)
        smtp_port = int(smtp_port_text)
        idle = float(environ.get("IDLE_TIMEOUT_HOURS", "8").strip() or "8")
        proxies = int(environ.get("TRUSTED_PROXIES", "0").strip() or "0")
    except ValueError as exc:
        raise ConfigError(
            f"PORT, SMTP_PORT, IDLE_TIMEOUT_HOURS and TRUSTED_PROXIES must be numbers ({exc})."
        ) from exc
    if proxies < 0:
        raise ConfigError("TRUSTED_PROXIES must be 0 or more (the number of proxies in front of the app).")
    base_url = (environ.get("BASE_URL", "").strip() or f"http://{host}:{port}").rstrip("/")
    outbox = environ.get("OUTBOX_DIR", "").strip()
    return Settings(
        database_url=database_url(environ, instance_dir),
        secret_key=_secret_key(environ, instance_dir, production),
        org_name=environ.get("ORG_NAME", "").strip() or "Anytown Borough Council",
        base_url=base_url,
        smtp_host=environ.get("SMTP_HOST", "").strip(),
        smtp_port=smtp_port,
        smtp_username=environ.get("SMTP_USERNAME", "").strip(),
        smtp_password=environ.get("SMTP_PASSWORD", ""),
        smtp_starttls=_flag(environ.get("SMTP_STARTTLS")),
        mail_from=environ.get("MAIL_FROM", "").strip() or "tracker@localhost",
        outbox_dir=Path(outbox) if outbox else instance_dir / "outbox",
        scheduler=scheduler,
        host=host,
        port=port,
        production=production,
        idle_timeout_hours=idle,
        trusted_proxies=proxies,
        accessibility_contact_email=environ.get("ACCESSIBILITY_CONTACT_EMAIL", "").strip()
        or "accessibility@council.example",
    )
