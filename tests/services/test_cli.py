"""The flask commands operators use, run through Click's runner against the test database."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Programme, Role, User
from tracker.services.accounts.users import password_matches


def test_users_create_with_a_password(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "Ruth.Archer@Ambridge.gov.uk",
            "--name",
            "Ruth Archer",
            "--role",
            "cio",
            "--password",
            "a long enough passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created cio ruth.archer@ambridge.gov.uk" in result.output
    user = db.session.scalar(select(User).where(User.email == "ruth.archer@ambridge.gov.uk"))
    assert user is not None and user.role is Role.CIO
    assert user.password_hash != "a long enough passphrase"
    assert password_matches(user, "a long enough passphrase")


def test_users_create_prompts_for_the_password_when_not_given(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "eddie@ambridge.gov.uk",
            "--name",
            "Eddie Grundy",
            "--role",
            "viewer",
        ],
        input="another long passphrase\nanother long passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "another long passphrase" not in result.output  # hidden input
    user = db.session.scalar(select(User).where(User.email == "eddie@ambridge.gov.uk"))
    assert password_matches(user, "another long passphrase")


def test_users_create_refuses_short_passwords_and_duplicates(app: Flask) -> None:
    runner = app.test_cli_runner()
    base = ["users", "create", "--email", "pat@ambridge.gov.uk", "--name", "Pat Archer", "--role", "admin"]
    short = runner.invoke(args=[*base, "--password", "tooshort"])
    assert short.exit_code != 0
    assert "at least 12 characters" in short.output
    assert runner.invoke(args=[*base, "--password", "long enough password"]).exit_code == 0
    again = runner.invoke(
        args=[*base[:2], "--email", "PAT@ambridge.gov.uk", *base[4:], "--password", "x" * 12]
    )
    assert again.exit_code != 0
    assert "already exists" in again.output


def test_users_create_refuses_an_unknown_role(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@b.gov.uk",
            "--name",
            "A",
            "--role",
            "overlord",
            "--password",
            "x" * 12,
        ]
    )
    assert result.exit_code != 0
    assert "overlord" in result.output


def test_demo_seed_is_idempotent(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "cio@demo.council.example" in first.output
    count = db.session.scalar(select(func.count()).select_from(Programme))
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0
    assert "already has" in second.output
    assert db.session.scalar(select(func.count()).select_from(Programme)) == count


def test_scheduler_list_shows_each_job_in_london_time(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["scheduler", "list"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert set(lines) == {
        "dashboard_figures",
        "risk_scan",
        "weekly_digest",
        "retry_deliveries",
        "import_sweep",
        "sign_in_log_sweep",
    }
    assert "06:00" in lines["risk_scan"]
    assert "Monday" in lines["weekly_digest"] and "08:00" in lines["weekly_digest"]
    assert all(("GMT" in line or "BST" in line) for line in lines.values())


def test_scheduler_run_now_rejects_an_unknown_job(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["scheduler", "run-now", "make_tea"])
    assert result.exit_code != 0
    assert "risk_scan" in result.output


def test_risk_scan_command_rates_the_portfolio_and_can_be_rerun(app: Flask) -> None:
    from tracker.models import RiskAssessment

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    result = runner.invoke(args=["risk", "scan"])
    assert result.exit_code == 0, result.output
    assert "Scanned 12 programmes:" in result.output
    assert "Took " in result.output
    latest = db.session.scalar(select(func.count()).where(RiskAssessment.is_latest.is_(True)))
    assert latest == 12
