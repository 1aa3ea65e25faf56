"""`liaison users …`: who may sign in to the web app and the API, with which role."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from assistant.auth import Auth, Role, generate_password, parse_lifetime
from assistant.cli.common import app, console, print_json, settings
from assistant.cli.meetings import JsonOpt
from assistant.errors import InvalidInput

users_app = typer.Typer(
    help="Users of the web app and API: roles admin, leader, member, viewer (read-only).",
    no_args_is_help=True,
)
app.add_typer(users_app, name="users")

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
]


def _auth() -> Auth:
    """Only the database is needed: no embedder or index is loaded for user commands."""
    from assistant.store import Database

    config = settings()
    db = Database(config.db_path)
    db.migrate()
    return Auth(db, config)


def _password(from_stdin: bool) -> tuple[str, bool]:
    """(password, one_time): from stdin, typed twice at a terminal, or generated."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InvalidInput("no password on stdin")
        return line, False
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True), False
    return generate_password(), True


@users_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[Role, typer.Option(help="admin, leader, member or viewer.")] = Role.member,
    password_stdin: PasswordStdin = False,
) -> None:
    """Add a user (without a password given, prints a one-time password once).

    The password is read with --password-stdin, typed twice at a terminal, or generated; a
    generated one must be changed at the first sign-in."""
    password, one_time = _password(password_stdin)
    user = _auth().add_user(name, role, password, must_change=one_time)
    console.print(f"added {user.name} ({user.role.value})")
    if one_time:
        console.print(f"one-time password (shown once): {password}", highlight=False)


@users_app.command("list")
def list_users(json_: JsonOpt = False) -> None:
    """List users and their roles."""
    found = _auth().users()
    if json_:
        print_json([u.model_dump(mode="json") for u in found])
        return
    table = Table("name", "role", "created", "password")
    for user in found:
        table.add_row(
            user.name,
            user.role.value,
            str(user.created_at.date() if user.created_at else ""),
            "one-time" if user.must_change_password else "set",
        )
    console.print(table)


@users_app.command("remove")
def remove(name: Annotated[str, typer.Argument(help="User name.")]) -> None:
    """Remove a user; their sessions and API tokens stop working at once."""
    user = _auth().remove_user(name)
    console.print(f"removed {user.name}")


@users_app.command("role")
def set_role(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[Role, typer.Argument(help="admin, leader, member or viewer.")],
) -> None:
    """Change a user's role."""
    user = _auth().set_role(name, role)
    console.print(f"{user.name} is now {user.role.value}")


@users_app.command("password")
def password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's password (signs them out everywhere)."""
    secret, one_time = _password(password_stdin)
    _auth().set_password(name, secret, must_change=one_time)
    console.print(f"password of {name} changed")
    if one_time:
        console.print(f"one-time password (shown once): {secret}", highlight=False)


@users_app.command("token")
def token(
    name: Annotated[str, typer.Argument(help="User name.")],
    label: Annotated[str, typer.Option(help="What the token is for.")] = "",
    expires: Annotated[
        str, typer.Option(help="Lifetime: e.g. 12h, 30d, 2w, 1y, or 'never'.")
    ] = "never",
) -> None:
    """Create a personal API token and print it once (use: Authorization: Bearer TOKEN).

    It works until it expires, is revoked, or the user's password changes."""
    secret, made = _auth().create_token(name, label, parse_lifetime(expires))
    typer.echo(secret)
    if made.expires_at:
        typer.echo(f"expires {made.expires_at:%Y-%m-%d %H:%M} UTC", err=True)
