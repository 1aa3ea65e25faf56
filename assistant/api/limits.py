"""Request bodies are limited while they stream, before they reach a parser or the disk.

`BodyLimit` is the outermost ASGI middleware. A request that declares a body over its limit
(`Content-Length`) is answered 413 at once, without reading a byte of it; one that sends more
than it may (chunked, or more than it declared) is answered 413 as soon as it passes the
limit. A body that stops arriving for `idle_timeout_s` is answered 408. Each of these answers,
and any answer given before the body was read (a 401, say), closes the connection, so a client
can neither hold it by declaring much and sending nothing nor have the rest read and discarded.

Uploads (`POST /meetings`) may be as large as LIAISON_MAX_UPLOAD_MB, all files together, plus
room for the multipart framing and form fields; every other body at most `MAX_BODY_BYTES`.
"""

from __future__ import annotations

import asyncio
import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 2 * 1024 * 1024  # JSON bodies and forms: questions, goals, a YAML import
FORM_OVERHEAD = 64 * 1024  # multipart boundaries, part headers, title/date/kind fields
UPLOADS = frozenset({("POST", "/meetings")})


class BodyRefused(HTTPException):
    """Raised from `receive` when a body passes its limit or stalls. Subclassing the
    framework's HTTPException lets it pass through FastAPI's body parsing unchanged."""

    def __init__(self, code: int, name: str, detail: str):
        super().__init__(status_code=code, detail=detail, headers={"Connection": "close"})
        self.name = name


def _mb(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.3g} KB"
    return f"{size / 1024 / 1024:.3g} MB"


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        upload_bytes: int,
        other_bytes: int = MAX_BODY_BYTES,
        idle_timeout_s: float = 30.0,
    ):
        self.app = app
        self.upload_bytes = upload_bytes
        self.other_bytes = other_bytes
        self.idle_timeout_s = idle_timeout_s

    def _limit(self, scope: Scope) -> tuple[int, BodyRefused]:
        if (scope["method"], scope["path"].rstrip("/") or "/") in UPLOADS:
            limit = self.upload_bytes + FORM_OVERHEAD
            refusal = BodyRefused(
                413,
                "UploadTooLarge",
                f"upload is larger than the {_mb(self.upload_bytes)} limit"
                " (LIAISON_MAX_UPLOAD_MB, all files together); send fewer or smaller files",
            )
        else:
            limit = self.other_bytes
            refusal = BodyRefused(
                413, "RequestTooLarge", f"request body is larger than {_mb(limit)}"
            )
        return limit, refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, too_large = self._limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, too_large)
            return

        received = 0
        complete = not _has_body(scope, declared)
        started = False
        timeout = self.idle_timeout_s

        async def limited_receive() -> Message:
            nonlocal received, complete
            if complete:  # the body is in: what follows is waiting for a disconnect
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout)
            except TimeoutError:
                raise BodyRefused(
                    408,
                    "RequestTimeout",
                    f"the request body stopped arriving for {timeout:g} s",
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large
                complete = not message.get("more_body", False)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if not complete:
                    # Answered before the body was read (refused, say): close the connection
                    # rather than let the server read and discard the rest, however long.
                    headers = list(message.get("headers") or [])
                    if not any(k.lower() == b"connection" for k, _ in headers):
                        message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except BodyRefused as exc:  # raised where no handler answers it (another middleware)
            if started:
                raise
            await _refuse(send, exc)


def _has_body(scope: Scope, declared: int | None) -> bool:
    if declared is not None:
        return declared > 0
    return any(name == b"transfer-encoding" for name, _ in scope.get("headers") or [])


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, exc: BodyRefused) -> None:
    body = json.dumps({"error": exc.name, "detail": exc.detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": exc.status_code,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
