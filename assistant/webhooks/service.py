"""`Webhooks` (liaison.webhooks): endpoints, the outbox, delivery with retries, the log.

Emitting never breaks what triggered it: the caller's change is already committed, the event
is queued (one outbox row per subscribed endpoint) in a short transaction of its own, and any
error while queueing is logged, not raised. Delivery happens outside: the worker thread of
`liaison serve`, `liaison webhooks deliver`, or `deliver_due(now)` in tests. A failed attempt
is retried with the digests' backoff (1, 5, 25, 125 … minutes) up to `webhook_max_attempts`.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import httpx
from pydantic import BaseModel

from assistant.digest.service import backoff
from assistant.errors import InvalidInput
from assistant.exports.links import Links
from assistant.models import Item
from assistant.store import items as item_store
from assistant.store import meetings as meeting_store
from assistant.store import webhooks as store
from assistant.store.digests import ts
from assistant.store.exports import last_batch, tracker_changes
from assistant.store.items import EDITABLE, ItemFilters
from assistant.webhooks import events as ev
from assistant.webhooks import signing, slack
from assistant.webhooks.types import (
    Delivery,
    Endpoint,
    EndpointCreated,
    as_text,
    check_events,
    check_url,
    delivery_of,
    endpoint_of,
)

if TYPE_CHECKING:
    from assistant.service import Liaison

log = logging.getLogger(__name__)
USER_AGENT = "Liaison-Webhooks/1"


class Webhooks:
    def __init__(self, liaison: Liaison, client: httpx.Client | None = None):
        """`client` sends the requests (tests may pass one); None uses httpx directly."""
        self.liaison = liaison
        self.db = liaison.db
        self.settings = liaison.settings
        self.links = Links(liaison.settings.public_url)
        self.client = client
        self.worker = None  # set by start_worker()
        self._local = threading.local()  # one keep-alive HTTP client per thread

    # ------------------------------------------------------------------ endpoints

    def endpoints(self) -> list[Endpoint]:
        return [endpoint_of(r) for r in store.list_endpoints(self.db.connect())]

    def endpoint(self, endpoint_id: int) -> Endpoint:
        return endpoint_of(store.get_endpoint(self.db.connect(), endpoint_id))

    def add_endpoint(
        self,
        url: str,
        fmt: str = "liaison",
        events: list[str] | None = None,
        label: str = "",
    ) -> EndpointCreated:
        """A new endpoint with its own signing secret (returned only here)."""
        if fmt not in ("liaison", "slack"):
            raise InvalidInput(f"webhook format {fmt!r}: use liaison or slack")
        secret = signing.new_secret()
        with self.db.transaction() as tx:
            endpoint_id = store.insert_endpoint(
                tx, check_url(url), fmt, check_events(events), secret, label.strip()[:80]
            )
        return EndpointCreated(**self.endpoint(endpoint_id).model_dump(), secret=secret)

    def update_endpoint(self, endpoint_id: int, changes: dict) -> Endpoint:
        fields: dict = {}
        if "url" in changes:
            fields["url"] = check_url(changes["url"])
        if "events" in changes:
            fields["events"] = check_events(changes["events"])
        if "label" in changes:
            fields["label"] = (changes["label"] or "").strip()[:80]
        if "active" in changes:
            fields["active"] = 1 if changes["active"] else 0
        if "format" in changes:
            if changes["format"] not in ("liaison", "slack"):
                raise InvalidInput("webhook format: use liaison or slack")
            fields["format"] = changes["format"]
        with self.db.transaction() as tx:
            store.update_endpoint(tx, endpoint_id, **fields)
        return self.endpoint(endpoint_id)

    def rotate_secret(self, endpoint_id: int) -> EndpointCreated:
        secret = signing.new_secret()
        with self.db.transaction() as tx:
            store.update_endpoint(tx, endpoint_id, secret=secret)
        return EndpointCreated(**self.endpoint(endpoint_id).model_dump(), secret=secret)

    def remove_endpoint(self, endpoint_id: int) -> Endpoint:
        """Remove an endpoint with its delivery log."""
        endpoint = self.endpoint(endpoint_id)
        with self.db.transaction() as tx:
            store.delete_endpoint(tx, endpoint_id)
        return endpoint

    def log(self, endpoint_id: int, limit: int = 50, offset: int = 0) -> tuple[list[Delivery], int]:
        """An endpoint's deliveries, newest first."""
        rows, total = store.log(self.db.connect(), endpoint_id, limit, offset)
        return [delivery_of(r) for r in rows], total

    def delivery_body(self, delivery_id: int) -> dict:
        return json.loads(store.get_delivery(self.db.connect(), delivery_id)["body"])

    # ------------------------------------------------------------------ emitting

    def emit(self, event_type: str, data: BaseModel) -> int:
        """Queue an event for every active endpoint that wants it; how many rows were queued.
        Never raises: a failure to queue is logged (the change that caused it stands)."""
        return self.emit_all([(event_type, data)])

    def emit_all(self, found: list[tuple[str, BaseModel]]) -> int:
        """Queue several events in one transaction (a meeting's items). Never raises."""
        try:
            return self._emit(found)
        except Exception:
            log.exception("could not queue webhook events %s", sorted({t for t, _ in found}))
            return 0

    def _emit(self, found: list[tuple[str, BaseModel]]) -> int:
        endpoints = store.list_endpoints(self.db.connect(), active_only=True)
        wants = {e["id"]: set(json.loads(e["events"])) for e in endpoints}
        now = datetime.now(UTC)
        queued = 0
        with self.db.transaction() as tx:
            for event_type, data in found:
                targets = [i for i, w in wants.items() if not w or event_type in w]
                if not targets:
                    continue
                event = ev.envelope(event_type, data, now)
                body = event.model_dump_json()
                for endpoint_id in targets:
                    if store.enqueue(tx, endpoint_id, event.id, event_type, body, now):
                        queued += 1
        if queued and self.worker is not None:
            self.worker.wake()
        return queued

    def _ref(self, item: Item) -> ev.ItemRef:
        return ev.ItemRef(
            id=item.id,
            kind=item.kind,
            text=item.text,
            owner=item.owner,
            team=item.team,
            due=item.due.isoformat() if item.due else None,
            status=item.status,
            link=self.links.item(item),
        )

    def meeting_stored(self, meeting_id: int) -> None:
        """After an ingest: meeting.stored, item.created for each of its items, item.changed
        for each earlier item its words changed."""
        try:
            if not store.list_endpoints(self.db.connect(), active_only=True):
                return
            conn = self.db.connect()
            meeting = meeting_store.get_meeting(conn, meeting_id)
            items, _ = self.liaison.items(ItemFilters(meeting_id=meeting_id), 10_000)
            changed_ids = list(
                dict.fromkeys(r["item_id"] for r in tracker_changes(conn, meeting_id))
            )
            changed = [item_store.get_item(conn, i) for i in changed_ids]
        except Exception:
            log.exception("could not read meeting %s for its webhook events", meeting_id)
            return
        found: list[tuple[str, BaseModel]] = [
            (
                "meeting.stored",
                ev.MeetingStoredData(
                    meeting=meeting,
                    link=self.links.meeting(meeting_id),
                    items=[self._ref(i) for i in items],
                    changed=[self._ref(i) for i in changed],
                ),
            )
        ]
        found += [
            (
                "item.created",
                ev.ItemCreatedData(
                    item=item, link=self.links.item(item), said_at=self.links.said(item)
                ),
            )
            for item in items
        ]
        for item in changed:
            try:
                change = self._item_change(item.id, None, None, meeting_id)
            except Exception:
                log.exception("could not read item %s for its webhook event", item.id)
                continue
            if change is not None and change.changes:
                found.append(("item.changed", change))
        self.emit_all(found)

    def item_changed(
        self,
        item_id: int,
        *,
        before: Item | None = None,
        author: str | None = None,
        meeting_id: int | None = None,
    ) -> None:
        """item.changed: with `before`, the fields that differ from it (a person's edit or
        undo); else the item's latest recorded change (of `meeting_id` when given)."""
        try:
            if not store.list_endpoints(self.db.connect(), active_only=True):
                return
            data = self._item_change(item_id, before, author, meeting_id)
        except Exception:
            log.exception("could not read item %s for its webhook event", item_id)
            return
        if data is not None and data.changes:
            self.emit("item.changed", data)

    def _item_change(self, item_id, before, author, meeting_id) -> ev.ItemChangedData | None:
        conn = self.db.connect()
        item = item_store.get_item(conn, item_id)
        link = self.links.item(item)
        if before is not None:
            fields = [*EDITABLE, "related_item_id"]
            changes = [
                ev.FieldChange(
                    field=f, old=as_text(getattr(before, f)), new=as_text(getattr(item, f))
                )
                for f in fields
                if getattr(before, f) != getattr(item, f)
            ]
            return ev.ItemChangedData(
                item=item, changes=changes, by="person", author=author, link=link
            )
        if meeting_id is not None:
            rows = [r for r in tracker_changes(conn, meeting_id) if r["item_id"] == item_id]
        else:
            rows = last_batch(conn, item_id)
        if not rows:
            return None
        source = rows[-1]["source"]
        return ev.ItemChangedData(
            item=item,
            changes=[
                ev.FieldChange(field=r["field"], old=r["old_value"], new=r["new_value"])
                for r in rows
            ],
            by=source if source in ("person", "tracker", "calendar") else "tracker",
            author=rows[-1]["author"],
            meeting_id=rows[-1]["meeting_id"],
            link=link,
        )

    def queue_digest_events(self, now: datetime | None = None) -> int:
        """digest.sent for each digest the ledger marked sent since an endpoint was added
        (found by reading the ledger, so digests sent by any process are announced once)."""
        now = now or datetime.now(UTC)
        conn = self.db.connect()
        queued = 0
        for endpoint in store.list_endpoints(conn, active_only=True):
            wanted = json.loads(endpoint["events"])
            if wanted and "digest.sent" not in wanted:
                continue
            since = max(endpoint["created_at"], ts(now - timedelta(days=30)))
            for row in store.sent_digests_since(conn, since):
                data = ev.DigestSentData(
                    delivery_id=row["id"],
                    week=row["week"],
                    recipient=row["recipient_name"],
                    role=row["role"],
                    channel=row["channel"],
                    subject=row["subject"] or "",
                    markdown=row["markdown"] or "",
                    sent_at=row["sent_at"],
                )
                event = ev.envelope("digest.sent", data, now)
                with self.db.transaction() as tx:
                    if store.enqueue(
                        tx,
                        endpoint["id"],
                        event.id,
                        "digest.sent",
                        event.model_dump_json(),
                        now,
                        dedupe=f"digest:{row['id']}",
                    ):
                        queued += 1
        return queued

    # ------------------------------------------------------------------ delivering

    def run_once(self, now: datetime | None = None) -> list[Delivery]:
        """One round of the worker: announce sent digests, then deliver what is due."""
        now = now or datetime.now(UTC)
        self.queue_digest_events(now)
        return self.deliver_due(now)

    @property
    def _lease_s(self) -> float:
        return self.settings.webhook_timeout_s * 2 + 30

    def deliver_due(self, now: datetime | None = None) -> list[Delivery]:
        """Try every row that is due now (new, failed and due for retry, or abandoned)."""
        now = now or datetime.now(UTC)
        ids = store.due_ids(self.db.connect(), now, self._lease_s)
        return [self.attempt(i, now) for i in ids]

    def attempt(self, delivery_id: int, now: datetime | None = None) -> Delivery:
        """Claim one row and POST it; record the answer (and when to retry)."""
        now = now or datetime.now(UTC)
        with self.db.transaction() as tx:
            claimed = store.claim(tx, delivery_id, now, self._lease_s)
            row = store.get_delivery(tx, delivery_id)
        if not claimed:
            return delivery_of(row)
        endpoint = store.get_endpoint(self.db.connect(), row["endpoint_id"])
        status, error = self._post(endpoint, row)
        with self.db.transaction() as tx:
            if error is None:
                store.mark_delivered(tx, delivery_id, status or 200, now)
            else:
                attempts = row["attempts"] + 1
                retry = None
                if attempts < self.settings.webhook_max_attempts:
                    retry = now + backoff(attempts)
                store.mark_failed(tx, delivery_id, status, error, retry, now)
        return delivery_of(store.get_delivery(self.db.connect(), delivery_id))

    def payload(self, endpoint, row) -> bytes:
        """The bytes sent: the event itself, or its Slack message."""
        if endpoint["format"] != "slack":
            return row["body"].encode()
        body = json.loads(row["body"])
        recap = None
        if body["type"] == "meeting.stored":
            try:
                recap = self.liaison.exports.minutes(body["data"]["meeting"]["id"], "md")
                recap = recap.content.decode()
            except Exception:  # the meeting was deleted since: the event's own list
                recap = None
        return json.dumps(slack.message(body, recap)).encode()

    def _post(self, endpoint, row) -> tuple[int | None, str | None]:
        body = self.payload(endpoint, row)
        stamp = int(time.time())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            signing.EVENT_HEADER: row["event"],
            signing.DELIVERY_HEADER: str(row["id"]),
            "X-Liaison-Event-Id": row["event_id"],
            signing.TIMESTAMP_HEADER: str(stamp),
            signing.SIGNATURE_HEADER: signing.signature(endpoint["secret"], stamp, body),
        }
        try:
            answer = self._http().post(endpoint["url"], content=body, headers=headers)
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"
        if 200 <= answer.status_code < 300:
            return answer.status_code, None
        said = " ".join(answer.text[:200].split())
        return answer.status_code, f"HTTP {answer.status_code} {said}".strip()

    def _http(self) -> httpx.Client:
        """The caller's client, else one per thread (a new client per request would build
        an SSL context each time: a tenth of a second)."""
        if self.client is not None:
            return self.client
        client = getattr(self._local, "client", None)
        if client is None:
            client = httpx.Client(timeout=self.settings.webhook_timeout_s)
            self._local.client = client
        return client

    def close_thread(self) -> None:
        """Close what the calling thread opened (its HTTP client, its database connection)."""
        client = getattr(self._local, "client", None)
        if client is not None:
            client.close()
            self._local.client = None
        self.db.close()

    def send_test(self, endpoint_id: int) -> Delivery:
        """Queue a webhook.test event for one endpoint and deliver it now (the settings page's
        "Send test" button); it is logged like any other delivery."""
        store.get_endpoint(self.db.connect(), endpoint_id)
        event = ev.envelope(
            "webhook.test",
            ev.TestData(endpoint_id=endpoint_id, message="Liaison can reach this endpoint."),
        )
        now = datetime.now(UTC)
        with self.db.transaction() as tx:
            delivery_id = store.enqueue(
                tx, endpoint_id, event.id, "webhook.test", event.model_dump_json(), now
            )
        assert delivery_id is not None  # no dedupe key: always queued
        return self.attempt(delivery_id, now)

    def retry(self, delivery_id: int) -> Delivery:
        """Try a failed delivery again now (even one that gave up)."""
        now = datetime.now(UTC)
        with self.db.transaction() as tx:
            store.get_delivery(tx, delivery_id)
            store.retry_now(tx, delivery_id, now)
        return self.attempt(delivery_id, now)

    # ------------------------------------------------------------------ the worker

    def start_worker(self):
        from assistant.webhooks.worker import Worker

        self.worker = Worker(self).start()
        return self.worker

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
