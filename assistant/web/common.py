"""What every page shares: the Jinja2 environment, the render helper, optional features."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from assistant.api.security import CSRF_FIELD, current_session
from assistant.auth import Role
from assistant.goals import kpi_percent
from assistant.models import KPI

HERE = Path(__file__).parent


def kpi_progress(kpi: KPI) -> int | None:
    """Percent of the way to target for the progress bar (0-100; None: nothing to show)."""
    percent = kpi_percent(kpi.current, kpi.target, kpi.unit)
    return None if percent is None else max(0, min(100, percent))


def fmt_time(seconds: float | None) -> str:
    if seconds is None or not math.isfinite(seconds):
        return ""
    s = int(seconds)
    if s >= 3600:
        return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"
    return f"{s // 60}:{s % 60:02d}"


def fmt_number(value: float | None, unit: str = "") -> str:
    """21.0 + 'days' → '21 days'; 35.0 + '%' → '35%'; None → '?'."""
    if value is None or value != value:  # NaN: stored before values were checked
        return "?"
    unit = unit.strip()
    return f"{value:g}" + ("" if not unit or unit == "%" else " ") + unit


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.globals.update(Role=Role, kpi_progress=kpi_progress, CSRF_FIELD=CSRF_FIELD)
    env.filters["clock"] = fmt_time
    env.filters["num"] = fmt_number
    env.undefined = __import__("jinja2").StrictUndefined  # a typo in a template fails loudly
    return templates


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the signed-in user, their CSRF token and the flash message."""
    session = current_session(request)
    user = request.scope.get("liaison.user")
    context.setdefault("flash", request.query_params.get("ok"))
    context.setdefault("error", request.query_params.get("error"))
    return request.app.state.templates.TemplateResponse(
        request,
        template,
        {
            "user": user,
            "csrf": session.csrf if session else "",
            "today": date.today(),
            "can": lambda role: user is not None and user.role.allows(Role(role)),
            **context,
        },
        status_code=status_code,
    )


def back(url: str, *, ok: str | None = None, error: str | None = None) -> RedirectResponse:
    """Redirect after a form post (303, so a reload does not post again)."""
    from urllib.parse import urlencode

    params = {k: v for k, v in {"ok": ok, "error": error}.items() if v}
    sep = "&" if "?" in url else "?"
    anchor = ""
    if "#" in url:
        url, anchor = url.split("#", 1)
        anchor = "#" + anchor
    return RedirectResponse(
        url + (sep + urlencode(params) if params else "") + anchor, status_code=303
    )
