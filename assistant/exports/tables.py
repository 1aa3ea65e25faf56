"""Items as tables, every field: CSV (UTF-8 with BOM, so Excel reads accents) and XLSX.

Columns: the item's fields as `liaison items --json` gives them, its meeting's title and date,
the first quote, and links back into the web app. Text a spreadsheet would run as a formula
(starting with =, +, -, @) is written as text: in XLSX as a text cell, in CSV behind a
leading apostrophe (the usual guard against formula injection).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from assistant.exports.links import Links
from assistant.models import Item, Meeting

COLUMNS = (
    "id",
    "kind",
    "text",
    "owner",
    "team",
    "due",
    "due_phrase",
    "status",
    "goal_id",
    "confidence",
    "meeting_id",
    "meeting_title",
    "meeting_date",
    "quote",
    "speaker",
    "evidence",
    "status_evidence",
    "related_item_id",
    "edited_fields",
    "extractor",
    "created_at",
    "updated_at",
    "said_at",
    "link",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows(items: Iterable[Item], meetings: dict[int, Meeting], links: Links) -> list[dict]:
    """One dict per item with the COLUMNS as keys (values: str, int, float, date or None)."""
    out = []
    for item in items:
        meeting = meetings.get(item.meeting_id)
        first = item.evidence[0] if item.evidence else None
        out.append(
            {
                "id": item.id,
                "kind": item.kind.value,
                "text": item.text,
                "owner": item.owner,
                "team": item.team.value,
                "due": item.due,
                "due_phrase": item.due_phrase,
                "status": item.status,
                "goal_id": item.goal_id,
                "confidence": item.confidence,
                "meeting_id": item.meeting_id,
                "meeting_title": meeting.title if meeting else None,
                "meeting_date": meeting.date if meeting else None,
                "quote": first.quote if first else None,
                "speaker": first.speaker if first else None,
                "evidence": json.dumps([e.model_dump(mode="json") for e in item.evidence]),
                "status_evidence": json.dumps(
                    [e.model_dump(mode="json") for e in item.status_evidence]
                ),
                "related_item_id": item.related_item_id,
                "edited_fields": ", ".join(item.edited_fields),
                "extractor": item.extractor,
                "created_at": _to_utc(item.created_at),
                "updated_at": _to_utc(item.updated_at),
                "said_at": links.said(item),
                "link": links.item(item),
            }
        )
    return out


def _to_utc(moment: datetime | None) -> datetime | None:
    """Spreadsheets have no time zones: times are UTC (said in the column header)."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None)


def _safe_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(records: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_headers())
    for record in records:
        cells = []
        for column in COLUMNS:
            value = record[column]
            if value is None:
                cells.append("")
            elif isinstance(value, datetime):
                cells.append(value.isoformat(timespec="seconds"))
            elif isinstance(value, date):
                cells.append(value.isoformat())
            elif isinstance(value, str):
                cells.append(_safe_text(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(records: list[dict], title: str = "Items") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(_headers())
    for record in records:
        sheet.append([_cell(record[c]) for c in COLUMNS])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text, never a formula
            elif isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, column in enumerate(COLUMNS, start=1):
        wide = {"text": 60, "quote": 60, "evidence": 40, "status_evidence": 30}.get(column, 14)
        sheet.column_dimensions[get_column_letter(index)].width = wide
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value):
    """XLSX cannot hold control characters (a pasted vertical tab): they are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _headers() -> list[str]:
    return [f"{c} (UTC)" if c in ("created_at", "updated_at") else c for c in COLUMNS]
