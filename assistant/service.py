"""`Liaison`: the one object that wires store, index, embedder and extractor.

The CLI, the API and the web pages call its methods and nothing below it. The ingest steps live
in pipeline.py; questions in answer/; digests in digest/.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from assistant.config import Settings
from assistant.embed import Embedder, make_embedder
from assistant.errors import ConfigError, InvalidInput
from assistant.extract.base import Extractor
from assistant.goals import goal_text
from assistant.index_sync import IndexKeeper, Progress
from assistant.models import (
    STATUSES,
    Goal,
    Item,
    ItemEvent,
    ItemKind,
    Meeting,
    MeetingKind,
    Person,
    SearchFilters,
    SearchHit,
    Turn,
)
from assistant.people import clean_person
from assistant.search import HybridSearcher
from assistant.store import Database
from assistant.store import goals as goal_store
from assistant.store import items as item_store
from assistant.store import meetings as q
from assistant.store import people as people_store
from assistant.store.items import ItemFilters
from assistant.vectors import VectorIndex
from assistant.yamlio import first_error, load_records

if TYPE_CHECKING:  # built when first needed: commands that only read load no parser
    from assistant.pipeline import IngestOutcome, IngestPipeline
    from assistant.track import Tracker


class MeetingDetail(BaseModel):
    meeting: Meeting
    turns: list[Turn]


def check_range(filters: SearchFilters | None) -> None:
    """A reversed date range is a mistake to report, not a reason to find nothing."""
    if filters and filters.since and filters.until and filters.since > filters.until:
        raise InvalidInput(f"since ({filters.since}) is after until ({filters.until})")


class Liaison:
    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        extractor: Extractor | None = None,
        chat=None,
        deliverers: dict | None = None,
        transcriber=None,
    ):
        """`chat` (a ChatModel) answers questions with an LLM; None uses the settings' endpoint
        when one is configured. `deliverers` maps a channel name ("smtp", "webhook", "folder")
        to a deliverer; None builds the real ones from the settings."""
        self.settings = settings
        self._chat = chat
        self._deliverers = deliverers
        try:
            settings.home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"LIAISON_HOME {settings.home}: cannot be the data folder ({exc.strerror})"
            ) from exc
        self.db = Database(settings.db_path)
        self.db.migrate()
        self.embedder = embedder or make_embedder(settings.embedder, settings.model_cache)
        self._extractor = extractor
        self._transcriber = transcriber  # a Transcriber (assistant/transcribe/); None: settings'
        # Parts passed in live only in this process: upload jobs then run here, not in workers.
        self.own_parts = embedder is not None or extractor is not None or transcriber is not None
        self.keeper = IndexKeeper(
            self.db,
            self.embedder,
            settings.index_path,
            ann_threshold=settings.ann_threshold,
            batch_size=settings.embed_batch_size,
        )
        self.searcher = HybridSearcher(self.db.connect, self.index, self.embedder)

    # ----------------------------------------------------------------- parts

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            from assistant.extract.factory import make_extractor

            self._extractor = make_extractor(
                self.settings,
                self.embedder,
                teams=lambda: {p.name: p.team for p in self.people()},
            )
        return self._extractor

    @cached_property
    def asker(self):
        """Questions in plain language (assistant/answer/)."""
        from assistant.answer import Asker

        return Asker(self, chat=self._chat)

    @cached_property
    def glossary(self):
        """IT and marketing terms, explained for the other side (assistant/glossary.py)."""
        from assistant.glossary import Glossary

        return Glossary(self)

    @cached_property
    def tools(self):
        """Approved tools and shadow-IT detection (assistant/tools.py)."""
        from assistant.tools import ToolWatch

        return ToolWatch(self)

    @cached_property
    def digests(self):
        """Weekly digests: compose, render, deliver, schedule (assistant/digest/)."""
        from assistant.digest.service import DigestService

        return DigestService(self, deliverers=self._deliverers)

    @cached_property
    def proposals(self):
        """Changes to items waiting for a member's approval (assistant/proposals.py)."""
        from assistant.proposals import Proposals

        return Proposals(self)

    @property
    def transcriber(self):
        """Recordings to text (assistant/transcribe/): faster-whisper, or an HTTP endpoint."""
        if self._transcriber is None:
            from assistant.transcribe import make_transcriber

            self._transcriber = make_transcriber(self.settings)
        return self._transcriber

    @cached_property
    def jobs(self):
        """Upload jobs run by worker processes (assistant/jobs/)."""
        from assistant.jobs import JobQueue

        return JobQueue(self)

    @cached_property
    def exports(self):
        """Tables, minutes and calendars out; calendars in (assistant/exports/)."""
        from assistant.exports.service import Exports

        return Exports(self)

    @cached_property
    def webhooks(self):
        """Outgoing webhooks: endpoints, outbox, delivery (assistant/webhooks/)."""
        from assistant.webhooks.service import Webhooks

        return Webhooks(self)

    @cached_property
    def tracker(self) -> Tracker:
        """Cross-meeting tracking (track.py), built when an ingest or a correction needs it."""
        from assistant.track import Tracker

        return Tracker(self.embedder)

    @cached_property
    def pipeline(self) -> IngestPipeline:
        """The ingest steps (pipeline.py), built at the first ingest."""
        from assistant.pipeline import IngestPipeline

        return IngestPipeline(self)

    def index(self) -> VectorIndex:
        """The vector index, current with the database (see index_sync.py)."""
        return self.keeper.current()

    def reindex(self, progress: Progress | None = None) -> int:
        """Rebuild the FAISS index from the vectors in SQLite (re-embedding stale ones)."""
        return self.keeper.rebuild(progress)

    # ----------------------------------------------------------------- ingest

    def ingest_path(
        self,
        path: Path,
        *,
        title: str | None = None,
        day: date | None = None,
        kind: MeetingKind | None = None,
        progress: Progress | None = None,
    ) -> IngestOutcome:
        """Store one transcript file (see pipeline.py). Never raises for bad input."""
        outcome = self.pipeline.ingest_path(
            path, title=title, day=day, kind=kind, progress=progress
        )
        self._announce(outcome)
        return outcome

    def ingest_bytes(
        self,
        data: bytes,
        filename: str,
        *,
        title: str | None = None,
        day: date | None = None,
        kind: MeetingKind | None = None,
        fallback_day: date | None = None,
        progress: Progress | None = None,
    ) -> IngestOutcome:
        """Parse, chunk, embed, extract and store one transcript. Never raises for bad input:
        the outcome carries the error, and nothing is stored for a file that fails."""
        outcome = self.pipeline.ingest_bytes(
            data,
            filename,
            title=title,
            day=day,
            kind=kind,
            fallback_day=fallback_day,
            progress=progress,
        )
        self._announce(outcome)
        return outcome

    def _announce(self, outcome: IngestOutcome) -> None:
        """A newly stored meeting: its webhook event, and its recap when that is on."""
        if outcome.meeting is None or outcome.duplicate_of is not None:
            return
        self.webhooks.meeting_stored(outcome.meeting.id)  # queued after commit; never raises
        if self.settings.recap_after_ingest:  # the meeting's recap to its attendees
            self.digests.after_ingest(outcome.meeting.id)  # never raises

    def extract(self, meeting_id: int, extractor: Extractor | None = None) -> list[Item]:
        """Re-run extraction on a stored meeting. Items a person corrected are kept as they are;
        items found again keep their id and the status later meetings gave them."""
        return self.pipeline.reextract(meeting_id, extractor)

    # ----------------------------------------------------------------- meetings

    def meetings(
        self, filters: SearchFilters | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[Meeting], int]:
        check_range(filters)
        return q.list_meetings(self.db.connect(), filters or SearchFilters(), limit, offset)

    def meeting(self, meeting_id: int) -> MeetingDetail:
        conn = self.db.connect()
        return MeetingDetail(
            meeting=q.get_meeting(conn, meeting_id), turns=q.get_turns(conn, meeting_id)
        )

    def meeting_words(self, meeting_id: int) -> dict:
        """A transcribed recording's word times, by turn index ({} for a transcript)."""
        from assistant.store.words import get_words

        conn = self.db.connect()
        q.get_meeting(conn, meeting_id)  # MeetingNotFound
        return get_words(conn, meeting_id)

    def delete_meeting(self, meeting_id: int) -> Meeting:
        """Remove a meeting with its turns, chunks, vectors, text index and items."""
        with self.db.write_lock():
            index = self.index()
            with self.db.transaction() as tx:
                meeting = q.get_meeting(tx, meeting_id)
                item_store.release_statuses_from(tx, meeting_id)
                chunk_ids = q.delete_meeting(tx, meeting_id)
                generation = self.keeper.bump(tx)
            index.remove(chunk_ids)
            self.keeper.save(index, generation)
        return meeting

    def search(
        self, query: str, filters: SearchFilters | None = None, k: int = 10
    ) -> list[SearchHit]:
        if not query.strip():
            raise InvalidInput("the search query is empty")
        check_range(filters)
        if not 1 <= k <= 200:
            raise InvalidInput("k must be between 1 and 200")
        return self.searcher.search(query, filters, k)

    # ----------------------------------------------------------------- items

    def items(
        self, filters: ItemFilters | None = None, limit: int = 200, offset: int = 0
    ) -> tuple[list[Item], int]:
        return item_store.list_items(self.db.connect(), filters or ItemFilters(), limit, offset)

    def item(self, item_id: int) -> Item:
        return item_store.get_item(self.db.connect(), item_id)

    def item_history(self, item_id: int) -> list[ItemEvent]:
        """What happened to an item, oldest first: people's corrections and what later
        meetings said about it (with the meeting and the words)."""
        return item_store.history(self.db.connect(), item_id)

    def update_item(self, item_id: int, changes: dict, author: str | None = None) -> Item:
        """A person's correction. Corrected fields survive re-extraction; `undo_item` reverts."""
        if not changes:
            fields = ", ".join(item_store.EDITABLE)
            raise InvalidInput(f"nothing to change: give at least one of {fields}")
        if unknown := sorted(set(changes) - set(item_store.EDITABLE)):
            raise InvalidInput(f"cannot change {', '.join(unknown)} of an item")
        if required := sorted(
            k for k in ("text", "team", "status") if k in changes and changes[k] is None
        ):
            raise InvalidInput(f"an item's {', '.join(required)} cannot be cleared")
        changes = dict(changes)
        for key in ("text", "owner", "goal_id"):
            if isinstance(changes.get(key), str):
                # A blank owner or goal clears it, whichever skin it came from ('' or "  ").
                changes[key] = changes[key].strip() or (None if key != "text" else "")
        with self.db.transaction() as tx:
            item = item_store.get_item(tx, item_id)
            status = changes.get("status")
            if status is not None and status not in STATUSES[item.kind]:
                allowed = ", ".join(STATUSES[item.kind])
                article = "an" if item.kind.value[0] in "aeiou" else "a"
                raise InvalidInput(
                    f"status of {article} {item.kind.value} must be one of: {allowed}"
                )
            if changes.get("goal_id"):
                goal_store.get_goal(tx, changes["goal_id"])
            if "text" in changes and not changes["text"]:
                raise InvalidInput("text cannot be empty")
            updated = item_store.set_fields(tx, item_id, changes, author=author)
        self.webhooks.item_changed(item_id, before=item, author=author)  # never raises
        return updated

    def undo_item(self, item_id: int) -> Item:
        """Revert the most recent correction a person made to this item (all its fields)."""
        with self.db.transaction() as tx:
            before = item_store.get_item(tx, item_id)
            edits = item_store.last_correction(tx, item_id)
            if not edits:
                raise InvalidInput(f"item {item_id} has no correction to undo")
            item_store.undo_correction(tx, edits)
            after = item_store.get_item(tx, item_id)
        self.webhooks.item_changed(item_id, before=before)  # never raises
        return after

    def parking_lot(self, today: date | None = None) -> list[tuple[Item, int]]:
        """Open parking-lot items (parked or revisited) with their age in days, oldest first
        (ties by id)."""
        today = today or date.today()
        conn = self.db.connect()
        out = []
        for status in ("parked", "revisited"):
            found, _ = item_store.list_items(
                conn, ItemFilters(kind=ItemKind.parking, status=status), 10_000
            )
            out += [(i, (today - item_store.meeting_date_of(conn, i)).days) for i in found]
        return sorted(out, key=lambda pair: (-pair[1], pair[0].id))  # ties: by id

    # ----------------------------------------------------------------- goals

    def goals(self) -> list[Goal]:
        return goal_store.list_goals(self.db.connect())

    def goal(self, goal_id: str) -> Goal:
        return goal_store.get_goal(self.db.connect(), goal_id)

    def save_goal(self, goal: Goal, author: str | None = None, source: str = "edit") -> Goal:
        vector = self.embedder.embed_batch([goal_text(goal)])[0]
        with self.db.transaction() as tx:  # a changed KPI value is kept as a reading
            goal_store.upsert_goal(tx, goal, vector, source=source, author=author)
        return goal

    def update_goal(self, goal_id: str, changes: dict, author: str | None = None) -> Goal:
        current = self.goal(goal_id)
        try:
            updated = Goal.model_validate({**current.model_dump(), **changes, "id": goal_id})
        except ValidationError as exc:
            raise InvalidInput(f"invalid goal: {first_error(exc)}") from exc
        return self.save_goal(updated, author)

    def import_goals(self, text: str, author: str | None = None) -> list[Goal]:
        """Create or update goals from YAML (`goals: [...]`, or a bare list); all or nothing."""
        goals = load_records(text, "goals", Goal, "goal")
        for goal in goals:
            self.save_goal(goal, author, source="import")
        return goals

    # ----------------------------------------------------------------- people

    def people(self) -> list[Person]:
        return people_store.list_people(self.db.connect())

    def save_person(self, person: Person) -> int:
        """Add or change someone's side; their machine-tagged items follow. Returns how many
        items changed team."""
        return self.save_people([person])

    def save_people(self, people: list[Person]) -> int:
        """Several people in one transaction: all saved, or none."""
        people = [clean_person(p) for p in people]
        with self.db.transaction() as tx:
            changed = 0
            for person in people:
                people_store.upsert_person(tx, person)
                changed += people_store.retag_items(tx, person)
            return changed

    def remove_person(self, name: str) -> None:
        with self.db.transaction() as tx:
            people_store.delete_person(tx, name)

    def import_people(self, text: str) -> list[Person]:
        """Create or update people from YAML (`people: [{name, team, title}]`); all or nothing."""
        people = load_records(text, "people", Person, "person")
        self.save_people(people)
        return people

    # ----------------------------------------------------------------- speaker names

    @cached_property
    def speaker_names(self):
        """Speaker renames (undoable) and aliases (assistant/rename.py)."""
        from assistant.rename import SpeakerNames

        return SpeakerNames(self)

    def meeting_speakers(self, meeting_id: int):
        """Who speaks in a meeting (turn counts), which labels name nobody, the renames."""
        return self.speaker_names.speakers(meeting_id)

    def rename_speaker(
        self,
        meeting_id: int,
        speaker: str | None,
        name: str,
        *,
        turns: list[int] | None = None,
        alias: bool | None = None,
        author: str | None = None,
        progress: Progress | None = None,
    ):
        """Rename a speaker in one meeting: turns, attendees, search, machine-set owners and
        teams follow; `undo_rename` reverts it (see assistant/rename.py)."""
        return self.speaker_names.rename(
            meeting_id, speaker, name, turns=turns, alias=alias, author=author, progress=progress
        )

    def undo_rename(self, meeting_id: int, progress: Progress | None = None):
        """Undo the meeting's last speaker rename, everything it changed."""
        return self.speaker_names.undo(meeting_id, progress)

    def speaker_aliases(self, limit: int = 1000, offset: int = 0):
        return self.speaker_names.aliases(limit, offset)

    def set_speaker_alias(
        self,
        alias: str,
        name: str,
        *,
        apply: bool = True,
        author: str | None = None,
        progress: Progress | None = None,
    ):
        """Another spelling of a person's name: later transcripts and (with `apply`) stored
        meetings get the name."""
        return self.speaker_names.set_alias(
            alias, name, apply=apply, author=author, progress=progress
        )

    def remove_speaker_alias(self, alias: str) -> None:
        self.speaker_names.remove_alias(alias)

    def stats(self) -> dict:
        conn = self.db.connect()
        return {
            "meetings": conn.execute("SELECT COUNT(*) FROM meetings").fetchone()[0],
            "chunks": q.chunk_count(conn),
            "items": conn.execute("SELECT COUNT(*) FROM items").fetchone()[0],
            "embedder": self.embedder.name,
            "index": "approximate (IVF)" if self.index().approximate else "exact",
            "schema": json.dumps([r[0] for r in conn.execute("SELECT name FROM migrations")]),
        }
