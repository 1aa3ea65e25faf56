"""The web upload of a recording, in a real Chromium against a real server: the file gets its
own progress bar while its job runs (transcription included), then a link to the stored
meeting, whose transcript is searchable and says that it has no speaker names."""

from __future__ import annotations

import re

import pytest

from assistant.auth import Role
from assistant.embed import HashingEmbedder
from tests.browser import LiveServer, chromium, require_chromium, screenshot, secured_app
from tests.speech import have_espeak, script_wav

pytestmark = pytest.mark.browser


def test_a_recording_uploaded_in_the_web_app_becomes_a_meeting_with_a_progress_bar(settings):
    require_chromium()
    if not have_espeak():
        pytest.skip("espeak-ng is not installed (make system-deps installs it)")
    from assistant.service import Liaison

    wav, _ = script_wav()
    liaison = Liaison(settings, embedder=HashingEmbedder())
    app, auth = secured_app(liaison)
    auth.add_user("mia", Role.member, "member-password")
    with LiveServer(app) as server, chromium() as browser:
        page = browser.new_page()
        page.goto(server.url + "/login")
        page.fill("input[name=username]", "mia")
        page.fill("input[name=password]", "member-password")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/app"))
        page.goto(server.url + "/app/meetings")
        page.set_input_files(
            "#files", [{"name": "budget-review.wav", "mimeType": "audio/wav", "buffer": wav}]
        )
        page.locator("#upload-results li.job progress").wait_for(timeout=30_000)
        assert "budget-review.wav" in page.locator("#upload-results li.job").inner_text()
        screenshot(page, "upload-recording-progress")
        done = page.locator("#upload-results li.ok")
        done.wait_for(timeout=120_000)
        assert "stored with" in done.inner_text() and "no speaker names" in done.inner_text()
        assert "Done: 1 stored" in page.locator("#upload-status").inner_text()
        done.locator("a").click()
        page.wait_for_url(re.compile(r"/app/meetings/\d+$"))
        assert "vendor contract" in page.content().lower()
    assert liaison.search("vendor contract legal")
    liaison.jobs.stop()
    liaison.db.close()
