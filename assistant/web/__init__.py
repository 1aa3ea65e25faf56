"""The web app for the leaders and their teams: server-rendered pages under /app/.

`mount_web(app)` adds the pages, the sign-in form and the static files to an app made by
`create_app`; `install_security(app)` (assistant/api/security.py) must be installed too, it is
what makes every page require a signed-in user.
"""

from __future__ import annotations

import inspect

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from assistant.api.security import is_page
from assistant.errors import LiaisonError
from assistant.web.common import HERE, make_templates


def mount_web(app: FastAPI) -> None:
    """Add the pages (/app/…), /login, /logout, / → /app/ and /static to `app`."""
    from assistant.web import account, admin, ask, curation, digests, items, pages, proposals

    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (account, pages, items, ask, digests, admin, curation, proposals):
        app.include_router(module.router)
    # goal pages (KPI history); feeds and webhooks; speaker names
    from assistant.web import goals, integrations, speakers

    app.include_router(goals.router)
    app.include_router(speakers.router)
    app.include_router(integrations.router)

    json_handler = app.exception_handlers.get(LiaisonError)

    async def page_errors(request: Request, exc: Exception):
        """Errors on pages are pages (404 for a missing meeting …); the API keeps JSON."""
        from assistant.api.errors import status_for
        from assistant.web.common import render

        if not is_page(request.url.path) or not isinstance(exc, LiaisonError):
            if json_handler is None:
                raise exc
            response = json_handler(request, exc)
            return await response if inspect.isawaitable(response) else response
        code = status_for(exc)
        return render(request, "error.html", code, message=str(exc), code=code)

    app.add_exception_handler(LiaisonError, page_errors)


__all__ = ["mount_web"]
