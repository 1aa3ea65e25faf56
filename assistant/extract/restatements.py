"""Restatements folded into one candidate: a proposal, its agreement and the chair's "so the
decision is…"; two commitments to the same work in one turn; a snag parked in consecutive
turns; a request taken up turns later; the recap at the end, which repeats items (it adds
evidence, never a second item, and brings back items only it made clear).
"""

from __future__ import annotations

import re

from assistant.extract.dates import find_due_phrase
from assistant.extract.exchange import Candidate, Context, TurnView, said_in, third_person_owner
from assistant.extract.features import Unit
from assistant.extract.signals import PARK, RECAP, RECAP_LATER, content_words, is_question
from assistant.models import ItemKind

_CLOSES = re.compile(
    r"\b(?:that's decided|so that's decided|that's settled|it's decided|decided|agreed then|"
    r"then that's|final answer)\b",
    re.IGNORECASE,
)


def merge_decisions(units: list[Unit], cands: list[Candidate]) -> list[Candidate]:
    """A proposal, its agreement and the chair's "so the decision is …" are one decision: a
    decision stated in the agreement of an earlier one backs it."""
    out: list[Candidate] = []
    for c in cands:
        earlier = next(
            (
                o
                for o in reversed(out)
                if o.kind == ItemKind.decision == c.kind
                and (
                    units[c.head].turn_index in {units[s].turn_index for s in o.support}
                    or units[c.head].turn_index == units[o.head].turn_index
                    # the chair's "Then that's decided: …" just after the agreement
                    or (
                        _CLOSES.search(units[c.head].text) is not None
                        and 0
                        < units[c.head].turn_index - max(units[m].turn_index for m in o.units())
                        <= 2
                    )
                )
                and word_overlap(units[c.head].text, said_in(units, o.units())) >= 0.25
            ),
            None,
        )
        if earlier is not None:
            earlier.support = sorted({*earlier.support, c.head, *c.support} - {earlier.head})
            earlier.strength = max(earlier.strength, c.strength)
            continue
        out.append(c)
    return out


def merge_commitments(units: list[Unit], cands: list[Candidate]) -> list[Candidate]:
    """One speaker committing twice in a turn to the same work ("My team will build it. I'll
    have it live by the 6th.") is one action: the more explicit sentence states it."""
    out: list[Candidate] = []
    for c in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and c.kind == prev.kind == ItemKind.action
            and c.owner == prev.owner
            and units[c.head].turn_index == units[prev.head].turn_index
            and (
                min(len(content_words(units[m].text)) for m in (c.head, prev.head)) <= 4
                or word_overlap(units[c.head].text, units[prev.head].text) >= 0.3
            )
        ):
            keep, other = (c, prev) if c.strength > prev.strength else (prev, c)
            keep.support = sorted({*keep.support, other.head, *other.support} - {keep.head})
            keep.due_phrase = keep.due_phrase or other.due_phrase
            out[-1] = keep
            continue
        out.append(c)
    return out


TAKEN_UP_TURNS = 8  # how far on a commitment may take up a request nobody answered


def merge_taken_up(units: list[Unit], turns: TurnView, cands: list[Candidate]) -> list[Candidate]:
    """ "Then please send me the signed split." … "I'll send Elena the signed licence split by
    next Tuesday.": a request nobody took up at once, taken up a few turns later by someone's
    commitment to the same work, is one action. The commitment states it (owner, date); the
    request backs it."""
    dropped: set[int] = set()
    for n, request in enumerate(cands):
        if request.kind != ItemKind.action or request.owner is not None:
            continue
        asker = units[request.head].speaker
        taken = next(
            (
                c
                for c in cands[n + 1 :]
                if c.kind == ItemKind.action
                and c.owner is not None
                and c.owner != asker
                and 0 < turns.group_of[c.head] - turns.group_of[request.head] <= TAKEN_UP_TURNS
                and word_overlap(units[request.head].text, units[c.head].text) >= 0.5
            ),
            None,
        )
        if taken is not None:
            taken.support = sorted({*taken.support, request.head, *request.support})
            dropped.add(id(request))
    return [c for c in cands if id(c) not in dropped]


def merge_deferrals(units: list[Unit], turns: TurnView, cands: list[Candidate]) -> list[Candidate]:
    """ "Let's park attribution." -> "Fine, we'll come back to it." -> "Parking lot.": one snag,
    said in consecutive turns; the later turns back the first."""
    out: list[Candidate] = []
    for c in cands:
        last = next((o for o in reversed(out) if o.kind == ItemKind.parking), None)
        if (
            c.kind == ItemKind.parking
            and last is not None
            and turns.group_of[c.head] - turns.group_of[max(last.units())] <= 2
            and (
                c.topic is None
                or c.topic == last.topic
                or c.topic in last.units()
                or len(content_words(PARK.sub(" ", units[c.head].text))) < 3
            )
        ):
            last.support = sorted({*last.support, c.head})
            last.due_phrase = last.due_phrase or c.due_phrase
            continue
        out.append(c)
    return out


