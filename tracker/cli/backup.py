"""`flask backup create` and `flask backup restore`: thin wrappers over the backup service."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.services.errors import ServiceError

backup_cli = AppGroup("backup", help="Back up and restore the database.")


def _database_url() -> object:
    """The engine's URL: Flask-SQLAlchemy has already made a relative SQLite path absolute."""
    from tracker.extensions import db

    return db.engine.url


@backup_cli.command("create")
@click.option(
    "--to",
    "to_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the backup into (default: instance/backups).",
)
def create_command(to_dir: Path | None) -> None:
    """Take a consistent online backup while the app runs, named by the UTC time."""
    from tracker.services.backup.archive import create_backup

    folder = to_dir or Path(current_app.instance_path) / "backups"
    try:
        report = create_backup(_database_url(), to_dir=folder)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo("\n".join(report.lines()))


@backup_cli.command("restore")
@click.argument("backup", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--yes", is_flag=True, help="Do not ask for confirmation (an empty database is still required)."
)
def restore_command(backup: Path, yes: bool) -> None:
    """Restore BACKUP into the configured database, which must be empty."""
    from tracker.services.backup.archive import check_restore, restore_backup

    url = _database_url()
    try:
        target = check_restore(backup, url)
        if not yes:
            click.confirm(f"This will restore {backup} into {target}. Continue?", abort=True)
        report = restore_backup(backup, url)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo("\n".join(report.lines(restored=True)))
