"""Conversation patterns that leave an item behind, read across turns.

A meeting says its items in exchanges, not single sentences:

- a request and its acceptance ("Raj, can you own that?" -> "Yes, I'll have it by Tuesday"):
  an action owned by the person who accepts;
- a self-commitment ("I'll send…", "I can have … by …", "leave it with me", "that's on me");
- a proposal and its agreement ("Let's move the launch to the 9th." -> "Agreed."): a decision;
- explicit markers ("Decision: …", "Action item: …");
- a deferral ("let's park that", "take it offline"): a parking-lot snag about what was being
  discussed;
- the recap at the end, which repeats items (it adds evidence, never a second item).

`find_candidates` returns what the words support, each with the sentence that states it, the
turns that back it, an owner and the spoken due phrase. Negatives are filtered here too:
hypotheticals, questions, status reports, retold decisions and meeting mechanics ("I'll share my
screen") are not items. Pure functions over sentences; no model.
"""

from __future__ import annotations

import re

from assistant.extract.dates import find_due_phrase
from assistant.extract.decisions import CALL_IT, decision_at
from assistant.extract.exchange import (
    Candidate,
    Context,
    TurnView,
    addressee,
    third_person_owner,
    topic_before,
)
from assistant.extract.features import Unit
from assistant.extract.restatements import (
    merge_commitments,
    merge_decisions,
    merge_deferrals,
    merge_recap,
    merge_taken_up,
)
from assistant.extract.signals import (
    ACCEPT,
    ACCEPT_ANYWHERE,
    ACTION_MARKER,
    BACK_REFERENCE,
    DECISION,
    HYPOTHETICAL,
    MECHANICS,
    OPEN_REQUEST,
    PARK,
    PAST_RETOLD,
    RECAP,
    REFUSE,
    REMENTION,
    REQUEST,
    SELF_COMMIT,
    TASK_VERB,
    WE_COMMIT,
    WHO_CAN,
    I,
    content_words,
    is_question,
    points_back,
)
from assistant.models import ItemKind

# ------------------------------------------------------------------ candidates


def _accepting(units: list[Unit], turn: list[int]) -> bool:
    """The reply takes the request on: "Yes, …", "Sure.", "Plan by Monday, got it."."""
    first = units[turn[0]].text
    if REFUSE.search(first):
        return False
    short = len(first.split()) <= 15
    return bool(ACCEPT.search(first) or (short and ACCEPT_ANYWHERE.search(first)))


def _snag_before(units: list[Unit], turns: TurnView, i: int) -> int | None:
    """The sentence that names what a deferral ("let's take that offline") puts aside: in the
    same turn or the four before, one that names a question or states it ("the question is
    who pays", "do we use app events for ads?"), else the nearest substantive one. Remarks
    about the talk itself ("I don't want to solve it today") name nothing."""
    # "Let's take that offline. Attribution model goes on the list.": said right after.
    for j in [k for k in turns.groups[turns.group_of[i]] if k > i][:2]:
        text = units[j].text
        if (
            PARK.search(text)
            and not points_back(text)
            and len(content_words(PARK.sub(" ", text))) >= 2
        ):
            return j
    window = turns.same_turn_before(i) + [j for g in turns.previous(i, 4) for j in g[::-1]]
    window = [
        j
        for j in window
        if len(content_words(units[j].text)) >= 3 and not _ABOUT_THE_TALK.search(units[j].text)
    ]
    for j in window:
        if _NAMES_A_SNAG.search(units[j].text):
            return j
    return window[0] if window else topic_before(units, turns, i)


_NAMES_A_SNAG = re.compile(
    r"\b(?:question|issue|problem|topic|whether|who pays|who owns|how much|open point|"
    r"i want us to|we need to (?:look at|talk about|figure out|decide|sort out)|what about)\b|"
    r"\?\s*$",
    I,
)
_ABOUT_THE_TALK = re.compile(
    r"^\W*(?:(?:but|and|so|well),?\s+)?(?:i don't want to|i don't disagree|i'd rather not|"
    r"i don't have|i don't think|we don't need to|we can't|let's not|i can tell you|"
    r"no,|yeah|okay|sure)\b",
    I,
)


