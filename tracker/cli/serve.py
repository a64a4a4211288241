"""`flask serve`: gunicorn with the scheduler in a process of its own, or Werkzeug for development."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo

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
    host, port = app.config["HOST"], int(app.config["PORT"])
    children: list[subprocess.Popen[bytes]] = []
    if app.config["SCHEDULER"] == "embedded":
        children.append(_flask("scheduler", "run"))
        click.echo(f"Scheduler: embedded, in its own process (pid {children[0].pid}): {SCHEDULE}.")
    else:
        click.echo("Scheduler: off (run `flask scheduler run` in its own process).")
    click.echo(
        f"Serving {app.config['ORG_NAME']} change programme tracker on http://{host}:{port}/ "
        f"(gunicorn, {workers} workers)"
    )
    # Gunicorn runs as a process of its own, never forked from this command: this process holds the
    # command's app context, and a worker inheriting it would share `g` (and the signed-in user) between
    # requests.
    web = _gunicorn(f"{host}:{port}", workers)
    children.insert(0, web)
    signal.signal(signal.SIGTERM, lambda *_: _pass_on(signal.SIGTERM, children))
    try:
        web.wait()
    except KeyboardInterrupt:  # Ctrl-C reached every process of the group: let them finish stopping
        web.wait()
    finally:
        _stop(children)
    if web.returncode not in (0, -signal.SIGINT, -signal.SIGTERM):
        raise SystemExit(web.returncode)


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
    # Threaded: each request starts on a fresh thread, with no context left by the one before.
    run_simple(host, port, app, use_reloader=True, threaded=True)


def _app_target() -> str:
    """The app as this command was given it (`--app app`), as gunicorn names it (`app:app`)."""
    info = click.get_current_context().find_object(ScriptInfo)
    path = (info.app_import_path if info is not None else None) or "app"
    return path if ":" in path else f"{path}:app"


def _flask(*arguments: str) -> subprocess.Popen[bytes]:
    """A `flask` command for the same app in a child process, with no scheduler of its own."""
    module = _app_target().partition(":")[0]
    command = [sys.executable, "-m", "flask", "--app", module, *arguments]
    return subprocess.Popen(command, env={**os.environ, "SCHEDULER": "off"})  # noqa: S603


def _gunicorn(bind: str, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "gunicorn", _app_target(), "--bind", bind, "--workers", str(workers)]
    command += ["--timeout", str(REQUEST_TIMEOUT_SECONDS), "--access-logfile", "-"]
    command += ["--no-control-socket"]  # one fixed path per user: two servers on a host would clash
    return subprocess.Popen(command, env={**os.environ, "SCHEDULER": "off"})  # noqa: S603


def _pass_on(signal_number: int, processes: list[subprocess.Popen[bytes]]) -> None:
    """Tell the children to stop, without waiting: the main thread is waiting for gunicorn already."""
    for process in processes:
        if process.returncode is None:
            process.send_signal(signal_number)


def _stop(processes: list[subprocess.Popen[bytes]], *, grace: float = 5.0) -> None:
    """Let the children finish stopping (Ctrl-C reached them too); interrupt any still running; kill last."""
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        if process.poll() is None:
            process.terminate()  # both stop cleanly on SIGTERM, even where Ctrl-C's SIGINT is ignored
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
