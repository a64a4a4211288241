"""`flask users`: the people who can sign in."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.models import Role
from tracker.services.errors import ServiceError

users_cli = AppGroup("users", help="Manage the people who can sign in.")


@users_cli.command("create")
@click.option("--email", required=True, help="Their email address; they sign in with it.")
@click.option("--name", required=True, help="Their full name, as shown in the tracker.")
@click.option(
    "--role", required=True, type=click.Choice([role.value for role in Role]), help="What they may do."
)
@click.option("--password", help="At least 12 characters. Prompted for (hidden) when left out.")
def create_user_command(email: str, name: str, role: str, password: str | None) -> None:
    """Create a user who can sign in."""
    from tracker.services.accounts.users import create_user

    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, name=name, role=Role(role), password=password)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Created {user.role.value} {user.email}.")


@users_cli.command("scim-token")
@click.option("--name", required=True, help='What will use it, for example "Entra ID".')
def scim_token_command(name: str) -> None:
    """Create a token for the directory's provisioning service (SCIM), printed once."""
    from flask import current_app

    from tracker.services.scim.tokens import create_token

    try:
        _, plaintext = create_token(name=name)
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    base = str(current_app.config["BASE_URL"]).rstrip("/")
    click.echo(f"Tenant URL:   {base}/scim/v2")
    click.echo(f"Secret Token: {plaintext}")
    click.echo("Copy the token now: it is not kept and cannot be shown again.")
