"""`DigestService`: recipients, compose → render → deliver, and the send-once ledger.

Sending goes through one ledger row per (week, recipient):

    pending ──claim──▶ sending ──deliverer ok──▶ sent
       ▲                  │
       │             deliverer failed
       │                  ▼
       └──(backoff due)── failed ──(attempts exhausted)──▶ failed for good (next_attempt_at NULL)

A claim is one conditional UPDATE, so two processes (two API workers, a CLI and the server, or
a process and its restart) never both send a row. A row left `sending` longer than the lease
(`digest_lease_minutes`) belongs to a sender that died; the next `send_due` takes it over.
Failures back off 1, 5, 25, 125 … minutes up to `digest_max_attempts`, then stay `failed` in the
history — never dropped silently.

At-least-once edge: if the process dies after the SMTP server accepted the message and before
the row is marked `sent`, the row is retried after the lease and the reader gets the digest a
second time. The row is marked sent in its own short transaction right after the deliverer
returns, so that window is a few milliseconds; and both copies carry the same Message-ID
(`render.message_id`), so mail clients can recognise the duplicate.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from assistant.digest import recap
from assistant.digest.compose import Composer
from assistant.digest.deliver import Deliverer, default_deliverers
from assistant.digest.render import Renderer
from assistant.digest.types import DeliveryRecord, Digest, Recipient, RecipientIn
from assistant.digest.weeks import last_complete_week, week_of
from assistant.errors import DeliveryError, InvalidInput, NotFound
from assistant.store import digests as store
from assistant.store.db import as_id
from assistant.yamlio import load_records

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ROLES = ("cio", "cmo", "other")


def backoff(attempts: int) -> timedelta:
    """Wait before attempt `attempts + 1`: 1 min, 5, 25, 125 …"""
    return timedelta(minutes=5 ** max(attempts - 1, 0))


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise InvalidInput("now must carry a time zone")
    return now


class DigestService:
    """Weekly digests for `liaison`'s recipients. `deliverers` maps a channel ("email",
    "webhook", "folder"; "smtp" is accepted for "email") to a `Deliverer`; channels not given
    use the real deliverers built from the settings."""

    def __init__(self, liaison, deliverers: dict[str, Deliverer] | None = None):
        self.liaison = liaison
        self.settings = liaison.settings
        self.db = liaison.db
        given = dict(deliverers or {})
        if "smtp" in given and "email" not in given:
            given["email"] = given.pop("smtp")
        self._given = given
        self._defaults: dict[str, Deliverer] | None = None
        self.renderer = Renderer()

    # ----------------------------------------------------------------- recipients

    def recipients(self, active_only: bool = False) -> list[Recipient]:
        return store.list_recipients(self.db.connect(), active_only)

    def add_recipient(self, data: RecipientIn) -> Recipient:
        with self.db.transaction() as tx:
            return store.add_recipient(tx, data, datetime.now(UTC))

    def remove_recipient(self, recipient_id: int) -> Recipient:
        """Remove a recipient; their delivery history is kept."""
        with self.db.transaction() as tx:
            return store.delete_recipient(tx, recipient_id)

    def import_recipients(self, text: str) -> list[Recipient]:
        """Create or update recipients (matched by email) from YAML: `recipients: [...]`."""
        parsed = load_records(text, "recipients", RecipientIn, "recipient")
        out = []
        with self.db.transaction() as tx:
            for r in parsed:
                existing = store.find_recipient(tx, r.email)
                if existing:
                    out.append(store.update_recipient(tx, existing.id, r))
                else:
                    out.append(store.add_recipient(tx, r, datetime.now(UTC)))
        return out

    def resolve(self, who: Recipient | RecipientIn | int | str) -> Recipient:
        """A stored recipient from an object, an id, a role (cio/cmo/other), an email or a name."""
        if isinstance(who, Recipient):
            return who
        if isinstance(who, RecipientIn):
            found = store.find_recipient(self.db.connect(), who.email)
            if found is None:
                raise NotFound(f"recipient {who.email} is not stored; add it first")
            return found
        conn = self.db.connect()
        if isinstance(who, int):
            return store.get_recipient(conn, who)
        if (number := as_id(str(who))) is not None:
            return store.get_recipient(conn, number)
        key = str(who).strip()
        active = store.list_recipients(conn, active_only=True)
        if key.lower() in ROLES:
            for r in active:
                if r.role == key.lower():
                    return r
            raise NotFound(
                f"no active recipient with role {key.lower()}; add one with"
                " `liaison recipients add`"
            )
        found = store.find_recipient(conn, key) if "@" in key else None
        found = found or next((r for r in active if r.name.lower() == key.lower()), None)
        if found is None:
            raise NotFound(f"recipient {key!r} not found")
        return found

    def reader(self, who: Recipient | RecipientIn | int | str) -> RecipientIn:
        """Who a preview is written for: a stored recipient, or a stand-in for a bare role."""
        try:
            return self.resolve(who)
        except NotFound:
            if isinstance(who, str) and who.lower() in ROLES:
                return self.stand_in(who)
            raise

    def stand_in(self, role: str) -> RecipientIn:
        """A reader of a role (cio, cmo, other) who is no one in particular: previews for
        people who may not see the recipients list."""
        role = role.lower()
        if role not in ROLES:
            raise InvalidInput(f"unknown role {role!r}; use one of: {', '.join(ROLES)}")
        return RecipientIn(
            name=role.upper() if role != "other" else "Reader",
            email=f"{role}@localhost",
            role=role,  # type: ignore[arg-type]
            timezone=self.settings.default_timezone,
        )

    # ----------------------------------------------------------------- compose and render

    def default_week(self, recipient: RecipientIn | None = None, now: datetime | None = None):
        """The last complete ISO week in the recipient's (or the default) time zone."""
        tz = recipient.timezone if recipient else self.settings.default_timezone
        return last_complete_week(_now(now), ZoneInfo(tz))

    def compose(self, week: str, recipient: RecipientIn | int | str) -> Digest:
        reader = recipient if isinstance(recipient, RecipientIn) else self.reader(recipient)
        return Composer(self.liaison).compose(week, reader)

    def render(self, digest: Digest, fmt: str = "markdown") -> str:
        return self.renderer.render(digest, fmt)

    def render_all(self, digest: Digest) -> dict[str, str]:
        return {
            "subject": digest.subject,
            "markdown": self.render(digest, "markdown"),
            "html": self.render(digest, "html"),
            "text": self.render(digest, "text"),
        }

    # ----------------------------------------------------------------- send

    def deliverer(self, channel: str) -> Deliverer:
        if channel in self._given:
            return self._given[channel]
        if self._defaults is None:
            self._defaults = default_deliverers(self.settings)
        if channel not in self._defaults:
            raise DeliveryError(f"no deliverer for channel {channel!r}")
        return self._defaults[channel]

    def send(
        self,
        week: str | None,
        recipient_or_role: Recipient | RecipientIn | int | str,
        now: datetime | None = None,
    ) -> DeliveryRecord:
        """Send one digest now, unless it was already sent (then its record is returned).

        A failed row, even one that gave up, is tried again at once: a person asked for it.
        A row another process is sending right now is left alone."""
        now = _now(now)
        recipient = self.resolve(recipient_or_role)
        week = week or self.default_week(recipient, now)
        with self.db.transaction() as tx:
            record = store.ensure_delivery(tx, week, recipient, now)
            if record.status == "sent":
                return record
            store.retry_now(tx, record.id, now)
        return self._attempt(record.id, now)

    def due_week(self, recipient: Recipient, now: datetime) -> str | None:
        """The week whose digest is due for `recipient` at `now`: the week just ended, once the
        recipient's local digest day and time (settings) of the current week have passed."""
        local = _now(now).astimezone(recipient.tz)
        monday = local.date() - timedelta(days=local.weekday())
        hour, minute = (int(x) for x in self.settings.digest_time.split(":"))
        at = datetime.combine(
            monday + timedelta(days=WEEKDAYS.index(self.settings.digest_day)),
            time(hour, minute),
            recipient.tz,
        )
        return week_of(monday - timedelta(days=7)) if local >= at else None

    def send_due(self, now: datetime | None = None) -> list[DeliveryRecord]:
        """What the scheduler calls: queue the digests whose time has come, then send every row
        that is due (new, failed and due for retry, or abandoned mid-send by a crash)."""
        now = _now(now)
        with self.db.transaction() as tx:
            for recipient in store.list_recipients(tx, active_only=True):
                week = self.due_week(recipient, now)
                if week:
                    store.ensure_delivery(tx, week, recipient, now)
        lease = timedelta(minutes=self.settings.digest_lease_minutes)
        return [self._attempt(i, now) for i in store.due_ids(self.db.connect(), now, lease)]

    def _attempt(self, delivery_id: int, now: datetime) -> DeliveryRecord:
        lease = timedelta(minutes=self.settings.digest_lease_minutes)
        with self.db.transaction() as tx:
            token = store.claim(tx, delivery_id, now, lease)
            record = store.get_delivery(tx, delivery_id)
        if token is None:  # sent, backing off, or being sent by someone else
            return record
        try:
            if record.recipient_id is None:
                raise DeliveryError("the recipient was removed")
            recipient = store.get_recipient(self.db.connect(), record.recipient_id)
            content = store.content(self.db.connect(), delivery_id)
            if content is None:
                meeting_id = recap.meeting_of(record.week)
                digest = (
                    self.compose(record.week, recipient)
                    if meeting_id is None
                    else recap.compose_recap(self.liaison, meeting_id, recipient)
                )
                content = self.render_all(digest)
                with self.db.transaction() as tx:
                    store.store_content(tx, delivery_id, token, content)
            self.deliverer(recipient.channel).send(
                recipient,
                content["subject"],
                content["text"],
                content["html"],
                content["markdown"],
            )
        except Exception as exc:  # noqa: BLE001  every failure is recorded, none is lost
            reason = str(exc) if isinstance(exc, DeliveryError) else f"{type(exc).__name__}: {exc}"
            retry = None
            if record.attempts < self.settings.digest_max_attempts:
                retry = now + backoff(record.attempts)
            with self.db.transaction() as tx:
                store.mark_failed(tx, delivery_id, token, reason[:500], retry, now)
        else:
            # Right after the deliverer returns: keeps the at-least-once window tiny.
            with self.db.transaction() as tx:
                store.mark_sent(tx, delivery_id, token, now)
        return store.get_delivery(self.db.connect(), delivery_id)

    # ----------------------------------------------------------------- meeting recaps

    def recap(self, meeting_id: int, recipient: RecipientIn | int | str = "other") -> Digest:
        """The recap of one meeting (`recap.py`), written for `recipient` (default: a reader
        of no particular side)."""
        reader = recipient if isinstance(recipient, RecipientIn) else self.reader(recipient)
        return recap.compose_recap(self.liaison, meeting_id, reader)

    def recap_recipients(self, meeting_id: int) -> list[Recipient]:
        """The active recipients who attended the meeting."""
        attendees = self.liaison.meeting(meeting_id).meeting.attendees
        return [r for r in self.recipients(active_only=True) if recap.attends(r.name, attendees)]

    def send_recaps(self, meeting_id: int, now: datetime | None = None) -> list[DeliveryRecord]:
        """Send the meeting's recap to each attendee who is a recipient, once per (meeting,
        recipient): a recap already sent is not sent again, a failed one is retried by
        `send_due` like a digest."""
        now = _now(now)
        key = recap.ledger_key(meeting_id)
        out = []
        for recipient in self.recap_recipients(meeting_id):
            with self.db.transaction() as tx:
                record = store.ensure_delivery(tx, key, recipient, now)
            out.append(record if record.status == "sent" else self._attempt(record.id, now))
        return out

    def after_ingest(self, meeting_id: int) -> list[DeliveryRecord]:
        """What `Liaison.ingest_bytes` calls once a new meeting is stored: the recaps, when the
        `recap_after_ingest` setting is on. Never raises: a failed send stays in the ledger
        and is retried."""
        if not self.settings.recap_after_ingest:
            return []
        try:
            return self.send_recaps(meeting_id)
        except Exception:  # noqa: BLE001  an ingest never fails because a recap could not go
            return []

    # ----------------------------------------------------------------- history

    def history(self, limit: int = 50, offset: int = 0) -> list[DeliveryRecord]:
        """Every delivery, newest week first: sent, pending, retrying and failed for good."""
        return store.history(self.db.connect(), limit, offset)[0]

    def history_page(self, limit: int = 50, offset: int = 0) -> tuple[list[DeliveryRecord], int]:
        return store.history(self.db.connect(), limit, offset)
