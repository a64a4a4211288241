"""The scheduler starts only where it should: once under `flask serve`, never from the factory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from bench.pages import Client, wait_until_healthy
from tests.conftest import TEST_PASSWORD, make_test_app

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_serve(
    args: list[str], env: dict[str, str], *, interruptible: bool = False
) -> subprocess.Popen[str]:
    """`flask serve` in a session of its own, its output read as text.

    `interruptible`: Ctrl-C's SIGINT back to its default, as from a terminal, even when this run was
    started in the background (a shell starts background jobs with it ignored)."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "serve", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=_interruptible if interruptible else None,
    )


def _serve_output(args: list[str], env: dict[str, str]) -> str:
    """Run `flask serve` until it says it is serving (plus a moment more), and return what it printed."""
    process = _start_serve(args, env)
    lines: list[str] = []
    serving = threading.Event()

    def read() -> None:
        for line in process.stdout:
            lines.append(line)
            if line.startswith("Serving"):
                serving.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert serving.wait(timeout=60), "".join(lines)
        time.sleep(3)  # long enough for a second scheduler to announce itself
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
        reader.join(timeout=5)
    return "".join(lines)


def test_embedded_scheduler_starts_once_even_under_the_reloader(schema: str, workdir: Path) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": schema,
        "SECRET_KEY": "k",
        "SCHEDULER": "embedded",
        "PORT": str(port),
        "FLASK_DEBUG": "0",
    }
    output = _serve_output(["--reload"], env)
    assert output.count("Scheduler: embedded") == 1, output
    assert f"http://127.0.0.1:{port}/" in output


def test_scheduler_off_starts_no_scheduler(schema: str, workdir: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": schema,
        "SECRET_KEY": "k",
        "SCHEDULER": "off",
        "PORT": str(_free_port()),
    }
    output = _serve_output([], env)
    assert "Scheduler: off" in output
    assert "Scheduler: embedded" not in output


def test_building_the_app_never_starts_a_scheduler(schema: str, workdir: Path) -> None:
    before = {thread.name for thread in threading.enumerate()}
    make_test_app(schema, workdir, SCHEDULER="embedded")
    started = {thread.name for thread in threading.enumerate()} - before
    assert not [name for name in started if "APScheduler" in name or "scheduler" in name.lower()]


def test_serve_runs_gunicorn_and_the_scheduler_in_its_own_process_and_ctrl_c_stops_both(
    schema: str, workdir: Path
) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": schema,
        "SECRET_KEY": "k",
        "SCHEDULER": "embedded",
        "PORT": str(port),
    }
    process = _start_serve(["--workers", "2"], env, interruptible=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    try:
        wait_until_healthy(process, port, timeout=90)
        _wait_for(lambda: "Scheduler running" in "".join(lines))
        output = "".join(lines)
        assert "(gunicorn, 2 workers)" in output and "Booting worker" in output, output
        _sign_in_then_look_anonymously(schema, port)
        scheduler_pid = int(output.split("in its own process (pid ")[1].split(")")[0])
        os.kill(scheduler_pid, 0)  # the scheduler is running, as a process of its own
        assert scheduler_pid != process.pid
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground group
        process.wait(timeout=30)
        reader.join(timeout=5)
    output = "".join(lines)
    assert "Scheduler stopped." in output, output
    try:
        os.kill(scheduler_pid, 0)
    except ProcessLookupError:
        pass
    else:
        raise AssertionError(f"the scheduler (pid {scheduler_pid}) outlived the server")


def _wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)


def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _sign_in_then_look_anonymously(database_url: str, port: int) -> None:
    """A worker that has served a signed-in person serves the next, unsigned request as nobody."""
    app = make_test_app(database_url, Path(tempfile.mkdtemp()))
    with app.app_context():
        from tracker.models import Role
        from tracker.services.accounts.users import create_user

        create_user("serve-check@testshire.gov.uk", name="Serve Check", role=Role.CIO, password=TEST_PASSWORD)
    signed_in = Client(port)
    signed_in.sign_in("serve-check@testshire.gov.uk", TEST_PASSWORD)
    assert signed_in.get("/dashboard")[0] == 200
    for _ in range(4):  # whichever worker answers
        assert Client(port).get("/dashboard")[0] == 302
