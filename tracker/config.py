"""Settings from the environment (and `.env`), with test settings beside them."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field
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


# Roles the directory may give (its groups or app roles map to these); the highest held wins.
DIRECTORY_ROLES = ("admin", "cio", "board", "programme_manager", "viewer")


@dataclass(frozen=True)
class DirectorySettings:
    """Sign-in through the council's directory (OpenID Connect), and whether passwords still work."""

    issuer: str = ""
    client_id: str = ""
    client_secret: str = ""
    scopes: str = "openid email profile"
    label: str = "Sign in with Microsoft"
    role_map: dict[str, str] = field(default_factory=dict)  # group id or app-role name -> role
    default_role: str = ""  # for someone in no mapped group; empty: they are refused
    local_sign_in: bool = True
    break_glass_emails: frozenset[str] = frozenset()

    @property
    def enabled(self) -> bool:
        return bool(self.issuer)

    def flask_config(self) -> dict[str, object]:
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": self.client_id,
            "OIDC_CLIENT_SECRET": self.client_secret,
            "OIDC_SCOPES": self.scopes,
            "OIDC_LABEL": self.label,
            "OIDC_ROLE_MAP": dict(self.role_map),
            "OIDC_DEFAULT_ROLE": self.default_role,
            "LOCAL_SIGN_IN": self.local_sign_in,
            "BREAK_GLASS_EMAILS": self.break_glass_emails,
        }


def directory_settings(environ: dict[str, str]) -> DirectorySettings:
    """Read and check the OIDC_* settings, LOCAL_SIGN_IN and BREAK_GLASS_EMAILS."""
    issuer = environ.get("OIDC_ISSUER", "").strip().rstrip("/")
    client_id = environ.get("OIDC_CLIENT_ID", "").strip()
    if issuer and not client_id:
        raise ConfigError("OIDC_ISSUER is set but OIDC_CLIENT_ID is not: both are needed to sign in.")
    parts = urlparse(issuer)
    local_http = parts.scheme == "http" and parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if issuer and parts.scheme != "https" and not local_http:
        raise ConfigError(
            f"OIDC_ISSUER must be an https:// address (http only on this machine), not {issuer!r}."
        )
    raw_map = environ.get("OIDC_ROLE_MAP", "").strip()
    role_map: dict[str, str] = {}
    if raw_map:
        try:
            parsed = json.loads(raw_map)
        except ValueError as exc:
            raise ConfigError(
                "OIDC_ROLE_MAP must be JSON mapping group ids or app roles to roles, "
                'like {"<group id>": "cio"}.'
            ) from exc
        if not isinstance(parsed, dict):
            raise ConfigError('OIDC_ROLE_MAP must be a JSON object, like {"<group id>": "cio"}.')
        for key, role in parsed.items():
            if not isinstance(role, str) or role.strip().lower() not in DIRECTORY_ROLES:
                raise ConfigError(
                    f"OIDC_ROLE_MAP gives {key!r} the role {role!r}: use one of {', '.join(DIRECTORY_ROLES)}."
                )
            role_map[str(key).strip()] = role.strip().lower()
    default_role = environ.get("OIDC_DEFAULT_ROLE", "").strip().lower()
    if default_role and default_role not in DIRECTORY_ROLES:
        raise ConfigError(
            f"OIDC_DEFAULT_ROLE must be one of {', '.join(DIRECTORY_ROLES)}, not {default_role!r}."
        )
    local = environ.get("LOCAL_SIGN_IN", "on").strip().lower() or "on"
    if local not in {"on", "off"}:
        raise ConfigError(f"LOCAL_SIGN_IN must be 'on' or 'off', not {local!r}.")
    if local == "off" and not issuer:
        raise ConfigError(
            "LOCAL_SIGN_IN=off needs OIDC_ISSUER: otherwise only break-glass admins could sign in."
        )
    emails = frozenset(
        part.strip().lower() for part in environ.get("BREAK_GLASS_EMAILS", "").split(",") if part.strip()
    )
    return DirectorySettings(
        issuer=issuer,
        client_id=client_id,
        client_secret=environ.get("OIDC_CLIENT_SECRET", "").strip(),
        scopes=environ.get("OIDC_SCOPES", "").strip() or "openid email profile",
        label=environ.get("OIDC_LABEL", "").strip() or "Sign in with Microsoft",
        role_map=role_map,
        default_role=default_role,
        local_sign_in=local == "on",
        break_glass_emails=emails,
    )


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
    directory: DirectorySettings = field(default_factory=DirectorySettings)

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
            **self.directory.flask_config(),
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
        directory=directory_settings(environ),
    )
