"""The MCP server driven by the SDK's own client: over stdio (`liaison mcp` spawned as a
subprocess on a temporary LIAISON_HOME) and over streamable HTTP (`/mcp` on a real uvicorn
server), with the same personal tokens and roles as the API."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import anyio
import httpx
import pytest

from assistant.auth import Auth
from assistant.config import Settings
from assistant.embed import HashingEmbedder
from assistant.models import KPI, Goal, Team
from assistant.service import Liaison
from tests.browser import LiveServer, secured_app
from tests.conftest import ScriptedExtractor, draft

LIAISON = Path(sys.executable).with_name("liaison")
TRANSCRIPT = """Title: CDP weekly sync
Date: 2026-10-06

Dana Whitfield: Decision: we switch the CDP from Segment to mParticle.
Priya Shah: I'll have the consent banner live by October 20.
Raj Mehta: Let's park the budget split for the loyalty campaign for now.
Dana Whitfield: Fine. Our attribution model needs the consent data first.
"""
TOOLS = {
    "search_passages",
    "ask",
    "list_meetings",
    "get_meeting",
    "list_decisions",
    "list_actions",
    "list_parking_lot",
    "get_item",
    "list_goals",
    "glossary",
    "list_proposals",
    "propose_action_done",
    "propose_correction",
    "propose_park",
    "propose_resolve",
}


class Memory:
    """A data directory with one meeting (a decision, an action, a snag), a goal, and users of
    each role with a personal token."""

    def __init__(self, home: Path):
        self.home = home
        self.settings = Settings(
            home=home,
            embedder="hashing",
            admin_password="admin-password-for-tests",
            digest_scheduler=False,
        )
        drafts = [
            draft("decision", "Switch the CDP from Segment to mParticle", 0, "we switch the CDP"),
            draft(
                "action",
                "Priya Shah: consent banner live",
                1,
                "I'll have the consent banner live by October 20",
                owner="Priya Shah",
                team=Team.marketing,
                due=date(2026, 10, 20),
            ),
            draft("parking", "Budget split for the loyalty campaign", 2, "park the budget split"),
        ]
        self.liaison = Liaison(
            self.settings,
            embedder=HashingEmbedder(),
            extractor=ScriptedExtractor({"CDP weekly sync": drafts}),
        )
        outcome = self.liaison.ingest_bytes(TRANSCRIPT.encode(), "sync.txt")
        assert outcome.meeting and not outcome.error, outcome.error
        self.meeting_id = outcome.meeting.id
        items = {i.kind.value: i for i in self.liaison.items()[0]}
        self.decision, self.action, self.snag = items["decision"], items["action"], items["parking"]
        self.liaison.save_goal(
            Goal(
                id="cdp-live",
                title="CDP live for campaigns",
                kpis=[KPI(name="campaigns on the CDP", target=10, current=3)],
            )
        )
        self.auth = Auth(self.liaison.db, self.settings)
        self.tokens = {}
        for role in ("viewer", "member", "leader"):
            self.auth.add_user(f"{role}-user", role, None)
            self.tokens[role] = self.auth.create_token(f"{role}-user", label="mcp")[0]

    def env(self, token: str | None = None) -> dict[str, str]:
        env = {"LIAISON_HOME": str(self.home), "LIAISON_EMBEDDER": "hashing"}
        env["LIAISON_EXTRACTOR"] = "none"
        if token:
            env["LIAISON_TOKEN"] = token
        return env


@pytest.fixture
def memory(tmp_path) -> Memory:
    memory = Memory(tmp_path / "home")
    yield memory
    memory.liaison.db.close()


# ---------------------------------------------------------------------- clients


async def _session_calls(read, write, calls):
    from mcp import ClientSession

    async with ClientSession(read, write) as session:
        await session.initialize()
        return await calls(session)


def over_stdio(memory: Memory, token: str, calls):
    """Run `calls(session)` against `liaison mcp` spawned with `token` in LIAISON_TOKEN."""
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(
        command=str(LIAISON), args=["mcp"], env=memory.env(token), cwd=str(memory.home.parent)
    )

    async def main():
        with open(os.devnull, "w") as errlog:
            async with stdio_client(params, errlog=errlog) as (read, write):
                return await _session_calls(read, write, calls)

    return anyio.run(main)


def over_http(url: str, token: str, calls):
    """Run `calls(session)` against /mcp with `Authorization: Bearer token`."""
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    async def main():
        client = create_mcp_http_client(headers={"Authorization": f"Bearer {token}"})
        async with client, streamable_http_client(url + "/mcp", http_client=client) as streams:
            return await _session_calls(streams[0], streams[1], calls)

    return anyio.run(main)


def data(result) -> dict:
    assert not result.is_error, result.content[0].text
    return result.structured_content


def refusal(result) -> str:
    assert result.is_error
    return result.content[0].text


# ---------------------------------------------------------------------- stdio


def test_stdio_member_reads_everything_and_proposes(memory):
    m = memory

    async def calls(s):
        names = {t.name for t in (await s.list_tools()).tools}
        out = {"tools": names}
        out["search"] = data(await s.call_tool("search_passages", {"query": "consent banner"}))
        out["ask"] = data(
            await s.call_tool("ask", {"question": "what did we decide about the CDP?"})
        )
        out["meetings"] = data(await s.call_tool("list_meetings", {}))
        out["meeting"] = data(
            await s.call_tool(
                "get_meeting", {"meeting_id": m.meeting_id, "around_turn": 1, "window": 1}
            )
        )
        out["decisions"] = data(await s.call_tool("list_decisions", {}))
        out["actions"] = data(await s.call_tool("list_actions", {"owner": "Priya"}))
        out["no_actions"] = data(await s.call_tool("list_actions", {"team": "IT"}))
        out["parking"] = data(await s.call_tool("list_parking_lot", {"status": "parked"}))
        out["goals"] = data(await s.call_tool("list_goals", {}))
        out["glossary"] = data(await s.call_tool("glossary", {}))
        out["used"] = data(await s.call_tool("glossary", {"meeting_id": m.meeting_id}))
        out["done"] = data(
            await s.call_tool(
                "propose_action_done", {"item_id": m.action.id, "note": "shipped on Friday"}
            )
        )
        out["owner"] = data(
            await s.call_tool(
                "propose_correction",
                {"item_id": m.action.id, "owner": "Raj Mehta", "due": "2026-10-27"},
            )
        )
        out["resolve"] = data(await s.call_tool("propose_resolve", {"item_id": m.snag.id}))
        out["park"] = refusal(await s.call_tool("propose_park", {"item_id": m.snag.id}))
        out["wrong_kind"] = refusal(
            await s.call_tool("propose_action_done", {"item_id": m.snag.id})
        )
        out["again"] = refusal(await s.call_tool("propose_action_done", {"item_id": m.action.id}))
        out["bad_date"] = refusal(
            await s.call_tool("propose_correction", {"item_id": m.action.id, "due": "soon"})
        )
        out["missing"] = refusal(await s.call_tool("get_item", {"item_id": 999}))
        out["item"] = data(await s.call_tool("get_item", {"item_id": m.action.id}))
        out["proposals"] = data(await s.call_tool("list_proposals", {"status": "pending"}))
        return out

    out = over_stdio(m, m.tokens["member"], calls)
    assert out["tools"] == TOOLS
    assert out["search"]["hits"] and "consent banner" in out["search"]["hits"][0]["text"]
    answer = out["ask"]
    assert answer["found"] and "mParticle" in answer["answer"] and "[1]" in answer["answer"]
    assert answer["citations"][0]["meeting_id"] == m.meeting_id
    assert answer["citations"][0]["quote"] == "we switch the CDP"
    assert out["meetings"]["total"] == 1
    assert out["meetings"]["meetings"][0]["title"] == "CDP weekly sync"
    meeting = out["meeting"]
    assert meeting["meeting"]["id"] == m.meeting_id and len(meeting["items"]) == 3
    assert [t["index"] for t in meeting["turns"]] == [0, 1, 2]
    assert meeting["turns"][1]["speaker"] == "Priya Shah"
    assert [i["id"] for i in out["decisions"]["items"]] == [m.decision.id]
    assert out["actions"]["total"] == 1 and out["actions"]["items"][0]["owner"] == "Priya Shah"
    assert out["no_actions"]["total"] == 0
    assert [i["id"] for i in out["parking"]["items"]] == [m.snag.id]
    assert out["goals"]["goals"][0]["kpis"][0]["target"] == 10
    assert any(t["term"] == "CDP" for t in out["glossary"]["terms"])
    assert out["used"]["meeting_id"] == m.meeting_id and out["used"]["uses"]

    assert out["done"]["status"] == "pending" and out["done"]["proposed_by"] == "member-user"
    assert out["done"]["changes"] == {"status": "done"}
    assert out["done"]["before"] == {"status": "open"} and out["done"]["via"] == "mcp"
    assert out["owner"]["changes"] == {"owner": "Raj Mehta", "due": "2026-10-27"}
    assert out["resolve"]["changes"] == {"status": "resolved"}
    assert "already has that" in out["park"]  # the snag is parked already
    assert "only an action can be marked done" in out["wrong_kind"]
    assert "already proposes this change" in out["again"]
    assert "YYYY-MM-DD" in out["bad_date"]
    assert "item 999 not found" in out["missing"]
    assert out["proposals"]["total"] == 3
    assert {p["id"] for p in out["item"]["pending_proposals"]} == {
        out["done"]["id"],
        out["owner"]["id"],
    }
    # Proposing changed nothing: the item is as the meeting left it, its history says who
    # proposed what.
    action = m.liaison.item(m.action.id)
    assert (action.status, action.owner, action.due) == ("open", "Priya Shah", date(2026, 10, 20))
    proposed = [e for e in out["item"]["history"] if e["source"] == "proposal"]
    assert {(e["field"], e["new_value"], e["author"]) for e in proposed} == {
        ("status", "done", "member-user"),
        ("owner", "Raj Mehta", "member-user"),
        ("due", "2026-10-27", "member-user"),
    }


def test_stdio_viewer_reads_but_cannot_propose(memory):
    m = memory

    async def calls(s):
        return {
            "actions": data(await s.call_tool("list_actions", {})),
            "done": refusal(await s.call_tool("propose_action_done", {"item_id": m.action.id})),
            "fix": refusal(
                await s.call_tool("propose_correction", {"item_id": m.action.id, "owner": "X"})
            ),
            "resolve": refusal(await s.call_tool("propose_resolve", {"item_id": m.snag.id})),
        }

    out = over_stdio(m, m.tokens["viewer"], calls)
    assert out["actions"]["total"] == 1
    for key in ("done", "fix", "resolve"):
        assert "your role (viewer) may not do this; it needs member" in out[key]
    assert m.liaison.proposals.page()[1] == 0


def test_stdio_token_is_checked_at_start_and_on_every_call(memory):
    m = memory
    bad = subprocess.run(
        [str(LIAISON), "mcp"],
        env={**os.environ, **m.env("lia_not-a-real-token")},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert bad.returncode == 1 and "unknown API token" in bad.stderr
    missing = subprocess.run(
        [str(LIAISON), "mcp"],
        env={k: v for k, v in {**os.environ, **m.env()}.items() if k != "LIAISON_TOKEN"},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert missing.returncode == 1 and "LIAISON_TOKEN" in missing.stderr

    token_id = m.auth.tokens("member-user")[0].id

    async def calls(s):
        before = data(await s.call_tool("list_actions", {}))
        m.auth.revoke_token(token_id)  # revoked while the session is open
        after = refusal(await s.call_tool("list_actions", {}))
        return before, after

    before, after = over_stdio(m, m.tokens["member"], calls)
    assert before["total"] == 1 and "this API token was revoked" in after


# ---------------------------------------------------------------------- HTTP


@pytest.fixture
def server(memory):
    app, _ = secured_app(memory.liaison)
    with LiveServer(app) as live:
        yield live


def test_http_same_tools_roles_and_proposals_decided_by_members(memory, server):
    m = memory

    async def member_calls(s):
        names = {t.name for t in (await s.list_tools()).tools}
        actions = data(await s.call_tool("list_actions", {"overdue": False}))
        done = data(await s.call_tool("propose_action_done", {"item_id": m.action.id}))
        moved = data(
            await s.call_tool("propose_correction", {"item_id": m.action.id, "due": "2026-11-03"})
        )
        return names, actions, done, moved

    names, actions, done, moved = over_http(server.url, m.tokens["member"], member_calls)
    assert names == TOOLS and actions["total"] == 1

    async def viewer_calls(s):
        return (
            data(await s.call_tool("search_passages", {"query": "budget split"})),
            refusal(await s.call_tool("propose_resolve", {"item_id": m.snag.id})),
        )

    hits, refused = over_http(server.url, m.tokens["viewer"], viewer_calls)
    assert hits["hits"] and "your role (viewer) may not do this; it needs member" in refused

    # Without a token, or with a bad one, /mcp answers like the API.
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    r = httpx.post(server.url + "/mcp", json=ping)
    assert r.status_code == 401 and r.json()["error"] == "AuthError"
    r = httpx.post(server.url + "/mcp", json=ping, headers={"Authorization": "Bearer lia_x"})
    assert r.status_code == 401 and "unknown API token" in r.json()["detail"]

    # A viewer may not decide; a member approves one proposal and rejects the other.
    def api(role: str):
        return httpx.Client(
            base_url=server.url, headers={"Authorization": f"Bearer {m.tokens[role]}"}
        )

    with api("viewer") as viewer:
        assert viewer.post(f"/proposals/{done['id']}/approve").status_code == 403
        assert viewer.get("/proposals").json()["total"] == 2
    with api("member") as member:
        r = member.post(f"/proposals/{done['id']}/approve", json={"reason": "confirmed"})
        assert r.status_code == 200, r.text
        assert r.json()["item"]["status"] == "done"
        assert r.json()["proposal"]["decided_by"] == "member-user"
        r = member.post(f"/proposals/{moved['id']}/reject", json={"reason": "date stays"})
        assert r.status_code == 200 and r.json()["status"] == "rejected"
        assert member.post(f"/proposals/{moved['id']}/approve").status_code == 409
        pending = member.get("/proposals", params={"status": "pending"}).json()
        assert pending["total"] == 0
        history = member.get(f"/items/{m.action.id}/history").json()["events"]

    item = m.liaison.item(m.action.id)
    assert item.status == "done" and item.due == date(2026, 10, 20)  # the rejected date: kept
    by_proposal = {
        pid: [
            (e["source"], e["field"], e["new_value"], e["author"])
            for e in history
            if e["proposal_id"] == pid
        ]
        for pid in (done["id"], moved["id"])
    }
    assert by_proposal[done["id"]] == [
        ("proposal", "status", "done", "member-user"),
        ("person", "status", "done", "member-user"),  # the change itself: undoable
        ("review", "proposal", "approved", "member-user"),
    ]
    assert by_proposal[moved["id"]] == [
        ("proposal", "due", "2026-11-03", "member-user"),
        ("review", "proposal", "rejected", "member-user"),
    ]
    # An approved proposal is a correction like any other: undo reverts it.
    assert m.liaison.undo_item(m.action.id).status == "open"
