"""Pages for the integrations: your calendar feed URLs (account), webhook endpoints with their
delivery log and a test button (settings, admins). Downloads (CSV, XLSX, ICS, minutes) are
plain links to the API's /exports routes, which the session cookie opens too."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from assistant.api.contract import IdPath
from assistant.api.deps import LiaisonDep
from assistant.api.security import CurrentUser
from assistant.errors import InvalidInput, NotFound
from assistant.web.common import back, render
from assistant.webhooks.events import EVENT_TYPES

router = APIRouter(include_in_schema=False)
CALENDAR_PAGE = "/app/account/calendar"
WEBHOOKS_PAGE = "/app/settings/webhooks"
LOG_LINES = 20


# ---------------------------------------------------------------------- calendar feeds


def _calendar(request: Request, liaison, user, status_code: int = 200, **extra) -> HTMLResponse:
    return render(
        request,
        "account_calendar.html",
        status_code,
        feeds=liaison.exports.feeds.list(user.name),
        new_url=extra.pop("new_url", None),
        **extra,
    )


@router.get(CALENDAR_PAGE, response_class=HTMLResponse)
def calendar_page(request: Request, liaison: LiaisonDep, user: CurrentUser):
    return _calendar(request, liaison, user)


@router.post(CALENDAR_PAGE, response_class=HTMLResponse)
def new_feed(
    request: Request,
    liaison: LiaisonDep,
    user: CurrentUser,
    scope: Annotated[str, Form()] = "mine",
    value: Annotated[str, Form()] = "",
    team: Annotated[str, Form()] = "",
    label: Annotated[str, Form()] = "",
):
    try:
        secret, feed = liaison.exports.feeds.create(
            user.name, scope, team if scope == "team" else value, label
        )
    except InvalidInput as exc:
        return back(CALENDAR_PAGE, error=str(exc))
    # Shown once, on this answer only: the database keeps only a hash of it.
    return _calendar(
        request,
        liaison,
        user,
        new_url=liaison.exports.feed_url(secret),
        flash=f"New calendar feed ({feed.describe}): copy its URL now, it is shown only once",
    )


@router.post(CALENDAR_PAGE + "/{feed_id}/revoke", response_class=RedirectResponse)
def revoke_feed(feed_id: IdPath, liaison: LiaisonDep, user: CurrentUser):
    try:
        liaison.exports.feeds.revoke(user.name, feed_id)
    except NotFound as exc:
        return back(CALENDAR_PAGE, error=str(exc))
    return back(CALENDAR_PAGE, ok="Feed revoked: calendars subscribed to it stop updating")


# ---------------------------------------------------------------------- webhooks


def _webhooks(request: Request, liaison, status_code: int = 200, **extra) -> HTMLResponse:
    hooks = liaison.webhooks
    endpoints = hooks.endpoints()
    logs = {e.id: hooks.log(e.id, LOG_LINES) for e in endpoints}
    return render(
        request,
        "webhooks.html",
        status_code,
        endpoints=endpoints,
        logs=logs,
        event_types=EVENT_TYPES,
        new_secret=extra.pop("new_secret", None),
        **extra,
    )


@router.get(WEBHOOKS_PAGE, response_class=HTMLResponse)
def webhooks_page(request: Request, liaison: LiaisonDep, user: CurrentUser):
    return _webhooks(request, liaison)


@router.post(WEBHOOKS_PAGE, response_class=HTMLResponse)
async def add_webhook(request: Request, liaison: LiaisonDep, user: CurrentUser):
    form = await request.form()
    events = [str(e) for e in form.getlist("events")]
    try:
        created = liaison.webhooks.add_endpoint(
            str(form.get("url", "")),
            str(form.get("format", "liaison")),
            events,
            str(form.get("label", "")),
        )
    except InvalidInput as exc:
        return back(WEBHOOKS_PAGE, error=str(exc))
    return _webhooks(
        request,
        liaison,
        new_secret=(created.id, created.secret),
        flash=f"Endpoint {created.id} added: copy its signing secret now, it is shown only once",
    )


@router.post(WEBHOOKS_PAGE + "/{endpoint_id}/test", response_class=RedirectResponse)
def test_webhook(endpoint_id: IdPath, liaison: LiaisonDep, user: CurrentUser):
    result = liaison.webhooks.send_test(endpoint_id)
    anchor = f"{WEBHOOKS_PAGE}#endpoint-{endpoint_id}"
    if result.status == "delivered":
        return back(
            anchor, ok=f"Test delivered to endpoint {endpoint_id} (HTTP {result.last_status})"
        )
    return back(anchor, error=f"Test to endpoint {endpoint_id} failed: {result.last_error}")


@router.post(WEBHOOKS_PAGE + "/{endpoint_id}/secret", response_class=HTMLResponse)
def rotate_webhook_secret(
    request: Request, endpoint_id: IdPath, liaison: LiaisonDep, user: CurrentUser
):
    rotated = liaison.webhooks.rotate_secret(endpoint_id)
    return _webhooks(
        request,
        liaison,
        new_secret=(rotated.id, rotated.secret),
        flash=f"New signing secret for endpoint {rotated.id}: the old one no longer signs",
    )


@router.post(WEBHOOKS_PAGE + "/{endpoint_id}/active", response_class=RedirectResponse)
def toggle_webhook(
    endpoint_id: IdPath,
    liaison: LiaisonDep,
    user: CurrentUser,
    active: Annotated[str, Form()] = "",
):
    on = active == "true"
    liaison.webhooks.update_endpoint(endpoint_id, {"active": on})
    return back(WEBHOOKS_PAGE, ok=f"Endpoint {endpoint_id} {'resumed' if on else 'paused'}")


@router.post(WEBHOOKS_PAGE + "/{endpoint_id}/remove", response_class=RedirectResponse)
def remove_webhook(endpoint_id: IdPath, liaison: LiaisonDep, user: CurrentUser):
    liaison.webhooks.remove_endpoint(endpoint_id)
    return back(WEBHOOKS_PAGE, ok=f"Endpoint {endpoint_id} removed")


@router.post(WEBHOOKS_PAGE + "/deliveries/{delivery_id}/retry", response_class=RedirectResponse)
def retry_delivery(delivery_id: IdPath, liaison: LiaisonDep, user: CurrentUser):
    result = liaison.webhooks.retry(delivery_id)
    anchor = f"{WEBHOOKS_PAGE}#endpoint-{result.endpoint_id}"
    if result.status == "delivered":
        return back(anchor, ok=f"Delivery {delivery_id} delivered")
    return back(anchor, error=f"Delivery {delivery_id} failed again: {result.last_error}")
