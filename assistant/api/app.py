"""`create_app(settings)`: the FastAPI application over one `Liaison`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from assistant import __version__
from assistant.api import errors
from assistant.api.contract import document, known_query
from assistant.api.limits import BodyLimit
from assistant.api.routers import ask, digests, glossary, health, items, meetings, people, proposals
from assistant.api.routers import exports as export_routes
from assistant.api.routers import jobs as job_routes
from assistant.api.routers import speakers as speaker_routes
from assistant.api.routers import webhooks as webhook_routes
from assistant.api.security import announce_first_password, install_security
from assistant.auth import Auth
from assistant.config import Settings
from assistant.digest.schedule import start_scheduler, stop
from assistant.mcp.http import mount_mcp
from assistant.service import Liaison
from assistant.web import mount_web


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the weekly-digest scheduler while the server runs (the send ledger makes several
    server processes safe: a digest still goes out once)."""
    scheduler = None
    if app.state.settings.digest_scheduler:
        scheduler = start_scheduler(app.state.liaison)
    if app.state.settings.webhook_worker:  # delivers the webhook outbox (assistant/webhooks/)
        app.state.liaison.webhooks.start_worker()
    app.state.liaison.jobs.start()  # upload jobs: worker processes; queued work resumes
    try:
        yield
    finally:
        stop(scheduler)
        app.state.liaison.jobs.stop()
        app.state.liaison.webhooks.stop_worker()


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

    strict = [Depends(known_query)]  # unknown query parameters are a 422, not ignored
    for module in (health, meetings, items, people, ask, glossary, digests, proposals):
        app.include_router(module.router, dependencies=strict)
    app.include_router(speaker_routes.router, dependencies=strict)
    app.include_router(job_routes.router, dependencies=strict)  # upload jobs (assistant/jobs/)
    for routes in (export_routes, webhook_routes):  # exports, calendars; outgoing webhooks
        app.include_router(routes.router, dependencies=strict)
    app.webhooks.include_router(webhook_routes.events_doc)  # the bodies receivers get
    install_security(app, auth=auth, announce=announce)  # creates the first admin if none
    mount_web(app)  # the web app: /app/…, /login, /logout, / → /app/, /static
    mount_mcp(app)  # MCP (streamable HTTP) at /mcp, same tokens and roles
    document(app, public={"/health", "/calendar/{secret}.ics"})
    # Outermost: a body over its limit is refused before anything reads it.
    app.add_middleware(
        BodyLimit,
        upload_bytes=settings.max_upload_bytes,
        idle_timeout_s=settings.body_timeout_s,
    )
    return app
