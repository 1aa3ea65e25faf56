"""Request and response schemas of the digest routes (recipients, previews, sends, history)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from assistant.digest.types import DeliveryRecord


class DigestPreview(BaseModel):
    week: str = Field(description="ISO week, e.g. 2026-W44.")
    recipient: str = Field(description="Who the digest is written for.")
    role: str
    subject: str
    empty_week: bool
    markdown: str
    html: str


class SendRequest(BaseModel):
    week: str | None = Field(
        default=None, description="ISO week (default: the last complete week)."
    )
    for_: str = Field(
        default="all",
        alias="for",
        description="cio, cmo, all, or a recipient's id, email or name.",
    )

    model_config = {"populate_by_name": True}


class HistoryPage(BaseModel):
    total: int
    limit: int
    offset: int
    deliveries: list[DeliveryRecord]


class RecipientDeleted(BaseModel):
    deleted: int
