"""The change programme tracker: `create_app` reads as a table of contents."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tracker.config import INSTANCE_DIR, PROJECT_ROOT, Settings, load_settings
from tracker.web.requests import TrackerRequest


def create_app(overrides: dict[str, Any] | None = None, *, settings: Settings | None = None) -> Flask:
    """Build the app from settings (the environment by default) and optional overrides."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    app.request_class = TrackerRequest
    app.config.update((settings or load_settings()).flask_config())
    if overrides:
        app.config.update(overrides)
    register_extensions(app)
    register_templating(app)
    register_security(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from tracker.database import register_database
    from tracker.extensions import api, csrf, login_manager, migrate
    from tracker.services.accounts import sessions

    register_database(app)
    migrate.init_app(app, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(sessions.load)
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")  # where flask-smorest serves openapi.json
    api.init_app(app)


def register_templating(app: Flask) -> None:
    from tracker.web.templating import register_templating as register

    register(app)


def register_security(app: Flask) -> None:
    hops = int(app.config.get("TRUSTED_PROXIES", 0))
    if hops:
        # Behind a reverse proxy: take the client's address and scheme from the proxies' headers,
        # so sign-in throttling counts people, not the proxy. Only as many hops as are trusted.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    from tracker.web.security import register_security_headers

    register_security_headers(app)


def register_blueprints(app: Flask) -> None:
    from tracker.extensions import api
    from tracker.web import api_blueprints, blueprints

    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    # flask-smorest registers the API's blueprints itself, adding their views to the OpenAPI document.
    for blueprint in api_blueprints():
        api.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from tracker.web.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from tracker.cli import commands

    for command in commands():
        app.cli.add_command(command)
