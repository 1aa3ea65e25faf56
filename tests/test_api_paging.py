"""Every listing of the API is paged the same way (`limit`, `offset`; `total`, `limit`, `offset`
beside the list) and sorted stably, so that walking it page by page sees each row once, in the
order of the whole listing; and the OpenAPI document says so for every listing."""

from __future__ import annotations

import pytest

from assistant.digest.types import RecipientIn
from assistant.models import Goal, Person, Team
from tests.conftest import api_client, draft

TEXT = (
    "Title: {title}\nDate: 2026-10-06\n\n"
    + "\n".join(
        f"Speaker {n}: In {{title}} we talk about point {n} of the CDP rollout." for n in range(6)
    )
    + "\nSpeaker 6: My team started using Hotjar, Airtable and Notion for it last week.\n"
)
# Route → the list field of its answer (routes that need a path parameter are filled below).
LISTINGS = {
    "/meetings": "meetings",
    "/items": "items",
    "/parking-lot": "items",
    "/goals": "goals",
    "/people": "people",
    "/recipients": "recipients",
    "/glossary": "terms",
    "/tools/approved": "approved",
    "/tools/flags": "flags",
    "/proposals": "proposals",
    "/digests/history": "deliveries",
    "/items/{id}/history": "events",
}


@pytest.fixture
def paged(settings, liaison, extractor):
    """Two meetings on the same day (ties on date) with three snags each (ties on age), goals,
    people, recipients, approved tools, proposals, and an item with several history events."""
    for title in ("Sync A", "Sync B"):
        extractor.by_title[title] = [
            draft("parking", f"{title} snag {n}", n, f"point {n}") for n in range(3)
        ] + [draft("action", f"{title} action", 4, "point 4", owner="Priya Shah")]
        outcome = liaison.ingest_bytes(TEXT.format(title=title).encode(), f"{title}.txt")
        assert outcome.meeting and not outcome.error
    for n in range(4):
        liaison.save_goal(Goal(id=f"goal-{n}", title=f"Goal {n}"))
        liaison.save_person(Person(name=f"Person {n}", team=Team.it))
        liaison.digests.add_recipient(RecipientIn(name=f"R {n}", email=f"r{n}@example.com"))
        liaison.tools.approve(f"Tool{n}")
    action = next(i for i in liaison.items()[0] if i.kind.value == "action")
    for owner in ("Raj Mehta", "Dana Whitfield", "Sam Ortiz"):
        liaison.update_item(action.id, {"owner": owner}, author="admin")
    snags = [i for i in liaison.items()[0] if i.kind.value == "parking"]
    for snag in snags[:3]:
        liaison.proposals.propose(snag.id, {"status": "resolved"}, author="admin")
    with api_client(settings, liaison) as client:
        yield client, action.id


def walk(client, path: str, field: str, size: int) -> tuple[list, int]:
    """Every row of a listing, `size` at a time; and the total the pages gave."""
    rows, offset, totals = [], 0, set()
    while True:
        r = client.get(path, params={"limit": size, "offset": offset})
        assert r.status_code == 200, (path, r.text)
        body = r.json()
        assert (body["limit"], body["offset"]) == (size, offset), path
        totals.add(body["total"])
        rows += body[field]
        if not body[field]:
            break
        assert len(body[field]) <= size
        offset += size
    assert len(totals) == 1, (path, totals)
    return rows, totals.pop()


def test_every_listing_pages_the_same_way(paged):
    client, action_id = paged
    for path, field in LISTINGS.items():
        path = path.replace("{id}", str(action_id))
        whole = client.get(path, params={"limit": 1000}).json()
        assert whole["total"] == len(whole[field]), path
        for size in (1, 2):
            rows, total = walk(client, path, field, size)
            assert total == whole["total"] and rows == whole[field], (path, size)
        beyond = client.get(path, params={"offset": whole["total"] + 5}).json()
        assert beyond[field] == [] and beyond["total"] == whole["total"], path
        assert client.get(path, params={"limit": 0}).status_code == 422, path
        assert client.get(path, params={"limit": 1001}).status_code == 422, path
        assert client.get(path, params={"offset": -1}).status_code == 422, path
    # Every listing above has rows (a walk over nothing proves nothing) except the digest
    # deliveries, which need a sent digest.
    counts = {p: client.get(p.replace("{id}", str(action_id))).json()["total"] for p in LISTINGS}
    assert all(counts[p] >= 2 for p in LISTINGS if p != "/digests/history"), str(counts)


def test_ties_are_broken_by_id(paged):
    client, _ = paged
    meetings = client.get("/meetings").json()["meetings"]
    assert meetings[0]["date"] == meetings[1]["date"]
    assert [m["id"] for m in meetings] == sorted((m["id"] for m in meetings), reverse=True)
    parked = client.get("/parking-lot").json()["items"]
    assert len({p["age_days"] for p in parked}) == 1  # all the same age: ordered by id
    assert [p["id"] for p in parked] == sorted(p["id"] for p in parked)
    proposals = client.get("/proposals").json()["proposals"]
    assert [p["id"] for p in proposals] == sorted((p["id"] for p in proposals), reverse=True)


def test_the_document_pages_every_listing(client):
    """No GET answers a bare JSON array; a collection (a GET without path parameters whose answer
    holds a list) takes limit and offset and answers total, limit and offset beside the list."""
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    not_listings = {"/search", "/digests", "/ask"}  # k best hits; one digest; one answer

    def resolve(schema: dict) -> dict:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    paged = set()
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        content = get and get["responses"]["200"].get("content", {}).get("application/json")
        if not content:
            continue
        if path.startswith("/exports/"):
            continue  # a download: the whole file in its format (JSON among them), not a page
        schema = resolve(content["schema"])
        assert schema.get("type") != "array", f"GET {path} answers a bare list"
        props = schema.get("properties", {})
        has_list = any(resolve(v).get("type") == "array" for v in props.values())
        if ("{" in path and "total" not in props) or not has_list or path in not_listings:
            continue
        params = {p["name"] for p in get.get("parameters", [])}
        assert {"limit", "offset"} <= params, f"GET {path} takes no limit and offset"
        assert {"total", "limit", "offset"} <= set(props), f"GET {path} answers no total"
        paged.add(path)
    assert {p.replace("{id}", "{item_id}") for p in LISTINGS} <= paged
