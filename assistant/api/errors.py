"""One exception handler maps the error tree to HTTP status codes and a JSON body."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from assistant import errors

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


def status_for(exc: errors.LiaisonError | type[errors.LiaisonError] | str) -> int:
    """The status code of an error, its class, or its class name."""
    if isinstance(exc, str):
        exc = getattr(errors, exc, errors.LiaisonError)
    cls_of = exc if isinstance(exc, type) else type(exc)
    for cls, code in STATUS:
        if issubclass(cls_of, cls):
            return code
    return 500


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.LiaisonError)
    async def _handle(request: Request, exc: errors.LiaisonError) -> JSONResponse:
        code = status_for(exc)
        headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
        return JSONResponse(
            status_code=code,
            content={"error": type(exc).__name__, "detail": str(exc)},
            headers=headers,
        )
