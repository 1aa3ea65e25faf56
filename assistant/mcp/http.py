"""`mount_mcp(app)`: the MCP server as streamable HTTP at /mcp on the app `create_app` made.

The route is an ordinary route of the app, so the security middleware authenticates it like the
API (a bearer token or a session; see RULES in api/security.py) and the tools see the user it
found. Stateless JSON answers: each POST stands alone, so any server process can answer it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from mcp.server.mcpserver import MCPServer
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from assistant.mcp.server import build_server, request_identity

PATH = "/mcp"
# The SDK's DNS-rebinding check compares Host with the listening address, which refuses every
# client behind a reverse proxy. It is not needed here: a page a rebound name serves cannot send
# a bearer token, and a session cookie's POST needs its CSRF token (api/security.py).
TRANSPORT = TransportSecuritySettings(enable_dns_rebinding_protection=False)


class _Endpoint:
    """Hands each request to the session manager of the running app (a manager runs once, so
    each start of the app makes a new one)."""

    def __init__(self) -> None:
        self.manager: StreamableHTTPSessionManager | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.manager is None:
            response = JSONResponse(
                {"error": "ServiceUnavailable", "detail": "the MCP server is not running"}, 503
            )
            await response(scope, receive, send)
            return
        await self.manager.asgi_app(scope, receive, send)


def mount_mcp(app: FastAPI, path: str = PATH) -> MCPServer:
    """Serve MCP at `path` while the app runs (its lifespan)."""
    server = build_server(app.state.liaison, request_identity)
    endpoint = _Endpoint()
    app.router.routes.append(Route(path, endpoint=endpoint, methods=["GET", "POST", "DELETE"]))
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: FastAPI) -> AsyncIterator[object]:
        server.streamable_http_app(
            streamable_http_path=path,
            stateless_http=True,
            json_response=True,
            transport_security=TRANSPORT,
        )
        endpoint.manager = server.session_manager
        try:
            async with endpoint.manager.run(), outer(application) as state:
                yield state
        finally:
            endpoint.manager = None

    app.router.lifespan_context = lifespan  # type: ignore[assignment]
    app.state.mcp = server
    return server
