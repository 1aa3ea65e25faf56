"""Decisions in conversation: what a meeting settles, read across turns.

- stated outright ("Decision: …", "we're going with …", "we'll switch …");
- a proposal the others agree to ("Let's move the launch to the 9th." -> "Agreed."), asked as a
  question ("How about we run the pilot at two hotels?" -> "Works for me."), or a plain
  statement agreed outright ("We freeze the legacy journeys from today." -> "Agreed.");
- a conclusion drawn after agreement ("Then we retire the weekly funnel email.");
- a proposal put to the room ("Unless anyone objects, we go with mParticle"), undone by an
  objection.

Not decisions: retold or not-yet-taken decisions, preferences, steering the meeting, conditions
and hypotheticals ("if legal agrees we'd…"). Pure functions over sentences; no model.
"""

from __future__ import annotations

import re

from assistant.extract.exchange import Candidate, TurnView, topic_before
from assistant.extract.features import Unit
from assistant.extract.signals import (
    AGREE,
    ARRANGEMENT,
    ASKED_PROPOSAL,
    ASSENT,
    CONCLUSION,
    DECISION,
    NOT_DECIDED,
    OBJECTION_CALL,
    PAST_RETOLD,
    PREFERENCE,
    PROPOSAL,
    REFUSE,
    REMENTION,
    STEERING,
    STRONG_AGREE,
    WE_STATEMENT,
    I,
    content_words,
    is_question,
    is_status_report,
)
from assistant.models import ItemKind

WEIGHED = re.compile(
    r"^\W*(?:option (?:one|two|three|four|a|b|c|d|\d)|the (?:first|second|third|other) option|"
    r"one option|another option|alternatively|or else|plan b)\b",
    I,
)

# What "let's keep it simple" proposes: a manner, not a choice a reader could act on.
VAGUE = frozenset(
    "simple easy short clean tidy light brief practical realistic quick small".split()
)


def decision_at(
    units: list[Unit], turns: TurnView, i: int, found: dict[int, Candidate]
) -> tuple[bool, Candidate | None]:
    """The decision sentence i states, if any: (True, candidate) when the sentence is a
    decision matter (a candidate, or settled as none: an objection raised, a conclusion of a
    proposal already found), (False, None) when other patterns may read it. `found` holds the
    candidates of earlier sentences; an objection withdraws the proposal before it."""
    text = units[i].text
    # --- the chair calls it, then says it: "Okay, I'm going to call it. Freeze on paywall …"
    if CALL_IT.search(text) and len(content_words(CALL_IT.sub(" ", text))) < 3:
        said = [j for j in turns.groups[turns.group_of[i]] if j > i][:1]
        if said and not is_question(units[said[0]].text) and decision_ok(units[said[0]].text):
            j = said[0]
            return True, Candidate(
                ItemKind.decision,
                j,
                support=[i, *agreement(units, turns, j)],
                strength=0.85,
                pattern="decision",
            )
    # --- a proposal put to the room: "Unless anyone objects, we go with mParticle."
    if OBJECTION_CALL.search(text):
        if _objected(units, turns, i):  # the proposal before the call is not decided
            for j in turns.same_turn_before(i):
                if j in found and found[j].kind == ItemKind.decision:
                    del found[j]
            return True, None
        if cand := _put_to_the_room(units, turns, i):
            return True, cand
    # --- decisions: explicit, or a proposal others agree to
    if DECISION.search(text) and decision_ok(text):
        agree = agreement(units, turns, i)
        strength = 0.9 if re.search(r"decision\s*[:\-]|decided|agreed", text, I) else 0.75
        # "That's settled, then.": the decision is what was just said.
        marker = DECISION.search(text)
        clause = re.split(r"[,.;:!?—]", text[marker.end() :] if marker else text, maxsplit=1)[0]
        bare = not content_words(clause)
        topic = topic_before(units, turns, i) if bare else None
        return True, Candidate(
            ItemKind.decision,
            i,
            topic=topic,
            support=agree,
            strength=strength + (0.05 if agree else 0.0),
            pattern="decision",
        )
    if CONCLUSION.search(text) and decision_ok(text) and len(content_words(text)) >= 3:
        # "Then we retire the weekly funnel email." after the room agreed
        prior = [g[0] for g in turns.previous(i, 1) if g]
        settled = any(  # the agreement already backs a proposal: that is the decision
            c.kind == ItemKind.decision and prior and prior[0] in c.support for c in found.values()
        )
        if prior and AGREE.search(units[prior[0]].text) and not is_question(text):
            if settled:
                return True, None
            return True, Candidate(
                ItemKind.decision,
                i,
                support=prior,
                strength=0.7,
                pattern="decision",
            )
    # "How about we run the pilot at two hotels?" - "Works for me.": asked, then agreed.
    asked = bool(ASKED_PROPOSAL.search(text)) and is_question(text)
    if asked and decision_ok(ASKED_PROPOSAL.sub("We", text).rstrip(" ?") + "."):
        agree = agreement(units, turns, i)
        strong = any(STRONG_AGREE.search(units[a].text) for a in agree[:1])
        if agree and (strong or not re.search(r"\b(?:should|could) we\b", text, I)):
            return True, Candidate(
                ItemKind.decision,
                i,
                support=agree,
                strength=0.7,
                pattern="proposal+agreement",
            )
    if cand := _stated_and_agreed(units, turns, i):
        return True, cand
    if PROPOSAL.search(text) and not STEERING.search(text) and decision_ok(text):
        agree = agreement(units, turns, i)
        # The proposal may go on in the next sentence of the turn ("I'd like to retire
        # it. Just switch it off, and point people at the dashboard.").
        rest = [j for j in turns.groups[turns.group_of[i]] if j > i][:1]
        # What is proposed, without the words that propose it ("I'd like to keep it
        # simple" proposes nothing a reader could act on).
        proposed = content_words(PROPOSAL.sub(" ", text))
        words = content_words(" ".join([PROPOSAL.sub(" ", text), *(units[j].text for j in rest)]))
        if proposed and set(proposed) <= VAGUE:
            words = []
        # "Let's settle it. We'll use a position-based model…": the next sentence states
        # the decision, and is the candidate.
        said_next = rest and (
            DECISION.search(units[rest[0]].text) or PROPOSAL.search(units[rest[0]].text)
        )
        if len(proposed) < 2 and said_next:
            return True, None
        if agree and len(words) >= 3 and not re.match(r"\W*no\b|\W*let's not\b", text, I):
            return True, Candidate(
                ItemKind.decision,
                i,
                topic=rest[0] if rest and len(proposed) < 2 else None,
                support=agree,
                strength=0.7,
                pattern="proposal+agreement",
            )
    return False, None


