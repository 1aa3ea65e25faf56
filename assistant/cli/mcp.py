"""`liaison mcp`: Liaison as an MCP server over stdio, for Claude Desktop, IDE agents and others."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.common import app, liaison, settings
from assistant.errors import ConfigError


@app.command("mcp")
def mcp_stdio(
    token: Annotated[
        str | None,
        typer.Option(
            help="Personal API token to act with (default: $LIAISON_TOKEN). Create one with "
            "`liaison users token NAME`.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve MCP over stdio, acting as the user of a personal API token.

    The token: --token, or the environment variable LIAISON_TOKEN (out of process lists).

    Roles as in the API: a viewer reads and asks; a member also proposes changes to items.

    Proposals change nothing until a member approves them (web app: Proposals).

    Over HTTP, `liaison serve` serves the same tools at /mcp (Authorization: Bearer)."""
    from assistant.auth import Auth
    from assistant.mcp.server import build_server, token_identity

    conf = settings()
    secret = (token or conf.token or "").strip()
    if not secret:
        raise ConfigError(
            "no API token: pass --token or set LIAISON_TOKEN (create one with"
            " `liaison users token NAME`)"
        )
    service = liaison()
    auth = Auth(service.db, service.settings)
    auth.check_token(secret)  # a bad token is a one-line error now, not at the first call
    build_server(service, token_identity(auth, secret)).run("stdio")
