"""The events Liaison sends, and their JSON bodies (stable; documented in the README and in the
OpenAPI document's `webhooks`).

Every body is an envelope `{id, type, created_at, data}`; `data` depends on `type`:

    meeting.stored   a transcript was stored            meeting, link, items, changed
    item.created     an item found in a new meeting     item, link, said_at
    item.changed     corrected, or changed by a later   item, changes, by, author, meeting_id
                     meeting or a calendar import
    digest.sent      a weekly digest was delivered      week, recipient, role, subject, markdown
    webhook.test     "Send test" was pressed            endpoint_id, message
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, Field

from assistant.models import Item, ItemKind, Meeting, Team

EventType = Literal["meeting.stored", "item.created", "item.changed", "digest.sent", "webhook.test"]
EVENT_TYPES: tuple[str, ...] = (
    "meeting.stored",
    "item.created",
    "item.changed",
    "digest.sent",
    "webhook.test",
)


class ItemRef(BaseModel):
    """An item in brief, with a link to its row in the web app."""

    id: int
    kind: ItemKind
    text: str
    owner: str | None = None
    team: Team = Team.unknown
    due: str | None = Field(default=None, description="YYYY-MM-DD")
    status: str
    link: str


class MeetingStoredData(BaseModel):
    meeting: Meeting
    link: str = Field(description="The meeting's page in the web app.")
    items: list[ItemRef] = Field(description="Items found in this meeting.")
    changed: list[ItemRef] = Field(description="Earlier items this meeting changed.")


class ItemCreatedData(BaseModel):
    item: Item
    link: str = Field(description="The item's row in the web app.")
    said_at: str = Field(description="The moment it was said, in the meeting's page.")


class FieldChange(BaseModel):
    field: str
    old: str | None = None
    new: str | None = None


class ItemChangedData(BaseModel):
    item: Item = Field(description="The item after the change.")
    changes: list[FieldChange]
    by: Literal["person", "tracker", "calendar"] = Field(
        description="A person's correction (or undo), a later meeting's words, or a calendar"
        " import (a date for 'before the QBR')."
    )
    author: str | None = None
    meeting_id: int | None = Field(default=None, description="The meeting whose words did it.")
    link: str


class DigestSentData(BaseModel):
    delivery_id: int
    week: str = Field(description="ISO week, e.g. 2026-W44.")
    recipient: str
    role: str
    channel: str
    subject: str
    markdown: str = Field(description="The digest as sent, in Markdown.")
    sent_at: datetime


class TestData(BaseModel):
    endpoint_id: int
    message: str


class _Envelope(BaseModel):
    id: str = Field(description="Unique per event (the same for every endpoint it goes to).")
    created_at: datetime


class MeetingStoredEvent(_Envelope):
    type: Literal["meeting.stored"] = "meeting.stored"
    data: MeetingStoredData


class ItemCreatedEvent(_Envelope):
    type: Literal["item.created"] = "item.created"
    data: ItemCreatedData


class ItemChangedEvent(_Envelope):
    type: Literal["item.changed"] = "item.changed"
    data: ItemChangedData


class DigestSentEvent(_Envelope):
    type: Literal["digest.sent"] = "digest.sent"
    data: DigestSentData


class TestEvent(_Envelope):
    type: Literal["webhook.test"] = "webhook.test"
    data: TestData


EVENT_MODELS: dict[str, type[_Envelope]] = {
    "meeting.stored": MeetingStoredEvent,
    "item.created": ItemCreatedEvent,
    "item.changed": ItemChangedEvent,
    "digest.sent": DigestSentEvent,
    "webhook.test": TestEvent,
}


def envelope(event_type: str, data: BaseModel, now: datetime | None = None) -> _Envelope:
    """A new event of `event_type` (validated against its model)."""
    model = EVENT_MODELS[event_type]
    return model(
        id="evt_" + uuid.uuid4().hex,
        created_at=(now or datetime.now(UTC)).replace(microsecond=0),
        data=data,  # type: ignore[call-arg]
    )
