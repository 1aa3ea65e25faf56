"""Cross-meeting state. Runs inside the transaction that stores a new meeting, so it sees the
meeting whole, and decides what of it is new.

- A new item that restates an open item of an earlier meeting is not stored again: the earlier
  item is updated instead (a parked snag raised again is *revisited*; an action mentioned again
  with another date has its *due date moved*; a decision said again stays as it was).
- What was said changes earlier items: "the Segment DPA is finished" closes that action,
  "let's drop the survey, no longer needed" drops one, a decision that settles a parked snag
  *resolves* it, a changed decision *supersedes* the earlier one.
- A due date tied to a later meeting ("before the QBR") is set once that meeting exists.

Matching is by meaning (cosine of MiniLM vectors of item texts and of what was said), gated by
cue words so that a passing mention does not close an action. Every change keeps its evidence
(meeting, turn, quote) in the item's history.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date

import numpy as np

from assistant.embed import Embedder
from assistant.extract.dates import find_due_phrase, resolve_due, series_kind
from assistant.extract.phrasing import core_text
from assistant.extract.signals import content_words
from assistant.mentions import NAMED, SENTENCE, Found, Origin, Said, clause_of
from assistant.models import Chunk, DraftItem, Evidence, Item, ItemKind, Meeting, Turn
from assistant.store import calendar as calendar_store
from assistant.store import items as item_store
from assistant.store import meetings as meeting_store

_DONE_CUE = re.compile(
    r"\b(?:is|are|was|were|'s|has been|have been|got|now)\s+(?:now\s+|all\s+|fully\s+)?"
    r"(?:finished|done|complete|completed|live|shipped|delivered|sorted|wrapped up|signed|closed|"
    r"merged|deployed|in place|on|up|out|ready|set up|turned on|switched on|enabled|approved|"
    r"booked|sent|published|fixed|resolved|back|in)\b|"
    r"\b(?:finished|completed|shipped|delivered|deployed|launched|sent|wrapped up|went live|"
    r"went out|went to|went over|went (?:into|in|up|through)|took care of|"
    r"(?:has|have|'ve|'s) been .{1,40}\bsince|signed off|landed|turned on|switched on|"
    r"rolled out|got it done|checked off|ticked off|crossed off|did that|did it|done|"
    r"kicked (?:it |that |this )?off|briefed|cut (?:it |the [\w ]{1,30})?over|found|"
    r"came (?:through|back|in)|i have it|we have it|got (?:it|them|the|your|my)|"
    r"did (?:send|share|do|finish|book|ask|talk)|took (?:both|it|the|them|that)|"
    r"handed (?:it |them )?over|submitted|uploaded|posted|shared|migrated|ran the|wrote|"
    r"scheduled|booked|set up|fixed|closed|approved|signed|merged|published|"
    # work done in other words: "I signed that off", "turned the copy round the same day",
    # and for an action to talk to someone, "I met the terminal manager on Monday"
    r"signed (?:it|that|this|them|the [\w ]{1,30}) off|"
    r"turned (?:it|that|this|them|the [\w ]{1,30}) (?:round|around)|"
    r"met (?:with )?|spoke (?:to|with)|talked (?:to|with)|caught up with|"
    r"ran(?! out)|passed|got through)\b",
    re.IGNORECASE,
)
_NOT_DONE = re.compile(
    r"\b(?:not (?:yet|quite|done|finished|live|complete)|isn't|aren't|wasn't|haven't|hasn't|"
    r"didn't|won't|still (?:open|waiting|pending|working|in progress|not)|almost|nearly|"
    r"will be|should be|going to|gonna|plan to|need to|needs to|have to|if|blocked|"
    r"slipp\w*|delay\w*|tomorrow|next week|partly|partially|mostly|started|halfway|"
    # part of the way ("sixty percent done", "half of it"); not "live for ten percent of users"
    r"(?:[\w-]+ )?percent (?:done|complete|there|through|of the way)|half (?:done|of it|way)|"
    r"in progress|underway|about to|on track|(?:'s|is|are) going|last time)\b|% (?:done|complete)",
    re.IGNORECASE,
)
_DROP_CUE = re.compile(
    r"\b(?:drop (?:that|it|this|the)|dropping (?:that|it|this|the)|dropped|no longer (?:needed|"
    r"necessary|relevant|required)|(?:not|isn't|aren't|is not|are not) needed any ?more|"
    r"don't need (?:it|that|this) any ?more|"
    r"cancel(?:led|ling)? (?:that|it|this|the)|scrap (?:that|it|this|the)|scratch (?:that|it)|"
    r"take (?:it|that|this) off the list|off the table|stop (?:it|that|this) there|"
    r"not to bother|don't bother|no need (?:for|to)|call(?:ed|ing)? (?:it|that) off|shelve\w*|"
    r"kill(?:ed)? (?:it|that)|(?:i'm|we're|i am|we are) not (?:taking|doing|sending|chasing) "
    r"(?:it|that|this)|folded (?:it|that|this|the [\w ]{1,30}) into|"
    r"forget (?:it|that|this|the|about)|(?:i|we) want to drop)\b",
    re.IGNORECASE,
)
_MOVE_CUE = re.compile(
    r"\b(?:push(?:ed|ing)?|mov(?:e|ed|ing)|slip(?:s|ped|ping)?|instead|new date|"
    r"won't make|can't make|need until|needs until|more time|extend(?:ed)?|late|delay(?:ed)?|"
    r"revised date|rather)\b",
    re.IGNORECASE,
)
_RESOLVE_CUE = re.compile(
    r"\b(?:resolv\w*|settl\w*|sorted out|clos(?:es|ed|ing)|decided|agreed|we're going with|"
    r"we'll go with|that answers|off the parking lot|out of the parking lot|off the list|"
    r"no longer an issue|not an issue any ?more|put (?:it|that) to bed|close (?:it|that|this) out|"
    r"done with|(?:is|are|'s) sorted|came back (?:on|with|to us)|we have (?:an|the) answer|"
    r"answered)\b",
    re.IGNORECASE,
)
# "They don't settle it", "we haven't decided": the cue word, negated.
_NEGATED_RESOLUTION = re.compile(
    r"\b(?:don't|doesn't|didn't|won't|isn't|aren't|haven't|hasn't|can't|cannot|not|never)\s+"
    r"(?:\w+\s+){0,2}(?:settl|resolv|clos|decid|agree|sort)",
    re.IGNORECASE,
)
# Said of the parking lot by name ("attribution is still in the parking lot"): few sentences
# do, so a weaker likeness to the snag is enough.
_NAMES_THE_LOT = re.compile(
    r"\b(?:(?:in|on|from|off) the parking lot|(?:still|stays?|remains?|keep \w+(?: \w+)?) "
    r"(?:in|on) the (?:parking lot|list))\b",
    re.IGNORECASE,
)
_REVISIT_CUE = re.compile(
    r"\b(?:park\w*|parking lot|still open|stays open|remains open|on the list|"
    r"(?:still|stays|remains) (?:on hold|open|pending|undecided)|come back to|"
    r"not (?:yet )?decided|until after|for now|still haven't|"
    r"haven't (?:yet )?(?:landed|decided|settled|sorted|agreed)|"
    r"not ready to (?:call|decide|settle)|took (?:it|that|this) offline)\b",
    re.IGNORECASE,
)
# Said of an earlier decision that a newer one takes its place (with the decision named).
_REPLACED = re.compile(
    r"\b(?:replac(?:es|ed|ing)|supersed\w*|overturn\w*|revers(?:es|ed|ing)|undo(?:es)?|"
    r"scraps?|no longer stands|is off)\b",
    re.IGNORECASE,
)
# A later decision that changes an earlier one says so ("instead", "after all", "we're moving the
# date"); a restatement ("it's sixty-forty, as we decided") is as close in meaning, or closer, and
# must not supersede anything. So a change cue is required, not just similarity.
_CHANGE_CUE = re.compile(
    r"\b(instead|after all|revers\w*|chang\w*|no longer|rather than|switch\w*|replac\w*|"
    r"overturn\w*|scrap\w*|drop\w*|move the date|moved the date|postpon\w*|not going with|"
    r"from [\w-]+ to|, not \w+|(?:we|let's) mov(?:e|es|ed|ing) (?:the|our|it)\b)\b",
    re.IGNORECASE,
)


@dataclass
class TrackThresholds:
    same: float = 0.72  # a new item this close to an open earlier one is that item again
    done: float = 0.55
    drop: float = 0.55
    move: float = 0.62
    revisit: float = 0.55
    revisit_named: float = 0.35  # when the sentence names the parking lot
    resolve: float = 0.55
    supersede: float = 0.4  # and the new decision must say it changes something
    recap: float = 0.5  # an action said again later in the meeting that names its owner


def _sentences(turns: list[Turn]) -> list[tuple[Turn, str]]:
    return [(t, s) for t in turns for s in SENTENCE.split(t.text) if s.strip()]


def _best_turn(text: str, chunk: Chunk, turns: list[Turn]) -> Turn:
    """The turn of a chunk sharing most words with `text`."""
    words = set(re.findall(r"[a-z]{3,}", text.lower()))
    span = [t for t in turns if chunk.turn_start <= t.index <= chunk.turn_end] or turns[:1]
    return max(span, key=lambda t: len(words & set(re.findall(r"[a-z]{3,}", t.text.lower()))))


def _with_meeting(evidence: list[Evidence], meeting_id: int) -> list[Evidence]:
    return [e.model_copy(update={"meeting_id": meeting_id}) for e in evidence]


class Tracker:
    def __init__(self, embedder: Embedder, thresholds: TrackThresholds | None = None):
        self.embedder = embedder
        self.t = thresholds or TrackThresholds()

    def store(
        self,
        conn: sqlite3.Connection,
        meeting: Meeting,
        turns: list[Turn],
        drafts: list[tuple[DraftItem, np.ndarray]],
        extractor: str,
        chunks: list[Chunk],
        chunk_vectors: np.ndarray,
    ) -> tuple[list[Item], list[str]]:
        """Store the new meeting's items that are new, and apply what the meeting says to
        earlier items. Returns the stored items and a log of the changes."""
        log: list[str] = []
        earlier = self._earlier(conn, meeting)
        new_items: list[tuple[Item, np.ndarray]] = []
        for draft, vec in drafts:
            if self._restates(conn, meeting, draft, vec, earlier, log):
                continue
            # Said twice in this meeting (the recap, "so, to be clear…"): stored once.
            if any(
                item.kind == draft.kind
                and _same_owner(item.owner, draft.owner)
                and float(v @ vec) >= (self.t.recap if _names_owner(draft, item) else self.t.same)
                for item, v in new_items
            ):
                log.append(f"{draft.kind.value} said again in this meeting: {draft.text}")
                continue
            draft = self._date_from_series(conn, meeting, draft)
            item_id = item_store.insert_item(conn, meeting.id, draft, extractor, vec)
            new_items.append((item_store.get_item(conn, item_id), vec))
        # Dated before this meeting's words are read: an action due "before the QBR" that the
        # QBR reports done was still due at the QBR.
        self.date_series_items(conn, meeting, log)
        self._said(conn, meeting, turns, new_items, earlier, chunks, chunk_vectors, log)
        return [item for item, _ in new_items], log

    # ------------------------------------------------------------------ the parts

    def _earlier(self, conn, meeting: Meeting) -> dict[ItemKind, list[tuple[Item, np.ndarray]]]:
        return {
            kind: [
                (item, vec)
                for item, vec in item_store.item_vectors(conn, kind)
                if item.meeting_id != meeting.id
                and item_store.meeting_date_of(conn, item) <= meeting.date
            ]
            for kind in ItemKind
        }

    def _restates(self, conn, meeting, draft: DraftItem, vec, earlier, log) -> bool:
        """True when `draft` is an open earlier item said again (that item is updated)."""
        candidates = [
            (item, float(v @ vec))
            for item, v in earlier[draft.kind]
            if item.status in ("open", "parked", "revisited", "standing")
            and _same_owner(item.owner, draft.owner)
        ]
        if not candidates:
            return False
        item, sim = max(candidates, key=lambda c: c[1])
        if draft.kind == ItemKind.parking and sim < self.t.same:
            # A snag parked again in fewer words ("Attribution." for "The attribution model
            # question"): all its words are the earlier snag's.
            named = [(i, s) for i, s in candidates if _all_words_in(draft.text, i.text)]
            item, sim = max(named, key=lambda c: c[1], default=(item, sim))
            if named:
                sim = max(sim, self.t.same)
        if sim < self.t.same:
            return False
        evidence = _with_meeting(draft.evidence[:1], meeting.id)
        words = " ".join([draft.text, draft.evidence[0].quote])
        if draft.kind == ItemKind.decision:
            if _CHANGE_CUE.search(words):
                return False  # a changed decision: stored, and it supersedes (see `_said`)
            log.append(f"decision {item.id} restated")
            return True
        if draft.kind == ItemKind.parking:
            if item.status == "parked":
                item_store.link(
                    conn, item.id, status="revisited", related_item_id=None, evidence=evidence
                )
                log.append(f"parking {item.id} revisited")
            return True
        # An action said again: a new date said with it moves the due date.
        if draft.due and draft.due != item.due and "due" not in item.edited_fields:
            _set_due(conn, item, draft.due, meeting, evidence, log, "moved to")
        return True

    def _date_from_series(self, conn, meeting: Meeting, draft: DraftItem) -> DraftItem:
        """'before the QBR': the date of the next QBR stored, else of the next one on the
        imported calendar."""
        kind = series_kind(draft.due_phrase)
        if draft.due or kind is None:
            return draft
        later = meeting_store.next_meeting_of_kind(conn, kind, meeting.date)
        if later is not None:
            return draft.model_copy(update={"due": later.date})
        # Not stored yet, but on the imported calendar (assistant/exports/calendar_in.py).
        event = calendar_store.next_event_of_kind(conn, kind, meeting.date)
        if event is not None:
            return draft.model_copy(update={"due": date.fromisoformat(str(event["day"]))})
        return draft

    def date_series_items(self, conn, meeting: Meeting, log: list[str]) -> None:
        """This meeting is the one earlier items waited for ("before the QBR")."""
        for item, _ in item_store.item_vectors(conn, ItemKind.action):
            if item.due or item.status != "open" or series_kind(item.due_phrase) != meeting.kind:
                continue
            if item.meeting_id == meeting.id:
                continue
            said_on = item_store.meeting_date_of(conn, item)
            following = meeting_store.next_meeting_of_kind(conn, meeting.kind, said_on)
            if following is not None and following.id == meeting.id:
                _set_due(conn, item, meeting.date, meeting, [], log, f"({item.due_phrase}):")

    def _said(self, conn, meeting, turns, new_items, earlier, chunks, chunk_vectors, log) -> None:
        """Status changes from the words of the meeting."""
        new_decisions = [(i, v) for i, v in new_items if i.kind == ItemKind.decision]
        said = Said(self.embedder, turns, _origins(conn, earlier))

        opened = [(i, v) for i, v in earlier[ItemKind.action] if i.status == "open"]
        closed: set[int] = set()
        for status, cue, threshold in (
            ("dropped", _DROP_CUE, self.t.drop),
            ("done", _DONE_CUE, self.t.done),
        ):
            for item, found in said.assign(
                [(i, v) for i, v in opened if i.id not in closed], cue, threshold
            ):
                if status == "done" and _NOT_DONE.search(clause_of(found.sentence, cue)):
                    continue
                self._set(conn, item, status, found, meeting, log)
                closed.add(item.id)
        for item, found in said.assign(
            [(i, v) for i, v in opened if i.id not in closed and "due" not in i.edited_fields],
            _MOVE_CUE,
            self.t.move,
        ):
            phrase = find_due_phrase(found.sentence)
            due = resolve_due(phrase, meeting.date) if phrase else None
            if due and due != item.due:
                _set_due(conn, item, due, meeting, [found.evidence(meeting.id)], log, "moved to")

        # Parking lot: resolved by a new decision or said to be settled, else revisited.
        lot = [(i, v) for i, v in earlier[ItemKind.parking] if i.status != "resolved"]
        settled = {
            i.id: f
            for i, f in said.assign(lot, _RESOLVE_CUE, self.t.resolve)
            # "Agreed." alone does not settle a snag; a sentence that says so does.
            if not _NEGATED_RESOLUTION.search(f.sentence) and len(f.sentence.split()) >= 4
        }
        mentioned = {i.id: f for i, f in said.assign(lot, _NAMES_THE_LOT, self.t.revisit_named)}
        mentioned.update(
            (i.id, f)
            for i, f in said.assign(lot, _REVISIT_CUE, self.t.revisit)
            if i.id not in mentioned
        )
        for item, vec in lot:
            decision = max(new_decisions, key=lambda d: float(d[1] @ vec), default=None)
            if decision is not None and float(decision[1] @ vec) >= self.t.resolve:
                item_store.link(
                    conn,
                    item.id,
                    status="resolved",
                    related_item_id=decision[0].id,
                    evidence=decision[0].evidence[:1],
                )
                log.append(f"parking {item.id} resolved by decision {decision[0].id}")
            elif item.id in settled:
                self._set(conn, item, "resolved", settled[item.id], meeting, log)
            elif item.id in mentioned and item.status == "parked":
                self._set(conn, item, "revisited", mentioned[item.id], meeting, log)

        # Decisions: one named as replaced ("that replaces the September decision") is
        # superseded by the new decision closest to it; else a later decision on the same topic
        # that says it changes supersedes.
        standing = [(i, v) for i, v in earlier[ItemKind.decision] if i.status == "standing"]
        vectors = {i.id: v for i, v in standing}
        for item, found in said.assign(standing, _REPLACED, NAMED):
            new = max(new_decisions, key=lambda d: float(d[1] @ vectors[item.id]), default=None)
            evidence = [found.evidence(meeting.id)]
            _supersede(conn, item, new[0] if new else None, evidence, log)
        # Each new decision that says it changes something replaces the one earlier decision
        # it is closest to (a new launch date replaces the old date, not the phasing plan).
        for new, new_vec in new_decisions:
            words = " ".join([new.text, *(e.quote for e in new.evidence)])
            if not _CHANGE_CUE.search(words):
                continue
            standing = [(i, v) for i, v in standing if i.status == "standing"]
            best = max(standing, key=lambda d: float(d[1] @ new_vec), default=None)
            if best is not None and float(best[1] @ new_vec) >= self.t.supersede:
                _supersede(conn, best[0], new, new.evidence[:1], log)

    @staticmethod
    def _set(conn, item: Item, status: str, found: Found, meeting: Meeting, log: list[str]) -> None:
        item_store.link(
            conn,
            item.id,
            status=status,
            related_item_id=None,
            evidence=[found.evidence(meeting.id)],
        )
        log.append(f"{item.kind.value} {item.id} {status}")


def _origins(conn, earlier: dict[ItemKind, list[tuple[Item, np.ndarray]]]) -> dict[int, Origin]:
    """The meeting each earlier item was said in, for sentences that name it."""
    meetings = {
        mid: meeting_store.get_meeting(conn, mid)
        for mid in {i.meeting_id for pairs in earlier.values() for i, _ in pairs}
    }
    latest = max((m.date for m in meetings.values()), default=None)
    return {
        item.id: Origin(m.date, m.kind, m.date == latest)
        for pairs in earlier.values()
        for item, _ in pairs
        if (m := meetings[item.meeting_id])
    }


def _names_owner(draft: DraftItem, item: Item) -> bool:
    """An ownerless action said later that names an earlier action's owner ("Tomás reads the
    data terms, Thursday." in the recap): likely that action again."""
    if draft.kind != ItemKind.action or draft.owner or not item.owner:
        return False
    first = item.owner.split()[0]
    return bool(re.match(rf"\W*{re.escape(first)}\b", core_text(draft.text)))