def _commit_is_task(text: str) -> bool:
    """A self-commitment that names work, not talk about the meeting or a maybe."""
    if MECHANICS.search(text) or is_question(text):
        return False
    before = SELF_COMMIT.split(text, maxsplit=1)[0]
    if re.search(r"(?:^|\W)(?:if|unless|when|once|maybe|perhaps)\b", before, I):
        return False
    if re.search(r"\b(?:would|could|might)\b", before, I):
        return False
    match = SELF_COMMIT.search(text)
    after = text[match.end() :] if match else text
    if re.match(
        r"\W*(?:be|try|think|need|have to|probably|maybe|say|guess|admit|just be|believe|"
        r"hold you|get asked|be asked|bet|leave it there|stop there)\b",
        after,
        I,
    ):
        return False
    return len(content_words(after)) >= 2 or bool(find_due_phrase(after))


# "Can you bring the Tidepass numbers to the QBR?": work asked for the meeting, not a snag
# taken to it.
_BRING_TO = re.compile(
    r"\b(?:bring|take) (?!(?:it|this|that)\b)[\w'-]+(?: [\w'-]+){0,3} to\b", re.I
)


def _brings_work(text: str) -> bool:
    return bool(REQUEST.search(text) and _BRING_TO.search(text) and not _STRONG_PARK.search(text))


_STRONG_PARK = re.compile(r"\bpark|parking lot|offline\b", re.I)


def find_candidates(units: list[Unit], ctx: Context) -> list[Candidate]:
    """Every item the conversation supports, strongest pattern per sentence."""
    turns = TurnView(units)
    found: dict[int, Candidate] = {}

    def offer(c: Candidate) -> None:
        old = found.get(c.head)
        if old is None or c.strength > old.strength:
            found[c.head] = c

    for i, unit in enumerate(units):
        text = unit.text
        if MECHANICS.search(text) and not DECISION.search(text):
            continue
        due = find_due_phrase(text)
        # --- explicit action marker
        if ACTION_MARKER.search(text):
            owner = third_person_owner(text, None, ctx) or addressee(text, unit.speaker, ctx)
            offer(
                Candidate(
                    ItemKind.action, i, owner=owner, due_phrase=due, strength=0.95, pattern="marker"
                )
            )
            continue
        # --- deferral: a snag parked
        if (
            PARK.search(text)
            and not REMENTION.search(text)
            and not RECAP.search(text)
            and not _brings_work(text)
        ):
            says_what = len(content_words(PARK.sub(" ", text))) >= 3
            topic = i if says_what and not points_back(text) else _snag_before(units, turns, i)
            if topic is not None and topic != i and REMENTION.search(units[topic].text):
                continue  # "Back to the parked question …" - "pick it up later": parked again
            strong = bool(re.search(r"\bpark|parking lot|offline|table\b", text, I))
            offer(
                Candidate(
                    ItemKind.parking,
                    i,
                    topic=topic,
                    due_phrase=due,
                    strength=0.9 if strong else 0.7,
                    pattern="deferral",
                )
            )
            continue
        # --- request, then acceptance
        if REQUEST.search(text) and not MECHANICS.search(text):
            cand = _request(units, turns, i, ctx)
            if cand:
                offer(cand)
                continue
        # --- self-commitment
        if unit.speaker and SELF_COMMIT.search(text) and not CALL_IT.search(text):
            accepted = any(i in c.support for c in found.values())  # a request's answer
            if BACK_REFERENCE.search(text):
                # "That's on me" / "leave it with me": the task is what was just said.
                topic = topic_before(units, turns, i)
                if topic is not None and not accepted:
                    offer(
                        Candidate(
                            ItemKind.action,
                            i,
                            topic=topic,
                            owner=unit.speaker,
                            due_phrase=due or find_due_phrase(units[topic].text),
                            strength=0.8,
                            pattern="back-reference",
                        )
                    )
                continue
            if _commit_is_task(text) and not PAST_RETOLD.search(text):
                strength = 0.85 if due else (0.72 if TASK_VERB.search(text) else 0.55)
                if accepted:
                    continue
                offer(
                    Candidate(
                        ItemKind.action,
                        i,
                        owner=unit.speaker,
                        due_phrase=due,
                        strength=strength,
                        pattern="self-commit",
                    )
                )
                continue
        # --- third-person assignment ("Priya will own the checklist")
        owner = third_person_owner(text, unit.speaker, ctx)
        if (
            owner
            and not is_question(text)
            and TASK_VERB.search(text)
            and not (HYPOTHETICAL.search(text) or PAST_RETOLD.search(text))
        ):
            offer(
                Candidate(
                    ItemKind.action,
                    i,
                    owner=owner,
                    due_phrase=due,
                    strength=0.7,
                    pattern="assignment",
                )
            )
            continue
        decided, cand = decision_at(units, turns, i, found)
        if decided:
            if cand is not None:
                offer(cand)
            continue
        # --- weaker signs, left to the item scorer: work asked of the room ("please review
        # the PR and leave feedback") and work a team takes on ("we'll create a local test")
        if is_question(text) or HYPOTHETICAL.search(text.split(",")[0]):
            continue
        if OPEN_REQUEST.search(text) and TASK_VERB.search(text):
            offer(
                Candidate(ItemKind.action, i, due_phrase=due, strength=0.5, pattern="open-request")
            )
        elif WE_COMMIT.search(text) and TASK_VERB.search(text) and not PAST_RETOLD.search(text):
            offer(  # the one who says "we'll" usually drives it
                Candidate(
                    ItemKind.action,
                    i,
                    owner=unit.speaker,
                    due_phrase=due,
                    strength=0.45,
                    pattern="we-commit",
                )
            )
    candidates = sorted(found.values(), key=lambda c: c.head)
    candidates = merge_deferrals(units, turns, candidates)
    candidates = merge_decisions(units, merge_commitments(units, candidates))
    candidates = merge_taken_up(units, turns, candidates)
    return merge_recap(units, turns, candidates, ctx)


