"""Delivering digests through real servers (aiosmtpd, a local HTTP receiver, a folder), and the
ledger that sends each digest once: retries with backoff, takeover after a crash, no doubles."""

from __future__ import annotations

import email
import email.policy
import threading
from datetime import UTC, datetime, timedelta

import pytest

from assistant.digest.deliver import FolderDeliverer, SMTPDeliverer
from assistant.digest.types import RecipientIn
from assistant.embed import HashingEmbedder
from assistant.errors import DeliveryError
from assistant.service import Liaison
from assistant.store import digests as ledger
from tests import digest_samples
from tests.smtp_server import SMTPServer, have_openssl
from tests.webhook_server import WebhookServer

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # Monday after week 44
DANA = RecipientIn(
    name="Dana Whitfield", email="dana@brightline.example", role="cio", timezone="Europe/Paris"
)


def plain_smtp(server: SMTPServer) -> SMTPDeliverer:
    return SMTPDeliverer(server.host, server.port, security="none", sender="liaison@bl.example")


def service_with(settings, extractor, deliverers) -> Liaison:
    """A Liaison as a new process would build it, on the same LIAISON_HOME."""
    return Liaison(settings, embedder=HashingEmbedder(), extractor=extractor, deliverers=deliverers)


@pytest.fixture
def sample(liaison, extractor):
    ids = digest_samples.build(liaison, extractor)
    liaison.digests.add_recipient(DANA)
    return liaison, ids


def body(msg, subtype: str) -> str:
    part = next(p for p in msg.walk() if p.get_content_type() == f"text/{subtype}")
    return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")


def test_cio_digest_arrives_by_smtp_as_text_and_html(sample, settings, extractor):
    with SMTPServer() as server:
        liaison = service_with(settings, extractor, {"email": plain_smtp(server)})
        record = liaison.digests.send("2026-W44", "cio", now=NOW)
        liaison.db.close()
    assert record.status == "sent" and record.attempts == 1 and record.sent_at == NOW
    assert len(server.messages) == 1
    msg = server.messages[0]
    assert msg["Subject"].startswith("Liaison weekly digest 2026-W44 (Mon 26 Oct – Sun 1 Nov")
    assert msg["To"] == "Dana Whitfield <dana@brightline.example>"
    assert server.envelopes[0] == ("liaison@bl.example", ["dana@brightline.example"])
    assert msg.get_content_type() == "multipart/alternative"
    text, html = body(msg, "plain"), body(msg, "html")
    for part in (text, html):
        assert "marketing engineer role is approved as a joint role" in part  # a decision
        assert "Send the revised CDP timeline to the steering committee" in part
        assert "overdue 3 d" in part  # an overdue action
        assert "27 days" in part  # a parking-lot age
    assert "WHAT MARKETING NEEDS FROM IT" in text and "<table" in html


@pytest.mark.skipif(not have_openssl(), reason="needs the openssl command for a test cert")
def test_smtp_starttls_with_login(sample, settings, extractor):
    with SMTPServer(user="liaison", password="s3cret", tls=True) as server:
        good = SMTPDeliverer(
            server.host,
            server.port,
            security="starttls",
            user="liaison",
            password="s3cret",
            ssl_context=server.client_context,
        )
        bad = SMTPDeliverer(
            server.host,
            server.port,
            security="starttls",
            user="liaison",
            password="wrong",
            ssl_context=server.client_context,
        )
        with pytest.raises(DeliveryError, match="login refused"):
            bad.send(DANA, "s", "t", "<p>h</p>", "m")
        good.send(DANA, "Digest", "text", "<p>html</p>", "md")
    assert server.authenticated == [True] and len(server.messages) == 1


def test_unreachable_smtp_server_is_a_one_line_delivery_error():
    from tests.smtp_server import free_port

    port = free_port()
    with pytest.raises(DeliveryError) as caught:
        SMTPDeliverer("127.0.0.1", port, security="none", timeout=5).send(DANA, "s", "t", "h", "m")
    assert str(caught.value).startswith(f"SMTP 127.0.0.1:{port}: ")
    assert "\n" not in str(caught.value)


def test_webhook_receives_slack_compatible_json(sample, settings, extractor):
    liaison, ids = sample
    with WebhookServer() as hook:
        marcus = liaison.digests.add_recipient(
            RecipientIn(
                name="Marcus Lee",
                email="marcus@bl.example",
                role="cmo",
                channel="webhook",
                webhook_url=hook.url,
            )
        )
        record = liaison.digests.send("2026-W44", marcus.id, now=NOW)
    assert record.status == "sent"
    assert len(hook.received) == 1
    payload = hook.received[0]
    assert payload["text"].startswith("Liaison weekly digest 2026-W44")
    assert payload["blocks"][0]["type"] == "header"
    sections = [b["text"]["text"] for b in payload["blocks"][1:]]
    assert all(len(s) <= 3000 for s in sections) and len(payload["blocks"]) <= 50
    joined = "\n".join(sections)
    assert "*Delivery status of the tech work campaigns depend on*" in joined
    assert f"<http://127.0.0.1:8000/app/meetings/{ids['Q4 QBR']}#t34|Q4 QBR, Tue 27 Oct>" in joined
    assert hook.headers[0]["Content-Type"] == "application/json"