def word_overlap(a: str, b: str) -> float:
    wa, wb = set(content_words(a)), set(content_words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def merge_recap(
    units: list[Unit], turns: TurnView, candidates: list[Candidate], ctx: Context
) -> list[Candidate]:
    """A recap repeats items. A recap sentence that restates an earlier candidate becomes that
    candidate's support (and fills its owner and due date if they were missing). One that
    restates no candidate but an earlier sentence is an item the patterns missed: that sentence
    becomes a candidate of each kind (the item scorer picks the reading), with the recap as its
    support (`_recap_items`)."""
    recap_from = next(
        (
            i
            for i, u in enumerate(units)
            if i > len(units) * 0.5 and RECAP.search(u.text) and not RECAP_LATER.search(u.text)
        ),
        None,
    )
    if recap_from is None:
        return candidates
    recap_turn = turns.group_of[recap_from]
    in_recap = [i for g in turns.groups[recap_turn : recap_turn + 3] for i in g if i >= recap_from]
    before = [c for c in candidates if c.head < recap_from]
    kept = [c for c in candidates if c.head < recap_from]
    said_words = [set(content_words(u.text)) for u in units[:recap_from]]  # once, not per line
    for i in in_recap:
        text = units[i].text
        owner = recap_owner(text, ctx)
        best, score = None, 0.0
        for c in before:
            s = word_overlap(text, said_in(units, c.units()))
            if owner and c.owner == owner:
                s += 0.2
            if s > score:
                best, score = c, s
        if best is not None and score >= 0.5:
            best.support = sorted({*best.support, i})
            best.owner = best.owner or owner
            best.due_phrase = best.due_phrase or find_due_phrase(text)
            best.recapped = True
            continue
        late = [c for c in candidates if c.head == i]
        if late:
            for c in late:
                c.recapped = True
            kept += late
            continue
        kept += _recap_items(units, i, said_words, owner)
    kept += [c for c in candidates if c.head >= recap_from and c.head not in in_recap]
    return sorted(kept, key=lambda c: c.head)


RECAP_STRENGTH = 0.5  # a recap line no pattern read: the chair lists it, in few words


def _recap_items(
    units: list[Unit], i: int, said_words: list[set[str]], owner: str | None
) -> list[Candidate]:
    """A decision and an action reading of the earlier sentence that recap sentence `i`
    repeats (`said_words`: the content words of each sentence before the recap), with the
    recap as its support: the meeting said it there first, and the recap says it mattered.
    Nothing when no earlier sentence shares most of its words (a recap line alone is a few
    words, often of several items), nor for questions, bare assents, "did I miss anything?"
    and parked snags (the deferral patterns read those)."""
    text = units[i].text
    words = set(content_words(text))
    if is_question(text) or PARK.search(text) or len(words) < 3:
        return []

    def shared(j: int) -> int:
        return len(words & said_words[j])

    said_first = max(range(len(said_words)), key=lambda j: (shared(j), -j), default=None)
    if said_first is None or not (
        shared(said_first) >= 3 or word_overlap(text, units[said_first].text) >= 0.67
    ):
        return []
    due = find_due_phrase(text) or find_due_phrase(units[said_first].text)
    return [
        Candidate(
            kind,
            said_first,
            [i],
            owner=owner if kind == ItemKind.action else None,
            due_phrase=due if kind == ItemKind.action else None,
            strength=RECAP_STRENGTH,
            pattern="recap",
            recapped=True,
        )
        for kind in (ItemKind.decision, ItemKind.action)
    ]


def recap_owner(text: str, ctx: Context) -> str | None:
    """Who a recap line gives the work to: "Tobias writes up the Courier plan", "Lena's
    getting the teaser in by Friday", "the Mailchimp lists get deleted, Wen by Friday"."""
    found = third_person_owner(text, None, ctx)
    if found or not ctx.names:
        return found
    lowered = text.lower()
    for key in sorted(ctx.names, key=len, reverse=True):
        name = re.escape(key)
        if re.match(
            rf"^\W*(?:(?:and|then|so|also|plus)\W+)?{name}(?:'s\s+\w+ing|\s+(?:has|is|gets|"
            rf"takes|owns|does|sends|sets|\w+s)\b)",
            lowered,
        ) or re.search(rf",\s*{name}(?:\s+by\s[\w\s]+)?\W*$", lowered):
            return ctx.names[key]
    return None
