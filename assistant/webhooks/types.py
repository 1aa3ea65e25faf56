"""The records of the webhooks feature: endpoints and deliveries (a line of the log), and the
checks on what a person may set."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, computed_field

from assistant.errors import InvalidInput
from assistant.webhooks import events as ev
from assistant.webhooks import signing

Format = Literal["liaison", "slack"]


class Endpoint(BaseModel):
    id: int
    url: str
    format: Format = Field(description="'liaison' (signed JSON events) or 'slack' (Block Kit).")
    events: list[str] = Field(description="Event types sent; empty means all.")
    label: str = ""
    active: bool = True
    created_at: datetime
    secret_hint: str = Field(description="The start of the signing secret, to tell them apart.")


class EndpointCreated(Endpoint):
    secret: str = Field(description="The signing secret: shown only when made or rotated.")


class Delivery(BaseModel):
    """One event for one endpoint: a line of the endpoint's delivery log."""

    id: int
    endpoint_id: int
    event_id: str
    event: str
    status: Literal["pending", "sending", "delivered", "failed"]
    attempts: int
    last_status: int | None = Field(default=None, description="HTTP status of the last try.")
    last_error: str | None = None
    next_attempt_at: datetime | None = Field(
        default=None, description="When it is tried again; none once delivered or given up."
    )
    delivered_at: datetime | None = None
    created_at: datetime
    updated_at: datetime

    @computed_field  # type: ignore[prop-decorator]
    @property
    def gave_up(self) -> bool:
        """Failed for good: retries are exhausted (a person can still retry it)."""
        return self.status == "failed" and self.next_attempt_at is None


def endpoint_of(row) -> Endpoint:
    return Endpoint(
        id=row["id"],
        url=row["url"],
        format=row["format"],
        events=json.loads(row["events"]),
        label=row["label"],
        active=bool(row["active"]),
        created_at=row["created_at"],
        secret_hint=row["secret"][: len(signing.SECRET_PREFIX) + 4] + "…",
    )


def delivery_of(row) -> Delivery:
    data = dict(row)
    for key in ("body", "claimed_at", "dedupe"):
        data.pop(key, None)
    return Delivery.model_validate(data)


def check_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"webhook URL {url!r}: use an http:// or https:// address")
    return url


def check_events(names: list[str] | None) -> list[str]:
    names = [n.strip() for n in names or [] if n.strip()]
    if unknown := sorted(set(names) - set(ev.EVENT_TYPES)):
        raise InvalidInput(
            f"unknown event {', '.join(unknown)}; events are: {', '.join(ev.EVENT_TYPES)}"
        )
    return list(dict.fromkeys(names))


def as_text(value) -> str | None:
    if value is None:
        return None
    if hasattr(value, "value"):
        return str(value.value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
