"""Renaming a meeting's speakers, and the aliases that carry a name across meetings.

A rename ("Speaker 2" → "Raj Mehta", "DANA COLE" → "Dana Cole", or naming turns that had no
speaker) re-derives everything that depends on the name, in one transaction: the turns, the
meeting's attendees, the search chunks (text, speaker filter, full-text rows and vectors), the
items' machine-set owners (with the text that opens with the owner, and their side from the
people directory) and the evidence items quote. A field a person corrected stays. Item fields
changed go to each item's history (source "rename"); the rest of what changed is kept with the
rename, so `undo` puts all of it back, the meeting's last rename first.

Renaming a real name (not a placeholder like "Speaker 2") also stores an alias: the ingest
pipeline gives a new transcript's turns the names of their aliases with `resolve_speakers(turns,
alias_map())` (assistant/speakers.py), and `set_alias` renames that spelling in every stored
meeting. The vectors of the rewritten chunks are embedded before the write lock is taken; the
rename is planned again under the lock only if the meeting changed meanwhile.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from pydantic import BaseModel, Field

from assistant.embed import embed_texts
from assistant.errors import InvalidInput
from assistant.index_sync import Progress
from assistant.models import Evidence, Meeting, Turn
from assistant.speakers import (
    alias_key,
    attendees,
    clean_name,
    is_placeholder,
    label_of,
    renamed_chunk_text,
    renamed_evidence,
    renamed_item,
    restored_evidence,
)
from assistant.store import items as item_store
from assistant.store import meetings as q
from assistant.store import speakers as store
from assistant.store.items import ItemFilters
from assistant.store.speakers import ChunkRow, SpeakerAlias, SpeakerCount, SpeakerRename

if TYPE_CHECKING:
    from assistant.service import Liaison


class MeetingSpeakers(BaseModel):
    """Who speaks in a meeting, whether they still need a name, and the renames so far."""

    meeting_id: int
    speakers: list[SpeakerCount]
    unnamed: list[str | None] = Field(
        default_factory=list,
        description="Labels that name nobody (None: turns with no speaker; 'Speaker 2' …).",
    )
    renames: list[SpeakerRename] = Field(default_factory=list)


class RenameResult(BaseModel):
    rename: SpeakerRename
    meeting: Meeting
    turns: int = Field(description="Turns renamed.")
    items: int = Field(description="Items whose owner, text or team changed.")
    chunks: int = Field(description="Search chunks written again.")
    alias: SpeakerAlias | None = Field(
        default=None, description="The alias stored: later transcripts get the same name."
    )


class AliasResult(BaseModel):
    alias: SpeakerAlias
    renamed: list[RenameResult] = Field(
        default_factory=list, description="Stored meetings where that spelling was renamed."
    )


@dataclass
class _Plan:
    meeting_id: int
    attendees: list[str]
    turns: list[Turn]
    before: dict[int, Turn]
    after: dict[int, Turn]
    new_speakers: dict[int, str | None]
    old_label: str | None
    whole: bool
    remember: bool
    chunks: list[ChunkRow]
    texts: list[str]
    vectors: np.ndarray


def _window(turns: dict[int, Turn], start: int, end: int) -> list[Turn]:
    return [turns[i] for i in range(start, end + 1) if i in turns]


def _evidence(raw: str) -> list[Evidence]:
    return [Evidence.model_validate(e) for e in json.loads(raw or "[]")]


class SpeakerNames:
    """Speaker renames and aliases against the parts a `Liaison` holds."""

    def __init__(self, app: Liaison):
        self.app = app

    # ------------------------------------------------------------- reading

    def speakers(self, meeting_id: int) -> MeetingSpeakers:
        conn = self.app.db.connect()
        q.get_meeting(conn, meeting_id)  # MeetingNotFound
        counts = store.speaker_counts(conn, meeting_id)
        return MeetingSpeakers(
            meeting_id=meeting_id,
            speakers=counts,
            unnamed=[c.name for c in counts if is_placeholder(c.name)],
            renames=store.list_renames(conn, meeting_id),
        )

    def aliases(self, limit: int = 1000, offset: int = 0) -> tuple[list[SpeakerAlias], int]:
        return store.list_aliases(self.app.db.connect(), limit, offset)

    def alias_map(self) -> dict[str, str]:
        """alias → name, for `resolve_speakers` on a new transcript's turns."""
        return store.alias_map(self.app.db.connect())

    # ------------------------------------------------------------- rename

    def rename(
        self,
        meeting_id: int,
        speaker: str | None,
        name: str,
        *,
        turns: list[int] | None = None,
        alias: bool | None = None,
        author: str | None = None,
        progress: Progress | None = None,
    ) -> RenameResult:
        """Rename `speaker` (None, '' or '-': the turns with no speaker) to `name` in one
        meeting: all their turns, or only `turns`. `alias` stores `speaker` → `name` for later
        transcripts; by default it is stored when all of a real name's turns are renamed."""
        old = label_of(speaker)
        new = clean_name(name)
        if turns is not None and not turns:
            raise InvalidInput("turns is empty: leave it out to rename every turn")
        db = self.app.db
        # Read and embed without the write lock (embedding a long meeting takes seconds); under
        # the lock, plan again only if the meeting changed meanwhile.
        plan = self._plan(meeting_id, old, new, turns, alias, progress)
        with db.write_lock():
            if not self._unchanged(plan):
                plan = self._plan(meeting_id, old, new, turns, alias, progress)
            conn = db.connect()
            items, _ = item_store.list_items(conn, ItemFilters(meeting_id=meeting_id), 1_000_000)
            people = self.app.people()
            changes = [
                renamed_item(
                    i,
                    plan.old_label,
                    new,
                    plan.whole or any(e.turn_index in plan.new_speakers for e in i.evidence),
                    people,
                )
                for i in items
            ]
            index = self.app.index()
            batch = uuid.uuid4().hex
            with db.transaction() as tx:
                store.set_turn_speakers(tx, meeting_id, plan.new_speakers)
                store.set_attendees(tx, meeting_id, attendees(plan.after.values()))
                for chunk, text, vector in zip(plan.chunks, plan.texts, plan.vectors, strict=True):
                    window = _window(plan.after, chunk.turn_start, chunk.turn_end)
                    store.rewrite_chunk(
                        tx, chunk.id, text, attendees(window), vector, self.app.embedder.name
                    )
                for change in changes:
                    for field, value in change.fields.items():
                        store.change_item_field(
                            tx,
                            change.item_id,
                            field,
                            change.old[field],
                            value,
                            author=author,
                            batch=batch,
                            meeting_id=meeting_id,
                        )
                saved: dict = {
                    "evidence": self._rename_evidence(tx, meeting_id, plan.new_speakers),
                    "turns": {str(i): plan.before[i].speaker for i in plan.new_speakers},
                    "attendees": plan.attendees,
                    "chunks": {str(c.id): [c.text, c.speakers] for c in plan.chunks},
                }
                stored_alias = None
                if plan.remember and plan.old_label:
                    saved["aliases"] = store.aliases_touched(tx, plan.old_label, new)
                    store.set_alias(tx, plan.old_label, new, author)
                    stored_alias = store.get_alias(tx, plan.old_label)
                record = store.insert_rename(
                    tx,
                    meeting_id=meeting_id,
                    old_name=plan.old_label,
                    new_name=new,
                    turns=sorted(plan.new_speakers),
                    before=saved,
                    batch=batch,
                    author=author,
                )
                generation = self.app.keeper.bump(tx)
                meeting = q.get_meeting(tx, meeting_id)
            self._reindex(index, [c.id for c in plan.chunks], plan.vectors, generation)
        return RenameResult(
            rename=record,
            meeting=meeting,
            turns=len(plan.new_speakers),
            items=sum(1 for c in changes if c.fields),
            chunks=len(plan.chunks),
            alias=stored_alias,
        )

    def _plan(
        self,
        meeting_id: int,
        old: str | None,
        new: str,
        wanted: list[int] | None,
        alias: bool | None,
        progress: Progress | None,
    ) -> _Plan:
        """What a rename will write: the turns, the chunks' new texts and their vectors."""
        conn = self.app.db.connect()
        meeting = q.get_meeting(conn, meeting_id)
        all_turns = q.get_turns(conn, meeting_id)
        chosen, whole = self._choose(meeting_id, all_turns, old, new, wanted)
        old_label = chosen[0].speaker
        remember = alias if alias is not None else whole and not is_placeholder(old)
        if remember and (old_label is None or is_placeholder(old_label)):
            if old_label is None:
                raise InvalidInput("turns with no speaker name cannot be an alias of anyone")
            raise InvalidInput(
                f"{old_label!r} names a different person in each meeting, so it cannot be an"
                " alias: rename it here only (no alias)"
            )
        before = {t.index: t for t in all_turns}
        new_speakers: dict[int, str | None] = {t.index: new for t in chosen}
        after = {i: t.model_copy(update={"speaker": new_speakers.get(i, t.speaker)})
                 for i, t in before.items()}  # fmt: skip
        chunks = store.chunks_over(conn, meeting_id, list(new_speakers))
        texts = [
            renamed_chunk_text(
                c.text,
                _window(before, c.turn_start, c.turn_end),
                _window(after, c.turn_start, c.turn_end),
            )
            for c in chunks
        ]
        return _Plan(
            meeting_id=meeting_id,
            attendees=meeting.attendees,
            turns=all_turns,
            before=before,
            after=after,
            new_speakers=new_speakers,
            old_label=old_label,
            whole=whole,
            remember=bool(remember),
            chunks=chunks,
            texts=texts,
            vectors=self._embed(texts, progress),
        )

    def _unchanged(self, plan: _Plan) -> bool:
        """Whether the meeting's turns and the planned chunks are still as planned."""
        conn = self.app.db.connect()
        if q.get_turns(conn, plan.meeting_id) != plan.turns:
            return False
        now = store.chunks_by_id(conn, [c.id for c in plan.chunks])
        return all(now.get(c.id) == c for c in plan.chunks)

    def _choose(
        self,
        meeting_id: int,
        turns: list[Turn],
        old: str | None,
        new: str,
        wanted: list[int] | None,
    ) -> tuple[list[Turn], bool]:
        """The turns to rename, and whether they are all of that speaker's turns."""
        if old is None:
            matching = [t for t in turns if not t.speaker]
        else:
            matching = [t for t in turns if t.speaker and alias_key(t.speaker) == alias_key(old)]
        if not matching:
            names = ", ".join(dict.fromkeys(t.speaker or "(no name)" for t in turns)) or "none"
            who = "no turn without a speaker name" if old is None else f"no speaker {old!r}"
            raise InvalidInput(f"meeting {meeting_id} has {who}; its speakers: {names}")
        chosen = matching
        if wanted is not None:
            have = {t.index for t in matching}
            if stray := sorted(set(wanted) - have):
                shown = ", ".join(str(i) for i in stray[:10]) + (" …" if len(stray) > 10 else "")
                whose = "without a speaker name" if old is None else f"of {old!r}"
                raise InvalidInput(f"turn(s) {shown} of meeting {meeting_id} are not turns {whose}")
            chosen = [t for t in matching if t.index in set(wanted)]
        chosen = [t for t in chosen if t.speaker != new]
        if not chosen:
            raise InvalidInput(f"nothing to rename: those turns are already {new!r}")
        renamed = {t.index for t in chosen}
        # Whole: no turn keeps the old label ("Dana Cole" turns beside "DANA COLE" ones are
        # already what the rename makes them).
        return chosen, all(t.index in renamed or t.speaker == new for t in matching)

    def _rename_evidence(self, tx, meeting_id: int, speakers: dict[int, str | None]) -> dict:
        """Evidence quoting the renamed turns gets the new speaker; returns what it had
        ({item id: {column: {position: speaker}}}) for undo."""
        saved: dict = {}
        for row in store.evidence_rows(tx, meeting_id):
            for column in ("evidence", "status_evidence"):
                out, old = renamed_evidence(_evidence(row[column]), meeting_id, speakers)
                if old:
                    store.set_evidence(tx, row["id"], column, out)
                    saved.setdefault(str(row["id"]), {})[column] = {
                        str(k): v for k, v in old.items()
                    }
        return saved

    def _restore_evidence(self, tx, meeting_id: int, saved: dict) -> None:
        for item_id, columns in saved.items():
            row = tx.execute(
                "SELECT evidence, status_evidence FROM items WHERE id = ?", (int(item_id),)
            ).fetchone()
            if row is None:  # deleted since (a re-extraction dropped it)
                continue
            for column, old in columns.items():
                positions = {int(k): v for k, v in old.items()}
                out = restored_evidence(_evidence(row[column]), meeting_id, positions)
                store.set_evidence(tx, int(item_id), column, out)

    def _embed(self, texts: list[str], progress: Progress | None) -> np.ndarray:
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress("embed", done, len(texts))

        return embed_texts(self.app.embedder, texts, self.app.settings.embed_batch_size, step)

    def _reindex(self, index, ids: list[int], vectors: np.ndarray, generation: int) -> None:
        array = np.array(ids, dtype=np.int64)
        index.remove(array)
        index.add(array, vectors)
        self.app.keeper.save(index, generation)

    # ------------------------------------------------------------- undo

    def undo(self, meeting_id: int, progress: Progress | None = None) -> SpeakerRename:
        """Undo the meeting's most recent rename: every turn, attendee, chunk, item field,
        evidence and alias it changed goes back (item fields changed since, by a person or a
        later meeting, stay)."""
        db = self.app.db
        planned = self._undo_plan(meeting_id, progress)  # embedding outside the write lock
        with db.write_lock():
            last = store.last_rename(db.connect(), meeting_id)
            if last is None or last[0].id != planned[0].id:  # another undo or rename came first
                planned = self._undo_plan(meeting_id, progress)
            record, saved, batch, ids, vectors = planned
            old_speakers = {int(i): name for i, name in saved["turns"].items()}
            chunks = {int(i): (text, spk) for i, (text, spk) in saved["chunks"].items()}
            index = self.app.index()
            with db.transaction() as tx:
                store.set_turn_speakers(tx, meeting_id, old_speakers)
                store.set_attendees(tx, meeting_id, saved["attendees"])
                for chunk_id, vector in zip(ids, vectors, strict=True):
                    text, speakers = chunks[chunk_id]
                    store.rewrite_chunk(
                        tx, chunk_id, text, speakers, vector, self.app.embedder.name
                    )
                store.undo_item_fields(tx, batch)
                self._restore_evidence(tx, meeting_id, saved.get("evidence", {}))
                if "aliases" in saved and record.old_name:
                    store.restore_aliases(tx, record.old_name, record.new_name, saved["aliases"])
                store.mark_undone(tx, record.id)
                generation = self.app.keeper.bump(tx)
            self._reindex(index, ids, vectors, generation)
        return record.model_copy(update={"undone": True})

    def _undo_plan(self, meeting_id: int, progress: Progress | None):
        """The meeting's last rename, what it saved, and the vectors of the chunks it wrote
        as they were."""
        conn = self.app.db.connect()
        q.get_meeting(conn, meeting_id)
        found = store.last_rename(conn, meeting_id)
        if found is None:
            raise InvalidInput(f"meeting {meeting_id} has no speaker rename to undo")
        record, saved, batch = found
        chunks = {int(i): text for i, (text, _spk) in saved["chunks"].items()}
        present = store.chunks_by_id(conn, list(chunks))
        ids = [i for i in chunks if i in present]
        return record, saved, batch, ids, self._embed([chunks[i] for i in ids], progress)

    # ------------------------------------------------------------- aliases

    def set_alias(
        self,
        alias: str,
        name: str,
        *,
        apply: bool = True,
        author: str | None = None,
        progress: Progress | None = None,
    ) -> AliasResult:
        """`alias` is another spelling of `name`: later transcripts get `name`, and (with
        `apply`) every stored meeting where `alias` speaks is renamed (each rename undoable
        on its own meeting)."""
        alias = clean_name(alias, "the alias")
        name = clean_name(name)
        if alias == name:
            raise InvalidInput(f"{alias!r} is already the name itself")
        if is_placeholder(alias):
            raise InvalidInput(
                f"{alias!r} names a different person in each meeting: rename it per meeting"
            )
        with self.app.db.transaction() as tx:
            store.set_alias(tx, alias, name, author)
            stored = store.get_alias(tx, alias)
            meetings = store.meetings_with_speaker(tx, alias, name) if apply else []
        assert stored is not None
        renamed = [
            self.rename(m, alias, name, alias=False, author=author, progress=progress)
            for m in meetings
        ]
        return AliasResult(alias=stored, renamed=renamed)

    def remove_alias(self, alias: str) -> None:
        """Forget an alias (meetings already renamed keep their names)."""
        with self.app.db.transaction() as tx:
            store.delete_alias(tx, " ".join(alias.split()))
