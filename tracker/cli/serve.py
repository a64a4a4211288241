"""`flask serve`: gunicorn with the scheduler in a process of its own, or Werkzeug for development."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo
from gunicorn.app.base import BaseApplication

SCHEDULE = "risk scan daily 06:00, digest Monday 08:00, Europe/London"
REQUEST_TIMEOUT_SECONDS = 120
"""Long enough for the import wizard's check of the largest file the web accepts."""


@click.command("serve")
@click.option(
    "--reload/--no-reload",
    default=False,
    help="Development: Werkzeug's server, restarting when code changes, the scheduler in a thread.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Web worker processes (default: two per core, and one more).",
)
def serve_command(reload: bool, workers: int | None) -> None:
    """Serve the app on HOST:PORT; with SCHEDULER=embedded the jobs run beside it. Ctrl-C stops both."""
    app = current_app._get_current_object()
    if reload:
        _serve_for_development(app)
        return
    workers = workers or 2 * (os.cpu_count() or 1) + 1
    scheduler = None
    if app.config["SCHEDULER"] == "embedded":
        scheduler = _start_scheduler_process()
        click.echo(f"Scheduler: embedded, in its own process (pid {scheduler.pid}): {SCHEDULE}.")
    else:
        click.echo("Scheduler: off (run `flask scheduler run` in its own process).")
    host, port = app.config["HOST"], int(app.config["PORT"])
    click.echo(
        f"Serving {app.config['ORG_NAME']} change programme tracker on http://{host}:{port}/ "
        f"(gunicorn, {workers} workers)"
    )
    try:
        _WebServer(app, bind=f"{host}:{port}", workers=workers).run()
    finally:
        if scheduler is not None:
            _stop(scheduler)


def _serve_for_development(app: Flask) -> None:
    from werkzeug.serving import run_simple

    from tracker.scheduler import build_scheduler

    host, port = app.config["HOST"], int(app.config["PORT"])
    if os.environ.get("WERKZEUG_RUN_MAIN") == "true":  # the reloader's child serves; its parent only watches
        if app.config["SCHEDULER"] == "embedded":
            build_scheduler(app, blocking=False).start()
            click.echo(f"Scheduler: embedded ({SCHEDULE}).")
        else:
            click.echo("Scheduler: off (run `flask scheduler run` in its own process).")
        click.echo(f"Serving {app.config['ORG_NAME']} change programme tracker on http://{host}:{port}/")
    run_simple(host, port, app, use_reloader=True, threaded=True)


def _start_scheduler_process() -> subprocess.Popen[bytes]:
    """`flask scheduler run` for the same app, in a child process that Ctrl-C stops with the server."""
    info = click.get_current_context().find_object(ScriptInfo)
    target = ["--app", info.app_import_path] if info is not None and info.app_import_path else []
    command = [sys.executable, "-m", "flask", *target, "scheduler", "run"]
    return subprocess.Popen(command, env={**os.environ, "SCHEDULER": "off"})  # noqa: S603


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


class _WebServer(BaseApplication):
    """Gunicorn serving this app object: workers fork from it, each with its own database connections."""

    def __init__(self, app: Flask, **options: Any) -> None:
        self.application = app
        self.options = {
            "accesslog": "-",
            "timeout": REQUEST_TIMEOUT_SECONDS,
            "control_socket_disable": True,  # one fixed path per user: two servers on a host would clash
            "post_fork": self._post_fork,
            **options,
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application

    def _post_fork(self, server: Any, worker: Any) -> None:
        from tracker.extensions import db

        with self.application.app_context():
            db.engine.dispose(close=False)  # never share a connection the master may have opened
