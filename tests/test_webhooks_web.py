"""In Chromium: an admin adds a webhook endpoint on the settings page (its secret shown once),
presses "Send test" while the receiver is down and sees the failure in the endpoint's delivery
log, then retries once it is up and sees it delivered, signed with that secret."""

from __future__ import annotations

import re

import pytest

from assistant.embed import HashingEmbedder
from tests.browser import DESKTOP, LiveServer, chromium, require_chromium, secured_app
from tests.conftest import ScriptedExtractor
from tests.webhook_server import WebhookServer

pytestmark = pytest.mark.browser


def test_admin_adds_an_endpoint_tests_it_and_reads_its_log(tmp_path):
    require_chromium()
    from assistant.config import Settings
    from assistant.service import Liaison

    settings = Settings(home=tmp_path / "home", embedder="hashing", admin_password="admin-pass")
    liaison = Liaison(settings, embedder=HashingEmbedder(), extractor=ScriptedExtractor())
    app, _ = secured_app(liaison)
    with (
        WebhookServer(fail_first=1) as hook,
        LiveServer(app) as server,
        chromium() as browser,
    ):
        page = browser.new_page(viewport=DESKTOP)
        page.goto(server.url + "/login")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", "admin-pass")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/app/"))
        page.goto(server.url + "/app/settings")
        page.click("nav.tabs >> text=Webhooks")
        page.wait_for_url(re.compile(r"/app/settings/webhooks"))
        page.fill("input[name=url]", hook.url)
        page.check("input[value='meeting.stored']")
        page.fill("input[name=label]", "ops receiver")
        page.click("button:has-text('Add endpoint')")
        secret = page.inner_text(".new-secret").strip()
        assert secret.startswith("whsec_")
        hook.secret = secret

        page.click("button:has-text('Send test')")
        page.wait_for_url(re.compile(r"error="))
        assert "failed" in page.inner_text(".flash.error")
        log = page.inner_text("table.delivery-log")
        assert "webhook.test" in log and "HTTP 500 receiver is down" in log
        assert page.locator(".new-secret").count() == 0  # the secret was shown once

        page.click("button:has-text('Retry')")
        page.wait_for_url(re.compile(r"ok="))
        assert page.locator("tr.delivery-delivered").count() == 1
    assert hook.verified == [True] and hook.received[0]["type"] == "webhook.test"
    liaison.db.close()
