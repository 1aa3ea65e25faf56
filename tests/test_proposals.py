"""Proposals: a change to an item waits for a member, who approves (applied as their own
undoable correction) or rejects it; the item's history keeps the proposal and the decision.
Through the core, the API, and the Proposals page in a real Chromium."""

from __future__ import annotations

import re
from datetime import date

import pytest

from assistant.errors import Conflict, InvalidInput, NotFound
from assistant.models import Team
from tests.browser import LiveServer, chromium, secured_app
from tests.conftest import api_client, draft

TEXT = """Title: Launch sync
Date: 2026-10-06

Priya Shah: I'll have the consent banner live by October 20.
Raj Mehta: Decision: we launch the loyalty campaign in November.
Dana Whitfield: Let's park the budget split for now.
"""


@pytest.fixture
def items(liaison, extractor):
    extractor.by_title["Launch sync"] = [
        draft("action", "Priya Shah: consent banner live", 0, "consent banner live",
              owner="Priya Shah", team=Team.marketing, due=date(2026, 10, 20)),
        draft("decision", "Launch the loyalty campaign in November", 1, "we launch the loyalty"),
        draft("parking", "Budget split", 2, "park the budget split"),
    ]  # fmt: skip
    outcome = liaison.ingest_bytes(TEXT.encode(), "launch.txt")
    by_kind = {i.kind.value: i for i in liaison.items()[0]}
    return outcome.meeting, by_kind["action"], by_kind["decision"], by_kind["parking"]


def test_approval_applies_an_undoable_correction_and_history_tells_it(liaison, items):
    _, action, _, _ = items
    proposals = liaison.proposals
    p = proposals.propose(
        action.id, {"owner": "Raj Mehta", "due": "2026-10-27"}, author="bot", note="moved"
    )
    assert (
        p.status == "pending"
        and p.summary == "owner: Priya Shah → Raj Mehta; due: 2026-10-20 → 2026-10-27"
    )
    assert liaison.item(action.id).owner == "Priya Shah"  # nothing changes before approval

    approved, item = proposals.approve(p.id, by="mia", reason="agreed on Monday")
    assert (item.owner, item.due) == ("Raj Mehta", date(2026, 10, 27))
    assert (approved.status, approved.decided_by, approved.reason) == (
        "approved",
        "mia",
        "agreed on Monday",
    )
    assert set(item.edited_fields) == {"owner", "due"}  # kept when the meeting is re-extracted
    events = [
        (e.source, e.field, e.new_value, e.author, e.proposal_id)
        for e in liaison.item_history(action.id)
    ]
    assert events == [
        ("proposal", "owner", "Raj Mehta", "bot", p.id),
        ("proposal", "due", "2026-10-27", "bot", p.id),
        ("person", "owner", "Raj Mehta", "mia", p.id),
        ("person", "due", "2026-10-27", "mia", p.id),
        ("review", "proposal", "approved", "mia", p.id),
    ]
    with pytest.raises(Conflict, match="already approved by mia"):
        proposals.reject(p.id, by="someone")
    undone = liaison.undo_item(action.id)  # the approved change is a correction like any other
    assert (undone.owner, undone.due) == ("Priya Shah", date(2026, 10, 20))


def test_rejection_changes_nothing(liaison, items):
    _, action, _, snag = items
    p = liaison.proposals.propose(snag.id, {"status": "resolved"}, author="bot")
    rejected = liaison.proposals.reject(p.id, by="mia", reason="still open")
    assert (rejected.status, rejected.reason) == ("rejected", "still open")
    assert liaison.item(snag.id).status == "parked" and not liaison.item(snag.id).edited_fields
    assert [(e.source, e.new_value) for e in liaison.item_history(snag.id)] == [
        ("proposal", "resolved"),
        ("review", "rejected"),
    ]
    with pytest.raises(InvalidInput, match="no correction to undo"):
        liaison.undo_item(snag.id)
    with pytest.raises(Conflict):
        liaison.proposals.approve(p.id, by="mia")


def test_a_proposal_overtaken_by_a_change_is_not_applied(liaison, items):
    _, action, _, _ = items
    p = liaison.proposals.propose(action.id, {"owner": "Raj Mehta"}, author="bot")
    liaison.update_item(action.id, {"owner": "Sam Ortiz"}, author="mia")
    with pytest.raises(Conflict, match=r"changed since proposal \d+ \(owner is now Sam Ortiz\)"):
        liaison.proposals.approve(p.id, by="mia")
    assert liaison.item(action.id).owner == "Sam Ortiz"  # the later correction stands
    assert liaison.proposals.get(p.id).status == "pending"  # still there to be rejected
    assert liaison.proposals.reject(p.id, by="mia").status == "rejected"


