"""The web app end to end in a real headless Chromium against a real uvicorn server.

Sign in, upload a sample transcript through the drop zone, see its items, correct one (and
undo), ask a question and follow a citation to the transcript moment, preview a digest, and be
refused as a viewer. Screenshots of the main pages at desktop and phone widths are saved in
test-output/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re

import pytest

from assistant.auth import Role
from assistant.embed import HashingEmbedder
from assistant.models import DraftItem, Evidence, ExtractionResult, ItemKind, Team
from tests.browser import (
    DESKTOP,
    PHONE,
    LiveServer,
    chromium,
    require_chromium,
    screenshot,
    secured_app,
)
from tests.conftest import SAMPLES

pytestmark = pytest.mark.browser

SAMPLE = SAMPLES / "2026-10-06-weekly-sync.vtt"
PASSWORD = "leader-password"
TEAMS = {"Dana Whitfield": Team.it, "Sam Ortiz": Team.it, "Marcus Lee": Team.marketing}


class CueExtractor:
    """A real, model-free extractor for this test: a turn that says "I'll …" is an action of
    its speaker, "park"/"parking lot" a parked snag, "decided"/"we'll go with" a decision."""

    name = "cues:test"

    def extract(self, meeting, turns, goals) -> ExtractionResult:
        items = []
        for turn in turns:
            text = turn.text
            if re.search(r"\bI'll\b", text):
                kind = ItemKind.action
            elif re.search(r"\bpark(ing lot)?\b|\bparked\b", text, re.I):
                kind = ItemKind.parking
            elif re.search(r"\bdecided\b|\bwe'll go with\b|\blet's go with\b", text, re.I):
                kind = ItemKind.decision
            else:
                continue
            evidence = Evidence(
                turn_index=turn.index,
                speaker=turn.speaker,
                start_s=turn.start_s,
                end_s=turn.end_s,
                quote=text,
            )
            items.append(
                DraftItem(
                    kind=kind,
                    text=text,
                    owner=turn.speaker if kind == ItemKind.action else None,
                    team=TEAMS.get(turn.speaker or "", Team.unknown),
                    evidence=[evidence],
                )
            )
        return ExtractionResult(items=items, extractor=self.name)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_chromium()
    from assistant.config import Settings
    from assistant.service import Liaison

    home = tmp_path_factory.mktemp("e2e")
    settings = Settings(home=home, embedder="hashing", admin_password="admin-password")
    liaison = Liaison(settings, embedder=HashingEmbedder(), extractor=CueExtractor())
    liaison.import_goals((SAMPLES / "goals.yaml").read_text())
    app, auth = secured_app(liaison)
    auth.add_user("dana", Role.leader, PASSWORD)
    auth.add_user("victor", Role.viewer, "viewer-password")
    with LiveServer(app) as server, chromium() as browser:
        yield server, browser, liaison
    liaison.db.close()


def sign_in(browser, server, name: str, password: str, viewport=DESKTOP):
    page = browser.new_page(viewport=viewport)
    page.goto(server.url + "/app/items")
    assert "/login" in page.url  # not signed in: sent to the sign-in form
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/app/items"))  # and back where we wanted to go
    return page


def test_leader_journey(site):
    server, browser, liaison = site
    page = sign_in(browser, server, "dana", PASSWORD)

    # Upload a transcript through the drop zone's file input; per-file results appear.
    page.goto(server.url + "/app/meetings")
    page.set_input_files("#files", str(SAMPLE))
    result = page.locator("#upload-results li.ok")
    result.wait_for(timeout=60_000)
    assert "stored with" in result.inner_text()
    assert page.locator("#upload-progress").get_attribute("value") == "100"
    screenshot(page, "meetings-desktop")

    # A bad file next to it gets its own clear error, the good one is reported as a duplicate.
    bad = {"name": "notes.csv", "mimeType": "text/csv", "buffer": b"a,b\n1,2\n"}
    again = {"name": SAMPLE.name, "mimeType": "text/vtt", "buffer": SAMPLE.read_bytes()}
    page.set_input_files("#files", [again, bad])
    page.locator("#upload-results li.bad").wait_for(timeout=60_000)
    assert "notes.csv" in page.locator("#upload-results li.bad").inner_text()
    assert "already uploaded" in page.locator("#upload-results li.dup").inner_text()

    # The meeting page: the transcript with its items marked in place, linked both ways.
    page.locator("#upload-results li.ok a").first.click()
    page.wait_for_url(re.compile(r"/app/meetings/\d+$"))
    meeting_id = int(page.url.rsplit("/", 1)[1])
    action = page.locator(".items-panel li.action").filter(has_text="data-retention policy")
    evidence_link = action.locator("a.evlink").first
    turn_anchor = evidence_link.get_attribute("href")
    evidence_link.click()
    assert page.url.endswith(turn_anchor)
    turn = page.locator(turn_anchor)
    assert "data-retention policy" in turn.inner_text()
    assert turn.locator("a.mark.action").count() == 1  # marked in place, linking back
    screenshot(page, "meeting-desktop")

    # Items: correct the owner and due date of an action inline, then undo.
    page.goto(server.url + f"/app/items?kind=action&meeting={meeting_id}")
    item = liaison.items()[0]
    target = next(i for i in liaison.items()[0] if "data-retention" in i.text)
    row = page.locator(f"#item-{target.id}")
    row.locator("input[name=owner]").fill("Priya Shah")
    row.locator("input[name=due]").fill("2026-10-14")
    row.locator("button", has_text="Save").click()
    page.wait_for_selector(".flash.ok")
    assert f"Item {target.id} saved" in page.locator(".flash.ok").inner_text()
    saved = liaison.item(target.id)
    assert saved.owner == "Priya Shah" and str(saved.due) == "2026-10-14"
    assert set(saved.edited_fields) == {"owner", "due"}
    screenshot(page, "items-desktop")
    page.locator(f"#item-{target.id} button", has_text="Undo").click()
    page.wait_for_selector(".flash.ok")
    assert liaison.item(target.id).due is None  # the last correction (due) is undone
    assert item is not None

    # Home: goals with KPI bars, who owes whom, parking lot with ages.
    page.goto(server.url + "/app/")
    assert page.locator(".goal").count() == len(liaison.goals())
    assert page.locator(".bar span").count() > 0
    assert "IT owes marketing" in page.inner_text("main")
    assert (
        page.locator("text=The warehouse migration").count() + page.locator(".item.parking").count()
        > 0
    )
    screenshot(page, "home-desktop")

    # Ask: the answer cites transcripts; a citation opens the exact moment.
    page.goto(server.url + "/app/ask")
    page.fill("input[name=q]", "What did Dana say about the data-retention policy?")
    page.click("form.ask button[type=submit]")
    page.wait_for_url(re.compile(r"/app/ask\?q="))
    links = page.locator(".citations a, ol.hits a")
    assert links.count() > 0
    href = links.first.get_attribute("href")
    assert re.fullmatch(r"/app/meetings/\d+#t\d+", href)
    screenshot(page, "ask-desktop")
    links.first.click()
    page.wait_for_url(re.compile(r"#t\d+$"))
    assert page.locator(href[href.index("#") :]).is_visible()

    # Digest preview for the CIO, as it will be sent.
    page.goto(server.url + "/app/digests?reader=cio&week=2026-W41")
    if page.locator("iframe.digest").count():
        frame = page.frame_locator("iframe.digest")
        assert frame.locator("body").inner_text(timeout=10_000).strip()
    else:
        assert "not available yet" in page.inner_text("main")
    screenshot(page, "digests-desktop")

    page.goto(server.url + "/app/settings")
    screenshot(page, "settings-desktop")
    page.close()


def test_viewer_is_refused_changes(site):
    server, browser, liaison = site
    page = sign_in(browser, server, "victor", "viewer-password")
    assert page.locator("button", has_text="Save").count() == 0  # read-only tables
    assert page.locator("a", has_text="Settings").count() == 0
    response = page.goto(server.url + "/app/settings")
    assert response.status == 403 and "needs leader" in page.inner_text("main")
    # Even a hand-made request from the signed-in page (with the CSRF token) is refused.
    status = page.evaluate(
        """async () => {
            const csrf = document.querySelector('main').dataset.csrf;
            const r = await fetch('/items/1', {method: 'PATCH', headers: {
                'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
                body: JSON.stringify({status: 'done'})});
            return r.status;
        }"""
    )
    assert status == 403
    page.goto(server.url + "/app/meetings")
    assert page.locator("#upload").count() == 0  # no upload zone for viewers
    page.close()


def test_pages_fit_a_phone(site):
    server, browser, liaison = site
    page = sign_in(browser, server, "dana", PASSWORD, viewport=PHONE)
    for name, path in [
        ("home", "/app/"),
        ("items", "/app/items"),
        ("meetings", "/app/meetings"),
        ("ask", "/app/ask?q=parking+lot"),
        ("digests", "/app/digests"),
    ]:
        page.goto(server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, f"{path} scrolls sideways on a phone ({width}px)"
        screenshot(page, f"{name}-phone")
    meeting_id = liaison.meetings()[0][0].id
    page.goto(server.url + f"/app/meetings/{meeting_id}")
    screenshot(page, "meeting-phone")
    page.close()
