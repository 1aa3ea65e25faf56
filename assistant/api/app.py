"""`create_app(settings)`: the FastAPI application over one `Liaison`."""

from __future__ import annotations

import importlib

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant import __version__
from assistant.api import errors
from assistant.api.routers import health, items, meetings
from assistant.config import Settings
from assistant.service import Liaison


def create_app(settings: Settings, liaison: Liaison | None = None) -> FastAPI:
    app = FastAPI(
        title="Liaison",
        version=__version__,
        description="Meeting assistant for a CIO, a CMO and their teams: transcripts, search, "
        "decisions, action items, parking lot, shared goals.",
    )
    app.state.settings = settings
    app.state.liaison = liaison or Liaison(settings)
    errors.install(app)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return JSONResponse(
            status_code=422,
            content={
                "error": "InvalidInput",
                "detail": f"{where}: {first.get('msg', 'invalid')}",
                "errors": jsonable_encoder(exc.errors()),
            },
        )

    for router_module in (health, meetings, items):
        app.include_router(router_module.router)
    # Routers of later features register themselves when their module exists.
    for name in ("ask", "digests", "glossary"):
        try:
            module = importlib.import_module(f"assistant.api.routers.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"assistant.api.routers.{name}":
                raise
            continue
        app.include_router(module.router)
    return app
