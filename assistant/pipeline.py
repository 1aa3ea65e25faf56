"""From a file's bytes to a stored meeting: parse, chunk, embed, extract, track, store.

Ingest is atomic per file: parse, chunk, embed and extract happen in memory first; then one SQLite
transaction stores the meeting with its turns, chunks, vectors and items. The FAISS file is
derived data saved after the commit; if a process dies in between, the generation counter tells
the next reader to rebuild. `Liaison` (service.py) owns the parts; this module owns the steps.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import numpy as np
from pydantic import BaseModel, Field

from assistant.chunk import chunk_turns
from assistant.embed import embed_texts
from assistant.errors import EmptyTranscript, IngestError, UploadTooLarge
from assistant.extract.base import Extractor
from assistant.extract.phrasing import about_text
from assistant.goals import best_goal
from assistant.index_sync import Progress
from assistant.ingest import guess_date, guess_kind, guess_title, parse_transcript
from assistant.ingest.limits import check_chunks
from assistant.kpi_readings import record_meeting
from assistant.models import (
    DraftItem,
    ExtractionResult,
    Item,
    Meeting,
    MeetingKind,
    ParsedTranscript,
    Turn,
)
from assistant.people import apply_directory
from assistant.speakers import resolve_speakers
from assistant.store import goals as goal_store
from assistant.store import items as item_store
from assistant.store import meetings as q
from assistant.store import words as word_store
from assistant.store.items import ItemFilters
from assistant.store.words import words_by_turn
from assistant.transcribe import NO_SPEAKERS, as_transcript_json, is_recording
from assistant.transcribe.base import Word

if TYPE_CHECKING:
    from assistant.service import Liaison


class IngestOutcome(BaseModel):
    """What happened to one file of an upload."""

    source: str
    meeting: Meeting | None = None
    duplicate_of: int | None = None
    error: str | None = None
    error_type: str | None = None  # the IngestError subclass, e.g. "UnsupportedFormat"
    line: int | None = None
    items: int = 0
    # What the parser skipped or found missing ("1 cue skipped at line 6 (…)"); also on the
    # stored meeting.
    warnings: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def content_hash(turns: list[Turn]) -> str:
    """Hash of what was said (speaker + text), so the same meeting in two formats is one."""
    digest = hashlib.sha256()
    for turn in turns:
        digest.update(f"{turn.speaker or ''}\x1f{' '.join(turn.text.split())}\x1e".encode())
    return digest.hexdigest()


def extraction_note(result: ExtractionResult) -> str | None:
    """What a reader of the meeting should know about how its items were made."""
    notes = [result.note] if result.note else []
    if result.dropped:
        plural = "s" if result.dropped > 1 else ""
        notes.append(
            f"{result.dropped} item{plural} dropped: the quoted words were not in the transcript"
        )
    return "; ".join(notes) or None


class IngestPipeline:
    """The ingest steps, run against the parts a `Liaison` holds."""

    def __init__(self, app: Liaison):
        self.app = app

    def ingest_path(
        self,
        path: Path,
        *,
        title: str | None = None,
        day: date | None = None,
        kind: MeetingKind | None = None,
        progress: Progress | None = None,
    ) -> IngestOutcome:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            return IngestOutcome(
                source=str(path),
                error=f"{path}: cannot read ({exc.strerror})",
                error_type="IngestError",
            )
        mtime = datetime.fromtimestamp(
            Path(path).stat().st_mtime, ZoneInfo(self.app.settings.default_timezone)
        )
        return self.ingest_bytes(
            data,
            Path(path).name,
            title=title,
            day=day,
            kind=kind,
            fallback_day=mtime.date(),
            progress=progress,
        )

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
        try:
            return self._ingest(data, filename, title, day, kind, fallback_day, progress)
        except IngestError as exc:
            err = exc if exc.source else exc.at(filename)
            return IngestOutcome(
                source=filename, error=str(err), error_type=type(err).__name__, line=err.line
            )

    def _ingest(self, data, filename, title, day, kind, fallback_day, progress) -> IngestOutcome:
        if len(data) > self.app.settings.max_upload_bytes:
            raise UploadTooLarge(
                f"file is {len(data) / 1e6:.1f} MB;"
                f" the limit is {self.app.settings.max_upload_mb:g} MB",
                source=filename,
            )
        parsed, words = self._read(data, filename, progress)
        if progress:
            progress("parse", 1, 1)
        turns = parsed.turns
        digest = content_hash(turns)
        existing = q.find_by_hash(self.app.db.connect(), digest)
        if existing:
            return IngestOutcome(source=filename, meeting=existing, duplicate_of=existing.id)
        # Spellings stored as aliases ("DANA COLE" -> "Dana Cole"), after the hash: the same
        # file uploaded again is still the same meeting.
        aliases = self.app.speaker_names.alias_map()
        turns = resolve_speakers(turns, aliases) if aliases else turns

        text_head = "\n".join(t.text for t in turns[:20])
        title = title or parsed.title or guess_title(filename)
        day = (
            day
            or parsed.date
            or guess_date(filename, text_head)
            or fallback_day
            or datetime.now(ZoneInfo(self.app.settings.default_timezone)).date()
        )
        kind = kind or guess_kind(title, filename)

        chunks = chunk_turns(
            0, turns, self.app.settings.chunk_target_words, self.app.settings.chunk_overlap_turns
        )
        check_chunks(len(chunks))
        embedded = 0

        def step(n: int) -> None:
            nonlocal embedded
            embedded += n
            if progress:
                progress("embed", embedded, len(chunks))

        vectors = embed_texts(
            self.app.embedder, [c.text for c in chunks], self.app.settings.embed_batch_size, step
        )
        stub = Meeting(id=0, title=title, date=day, kind=kind, attendees=[])
        if progress:
            progress("extract", 0, 1)
        result = self.app.extractor.extract(stub, turns, self.app.goals())
        drafts, item_vectors = self._prepare(result.items, turns)
        if progress:
            progress("extract", 1, 1)

        if progress:
            progress("store", 0, 1)
        with self.app.db.write_lock():
            index = self.app.index()
            with self.app.db.transaction() as tx:
                if q.find_by_hash(tx, digest):  # another process stored it meanwhile
                    again = q.find_by_hash(tx, digest)
                    return IngestOutcome(
                        source=filename, meeting=again, duplicate_of=again.id if again else None
                    )
                meeting_id = q.insert_meeting(
                    tx,
                    title=title,
                    day=day,
                    kind=kind,
                    source_name=filename,
                    fmt=parsed.format,
                    content_hash=digest,
                    turns=turns,
                    warnings=parsed.warnings,
                )
                if words:  # a recording's word times, by turn
                    word_store.insert_words(tx, meeting_id, words_by_turn(turns, words))
                for chunk in chunks:
                    chunk.meeting_id = meeting_id
                chunk_ids = q.insert_chunks(tx, chunks, vectors, self.app.embedder.name)
                q.set_extraction(tx, meeting_id, result.extractor, extraction_note(result))
                meeting = q.get_meeting(tx, meeting_id)
                new_items, _ = self.app.tracker.store(
                    tx,
                    meeting,
                    turns,
                    list(zip(drafts, item_vectors, strict=True)),
                    result.extractor,
                    chunks,
                    vectors,
                )
                generation = self.app.keeper.bump(tx)
            index.add(np.array(chunk_ids, dtype=np.int64), vectors)
            self.app.keeper.save(index, generation)
        record_meeting(self.app, meeting, turns)  # KPI values said in it; logs, never raises
        return IngestOutcome(
            source=filename, meeting=meeting, items=len(new_items), warnings=parsed.warnings
        )

    def parse(
        self, data: bytes, filename: str, progress: Progress | None = None
    ) -> ParsedTranscript:
        """A transcript file's turns; a recording (audio or video, told by its first bytes) is
        transcribed first, then read like a Whisper JSON transcript, so the same cleaning and
        limits apply. Progress of a recording is reported as ("transcribe", seconds, total)."""
        return self._read(data, filename, progress)[0]

    def _read(
        self, data: bytes, filename: str, progress: Progress | None
    ) -> tuple[ParsedTranscript, list[Word]]:
        """The parsed transcript, and the word times of a recording (none for a transcript)."""
        if not is_recording(data):
            if progress:
                progress("parse", 0, 1)
            return parse_transcript(data, filename), []

        def heard(done_s: float, total_s: float) -> None:
            if progress:
                progress("transcribe", int(done_s), max(1, int(total_s)))

        transcriber = self.app.transcriber
        transcript = transcriber.transcribe(data, filename, heard)
        if not transcript.segments:
            raise EmptyTranscript("no speech found in this recording", source=filename)
        if progress:
            progress("parse", 0, 1)
        parsed = parse_transcript(as_transcript_json(transcript), filename)
        warnings = [w for w in parsed.warnings if not w.startswith("no speaker names")]
        fmt = f"recording ({transcriber.name})"
        parsed = parsed.model_copy(update={"format": fmt, "warnings": [NO_SPEAKERS, *warnings]})
        return parsed, [w for s in transcript.segments for w in s.words]

    def reextract(self, meeting_id: int, extractor: Extractor | None = None) -> list[Item]:
        """Re-run extraction on a stored meeting. Items a person corrected are kept as they are;
        items found again keep their id and the status later meetings gave them."""
        extractor = extractor or self.app.extractor
        conn = self.app.db.connect()
        meeting = q.get_meeting(conn, meeting_id)
        turns = q.get_turns(conn, meeting_id)
        result = extractor.extract(meeting, turns, self.app.goals())
        drafts, vectors = self._prepare(result.items, turns)
        with self.app.db.transaction() as tx:
            pairs = list(zip(drafts, vectors, strict=True))
            item_store.replace_machine_items(tx, meeting_id, pairs, result.extractor)
            q.set_extraction(tx, meeting_id, result.extractor, extraction_note(result))
        return self.app.items(ItemFilters(meeting_id=meeting_id), 10_000)[0]

    def _prepare(
        self, drafts: list[DraftItem], turns: list[Turn]
    ) -> tuple[list[DraftItem], np.ndarray]:
        """Drafts with owners' full names and sides, linked to goals, with the vectors of what
        they are about (embedded once: goal linking and cross-meeting tracking both use them;
        the owner and date around the text are left out, they say who and when, not what)."""
        speakers = [t.speaker for t in turns if t.speaker]
        drafts = apply_directory(
            drafts, self.app.people(), speakers, self.app.speaker_names.alias_map()
        )
        vectors = embed_texts(self.app.embedder, [about_text(d) for d in drafts])
        return self._link_goals(drafts, vectors), vectors

    def _link_goals(self, drafts: list[DraftItem], vectors: np.ndarray) -> list[DraftItem]:
        """Link each item to its most relevant goal (assistant/goals.py), or none."""
        conn = self.app.db.connect()
        stored = dict(goal_store.goal_vectors(conn))
        goals = [g for g in goal_store.list_goals(conn) if g.id in stored]
        if not goals or not drafts:
            return drafts
        matrix = np.vstack([stored[g.id] for g in goals])
        out = []
        for draft, vec in zip(drafts, vectors, strict=True):
            if draft.goal_id not in stored:
                text = " ".join([draft.text, *(e.quote for e in draft.evidence)])
                gid = best_goal(text, vec, goals, matrix, self.app.settings.goal_link_threshold)
                draft = draft.model_copy(update={"goal_id": gid})
            out.append(draft)
        return out
