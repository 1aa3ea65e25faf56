"""Exports read back by the real readers: CSV by the csv module, XLSX by openpyxl, DOCX minutes
by python-docx; over the API (downloads, roles, strict parameters) and the CLI."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from assistant.exports.tables import COLUMNS
from assistant.models import ItemKind
from assistant.store.items import ItemFilters
from tests.conftest import SAMPLES, api_client, draft

FIRST = "2026-10-06"


@pytest.fixture
def stored(liaison, extractor):
    """The sample meetings; the first has a decision, an action with a due date and a snag,
    one of them written the way a spreadsheet would run as a formula."""
    extractor.by_title[FIRST] = [
        draft(
            "action",
            "Priya Shah: consent audit of the CDP",
            5,
            "I also want two minutes",
            owner="Priya Shah",
            due=date(2026, 10, 16),
            due_phrase="by the 16th",
        ),
        draft("decision", "We go with mParticle for the CDP", 3, "Sounds good"),
        draft("parking", "=HYPERLINK(attribution model)", 4, "I also want two minutes on"),
    ]
    for path in sorted(SAMPLES.glob("2026-*")):
        assert liaison.ingest_path(path).ok
    return liaison


def _by_kind(liaison, kind):
    return next(i for i in liaison.items()[0] if i.kind.value == kind)


def test_csv_has_every_field_of_every_item_and_guards_formulas(stored):
    export = stored.exports.items_table(fmt="csv")
    assert export.media_type.startswith("text/csv") and export.filename.endswith(".csv")
    text = export.content.decode("utf-8-sig")  # BOM first, so Excel reads UTF-8
    rows = list(csv.DictReader(io.StringIO(text)))
    items = stored.items()[0]
    assert len(rows) == len(items) == 3
    header = list(rows[0])
    assert header[: len(COLUMNS) - 4] == list(COLUMNS[: len(COLUMNS) - 4])
    action = _by_kind(stored, "action")
    row = next(r for r in rows if r["id"] == str(action.id))
    assert row["owner"] == "Priya Shah" and row["due"] == "2026-10-16"
    assert row["due_phrase"] == "by the 16th" and row["status"] == "open"
    assert row["meeting_title"] == "Weekly sync" and row["meeting_date"] == FIRST
    assert row["quote"] == "I also want two minutes"
    assert json.loads(row["evidence"])[0]["turn_index"] == 5
    assert row["said_at"] == f"http://127.0.0.1:8000/app/meetings/{action.meeting_id}#t5"
    assert row["link"].endswith(f"#item-{action.id}")
    parked = next(r for r in rows if r["kind"] == "parking")
    assert parked["text"] == "'=HYPERLINK(attribution model)"  # not run by a spreadsheet


def test_xlsx_opens_in_openpyxl_with_dates_as_dates_and_text_never_a_formula(stored):
    export = stored.exports.items_table(fmt="xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "text" in header and "due" in header and "link" in header and len(body) == 3
    col = {name: header.index(name) for name in header}
    action = next(r for r in body if r[col["kind"]] == "action")
    assert action[col["due"]].date() == date(2026, 10, 16)  # a real date cell
    assert action[col["owner"]] == "Priya Shah"
    parked = [c for c in sheet.iter_rows(min_row=2) if c[col["kind"]].value == "parking"][0]
    assert parked[col["text"]].value == "=HYPERLINK(attribution model)"
    assert parked[col["text"]].data_type == "s"  # stored as text


def test_filters_narrow_the_table(stored):
    export = stored.exports.items_table(ItemFilters(kind=ItemKind.decision), fmt="json")
    assert [i["kind"] for i in json.loads(export.content)] == ["decision"]


def test_markdown_minutes_list_every_section_with_links_back(stored):
    meeting_id = _by_kind(stored, "action").meeting_id
    text = stored.exports.minutes(meeting_id, "md").content.decode()
    assert text.startswith(f"# Weekly sync — {FIRST}")
    for heading in ("## Attendees", "## Decisions", "## Action items", "## Parking lot"):
        assert heading in text
    assert "- Priya Shah\n" in text and "- Dana Whitfield\n" in text
    assert "We go with mParticle for the CDP" in text
    assert "Priya Shah (unknown) · due 2026-10-16 · open" in text
    assert f"(http://127.0.0.1:8000/app/meetings/{meeting_id}#t5)" in text


def test_docx_minutes_open_in_python_docx_with_headings_items_and_hyperlinks(stored):
    meeting_id = _by_kind(stored, "action").meeting_id
    export = stored.exports.minutes(meeting_id, "docx")
    assert export.filename == f"{FIRST}-weekly-sync-minutes.docx"
    doc = Document(io.BytesIO(export.content))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Attendees", "Decisions", "Action items", "Parking lot"]
    assert doc.core_properties.title == f"Weekly sync — {FIRST}"
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "We go with mParticle for the CDP" in body and "Marcus Lee" in body
    links = {r.target_ref for r in doc.part.rels.values() if "hyperlink" in r.reltype}
    assert f"http://127.0.0.1:8000/app/meetings/{meeting_id}#t5" in links
    assert f"http://127.0.0.1:8000/app/meetings/{meeting_id}" in links


def test_api_downloads_for_any_signed_in_role_and_strict_parameters(settings, stored):
    with api_client(settings, stored, role="viewer") as client:
        r = client.get("/exports/items", params={"format": "xlsx", "kind": "action"})
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert r.headers["content-disposition"] == 'attachment; filename="liaison-items.xlsx"'
        assert load_workbook(io.BytesIO(r.content)).active.max_row == 2  # header + 1 action
        meeting_id = _by_kind(stored, "action").meeting_id
        r = client.get(f"/exports/meetings/{meeting_id}/minutes", params={"format": "docx"})
        assert r.status_code == 200 and Document(io.BytesIO(r.content)).paragraphs
        assert client.get("/exports/meetings/999/minutes").status_code == 404
        bad = client.get("/exports/items", params={"fmt": "csv"})
        assert bad.status_code == 422 and "accepted: format" in bad.json()["detail"]
        assert client.get("/exports/items", params={"format": "pdf"}).status_code == 422
    anonymous = api_client(settings, stored)
    anonymous.headers.pop("Authorization")
    assert anonymous.get("/exports/items").status_code == 401


def test_pages_link_to_the_downloads(settings, stored):
    meeting_id = _by_kind(stored, "action").meeting_id
    with api_client(settings, stored, role="viewer") as client:
        page = client.get(f"/app/meetings/{meeting_id}").text
        assert f"/exports/meetings/{meeting_id}/minutes?format=docx" in page
        items = client.get("/app/items", params={"kind": "action", "owner": "Priya"}).text
        assert "/exports/items?format=csv&amp;kind=action&amp;owner=Priya" in items
        assert "/exports/calendar?owner=Priya" in items
        # The links the pages print work with the same sign-in.
        assert client.get("/exports/items?format=csv&kind=action&owner=Priya").status_code == 200


def test_cli_writes_the_exports_to_files(home, tmp_path):
    env = {
        **os.environ,
        "LIAISON_HOME": str(home),
        "LIAISON_EMBEDDER": "hashing",
        "LIAISON_EXTRACTOR": "none",
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, "-c", "from assistant.cli import main; main()", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            cwd=tmp_path,
        )

    assert run("ingest", str(SAMPLES / "2026-10-06-weekly-sync.vtt")).returncode == 0
    r = run("export", "items", "--format", "xlsx", "-o", str(tmp_path / "items.xlsx"))
    assert r.returncode == 0, r.stderr
    assert load_workbook(tmp_path / "items.xlsx").active.cell(1, 1).value == "id"
    r = run("export", "minutes", "1", "--format", "docx")
    assert r.returncode == 0, r.stderr
    assert Document(str(tmp_path / f"{FIRST}-weekly-sync-minutes.docx")).paragraphs
    r = run("export", "minutes", "1", "-o", "-")
    assert r.stdout.startswith(f"# Weekly sync — {FIRST}")
    r = run("export", "items", "--format", "pdf")
    assert r.returncode == 1 and "use csv, xlsx or json" in r.stderr


def test_control_characters_pasted_into_an_item_do_not_break_xlsx_or_docx(stored):
    item = _by_kind(stored, "decision")
    stored.update_item(item.id, {"text": "Budget\x0b review\x01 agreed"})
    sheet = load_workbook(io.BytesIO(stored.exports.items_table(fmt="xlsx").content)).active
    assert "Budget review agreed" in [c.value for c in sheet["C"]]
    doc = Document(io.BytesIO(stored.exports.minutes(item.meeting_id, "docx").content))
    assert any(p.text.startswith("Budget review agreed") for p in doc.paragraphs)