def test_bad_proposals_are_refused_in_words(liaison, items):
    _, action, decision, snag = items
    propose = liaison.proposals.propose
    with pytest.raises(InvalidInput, match="its status can be standing, superseded"):
        propose(decision.id, {"status": "done"}, author="bot")
    with pytest.raises(InvalidInput, match="cannot propose a change of text"):
        propose(action.id, {"text": "something else"}, author="bot")
    with pytest.raises(InvalidInput, match="nothing proposed"):
        propose(action.id, {}, author="bot")
    with pytest.raises(InvalidInput, match="already has that"):
        propose(snag.id, {"status": "parked"}, author="bot")
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        propose(action.id, {"due": "next week"}, author="bot")
    with pytest.raises(NotFound, match="item 999 not found"):
        propose(999, {"status": "done"}, author="bot")
    propose(action.id, {"status": "done"}, author="bot")
    with pytest.raises(Conflict, match="already proposes this change"):
        propose(action.id, {"status": "done"}, author="other-bot")
    # Clearing the owner is a change too.
    cleared = propose(action.id, {"owner": ""}, author="bot")
    assert cleared.changes == {"owner": None}


def test_proposals_go_with_their_meeting(liaison, items):
    meeting, action, _, _ = items
    liaison.proposals.propose(action.id, {"status": "done"}, author="bot")
    liaison.delete_meeting(meeting.id)
    assert liaison.proposals.page() == ([], 0)


def test_api_members_decide_viewers_read(settings, liaison, items):
    _, action, _, snag = items
    with api_client(settings, liaison, role="member") as member:
        r = member.post(
            "/proposals", json={"item_id": action.id, "changes": {"status": "done"}, "note": "hi"}
        )
        assert r.status_code == 201 and r.json()["via"] == "api", r.text
        pid = r.json()["id"]
        assert (
            member.post("/proposals", json={"item_id": action.id, "changes": {}}).status_code == 422
        )
        r = member.post("/proposals", json={"item_id": snag.id, "changes": {"colour": "red"}})
        assert r.status_code == 422 and "colour" in r.text
        assert member.get("/proposals/999").status_code == 404
        assert member.post("/proposals/999/approve").status_code == 404
    with api_client(settings, liaison, role="viewer") as viewer:
        assert viewer.get(f"/proposals/{pid}").json()["proposed_by"] == "test-member"
        assert viewer.get("/proposals", params={"item": action.id}).json()["total"] == 1
        assert viewer.get("/proposals", params={"status": "maybe"}).status_code == 422
        for path in ("/proposals", f"/proposals/{pid}/approve", f"/proposals/{pid}/reject"):
            assert viewer.post(path, json={}).status_code == 403, path
    assert liaison.item(action.id).status == "open"


def test_the_proposals_page_in_a_browser(liaison, items):
    _, action, _, snag = items
    app, auth = secured_app(liaison)
    auth.add_user("mia", "member", "member-password")
    auth.add_user("vic", "viewer", "viewer-password")
    done = liaison.proposals.propose(action.id, {"status": "done"}, author="bot", note="shipped")
    resolve = liaison.proposals.propose(snag.id, {"status": "resolved"}, author="bot")

    def sign_in(browser, server, name, password):
        page = browser.new_page()
        page.goto(server.url + "/app/proposals")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/app/proposals"))
        return page

    with LiveServer(app) as server, chromium() as browser:
        page = sign_in(browser, server, "vic", "viewer-password")
        assert page.locator("nav a", has_text="Proposals").count() == 1
        assert "status: open → done" in page.inner_text(f"#proposal-{done.id}")
        assert page.locator("button", has_text="Approve").count() == 0  # read-only
        assert "waiting for a member" in page.inner_text("main")
        page.close()

        page = sign_in(browser, server, "mia", "member-password")
        row = page.locator(f"#proposal-{done.id}")
        assert "shipped" in row.inner_text() and "bot via mcp" in row.inner_text()
        row.locator("button", has_text="Approve").click()
        page.wait_for_url(re.compile(r"ok="))
        assert f"Proposal {done.id} approved: status: open → done" in page.inner_text(".flash")
        row = page.locator(f"#proposal-{resolve.id}")
        row.locator("input[name=reason]").fill("not settled yet")
        row.locator("button", has_text="Reject").click()
        page.wait_for_url(re.compile(r"ok="))
        assert "No pending proposals" in page.inner_text("main")
        page.goto(server.url + "/app/proposals?status=rejected")
        assert "not settled yet" in page.inner_text(f"#proposal-{resolve.id}")
        assert "by mia" in page.inner_text(f"#proposal-{resolve.id}")
        page.close()

    assert liaison.item(action.id).status == "done"
    assert liaison.item(snag.id).status == "parked"
    history = liaison.item_history(action.id)
    assert [(e.source, e.author) for e in history] == [
        ("proposal", "bot"),
        ("person", "mia"),
        ("review", "mia"),
    ]
