"""Outgoing webhooks against a real local HTTP receiver: signed events for meetings stored,
items created and changed (by a person, by a later meeting, by undo), digests sent; retries
with backoff while the receiver fails; the delivery log; Slack Block Kit; the test button;
the worker of `liaison serve`; and failures that never break the change that caused them."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta

import pytest

from assistant.digest.types import RecipientIn
from assistant.webhooks import events as ev
from assistant.webhooks.signing import verify
from tests.conftest import SAMPLES, api_client, draft
from tests.webhook_server import WebhookServer

FIRST = SAMPLES / "2026-10-06-weekly-sync.vtt"
SECOND = SAMPLES / "2026-10-13-weekly-sync.txt"


@pytest.fixture
def scripted(extractor):
    extractor.by_title["2026-10-06"] = [
        draft(
            "action",
            "Priya Shah: consent audit",
            5,
            "I also want two minutes",
            owner="Priya Shah",
            due=date(2026, 10, 16),
        ),
        draft("decision", "We go with mParticle", 3, "Sounds good"),
    ]
    return extractor


def _types(hook) -> list[str]:
    return [body["type"] for body in hook.received]


def test_a_stored_meeting_sends_signed_events_with_the_documented_bodies(liaison, scripted):
    with WebhookServer() as hook:
        created = liaison.webhooks.add_endpoint(hook.url, label="ops")
        hook.secret = created.secret
        outcome = liaison.ingest_path(FIRST)
        assert outcome.ok and outcome.items == 2
        # Queued in SQLite, not sent during the ingest.
        assert hook.attempts == 0
        done = liaison.webhooks.deliver_due()
        assert [d.status for d in done] == ["delivered"] * 3
    assert _types(hook) == ["meeting.stored", "item.created", "item.created"]
    assert hook.verified == [True, True, True]
    stored, first_item = hook.received[0], hook.received[1]
    # Every body validates against the published model of its type.
    for body in hook.received:
        ev.EVENT_MODELS[body["type"]].model_validate(body)
    assert stored["data"]["meeting"]["id"] == outcome.meeting.id
    assert stored["data"]["link"] == f"http://127.0.0.1:8000/app/meetings/{outcome.meeting.id}"
    assert {i["text"] for i in stored["data"]["items"]} == {
        "Priya Shah: consent audit",
        "We go with mParticle",
    }
    assert first_item["data"]["item"]["owner"] == "Priya Shah"
    assert first_item["data"]["said_at"].endswith("#t5")
    headers = {k.lower(): v for k, v in hook.headers[0].items()}
    assert headers["x-liaison-event"] == "meeting.stored"
    assert headers["x-liaison-signature"].startswith("sha256=")
    assert verify(
        created.secret,
        headers["x-liaison-timestamp"],
        hook.bodies[0],
        headers["x-liaison-signature"],
    )
    assert not verify(
        "whsec_wrong",
        headers["x-liaison-timestamp"],
        hook.bodies[0],
        headers["x-liaison-signature"],
    )
    # An old timestamp is refused even with the right signature (no replays).
    assert not verify(
        created.secret,
        headers["x-liaison-timestamp"],
        hook.bodies[0],
        headers["x-liaison-signature"],
        now=time.time() + 3600,
    )
    log, total = liaison.webhooks.log(created.id)
    assert total == 3 and all(d.status == "delivered" and d.last_status == 200 for d in log)


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(liaison, scripted):
    with WebhookServer(fail_first=2) as hook:
        endpoint = liaison.webhooks.add_endpoint(hook.url, events=["meeting.stored"])
        liaison.ingest_path(FIRST)
        now = datetime.now(UTC)
        [first] = liaison.webhooks.deliver_due(now)
        assert first.status == "failed" and first.attempts == 1
        assert first.last_status == 500 and "HTTP 500 receiver is down" in first.last_error
        assert first.next_attempt_at == (now + timedelta(minutes=1)).replace(microsecond=0)
        assert liaison.webhooks.deliver_due(now + timedelta(seconds=30)) == []  # backing off
        [second] = liaison.webhooks.deliver_due(now + timedelta(minutes=1, seconds=1))
        assert second.status == "failed" and second.attempts == 2
        assert second.next_attempt_at > now + timedelta(minutes=5)
        [third] = liaison.webhooks.deliver_due(now + timedelta(minutes=7))
        assert third.status == "delivered" and third.attempts == 3 and third.last_error is None
        assert liaison.webhooks.deliver_due(now + timedelta(hours=3)) == []  # sent once
    assert hook.attempts == 3 and _types(hook) == ["meeting.stored"]
    [logged], _ = liaison.webhooks.log(endpoint.id)
    assert (logged.status, logged.attempts, logged.last_status) == ("delivered", 3, 200)


def test_retries_end_after_the_last_attempt_and_a_person_can_retry(settings, scripted):
    from assistant.embed import HashingEmbedder
    from assistant.service import Liaison

    settings.webhook_max_attempts = 2
    liaison = Liaison(settings, embedder=HashingEmbedder(), extractor=scripted)
    with WebhookServer(status=503) as hook:
        liaison.webhooks.add_endpoint(hook.url, events=["meeting.stored"])
        liaison.ingest_path(FIRST)
        now = datetime.now(UTC)
        liaison.webhooks.deliver_due(now)
        [last] = liaison.webhooks.deliver_due(now + timedelta(minutes=2))
        assert last.status == "failed" and last.gave_up and last.next_attempt_at is None
        assert liaison.webhooks.deliver_due(now + timedelta(days=3)) == []
        hook.status = 200
        again = liaison.webhooks.retry(last.id)
        assert again.status == "delivered" and again.attempts == 3
    assert _types(hook) == ["meeting.stored"]


def test_changes_to_items_are_events_saying_who_changed_what(liaison, extractor, scripted):
    extractor.by_title["2026-10-13"] = []
    with WebhookServer() as hook:
        liaison.webhooks.add_endpoint(hook.url, events=["item.changed"])
        liaison.ingest_path(FIRST)
        item = next(i for i in liaison.items()[0] if i.kind.value == "action")
        liaison.update_item(
            item.id, {"owner": "Sam Ortiz", "due": date(2026, 10, 23)}, author="dana"
        )
        liaison.undo_item(item.id)
        liaison.webhooks.deliver_due()
    edit, undo = hook.received
    assert edit["type"] == "item.changed" and edit["data"]["by"] == "person"
    assert edit["data"]["author"] == "dana"
    assert {(c["field"], c["old"], c["new"]) for c in edit["data"]["changes"]} == {
        ("owner", "Priya Shah", "Sam Ortiz"),
        ("due", "2026-10-16", "2026-10-23"),
    }
    assert edit["data"]["item"]["owner"] == "Sam Ortiz"
    assert {(c["field"], c["old"], c["new"]) for c in undo["data"]["changes"]} == {
        ("owner", "Sam Ortiz", "Priya Shah"),
        ("due", "2026-10-23", "2026-10-16"),
    }


def test_a_later_meeting_that_changes_an_item_sends_item_changed_by_the_tracker(liaison, extractor):
    """Re-using the digest samples: their later meetings mark earlier actions done."""
    from tests import digest_samples

    with WebhookServer() as hook:
        liaison.webhooks.add_endpoint(hook.url, events=["item.changed"])
        digest_samples.build(liaison, extractor)
        liaison.webhooks.deliver_due()
    tracked = [b for b in hook.received if b["data"]["by"] == "tracker"]
    assert tracked, "the digest samples have later meetings that change earlier items"
    for body in tracked:
        assert body["data"]["meeting_id"] is not None
        assert body["data"]["item"]["meeting_id"] != body["data"]["meeting_id"]
        assert any(c["field"] == "status" or c["field"] == "due" for c in body["data"]["changes"])


def test_a_sent_digest_is_announced_once(liaison, extractor):
    from tests import digest_samples

    digest_samples.build(liaison, extractor)
    liaison.digests.add_recipient(
        RecipientIn(name="Board Pack", email="board@bl.example", role="cio", channel="folder")
    )
    with WebhookServer() as hook:
        liaison.webhooks.add_endpoint(hook.url, events=["digest.sent"])
        record = liaison.digests.send("2026-W44", "board@bl.example", now=datetime.now(UTC))
        assert record.status == "sent"
        liaison.webhooks.run_once()
        liaison.webhooks.run_once()  # found again in the ledger: not queued twice
    [body] = hook.received
    assert body["type"] == "digest.sent"
    assert body["data"]["week"] == "2026-W44" and body["data"]["recipient"] == "Board Pack"
    assert body["data"]["subject"] == record.subject and body["data"]["markdown"]


def test_slack_endpoints_get_block_kit_recaps_and_digests(liaison, extractor, scripted):
    with WebhookServer() as hook:
        liaison.webhooks.add_endpoint(hook.url, "slack", ["meeting.stored", "digest.sent"])
        outcome = liaison.ingest_path(FIRST)
        liaison.digests.add_recipient(
            RecipientIn(name="Board Pack", email="board@bl.example", role="cio", channel="folder")
        )
        liaison.digests.send("2026-W41", "board@bl.example", now=datetime.now(UTC))
        liaison.webhooks.run_once()
    recap, digest = hook.received
    assert recap["blocks"][0]["type"] == "header"
    assert recap["blocks"][0]["text"]["text"] == "Meeting recap: Weekly sync (2026-10-06)"
    sections = "\n".join(b["text"]["text"] for b in recap["blocks"][1:])
    assert "*Decisions*" in sections and "We go with mParticle" in sections
    link = f"<http://127.0.0.1:8000/app/meetings/{outcome.meeting.id}#t5|said here>"
    assert link in sections  # Slack's link syntax
    assert digest["text"].startswith("Liaison") or digest["blocks"][0]["type"] == "header"
    assert len(digest["blocks"]) > 1


def test_failures_never_break_the_ingest_or_the_edit(liaison, scripted):
    with WebhookServer() as hook:
        liaison.webhooks.add_endpoint(hook.url)
    # The receiver is gone: delivery fails later, the ingest and the edit do not.
    outcome = liaison.ingest_path(FIRST)
    assert outcome.ok and outcome.items == 2
    failed = liaison.webhooks.deliver_due()
    assert failed and all(d.status == "failed" for d in failed)
    assert all("ConnectError" in d.last_error for d in failed)
    # Even a broken outbox (queueing itself fails) leaves the change standing.
    conn = liaison.db.connect()
    conn.execute("ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_gone")
    try:
        second = liaison.ingest_path(SECOND)
        assert second.ok and second.meeting is not None
        item = liaison.items()[0][0]
        assert liaison.update_item(item.id, {"owner": "Marcus Lee"}).owner == "Marcus Lee"
    finally:
        conn.execute("ALTER TABLE webhook_deliveries_gone RENAME TO webhook_deliveries")


def test_the_api_manages_endpoints_for_admins_and_the_test_button_delivers(
    settings, liaison, scripted
):
    with WebhookServer() as hook, api_client(settings, liaison) as admin:
        made = admin.post("/webhooks", json={"url": hook.url, "events": ["item.created"]})
        assert made.status_code == 201, made.text
        endpoint_id, secret = made.json()["id"], made.json()["secret"]
        assert secret.startswith("whsec_") and made.json()["secret_hint"].endswith("…")
        listed = admin.get("/webhooks").json()
        assert listed["total"] == 1 and "secret" not in listed["endpoints"][0]
        hook.secret = secret
        tested = admin.post(f"/webhooks/{endpoint_id}/test")
        assert tested.status_code == 200 and tested.json()["status"] == "delivered"
        assert hook.received[0]["type"] == "webhook.test" and hook.verified == [True]
        log = admin.get(f"/webhooks/{endpoint_id}/deliveries").json()
        assert log["total"] == 1 and log["deliveries"][0]["event"] == "webhook.test"
        rotated = admin.post(f"/webhooks/{endpoint_id}/secret").json()["secret"]
        assert rotated != secret
        paused = admin.patch(f"/webhooks/{endpoint_id}", json={"active": False}).json()
        assert paused["active"] is False
        bad = admin.post("/webhooks", json={"url": "ftp://x", "events": []})
        assert bad.status_code == 422 and "http://" in bad.json()["detail"]
        assert (
            admin.post("/webhooks", json={"url": hook.url, "events": ["nope"]}).status_code == 422
        )
        assert admin.delete(f"/webhooks/{endpoint_id}").json() == {"deleted": endpoint_id}
        assert admin.get(f"/webhooks/{endpoint_id}").status_code == 404
        spec = admin.get("/openapi.json").json()
        assert set(spec["webhooks"]) == set(ev.EVENT_TYPES)
        body = spec["webhooks"]["item.changed"]["post"]["requestBody"]
        assert body["content"]["application/json"]["schema"]["$ref"].endswith("ItemChangedEvent")
    with api_client(settings, liaison, role="leader") as leader:
        assert leader.get("/webhooks").status_code == 403  # URLs and secrets: admins only


def test_the_settings_page_shows_each_endpoints_log_and_tests_it(settings, liaison, scripted):
    with WebhookServer(fail_first=1) as hook, api_client(settings, liaison) as admin:
        made = admin.post(
            "/app/settings/webhooks",
            data={"url": hook.url, "format": "liaison", "events": ["meeting.stored"]},
        )
        assert made.status_code == 200 and "new-secret" in made.text
        endpoint_id = liaison.webhooks.endpoints()[0].id
        failed = admin.post(f"/app/settings/webhooks/{endpoint_id}/test", follow_redirects=False)
        assert failed.status_code == 303 and "failed" in failed.headers["location"]
        page = admin.get("/app/settings/webhooks").text
        assert "HTTP 500 receiver is down" in page and "Retry" in page
        assert "new-secret" not in page  # the secret was shown once
        delivery_id = liaison.webhooks.log(endpoint_id)[0][0].id
        retried = admin.post(
            f"/app/settings/webhooks/deliveries/{delivery_id}/retry", follow_redirects=False
        )
        assert "delivered" in retried.headers["location"]
        page = admin.get("/app/settings/webhooks").text
        assert 'class="delivery-delivered"' in page
        assert "/app/settings/webhooks" in admin.get("/app/settings").text


def test_the_server_delivers_in_the_background(settings, liaison, scripted):
    with WebhookServer() as hook, api_client(settings, liaison, role="member") as client:
        liaison.webhooks.add_endpoint(hook.url, events=["meeting.stored"])
        assert liaison.webhooks.worker is not None and liaison.webhooks.worker.running
        with FIRST.open("rb") as handle:
            r = client.post("/meetings", files={"files": (FIRST.name, handle.read())})
        assert r.status_code in (201, 202), r.text
        deadline = time.monotonic() + 60  # a bounded wait for the worker, not a timing check
        while not hook.received and time.monotonic() < deadline:
            time.sleep(0.1)
    assert _types(hook) == ["meeting.stored"]
    assert liaison.webhooks.worker is None  # stopped with the server


def test_cli_adds_lists_tests_and_shows_the_log(settings, liaison, monkeypatch):
    from typer.testing import CliRunner

    from assistant.cli.common import app

    monkeypatch.setenv("LIAISON_HOME", str(settings.home))
    runner = CliRunner()
    with WebhookServer() as hook:
        added = runner.invoke(app, ["webhooks", "add", hook.url, "--event", "meeting.stored"])
        assert added.exit_code == 0, added.output
        assert "whsec_" in added.output
        listed = runner.invoke(app, ["webhooks", "list", "--json"])
        [endpoint] = json.loads(listed.output)
        assert endpoint["events"] == ["meeting.stored"]
        tested = runner.invoke(app, ["webhooks", "test", str(endpoint["id"])])
        assert tested.exit_code == 0 and "Delivered (HTTP 200)" in tested.output
        log = runner.invoke(app, ["webhooks", "log", str(endpoint["id"]), "--json"])
        assert json.loads(log.output)["total"] == 1
    unknown = runner.invoke(app, ["webhooks", "add", hook.url, "--event", "nope"])
    assert unknown.exit_code != 0


def test_the_readme_receiver_accepts_liaison_signatures_and_refuses_others(liaison):
    """The README's copy-paste receiver, run as written (its secret and port filled in)."""
    import re
    import socket
    import subprocess
    import sys

    from tests.browser import free_port
    from tests.conftest import REPO

    readme = (REPO / "README.md").read_text()
    code = re.search(r"checks it like this:\n\n```python\n(.*?)```", readme, re.S).group(1)
    endpoint = liaison.webhooks.add_endpoint("http://127.0.0.1:1/", label="readme")
    port = free_port()
    code = code.replace('b"whsec_…"', repr(endpoint.secret.encode()))
    code = code.replace('("0.0.0.0", 9000)', f'("127.0.0.1", {port})')
    server = subprocess.Popen([sys.executable, "-u", "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}/"
        liaison.webhooks.update_endpoint(endpoint.id, {"url": url})
        good = liaison.webhooks.send_test(endpoint.id)
        assert (good.status, good.last_status) == ("delivered", 204)
        other = liaison.webhooks.add_endpoint(url)  # another secret: refused by the receiver
        bad = liaison.webhooks.send_test(other.id)
        assert (bad.status, bad.last_status) == ("failed", 401)
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
    assert "webhook.test" in out


def test_a_paused_endpoint_keeps_its_events_until_it_is_resumed(liaison, scripted):
    with WebhookServer() as hook:
        endpoint = liaison.webhooks.add_endpoint(hook.url, events=["meeting.stored"])
        liaison.webhooks.update_endpoint(endpoint.id, {"active": False})
        liaison.ingest_path(FIRST)  # a paused endpoint is sent nothing new
        assert liaison.webhooks.log(endpoint.id)[1] == 0
        liaison.webhooks.update_endpoint(endpoint.id, {"active": True})
        liaison.ingest_path(SECOND)
        liaison.webhooks.update_endpoint(endpoint.id, {"active": False})
        assert liaison.webhooks.deliver_due() == []  # held while paused
        liaison.webhooks.update_endpoint(endpoint.id, {"active": True})
        [done] = liaison.webhooks.deliver_due()
        assert done.status == "delivered" and not done.gave_up
    assert _types(hook) == ["meeting.stored"]
