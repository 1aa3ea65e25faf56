"""In Chromium: a member downloads the items page as Excel and a meeting's minutes as Word,
makes a calendar feed URL on the account page (shown once), reads it as a calendar app would
(no sign-in), and revokes it."""

from __future__ import annotations

import io
import re
from datetime import date

import httpx
import pytest
from docx import Document
from icalendar import Calendar
from openpyxl import load_workbook

from assistant.auth import Role
from assistant.embed import HashingEmbedder
from tests.browser import DESKTOP, LiveServer, chromium, require_chromium, secured_app
from tests.conftest import SAMPLES, ScriptedExtractor, draft

pytestmark = pytest.mark.browser
PASSWORD = "member-password"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_chromium()
    from assistant.config import Settings
    from assistant.service import Liaison

    home = tmp_path_factory.mktemp("calendar-web")
    settings = Settings(home=home, embedder="hashing", admin_password="admin-password")
    extractor = ScriptedExtractor(
        {
            "2026-10-06": [
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
        }
    )
    liaison = Liaison(settings, embedder=HashingEmbedder(), extractor=extractor)
    meeting = liaison.ingest_path(SAMPLES / "2026-10-06-weekly-sync.vtt").meeting
    app, auth = secured_app(liaison)
    auth.add_user("priya", Role.member, PASSWORD)
    with LiveServer(app) as server, chromium() as browser:
        page = browser.new_page(viewport=DESKTOP, accept_downloads=True)
        page.goto(server.url + "/login")
        page.fill("input[name=username]", "priya")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/app/"))
        yield server, page, liaison, meeting
    liaison.db.close()


def test_downloads_from_the_items_and_meeting_pages(site):
    server, page, liaison, meeting = site
    page.goto(server.url + "/app/items?kind=action")
    with page.expect_download() as caught:
        page.click("text=Excel (XLSX)")
    sheet = load_workbook(io.BytesIO(caught.value.path().read_bytes())).active
    assert sheet.cell(1, 1).value == "id" and sheet.max_row == 2
    page.goto(server.url + f"/app/meetings/{meeting.id}")
    with page.expect_download() as caught:
        page.click("text=Word (DOCX)")
    assert caught.value.suggested_filename.endswith("-minutes.docx")
    doc = Document(caught.value.path())
    assert "We go with mParticle" in "\n".join(p.text for p in doc.paragraphs)


def test_a_feed_url_is_shown_once_read_without_sign_in_and_revoked(site):
    server, page, liaison, _ = site
    page.goto(server.url + "/app/account")
    page.click("text=calendar feed URLs")
    page.wait_for_url(re.compile(r"/app/account/calendar"))
    page.fill("input[name=value]", "Priya Shah")
    page.fill("input[name=label]", "Outlook")
    page.click("text=Make a feed URL")
    url = page.inner_text("#new-feed-url").strip()
    assert url.startswith("http://127.0.0.1:8000/calendar/cal_")
    path = url.removeprefix("http://127.0.0.1:8000")
    answer = httpx.get(server.url + path)  # a calendar app: no cookie, no token
    assert answer.status_code == 200
    [event] = Calendar.from_ical(answer.content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Priya Shah: consent audit"
    page.goto(server.url + "/app/account/calendar")
    assert page.locator("#new-feed-url").count() == 0  # shown once
    assert "actions of Priya Shah" in page.inner_text("table")
    page.click("button:has-text('Revoke')")
    page.wait_for_url(re.compile(r"ok=Feed"))
    assert httpx.get(server.url + path).status_code == 404
