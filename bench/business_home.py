"""A business series loaded into a fresh Liaison home, with the system's items or the gold ones.

`load_home(series, embedder)` does what a user would (people, goals, then every meeting in date
order through `Liaison.ingest_bytes`, as bench/extract_business.py does per meeting) and yields
the `Liaison`. With `gold=True` the offline extractor is replaced by `GoldExtractor`, which
returns the gold items of series.yaml (quotes mapped to their turns), and once every meeting is
in, `apply_gold_updates` sets each item's status, status words, link and moved due date to what
the gold says: the store then holds what a perfect extractor and tracker would have left.
Used by bench/ask_eval.py and bench/digest_eval.py.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import yaml

from assistant.config import Settings
from assistant.extract.factory import make_extractor
from assistant.models import (
    DEFAULT_STATUS,
    DraftItem,
    Evidence,
    ExtractionResult,
    Goal,
    Meeting,
    Team,
    Turn,
)
from assistant.service import Liaison
from assistant.store import items as item_store
from bench.business import GoldMeeting, Series, locate, norm


def _turn(meeting_turns: list[Turn], quote: str, after: int = 0) -> Turn | None:
    at = locate(quote, [norm(t.text) for t in meeting_turns], after)
    return None if at is None else meeting_turns[at]


def _evidence(turn: Turn, quote: str) -> Evidence:
    said = quote if norm(quote) in norm(turn.text) else turn.text
    return Evidence(
        turn_index=turn.index,
        speaker=turn.speaker,
        start_s=turn.start_s,
        end_s=turn.end_s,
        quote=said,
    )


class GoldExtractor:
    """A real extractor whose items are the gold items of the meeting being ingested."""

    name = "gold:v1"

    def __init__(self, series: Series):
        self.by_day = {(m.day, m.title): m for m in series.meetings}

    def extract(self, meeting: Meeting, turns: list[Turn], goals: list[Goal]) -> ExtractionResult:
        gold: GoldMeeting | None = self.by_day.get((meeting.date, meeting.title))
        drafts = []
        for item in gold.items if gold else []:
            evidence, after = [], 0
            for quote in item.quotes:
                turn = _turn(turns, quote, after)
                if turn is not None and turn.index not in {e.turn_index for e in evidence}:
                    evidence.append(_evidence(turn, quote))
                    after = turns.index(turn)
            if not evidence:
                continue
            team = Team(item.team) if item.team in {t.value for t in Team} else Team.unknown
            drafts.append(
                DraftItem(
                    kind=item.kind,
                    text=item.text,
                    owner=item.owner,
                    team=team,
                    due=item.due,
                    confidence=1.0,
                    evidence=evidence[:5],
                )
            )
        return ExtractionResult(items=drafts, extractor=self.name)


def apply_gold_updates(app: Liaison, series: Series) -> None:
    """Statuses, status words, links and moved dates as series.yaml's updates give them."""
    spec = yaml.safe_load((series.folder / "series.yaml").read_text())
    rows = {str(r["file"]): r for r in spec["meetings"]}
    stored = {m.source_name: m for m in app.meetings(limit=1000)[0]}
    items = app.items(limit=100_000)[0]
    id_of: dict[str, int] = {}
    for meeting in series.meetings:
        m = stored.get(meeting.file)
        if m is None:
            continue
        mine = sorted((i for i in items if i.meeting_id == m.id), key=lambda i: i.id)
        texts = {i.text: i.id for i in mine}
        for gold in meeting.items:
            if gold.text in texts:
                id_of[gold.id] = texts[gold.text]
    with app.db.transaction() as tx:
        for item in items:  # whatever the tracker did to gold items is replaced by the gold
            tx.execute(
                "UPDATE items SET status = ?, related_item_id = NULL, status_evidence = '[]'"
                " WHERE id = ?",
                (DEFAULT_STATUS[item.kind], item.id),
            )
        for meeting in series.meetings:
            m = stored.get(meeting.file)
            if m is None:
                continue
            turns = app.meeting(m.id).turns
            for update in rows[meeting.file].get("updates") or []:
                target = id_of.get(str(update["id"]))
                turn = _turn(turns, str(update.get("quote", "")))
                if target is None or turn is None:
                    continue
                ev = _evidence(turn, str(update.get("quote", ""))).model_copy(
                    update={"meeting_id": m.id}
                )
                status = str(update["status"])
                if status in ("open", "rescheduled"):
                    due = update.get("due")
                    if due:
                        item_store.set_fields(
                            tx,
                            target,
                            {"due": date.fromisoformat(str(due))},
                            author=None,
                            source="tracker",
                            meeting_id=m.id,
                            evidence=[ev],
                        )
                    continue
                related = id_of.get(str(update.get("by", "")))
                item_store.link(tx, target, status=status, related_item_id=related, evidence=[ev])


@contextmanager
def load_home(series: Series, embedder, *, gold: bool = False) -> Iterator[Liaison]:
    """A fresh Liaison with the series ingested; removed on exit."""
    with tempfile.TemporaryDirectory(prefix="liaison-bench-") as home:
        settings = Settings(home=Path(home), extractor="offline")
        extractor = GoldExtractor(series) if gold else make_extractor(settings, embedder)
        app = Liaison(settings, embedder=embedder, extractor=extractor)
        for name, load in (("people.yaml", app.import_people), ("goals.yaml", app.import_goals)):
            if (series.folder / name).exists():
                load((series.folder / name).read_text())
        for meeting in series.meetings:
            outcome = app.ingest_bytes(
                (series.folder / meeting.file).read_bytes(),
                meeting.file,
                title=meeting.title,
                day=meeting.day,
                kind=meeting.kind,
            )
            if not outcome.ok:
                print(f"    {meeting.file}: {outcome.error}")
        if gold:
            apply_gold_updates(app, series)
        try:
            yield app
        finally:
            app.db.close()
