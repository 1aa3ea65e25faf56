"""The HTTP API through a real FastAPI app: status codes, schemas, per-file errors."""

from __future__ import annotations

import pytest

from tests.conftest import FIXTURES, SAMPLES, api_client

T = FIXTURES / "transcripts"


def upload(client, *names, **form):
    files = [("files", (n, (T / n).read_bytes())) for n in names]
    return client.post("/meetings", files=files, data=form)


def test_upload_many_with_per_file_errors(client):
    r = upload(client, "zoom.vtt", "empty.txt", "teams.vtt")
    assert r.status_code == 201
    body = r.json()
    assert len(body["meeting_ids"]) == 2
    errors = [f for f in body["files"] if f["error"]]
    assert [f["source"] for f in errors] == ["empty.txt"]
    listing = client.get("/meetings").json()
    assert listing["total"] == 2


def test_upload_result_names_error_types_and_warnings_per_file(client):
    r = upload(client, "teams_classic_bad_cue.vtt", "empty.txt")
    assert r.status_code == 201
    by_name = {f["source"]: f for f in r.json()["files"]}
    kept = by_name["teams_classic_bad_cue.vtt"]
    assert kept["meeting_id"] and kept["error"] is None
    assert any("skipped" in w for w in kept["warnings"])  # stored, and says what it skipped
    assert by_name["empty.txt"]["error_type"] == "EmptyTranscript"


def test_upload_metadata_and_duplicates(client):
    r = upload(client, "zoom.vtt", title="CDP sync", date="2026-10-06", kind="weekly_sync")
    mid = r.json()["meeting_ids"][0]
    m = client.get(f"/meetings/{mid}").json()
    assert m["meeting"]["title"] == "CDP sync" and m["meeting"]["date"] == "2026-10-06"
    assert m["turns"][0]["index"] == 0
    again = upload(client, "zoom.vtt").json()
    assert again["meeting_ids"] == [] and again["files"][0]["duplicate_of"] == mid


@pytest.mark.parametrize(
    "name, code", [("binary.bin", 415), ("unknown.csv", 415), ("broken_timestamp.vtt", 400)]
)
def test_single_bad_file_status(client, name, code):
    r = upload(client, name)
    assert r.status_code == code
    assert name in r.json()["detail"]
    assert client.get("/meetings").json()["total"] == 0


def test_upload_over_limit_is_413(settings, liaison):
    liaison.settings.max_upload_mb = 0.001
    with api_client(settings, liaison) as c:
        # One file over the limit, in a request within it (plus the form's framing): the
        # per-file error names the file.
        r = c.post("/meetings", files=[("files", ("big.vtt", b"WEBVTT\n\n" + b"x" * 5000))])
        assert r.status_code == 413 and r.json()["detail"].startswith("big.vtt: ")
        # Far over the limit, the whole request is refused before it is read.
        r = c.post("/meetings", files=[("files", ("huge.vtt", b"WEBVTT\n\n" + b"x" * 1_200_000))])
        assert r.status_code == 413 and r.json()["error"] == "UploadTooLarge"
        assert "LIAISON_MAX_UPLOAD_MB" in r.json()["detail"]


def test_not_found_and_validation_errors(client):
    assert client.get("/meetings/42").status_code == 404
    assert client.get("/meetings/42").json()["error"] == "MeetingNotFound"
    assert client.delete("/meetings/42").status_code == 404
    assert client.get("/search").status_code == 422
    assert client.get("/search", params={"q": "x", "k": 0}).status_code == 422
    assert client.get("/meetings", params={"since": "not-a-date"}).status_code == 422


def test_search_and_delete(client):
    mid = upload(client, "zoom.vtt").json()["meeting_ids"][0]
    detail = client.get(f"/meetings/{mid}").json()
    word = detail["turns"][0]["text"].split()[-1].strip(".,?!")
    hits = client.get("/search", params={"q": word, "meeting": mid}).json()["hits"]
    assert hits and hits[0]["meeting_id"] == mid
    assert client.delete(f"/meetings/{mid}").json() == {"deleted": mid}
    assert client.get("/search", params={"q": word}).json()["hits"] == []


def test_goals_and_items(client, liaison):
    liaison.import_goals((SAMPLES / "goals.yaml").read_text())
    goals = client.get("/goals").json()["goals"]
    assert goals
    gid = goals[0]["id"]
    r = client.patch(f"/goals/{gid}", json={"title": "Renamed"})
    assert r.status_code == 200 and r.json()["title"] == "Renamed"
    assert client.post("/goals", json=goals[0]).status_code == 409
    assert client.patch("/items/1", json={"status": "done"}).status_code == 404
    assert client.get("/items", params={"kind": "nonsense"}).status_code == 422
    assert client.get("/parking-lot").json()["items"] == []


def test_health_and_openapi(client):
    assert client.get("/health").json()["status"] == "ok"
    spec = client.get("/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ok = [c for c in op["responses"] if c.startswith("2")]
            assert ok, f"{method.upper()} {path} documents no success response"
            content = op["responses"][ok[0]].get("content", {})
            schema = content.get("application/json", {})
            if not schema and content:  # a download (.ics, .docx …): a file of a stated type
                schema = next(iter(content.values()))
                assert schema.get("schema", {}).get("format") == "binary", f"{method} {path}"
            assert schema.get("schema"), f"{method.upper()} {path} has no response model"


def test_item_patch_refuses_clearing_required_fields_and_clears_blank_owner(
    client, liaison, extractor
):
    from tests.conftest import draft

    extractor.by_title["2026-10-06"] = [
        draft("action", "Send the tool list.", 16, "Priya, could you make a list", owner="Priya")
    ]
    liaison.ingest_path(SAMPLES / "2026-10-06-weekly-sync.vtt")
    [item] = client.get("/items").json()["items"]
    for body in ({}, {"text": None}, {"team": None}, {"status": None}, {"text": "  "}):
        r = client.patch(f"/items/{item['id']}", json=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["error"] == "InvalidInput"
    r = client.patch(f"/items/{item['id']}", json={"owner": "  ", "status": "bogus"})
    assert r.status_code == 422 and "an action" in r.json()["detail"]
    r = client.patch(f"/items/{item['id']}", json={"owner": "  "})
    assert r.status_code == 200 and r.json()["owner"] is None
    assert client.get(f"/items/{item['id']}").json()["text"] == "Send the tool list."
