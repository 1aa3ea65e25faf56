"""Outgoing webhooks: endpoints, their delivery log, a test delivery, retries; and the
documented event bodies (OpenAPI `webhooks`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from assistant.api.contract import Flag, IdPath, Offset, StrictBody
from assistant.api.deps import LiaisonDep
from assistant.api.errors import error_responses
from assistant.webhooks import events as ev
from assistant.webhooks.types import Delivery, Endpoint, EndpointCreated

router = APIRouter(tags=["webhooks"])
EventName = Literal["meeting.stored", "item.created", "item.changed", "digest.sent", "webhook.test"]


class EndpointIn(StrictBody):
    url: str = Field(
        max_length=2000, description="http:// or https:// address that receives POSTs."
    )
    format: Literal["liaison", "slack"] = Field(
        default="liaison",
        description="'liaison': the signed JSON event; 'slack': a Block Kit message for a Slack"
        " incoming webhook.",
    )
    events: list[EventName] = Field(default_factory=list, description="Empty: every event.")
    label: str = Field(default="", max_length=80)


class EndpointPatch(StrictBody):
    url: str | None = Field(default=None, max_length=2000)
    format: Literal["liaison", "slack"] | None = None
    events: list[EventName] | None = None
    label: str | None = Field(default=None, max_length=80)
    active: Flag | None = None


class EndpointPage(BaseModel):
    total: int
    limit: int
    offset: int
    endpoints: list[Endpoint]


class DeliveryPage(BaseModel):
    total: int
    limit: int
    offset: int
    deliveries: list[Delivery]


class EndpointRemoved(BaseModel):
    deleted: int


@router.get("/webhooks", response_model=EndpointPage, summary="Webhook endpoints")
def list_endpoints(
    liaison: LiaisonDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Offset = 0,
):
    found = liaison.webhooks.endpoints()
    return EndpointPage(
        total=len(found), limit=limit, offset=offset, endpoints=found[offset : offset + limit]
    )


@router.post(
    "/webhooks",
    response_model=EndpointCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Add a webhook endpoint",
)
def add_endpoint(body: EndpointIn, liaison: LiaisonDep):
    """The answer holds the endpoint's signing secret: it is shown only here."""
    return liaison.webhooks.add_endpoint(body.url, body.format, list(body.events), body.label)


@router.get(
    "/webhooks/{endpoint_id}",
    response_model=Endpoint,
    summary="One webhook endpoint",
    responses=error_responses(404),
)
def get_endpoint(endpoint_id: IdPath, liaison: LiaisonDep):
    return liaison.webhooks.endpoint(endpoint_id)


@router.patch(
    "/webhooks/{endpoint_id}",
    response_model=Endpoint,
    summary="Change a webhook endpoint",
    responses=error_responses(404),
)
def patch_endpoint(endpoint_id: IdPath, patch: EndpointPatch, liaison: LiaisonDep):
    changes = {k: v for k, v in patch.model_dump(exclude_unset=True).items() if v is not None}
    return liaison.webhooks.update_endpoint(endpoint_id, changes)


@router.delete(
    "/webhooks/{endpoint_id}",
    response_model=EndpointRemoved,
    summary="Remove a webhook endpoint (and its log)",
    responses=error_responses(404),
)
def remove_endpoint(endpoint_id: IdPath, liaison: LiaisonDep):
    return EndpointRemoved(deleted=liaison.webhooks.remove_endpoint(endpoint_id).id)


@router.post(
    "/webhooks/{endpoint_id}/secret",
    response_model=EndpointCreated,
    summary="Rotate the signing secret",
    responses=error_responses(404),
)
def rotate_secret(endpoint_id: IdPath, liaison: LiaisonDep):
    return liaison.webhooks.rotate_secret(endpoint_id)


@router.post(
    "/webhooks/{endpoint_id}/test",
    response_model=Delivery,
    summary="Send a test event now",
    responses=error_responses(404),
)
def send_test(endpoint_id: IdPath, liaison: LiaisonDep):
    """Sends a `webhook.test` event at once and answers how it went (also in the log)."""
    return liaison.webhooks.send_test(endpoint_id)


@router.get(
    "/webhooks/{endpoint_id}/deliveries",
    response_model=DeliveryPage,
    summary="An endpoint's delivery log",
    responses=error_responses(404),
)
def deliveries(
    endpoint_id: IdPath,
    liaison: LiaisonDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Offset = 0,
):
    """Newest first: each event, its status, attempts, last answer, next try."""
    found, total = liaison.webhooks.log(endpoint_id, limit, offset)
    return DeliveryPage(total=total, limit=limit, offset=offset, deliveries=found)


@router.post(
    "/webhooks/deliveries/{delivery_id}/retry",
    response_model=Delivery,
    summary="Try a delivery again now",
    responses=error_responses(404),
)
def retry(delivery_id: IdPath, liaison: LiaisonDep):
    return liaison.webhooks.retry(delivery_id)


# ---------------------------------------------------------------------- what receivers get

events_doc = APIRouter()


def _doc(name: str, model: type[BaseModel], what: str) -> None:
    def receive(body):
        """Documentation only: the request Liaison makes."""

    receive.__annotations__ = {"body": model}  # (the module's annotations are strings)
    receive.__doc__ = (
        f"{what}\n\nHeaders: `X-Liaison-Event`, `X-Liaison-Delivery`, `X-Liaison-Timestamp`"
        " (Unix seconds), `X-Liaison-Signature: sha256=<hex>` = HMAC-SHA256 with the endpoint's"
        " secret over `<timestamp>.<raw body>`. Answer 2xx; anything else is retried."
    )
    events_doc.post(name, summary=name, tags=["webhooks"])(receive)


_doc("meeting.stored", ev.MeetingStoredEvent, "A transcript was stored.")
_doc("item.created", ev.ItemCreatedEvent, "An item was found in a newly stored meeting.")
_doc("item.changed", ev.ItemChangedEvent, "An item was corrected, or changed by a later meeting.")
_doc("digest.sent", ev.DigestSentEvent, "A weekly digest was delivered.")
_doc("webhook.test", ev.TestEvent, "Someone pressed 'Send test'.")
