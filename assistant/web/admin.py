"""Settings pages: goals and KPIs, glossary, approved tools (leaders); users (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assistant.api.deps import LiaisonDep
from assistant.api.security import AuthDep, CurrentUser
from assistant.auth import Role
from assistant.errors import LiaisonError
from assistant.web.common import back, render

router = APIRouter(include_in_schema=False)


def _llm_settings(settings) -> list[tuple[str, str, str]]:
    """(setting, value, environment variable) for the read-only part of the page."""
    return [
        ("Extractor", settings.extractor, "LIAISON_EXTRACTOR"),
        ("LLM endpoint", settings.llm_base_url or "not set (offline)", "LIAISON_LLM_BASE_URL"),
        ("LLM model", settings.llm_model, "LIAISON_LLM_MODEL"),
        ("LLM API key", "set" if settings.llm_api_key else "not set", "LIAISON_LLM_API_KEY"),
        ("Embedder", settings.embedder, "LIAISON_EMBEDDER"),
        ("Time zone", settings.default_timezone, "LIAISON_DEFAULT_TIMEZONE"),
        ("Upload limit", f"{settings.max_upload_mb:g} MB", "LIAISON_MAX_UPLOAD_MB"),
        (
            "Digest day and time",
            f"{settings.digest_day} {settings.digest_time}, each recipient's time zone",
            "LIAISON_DIGEST_DAY, LIAISON_DIGEST_TIME",
        ),
        ("Links in digests", settings.public_url, "LIAISON_PUBLIC_URL"),
        ("Session length", f"{settings.session_days} days", "LIAISON_SESSION_DAYS"),
        ("Secure cookies", str(settings.secure_cookies), "LIAISON_SECURE_COOKIES"),
    ]


@router.get("/app/settings", response_class=HTMLResponse)
def settings_page(request: Request, liaison: LiaisonDep, user: CurrentUser, auth: AuthDep):
    return _settings(request, liaison, user, auth)


def _settings(request: Request, liaison, user, auth, **extra) -> HTMLResponse:
    is_admin = user.role.allows(Role.admin)
    return render(
        request,
        "settings.html",
        goals=liaison.goals(),
        users=auth.users() if user.role.allows(Role.admin) else [],
        roles=list(Role),
        env=_llm_settings(liaison.settings),
        glossary_terms=liaison.glossary.terms(),
        tool_list=liaison.tools.approved(),
        tool_flags=liaison.tools.flags(),
        recipients=liaison.digests.recipients() if is_admin else None,
        **extra,
    )


@router.post("/app/settings/goals/import", response_class=RedirectResponse)
def import_goals(liaison: LiaisonDep, user: CurrentUser, yaml_text: Annotated[str, Form()] = ""):
    try:
        goals = liaison.import_goals(yaml_text, user.name)
    except LiaisonError as exc:
        return back("/app/settings#goals", error=str(exc))
    return back("/app/settings#goals", ok=f"Imported {len(goals)} goal(s)")


@router.post("/app/settings/goals/{goal_id}/kpis", response_class=RedirectResponse)
async def update_kpis(request: Request, goal_id: str, liaison: LiaisonDep, user: CurrentUser):
    """Fields `current_<n>` carry the new current value of KPI n (blank = unknown)."""
    form = await request.form()
    try:
        goal = liaison.goal(goal_id)
        kpis = []
        for n, kpi in enumerate(goal.kpis):
            raw = str(form.get(f"current_{n}", "")).strip()
            current = float(raw) if raw else None
            kpis.append(kpi.model_copy(update={"current": current}))
        milestones = [
            m.model_copy(update={"done": form.get(f"done_{n}") == "on"})
            for n, m in enumerate(goal.milestones)
        ]
        liaison.update_goal(
            goal_id,
            {
                "kpis": [k.model_dump() for k in kpis],
                "milestones": [m.model_dump() for m in milestones],
            },
            user.name,
        )
    except ValueError:
        return back("/app/settings#goals", error="KPI values must be numbers")
    except LiaisonError as exc:
        return back("/app/settings#goals", error=str(exc))
    return back(f"/app/settings#goal-{goal_id}", ok=f"Goal {goal.title!r} updated")


# ---------------------------------------------------------------------- users (admins)


@router.post("/app/settings/users", response_class=HTMLResponse)
def add_user(
    request: Request,
    liaison: LiaisonDep,
    auth: AuthDep,
    user: CurrentUser,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "member",
    password: Annotated[str, Form()] = "",
):
    """Without a password the new user gets a one-time one, shown on this response only."""
    from assistant.auth import generate_password

    secret = password or generate_password()
    try:
        auth.add_user(name, role, secret, must_change=not password)
    except LiaisonError as exc:
        return back("/app/settings#users", error=str(exc))
    message = f"User {name} added"
    if not password:
        message += f"; one-time password (shown once): {secret}"
    return _settings(request, liaison, user, auth, flash=message)


@router.post("/app/settings/users/{name}/role", response_class=RedirectResponse)
def set_role(name: str, auth: AuthDep, user: CurrentUser, role: Annotated[str, Form()] = ""):
    try:
        auth.set_role(name, role)
    except LiaisonError as exc:
        return back("/app/settings#users", error=str(exc))
    return back("/app/settings#users", ok=f"{name} is now {role}")


@router.post("/app/settings/users/{name}/remove", response_class=RedirectResponse)
def remove_user(name: str, auth: AuthDep, user: CurrentUser):
    if name.lower() == user.name.lower():
        return back("/app/settings#users", error="you cannot remove yourself")
    try:
        auth.remove_user(name)
    except LiaisonError as exc:
        return back("/app/settings#users", error=str(exc))
    return back("/app/settings#users", ok=f"User {name} removed")
