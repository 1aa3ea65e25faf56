"""The meeting page in real Chromium: the file's warnings, a prompt to name unnamed speakers,
renaming one (and undoing it), naming turns that had no speaker; a viewer cannot rename."""

from __future__ import annotations

import json
import re

import pytest

from assistant.auth import Role
from assistant.embed import HashingEmbedder
from tests.browser import DESKTOP, LiveServer, chromium, require_chromium, screenshot, secured_app
from tests.conftest import ScriptedExtractor, draft
from tests.test_speakers import SYNC_A

pytestmark = pytest.mark.browser

MEMO = json.dumps(
    {
        "segments": [
            {"start": 1, "end": 3, "text": "Hello there."},
            {"start": 40, "end": 46, "text": "We should ship it."},
            {"start": 80, "end": 90, "text": "Agreed."},
        ]
    }  # fmt: skip
).encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_chromium()
    from assistant.config import Settings
    from assistant.service import Liaison

    extractor = ScriptedExtractor(
        {
            "Sync A": [
                draft(
                    "action",
                    "Speaker 2: SSO integration live",
                    1,
                    "SSO integration live",
                    owner="Speaker 2",
                )
            ]
        }  # fmt: skip
    )
    home = tmp_path_factory.mktemp("web-speakers")
    settings = Settings(home=home, embedder="hashing", admin_password="admin-password",
                        digest_scheduler=False)  # fmt: skip
    liaison = Liaison(settings, embedder=HashingEmbedder(), extractor=extractor)
    a = liaison.ingest_bytes(SYNC_A, "sync-a.txt").meeting
    memo = liaison.ingest_bytes(MEMO, "2026-10-08-memo.json").meeting
    assert a and memo
    app, auth = secured_app(liaison)
    auth.add_user("mia", Role.member, "member-password")
    auth.add_user("victor", Role.viewer, "viewer-password")
    with LiveServer(app) as server, chromium() as browser:
        yield server, browser, liaison, a.id, memo.id
    liaison.db.close()


def _sign_in(browser, server, name, password):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(server.url + "/app/meetings")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/app/meetings"))
    return page


def test_member_sees_warnings_and_renames_speakers(site):
    server, browser, liaison, a, memo = site
    page = _sign_in(browser, server, "mia", "member-password")

    # The list says which meetings were read with warnings.
    row = page.locator("tr", has=page.locator(f"a[href='/app/meetings/{memo}']"))
    assert "no speaker names in this file" in row.inner_text()
    sync = page.locator("tr", has=page.locator(f"a[href='/app/meetings/{a}']"))
    assert "Speakers not named: name them" in sync.inner_text()  # "Speaker 2"
    screenshot(page, "meetings-warnings")

    page.goto(f"{server.url}/app/meetings/{a}")
    assert "Speakers are not named (Speaker 2)" in page.locator("#rename-prompt").inner_text()
    form = page.locator("form.rename", has=page.locator("input[name=speaker][value='Speaker 2']"))
    form.locator("input[name=name]").fill("Raj Mehta")
    form.locator("button").click()
    page.wait_for_selector(".flash.ok")
    assert "Speaker 2 → Raj Mehta: 2 turn(s), 1 item(s) changed" in page.inner_text(".flash.ok")
    assert page.locator("#rename-prompt").count() == 0
    assert page.locator(".transcript .who strong", has_text="Raj Mehta").count() == 2
    assert "Raj Mehta: SSO integration live" in page.inner_text(".items-panel")
    screenshot(page, "meeting-speakers-renamed")

    page.click("#undo-rename")
    page.wait_for_selector(".flash.ok")
    assert "Raj Mehta is Speaker 2 again" in page.inner_text(".flash.ok")
    assert page.locator(".transcript .who strong", has_text="Speaker 2").count() == 2
    assert liaison.meeting(a).turns[1].speaker == "Speaker 2"

    # A real name: kept as an alias for later transcripts unless the box is unticked.
    form = page.locator("form.rename", has=page.locator("input[name=speaker][value='DANA COLE']"))
    form.locator("input[name=name]").fill("Dana Cole")
    form.locator("input[name=alias]").uncheck()
    form.locator("button").click()
    page.wait_for_selector(".flash.ok")
    assert "DANA COLE → Dana Cole: 2 turn(s)" in page.inner_text(".flash.ok")
    assert liaison.meeting(a).meeting.attendees[0] == "Dana Cole"
    assert liaison.speaker_aliases()[1] == 0

    # A recording-like file with no names: the warning, and naming two of its turns.
    page.goto(f"{server.url}/app/meetings/{memo}")
    assert "no speaker names in this file" in page.inner_text("#warnings")
    assert "Some turns have no speaker name" in page.inner_text("#rename-prompt")
    form = page.locator("form.rename").first
    form.locator("input[name=name]").fill("Priya Shah")
    form.locator("input[name=turns]").fill("0-1")
    form.locator("button").click()
    page.wait_for_selector(".flash.ok")
    assert [t.speaker for t in liaison.meeting(memo).turns] == ["Priya Shah", "Priya Shah", None]
    bad = page.locator("form.rename", has=page.locator("input[name=speaker][value='']"))
    bad.locator("input[name=name]").fill("Sam: Ortiz")
    bad.locator("button").click()
    page.wait_for_selector(".flash.error")
    assert "cannot hold a colon" in page.inner_text(".flash.error")
    screenshot(page, "meeting-speakers-unnamed")
    page.close()


def test_viewer_sees_no_rename_form_and_is_refused(site):
    server, browser, liaison, a, _memo = site
    page = _sign_in(browser, server, "victor", "viewer-password")
    page.goto(f"{server.url}/app/meetings/{a}")
    assert page.locator("#speakers").count() == 1
    assert page.locator("form.rename").count() == 0
    assert "Name the speakers" not in page.inner_text("main")
    csrf = page.get_attribute("main", "data-csrf")  # a valid token: refused for the role
    response = page.request.post(
        f"{server.url}/app/meetings/{a}/speakers",
        form={"speaker": "Speaker 2", "name": "Raj Mehta", "csrf_token": csrf or ""},
    )
    assert response.status == 403 and "needs member" in response.text()
    assert liaison.meeting(a).turns[1].speaker == "Speaker 2"
    page.close()
