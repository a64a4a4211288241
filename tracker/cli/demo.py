"""`flask demo`: the demo council."""

from __future__ import annotations

import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="The demo council.")


@demo_cli.command("seed")
def seed_command() -> None:
    """Load the demo council, unless the database already has programmes (safe to run twice)."""
    from tracker.services.demo.seed import seed_demo

    result = seed_demo()
    click.echo(result.summary())
