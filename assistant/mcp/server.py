"""`build_server(liaison, identify)`: Liaison's MCP server, and who its callers are.

The same personal API tokens and roles as the HTTP API (assistant/auth.py): over stdio the
token is given once when the server starts (`liaison mcp --token`, or LIAISON_TOKEN) and checked
again on every call, so a revoked or expired token stops working at once; over HTTP each request
carries `Authorization: Bearer …`, checked by the app's security middleware like any route.
"""

from __future__ import annotations

import logging

from mcp.server.mcpserver import Context, MCPServer

from assistant import __version__
from assistant.auth import Auth, User
from assistant.errors import AuthError
from assistant.mcp.tools import Identify, register
from assistant.service import Liaison

INSTRUCTIONS = (
    "Liaison is the meeting memory of a company's CIO and CMO and their teams: transcripts, "
    "the decisions, action items and parking-lot snags taken from them (with the exact words as "
    "evidence), shared goals with KPIs, and a glossary of IT and marketing terms. Search and ask "
    "freely; cite meetings and turns. To change an item, use a propose_* tool: a member approves "
    "or rejects the proposal in Liaison, nothing changes before that."
)


def build_server(liaison: Liaison, identify: Identify) -> MCPServer:
    """An MCP server over `liaison`; `identify(ctx)` returns the calling user (or raises
    AuthError), and each tool checks that user's role."""
    # The SDK calls logging.basicConfig when a server is built; logging belongs to the host
    # (uvicorn under `liaison serve`, the CLI), so the root logger is put back as it was.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    server: MCPServer = MCPServer(
        "liaison",
        title="Liaison",
        instructions=INSTRUCTIONS,
        version=__version__,
        log_level="WARNING",
    )
    root.handlers[:] = handlers
    root.setLevel(level)
    register(server, liaison, identify)
    return server


def token_identity(auth: Auth, token: str) -> Identify:
    """Every call acts as the token's user, checked anew (revoked, expired, password changed)."""

    def identify(ctx: Context) -> User:
        return auth.check_token(token)

    return identify


def request_identity(ctx: Context) -> User:
    """The user the security middleware found for this HTTP request (api/security.py)."""
    request = ctx.request_context.request
    user = getattr(request, "scope", {}).get("liaison.user") if request is not None else None
    if user is None:
        raise AuthError("sign in, or send 'Authorization: Bearer <token>'")
    return user
