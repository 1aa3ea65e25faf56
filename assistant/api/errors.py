"""Every error answer is `{"error": Name, "detail": "…"}`: the error tree mapped to status codes,
request validation (422), and the framework's own answers (404, 405, 413 …) alike.

`error_responses(404, 409)` documents those answers on a route; `install(app)` adds the
handlers. A 405 names the methods the path serves in `Allow`, and OPTIONS answers 204 with it.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from assistant import errors
from assistant.api.routing import allowed_methods

STATUS: list[tuple[type[errors.LiaisonError], int]] = [
    (errors.UploadTooLarge, 413),
    (errors.UnsupportedFormat, 415),
    (errors.BinaryFile, 415),
    (errors.IngestError, 400),
    (errors.NotFound, 404),
    (errors.InvalidInput, 422),
    (errors.Conflict, 409),
    (errors.Forbidden, 403),
    (errors.AuthError, 401),
    (errors.LLMUnavailable, 503),
    (errors.DeliveryError, 502),
    (errors.ConfigError, 500),
]
# Names of the framework's own answers, where they mean what an error of the tree means.
NAMES = {401: "AuthError", 403: "Forbidden", 413: "UploadTooLarge", 422: "InvalidInput"}
DESCRIPTIONS = {
    400: "The request body (or a file of it) could not be read",
    401: "Not signed in, or the API token is unknown, revoked or expired",
    403: "The caller's role may not do this",
    404: "Not found",
    405: "Method not allowed (see the Allow header)",
    408: "The request body did not arrive in time",
    409: "It already exists",
    413: "The request body is over its size limit",
    415: "Unsupported file format",
    422: "A parameter or field is invalid, unknown or missing",
    429: "Too many failed sign-ins",
    502: "A digest could not be delivered",
    503: "The LLM endpoint is unavailable",
}


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where: e.g. ['query', 'limit'].")
    msg: str
    type: str


class ErrorBody(BaseModel):
    """The body of every error answer."""

    error: str = Field(description="The error's name, e.g. MeetingNotFound or InvalidInput.")
    detail: str = Field(description="What went wrong, in one line.")
    errors: list[FieldError] | None = Field(
        default=None, description="Request validation only: every invalid field."
    )


def error_responses(*codes: int, model: type[BaseModel] = ErrorBody) -> dict[int | str, Any]:
    """`responses=` for a route: these error codes, documented with the error body."""
    return {code: {"model": model, "description": DESCRIPTIONS.get(code, "")} for code in codes}


def status_for(exc: errors.LiaisonError | type[errors.LiaisonError] | str) -> int:
    """The status code of an error, its class, or its class name."""
    if isinstance(exc, str):
        exc = getattr(errors, exc, errors.LiaisonError)
    cls_of = exc if isinstance(exc, type) else type(exc)
    for cls, code in STATUS:
        if issubclass(cls_of, cls):
            return code
    return 500


def name_for(code: int) -> str:
    """'NotFound' for 404, 'MethodNotAllowed' for 405 …"""
    if code in NAMES:
        return NAMES[code]
    try:
        return "".join(HTTPStatus(code).phrase.title().split()).replace("-", "")
    except ValueError:
        return "Error"


def error_response(code: int, name: str, detail: str, **extra: Any) -> JSONResponse:
    headers = dict(extra.pop("headers", None) or {})
    if code == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(
        status_code=code, content={"error": name, "detail": detail, **extra}, headers=headers
    )


def validation_body(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    """(the first problem on one line, every problem) — without echoing the input back: it may
    hold a password, or a NaN that JSON cannot carry."""
    found: list[dict[str, Any]] = []
    for err in exc.errors():
        loc = [p if isinstance(p, int) else str(p) for p in err.get("loc", ())]
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        found.append({"loc": loc, "msg": message, "type": str(err.get("type", "invalid"))})
    if not found:
        return "invalid request", []
    first = found[0]
    where = ".".join(str(p) for p in first["loc"])
    return (f"{where}: {first['msg']}" if where else first["msg"]), found


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.LiaisonError)
    async def _liaison(request: Request, exc: errors.LiaisonError) -> JSONResponse:
        return error_response(status_for(exc), type(exc).__name__, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail, found = validation_body(exc)
        return error_response(422, "InvalidInput", detail, errors=found)

    @app.exception_handler(StarletteHTTPException)
    async def _framework(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            allow = ", ".join(allowed_methods(request.app, request.url.path))
            headers["Allow"] = allow
            if request.method == "OPTIONS":
                return Response(status_code=204, headers=headers)
            detail = f"{request.method} is not allowed here; allowed: {allow}"
        else:
            detail = str(exc.detail)
        name = getattr(exc, "name", None) or name_for(exc.status_code)
        return error_response(exc.status_code, name, detail, headers=headers)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        # The last resort, in the usual shape (the server still logs the traceback).
        return error_response(500, "InternalError", "internal error; see the server log")