# The chair taking the decision, in words that say none of it: the next sentence does.
CALL_IT = re.compile(
    r"\b(?:i'm (?:going to|gonna) (?:call|make) it|i'll (?:make|take) the (?:call|decision)|"
    r"i'm making the call|let me make the call|i'll call it|i'm calling it)\b",
    I,
)


def _stated_and_agreed(units: list[Unit], turns: TurnView, i: int) -> Candidate | None:
    """A plain statement others then agree to outright: of what we do ("We freeze changes to
    the legacy journeys as of today." - "Agreed.") or of how things will be ("Then Stripe goes
    to fifty percent on Monday." - "Okay. I can live with that.")."""
    text = units[i].text
    if is_question(text) or not decision_ok(text) or len(content_words(text)) < 3:
        return None
    readings = (
        (WE_STATEMENT.search(text) and not is_status_report(text), 0.65),
        # (no status-report check: "goes to fifty percent on Monday" is a plan, and the
        # outright agreement it needs is not what news gets)
        (ARRANGEMENT.search(text) and not described(text), 0.6),
    )
    for stated, strength in readings:
        if not stated:
            continue
        agree = agreement(units, turns, i)
        if agree and agreed_outright(units, turns, agree[0]):
            return Candidate(
                ItemKind.decision,
                i,
                support=agree,
                strength=strength,
                pattern="statement+agreement",
            )
    return None


# A wish, an assumption, a need or the question itself: nothing chosen yet.
UNCHOSEN = re.compile(
    r"^\W*(?:the (?:question|issue|problem|open point) is|(?:i|we) need\b|(?:we|i) want to\b|"
    r"we'd like to|we would like to)|\b(?:working assumption|my assumption|i'm assuming|"
    r"(?:don't|do not) think we (?:should|can|need to) (?:settle|decide|agree))\b",
    I,
)


# Words that describe how things are, which a classifier may take for a choice: work in
# progress ("The yield team is building their first flow"), a thing described ("It's a third
# party page on a bank's domain", "Launch week is front-loaded on purpose") or an estimate ("A
# vendor switch is six months at least"). Said outright, a decision names what is chosen.
DESCRIBED = re.compile(
    r"\b(?:is|are|'s|'re|am) (?:\w+ly )?(?!going\b)(?!being\b)\w{3,}ing\b|"
    r"^\W*(?:(?:and|but|so|well|yeah|no),? )?(?:it|that|this|which)(?:'s| is| was) "
    r"(?:a|an|just|really|very|quite|pretty|kind of|sort of)\b|"
    r"\bon purpose\b|"
    r"\b(?:is|are|'s|takes?) (?:about |roughly |around |at least |easily )?"
    r"(?:a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|\d+) "
    r"(?:hours?|days?|weeks?|months?|quarters?|years?|sprints?)\b",
    I,
)


