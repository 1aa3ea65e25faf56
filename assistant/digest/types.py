"""Data of the digest feature: who gets a digest, what it says, and what happened to each send."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, computed_field, field_validator

Role = Literal["cio", "cmo", "other"]
Channel = Literal["email", "webhook", "folder"]
DeliveryStatus = Literal["pending", "sending", "sent", "failed"]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


class RecipientIn(BaseModel):
    """A leader (or anyone else) who receives the weekly digest."""

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(description="Address for the 'email' channel; also the recipient's key.")
    role: Role = "other"
    timezone: str = Field(default="UTC", description="IANA time zone, e.g. Europe/Paris.")
    channel: Channel = "email"
    webhook_url: str | None = Field(
        default=None, description="Webhook for this recipient (default: the webhook_url setting)."
    )
    active: bool = True

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an email address")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use an IANA name such as Europe/Paris)"
            ) from None
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Recipient(RecipientIn):
    id: int


class DigestLine(BaseModel):
    """One line of a digest, linked back to the meeting and moment it comes from."""

    text: str
    detail: str = ""  # e.g. "Sam Ortiz (IT) · due Fri 30 Oct · 3 days overdue"
    quote: str = ""  # the words said, verbatim
    speaker: str = ""
    link: str = ""  # {public_url}/app/meetings/{id}#t{turn}: the web page of that moment
    source: str = ""  # e.g. "Weekly sync, Tue 6 Oct"
    tag: str = ""  # short label: overdue, due soon, new, done, at risk …


class DigestGroup(BaseModel):
    title: str = ""
    lines: list[DigestLine] = Field(default_factory=list)


class DigestSection(BaseModel):
    key: str
    title: str
    note: str = ""  # one sentence under the heading
    empty: str = "Nothing this week."
    groups: list[DigestGroup] = Field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(g.lines for g in self.groups)


class Digest(BaseModel):
    """A weekly digest written for one reader. Pure data; `render` turns it into text."""

    week: str  # ISO week, "2026-W44"
    start: date  # Monday
    end: date  # Sunday
    as_of: date  # the day after the week: "overdue" and ages are counted to this day
    recipient: RecipientIn
    title: str
    subject: str
    summary: list[str]
    meetings: list[DigestLine]
    sections: list[DigestSection]
    empty_week: bool
    kind: Literal["weekly", "recap"] = "weekly"  # a recap covers one meeting (`recap.py`)


class DeliveryRecord(BaseModel):
    """One row of the delivery ledger: a digest for one week and one recipient."""

    id: int
    week: str
    recipient_id: int | None
    recipient_name: str
    recipient_email: str
    role: str
    channel: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None = None
    next_attempt_at: datetime | None = None  # None once sent, or when retries are exhausted
    sent_at: datetime | None = None
    created_at: datetime
    updated_at: datetime
    subject: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def gave_up(self) -> bool:
        """Failed for good: retries are exhausted (a person can still send it again)."""
        return self.status == "failed" and self.next_attempt_at is None