def _request(units: list[Unit], turns: TurnView, i: int, ctx: Context) -> Candidate | None:
    unit = units[i]
    text = unit.text
    if HYPOTHETICAL.search(text.split(",")[0]) and not REQUEST.search(text.split(",")[0]):
        return None
    # The person asked: named in this sentence or earlier in the same turn ("Raj, the SSO
    # integration … Can you have that done by November first?").
    asked = addressee(text, unit.speaker, ctx)
    if asked is None:
        for j in turns.same_turn_before(i):
            asked = addressee(units[j].text, unit.speaker, ctx)
            if asked:
                break
    due = find_due_phrase(text)
    for group in turns.following(i, 2):
        reply = units[group[0]]
        if reply.speaker == unit.speaker:
            break
        if asked and reply.speaker != asked and not WHO_CAN.search(text):
            continue  # someone else chimes in; the person asked may answer next
        if REFUSE.search(reply.text):
            return None
        if _accepting(units, group):
            reply_due = next(
                (
                    find_due_phrase(units[j].text)
                    for j in group[:2]
                    if find_due_phrase(units[j].text)
                ),
                None,
            )
            # The reply may say the task better than the request ("Can you own that?" ->
            # "Yes. I'll have the security review done by Tuesday"): it is the topic then.
            said = next((j for j in group[:2] if len(content_words(units[j].text)) >= 3), None)
            return Candidate(
                ItemKind.action,
                i,
                support=group[:2],
                owner=reply.speaker,
                due_phrase=reply_due or due,
                strength=0.9,
                pattern="request+acceptance",
                topic=said,
            )
        break
    if asked and (TASK_VERB.search(text) or due):
        return Candidate(
            ItemKind.action,
            i,
            owner=asked,
            due_phrase=due,
            strength=0.7 if due else 0.6,
            pattern="request",
        )
    return None
