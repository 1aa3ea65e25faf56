"""Request and response schemas of the digest routes (recipients, previews, sends, history)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.api.contract import Flag, StrictBody
from assistant.digest.types import DeliveryRecord, Recipient, RecipientIn

WEEK_PATTERN = r"^[0-9]{4}-W[0-9]{2}$"


class DigestPreview(BaseModel):
    week: str = Field(description="ISO week, e.g. 2026-W44.")
    recipient: str = Field(description="Who the digest is written for.")
    role: str
    subject: str
    empty_week: bool
    markdown: str
    html: str


class SendRequest(StrictBody):
    week: str | None = Field(
        default=None,
        pattern=WEEK_PATTERN,
        description="ISO week, e.g. 2026-W44 (default: the last complete week).",
    )
    for_: str = Field(
        default="all",
        alias="for",
        description="cio, cmo, all, or a recipient's id, email or name.",
    )

    model_config = {"populate_by_name": True, "extra": "forbid"}


class RecipientBody(RecipientIn, StrictBody):
    """A recipient to add, as `POST /recipients` takes it."""

    email: str = Field(
        pattern=r"^\s*[^@\s]+@[^@\s]+\s*$",
        description="Address for the 'email' channel; also the recipient's key.",
    )
    active: Flag = True


class HistoryPage(BaseModel):
    total: int
    limit: int
    offset: int
    deliveries: list[DeliveryRecord]


class RecipientPage(BaseModel):
    total: int
    limit: int
    offset: int
    recipients: list[Recipient]


class RecipientDeleted(BaseModel):
    deleted: int