def test_webhook_error_status_is_recorded_and_retried(sample):
    liaison, _ = sample
    liaison.digests.remove_recipient(liaison.digests.resolve("cio").id)  # only the webhook
    with WebhookServer(status=500) as hook:
        liaison.digests.add_recipient(
            RecipientIn(name="Ops", email="ops@bl.example", channel="webhook", webhook_url=hook.url)
        )
        failed = liaison.digests.send("2026-W44", "ops@bl.example", now=NOW)
        assert failed.status == "failed" and "HTTP 500" in failed.last_error
        assert failed.next_attempt_at == NOW + timedelta(minutes=1)
        hook.status = 200
        assert liaison.digests.send_due(NOW + timedelta(seconds=30)) == []  # backing off
        retried = liaison.digests.send_due(NOW + timedelta(minutes=1))
    assert [(r.status, r.attempts) for r in retried] == [("sent", 2)]
    assert len(hook.received) == 1


def test_folder_gets_markdown_html_and_eml(sample, tmp_path):
    liaison, _ = sample
    folder = tmp_path / "out"
    deliverer = FolderDeliverer(folder, sender="liaison@bl.example")
    digest = liaison.digests.compose("2026-W44", "cio")
    rendered = liaison.digests.render_all(digest)
    deliverer.send(
        DANA, rendered["subject"], rendered["text"], rendered["html"], rendered["markdown"]
    )
    md, html, eml = deliverer.paths("2026-W44-dana-whitfield")
    assert md.read_text() == rendered["markdown"] and html.read_text() == rendered["html"]
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == rendered["subject"] and msg.is_multipart()
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in (md, html, eml))


def test_default_folder_channel_writes_under_liaison_home(sample, settings):
    liaison, _ = sample
    liaison.digests.add_recipient(
        RecipientIn(name="Board Pack", email="board@bl.example", channel="folder")
    )
    record = liaison.digests.send("2026-W44", "board@bl.example", now=NOW)
    assert record.status == "sent"
    assert (settings.home / "digests" / "2026-W44-board-pack.eml").exists()


def test_smtp_down_then_back_sends_exactly_once(sample, settings, extractor):
    server = SMTPServer()  # not started: the port is closed
    liaison = service_with(settings, extractor, {"email": plain_smtp(server)})
    first = liaison.digests.send("2026-W44", "cio", now=NOW)
    assert first.status == "failed" and first.last_error.startswith("SMTP 127.0.0.1:")
    assert [h.status for h in liaison.digests.history()] == ["failed"]
    # A restart: a new process on the same home, the server is back.
    liaison.db.close()
    with server:
        again = service_with(settings, extractor, {"email": plain_smtp(server)})
        assert again.digests.send_due(NOW + timedelta(seconds=59)) == []
        done = again.digests.send_due(NOW + timedelta(minutes=1))
        assert [(r.status, r.attempts) for r in done] == [("sent", 2)]
        assert again.digests.send_due(NOW + timedelta(days=1)) == []
        assert again.digests.send("2026-W44", "cio", now=NOW + timedelta(days=1)).status == "sent"
        again.db.close()
    assert len(server.messages) == 1


def test_crash_after_claim_is_taken_over_after_the_lease(sample, settings, extractor):
    liaison, _ = sample
    dana = liaison.digests.resolve("cio")
    with liaison.db.transaction() as tx:  # a sender claims the row, then the process dies
        row = ledger.ensure_delivery(tx, "2026-W44", dana, NOW)
        assert ledger.claim(tx, row.id, NOW, timedelta(minutes=10))
    assert liaison.digests.history()[0].status == "sending"
    with SMTPServer() as server:
        restarted = service_with(settings, extractor, {"email": plain_smtp(server)})
        assert restarted.digests.send_due(NOW + timedelta(minutes=5)) == []
        assert server.messages == []  # still within the lease: the first sender may be alive
        records = restarted.digests.send_due(NOW + timedelta(minutes=11))
        assert [(r.week, r.status, r.attempts) for r in records] == [("2026-W44", "sent", 2)]
        restarted.digests.send_due(NOW + timedelta(minutes=30))
        restarted.db.close()
    assert len(server.messages) == 1


