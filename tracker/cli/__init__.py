"""Flask commands, one module per command group: thin wrappers that parse options and call one service."""

from __future__ import annotations

import click

from tracker.cli.backup import backup_cli
from tracker.cli.demo import demo_cli
from tracker.cli.digest import digest_cli
from tracker.cli.imports import import_cli
from tracker.cli.packs import pack_cli
from tracker.cli.risk import risk_cli
from tracker.cli.scheduler import scheduler_cli
from tracker.cli.serve import serve_command
from tracker.cli.users import users_cli


def commands() -> list[click.Command]:
    """Every command group the app adds to `flask`."""
    return [
        users_cli,
        demo_cli,
        scheduler_cli,
        risk_cli,
        serve_command,
        digest_cli,
        backup_cli,
        import_cli,
        pack_cli,
    ]
