"""`create_app(settings)`: the FastAPI application over one `Liaison`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant import __version__
from assistant.api import errors
from assistant.api.routers import ask, digests, glossary, health, items, meetings, people
from assistant.api.security import announce_first_password, install_security
from assistant.auth import Auth
from assistant.config import Settings
from assistant.digest.schedule import start_scheduler, stop
from assistant.service import Liaison
from assistant.web import mount_web


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the weekly-digest scheduler while the server runs (the send ledger makes several
    server processes safe: a digest still goes out once)."""
    scheduler = None
    if app.state.settings.digest_scheduler:
        scheduler = start_scheduler(app.state.liaison)
    try:
        yield
    finally:
        stop(scheduler)


def create_app(
    settings: Settings,
    liaison: Liaison | None = None,
    *,
    auth: Auth | None = None,
    announce: Callable[[str], None] | None = announce_first_password,
) -> FastAPI:
    """The whole application: JSON API, sign-in, web pages, digest scheduler.

    `auth` and `announce` (who is told a generated first-run admin password) default to the
    real ones; tests pass an `Auth` with a frozen clock, or collect the announcement."""
    app = FastAPI(
        lifespan=_lifespan,
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

    for module in (health, meetings, items, people, ask, glossary, digests):
        app.include_router(module.router)
    install_security(app, auth=auth, announce=announce)  # creates the first admin if none
    mount_web(app)  # the web app: /app/…, /login, /logout, / → /app/, /static
    return app