def described(text: str) -> bool:
    """A sentence that says how things are, not what is chosen (for classifier peaks, which
    have no choice words to go by)."""
    return bool(DESCRIBED.search(text))


def not_a_decision(text: str) -> bool:
    """Said of a choice, but not one made: retold, not taken, preferred, weighed, wished for
    or still asked."""
    return bool(
        PAST_RETOLD.search(text)
        or NOT_DECIDED.search(text)
        or PREFERENCE.search(text)
        or WEIGHED.search(text)
        or UNCHOSEN.search(text)
    )


def decision_ok(text: str) -> bool:
    if not_a_decision(text):
        return False
    if REMENTION.search(text):
        return False  # "let's keep it there until the CDP is live": a snag still parked
    if STEERING.search(text) and not re.search(r"decision\s*[:\-]|decided|agreed", text, I):
        return False  # "let's keep moving": the meeting steered, nothing chosen
    if re.search(
        r"\b(?:drop|close|cancel|scrap)\b.{0,60}\b(?:action(?: item)?|item|task|ticket|to-?do)\.?$",
        text,
        I,
    ):
        return False  # an earlier item dropped: the tracker's, not a new decision
    if is_question(text) and not re.search(r"\bdecision\s*[:\-]", text, I):
        return False
    head = re.split(r"\b(?:we'll|we will|we're|let's|we)\b", text, maxsplit=1, flags=I)[0]
    if re.search(r"(?:^|\W)(?:if|unless|suppose|assuming|whether)\b", head, I):
        return False
    if re.search(r"\b(?:as long as|so long as|provided that|on condition)\b", text, I):
        return False
    return not re.search(r"\b(?:we'd|we would|we could|we might)\b", text, I)


# An answer to a call for objections that raises one ("No." answers "any objections?" with
# assent, so it is not here).
_OBJECTS = re.compile(
    r"\W*(?:actually|wait|hold on|not so fast|not yet|i object|i'd object|i do\b|yes,? i|"
    r"well,? i|i'm not sure|i am not sure|i don't think|i'd rather|one concern|i have a concern|"
    r"(?:i |we )?can't|(?:i |we )?cannot|that won't|it won't|hmm)",
    I,
)


def _objected(units: list[Unit], turns: TurnView, i: int) -> bool:
    """Whether the first answer by someone else to the call for objections at i raises one."""
    for group in turns.following(i, 1):
        answer = units[group[0]]
        if answer.speaker != units[i].speaker:
            return is_question(answer.text) or bool(_OBJECTS.match(answer.text))
    return False


def _put_to_the_room(units: list[Unit], turns: TurnView, i: int) -> Candidate | None:
    """A proposal with a call for objections that nobody raises: the proposal is in the
    sentence ("unless anyone objects, we go with X") or just before it in the same turn ("Put
    ETH/70 in scope. Anyone opposed?"); those who assent in the next turn support it."""
    said = OBJECTION_CALL.sub(" ", units[i].text)
    if len(content_words(said)) >= 2 and decision_ok(re.sub(r"^\W*,?\s*", "", said)):
        head, support = i, []
    else:
        before = turns.same_turn_before(i)[-1:]
        if not before or len(content_words(units[before[0]].text)) < 3:
            return None
        if not decision_ok(units[before[0]].text) or is_status_report(units[before[0]].text):
            return None
        head, support = before[0], [i]
    answers = [g[0] for g in turns.following(i, 1) if g and units[g[0]].speaker != units[i].speaker]
    support += [a for a in answers if AGREE.search(units[a].text)]
    return Candidate(
        ItemKind.decision,
        head,
        support=support,
        strength=0.7,
        pattern="objection-call",
    )


def agreed_outright(units: list[Unit], turns: TurnView, first: int) -> bool:
    """Whether the reply that sentence `first` opens agrees outright ("Agreed.", "Okay. I can
    live with that.", "Yeah, fair."), not just "Okay."."""
    reply = turns.groups[turns.group_of[first]]
    return bool(STRONG_AGREE.search(units[first].text)) or any(
        ASSENT.search(units[j].text) for j in reply
    )


def agreement(units: list[Unit], turns: TurnView, i: int) -> list[int]:
    """Sentences of the next two turns, by others, that agree with unit i."""
    speaker = units[i].speaker
    out = []
    for group in turns.following(i, 2):
        first = group[0]
        if units[first].speaker == speaker:
            continue
        text = units[first].text
        if AGREE.search(text) and not REFUSE.search(text) and not is_question(text):
            out.append(first)
        else:
            break
    return out