def _supersede(conn, item: Item, by: Item | None, evidence: list[Evidence], log: list[str]) -> None:
    """An earlier decision replaced (by `by`, when the meeting stated the new one)."""
    item_store.link(
        conn,
        item.id,
        status="superseded",
        related_item_id=by.id if by else None,
        evidence=evidence,
    )
    item.status = "superseded"  # replaced once: later decisions of the meeting pass it by
    log.append(f"decision {item.id} superseded" + (f" by {by.id}" if by else ", as said"))


def _all_words_in(short: str, longer: str) -> bool:
    words = set(content_words(core_text(short)))
    return bool(words) and words <= set(content_words(core_text(longer)))


def _same_owner(a: str | None, b: str | None) -> bool:
    """Two mentions can be one action only if no one, or the same person, owns both: "Lucia
    sends Kenji the designs" and "Kenji estimates the build once the designs land" are two."""
    return a is None or b is None or a.strip().lower() == b.strip().lower()


def _set_due(conn, item: Item, due, meeting: Meeting, evidence, log: list[str], why: str) -> None:
    """A due date the meeting's words set, kept in the item's history with those words."""
    item_store.set_fields(
        conn,
        item.id,
        {"due": due},
        author=None,
        source="tracker",
        meeting_id=meeting.id,
        evidence=evidence,
    )
    log.append(f"action {item.id} due {why} {due}")