def test_two_processes_sending_at_once_send_once(sample, settings, extractor):
    class Slow:
        """A deliverer that takes its time, so both senders overlap."""

        def __init__(self):
            self.sent = []

        def send(self, recipient, subject, text, html, markdown):
            threading.Event().wait(0.3)
            self.sent.append(subject)

    slow = Slow()
    services = [service_with(settings, extractor, {"email": slow}) for _ in range(2)]
    results: list = []
    threads = [
        threading.Thread(
            target=lambda s=s: results.append(s.digests.send("2026-W44", "cio", now=NOW))
        )
        for s in services
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(slow.sent) == 1
    assert sorted(r.status for r in results) in (["sending", "sent"], ["sent", "sent"])
    assert services[0].digests.history()[0].status == "sent"
    for s in services:
        s.db.close()


def test_gives_up_after_max_attempts_visibly_and_a_person_can_resend(sample, settings, extractor):
    class Broken:
        def send(self, recipient, subject, text, html, markdown):
            raise DeliveryError("mail relay said no")

    few = settings.model_copy(update={"digest_max_attempts": 3})
    liaison = service_with(few, extractor, {"email": Broken()})
    liaison.digests.send("2026-W44", "cio", now=NOW)
    moment, waits = NOW, []
    for _ in range(5):
        row = liaison.digests.history()[0]
        if row.next_attempt_at is None:
            break
        waits.append(row.next_attempt_at - moment)
        moment = row.next_attempt_at
        liaison.digests.send_due(moment)
    final = liaison.digests.history()[0]
    assert waits == [timedelta(minutes=1), timedelta(minutes=5)]
    assert final.status == "failed" and final.gave_up and final.attempts == 3
    assert final.last_error == "mail relay said no"
    assert liaison.digests.send_due(NOW + timedelta(days=3)) == []  # not retried on its own
    with SMTPServer() as server:
        fixed = service_with(few, extractor, {"email": plain_smtp(server)})
        assert fixed.digests.send("2026-W44", "cio", now=NOW + timedelta(days=3)).status == "sent"
        fixed.db.close()
    assert len(server.messages) == 1
    liaison.db.close()


def test_api_preview_send_history_and_recipients(sample, settings, extractor):
    from tests.conftest import api_client

    with SMTPServer() as server:
        liaison = service_with(settings, extractor, {"email": plain_smtp(server)})
        client = api_client(settings, liaison)
        preview = client.get("/digests", params={"week": "2026-W44", "for": "cmo"})
        assert preview.status_code == 200
        assert preview.json()["markdown"].startswith("# Weekly digest 2026-W44 for the CMO")
        assert "<table" in preview.json()["html"]
        assert client.get("/digests", params={"week": "44"}).status_code == 422
        added = client.post(
            "/recipients",
            json={
                "name": "Marcus Lee",
                "email": "m@bl.example",
                "role": "cmo",
                "timezone": "America/New_York",
            },
        )
        assert added.status_code == 201
        assert (
            client.post("/recipients", json={"name": "X", "email": "m@bl.example"}).status_code
            == 409
        )
        assert (
            client.post(
                "/recipients",
                json={"name": "X", "email": "x@bl.example", "timezone": "Mars/Olympus"},
            ).status_code
            == 422
        )
        sent = client.post("/digests/send", json={"week": "2026-W44", "for": "all"})
        assert sent.status_code == 200 and [r["status"] for r in sent.json()] == ["sent", "sent"]
        again = client.post("/digests/send", json={"week": "2026-W44", "for": "all"})
        assert [r["status"] for r in again.json()] == ["sent", "sent"]
        history = client.get("/digests/history").json()
        assert history["total"] == 2 and {d["recipient_email"] for d in history["deliveries"]} == {
            "dana@brightline.example",
            "m@bl.example",
        }
        rid = added.json()["id"]
        assert client.delete(f"/recipients/{rid}").json() == {"deleted": rid}
        assert client.delete(f"/recipients/{rid}").status_code == 404
        assert client.get("/digests/history").json()["total"] == 2  # history kept
        liaison.db.close()
    assert len(server.messages) == 2


def test_cli_digest_and_recipients(sample, home, tmp_path):
    from typer.testing import CliRunner

    from assistant.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["digest", "--week", "2026-W44", "--for", "cmo"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("# Weekly digest 2026-W44 for the CMO")
    files = runner.invoke(
        app, ["digest", "--week", "2026-W44", "--for", "all", "--out", str(tmp_path / "d")]
    )
    assert files.exit_code == 0 and (tmp_path / "d" / "2026-W44-cio-dana.html").exists()
    yaml_file = tmp_path / "r.yaml"
    yaml_file.write_text(
        "recipients:\n  - {name: Board, email: board@bl.example, "
        "channel: folder, timezone: Europe/Paris}\n"
    )
    assert runner.invoke(app, ["recipients", "import", str(yaml_file)]).exit_code == 0
    sent = runner.invoke(
        app, ["digest", "--week", "2026-W44", "--for", "board@bl.example", "--send"]
    )
    assert sent.exit_code == 0 and "sent" in sent.output
    hist = runner.invoke(app, ["digest", "history", "--json"])
    assert '"status": "sent"' in hist.output
    listed = runner.invoke(app, ["recipients", "list", "--json"])
    assert "board@bl.example" in listed.output
