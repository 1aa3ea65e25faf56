"""KPI values said in meetings: "the Snowflake migration is at about eighty-five percent".

A turn states a KPI's value when one of its clauses names the KPI (enough of the words of its
name, a light stem of each: "duplicates" is "duplicate") and holds a number in the KPI's unit
that the clause says the KPI *is at*: after "is/are/at/now/down to/up to/reached", or as
"N percent of <the KPI>". Not readings: a target or plan ("the target is 80", "against a target
of forty-five"), what it was ("up from twenty-four", "last week you were at"), a change ("up two
points", "twelve percent fewer"), a hypothetical or a forecast ("if…", "we'll hit fifty percent
by Christmas"), a question, dates and money beside a percentage. When two KPIs share words the
clause goes to the one whose name it covers best; a tie is no reading.

A reading from a meeting is kept beside the goal's value, never over it (store/goals.py).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from assistant.kpi_numbers import Number, numbers, tokens
from assistant.models import KPI, Goal, KpiReading, Meeting, Turn
from assistant.store import goals as goal_store

log = logging.getLogger(__name__)

_STOP = frozenset(
    "the a an and or of for with by to in on at per from into across behind within over under"
    " our their its new total number rate share level".split()
)
# Words many KPIs share: they count toward a match, but a match needs one other word too.
_WEAK = frozenset("marketing customer active data page tool account time user".split())
_HEDGES = frozenset(
    "about around roughly approximately nearly almost just under over some only already now"
    " currently still right sitting running standing sat stood more than less a solid".split()
)
_IS = frozenset(
    "is are was were at now currently reached hit hits hitting stands sits averaged averages sold"
    " 's ’s".split()
)
_MOVES = frozenset(
    "up down risen rose fallen fell dropped climbed improved grown gone come crept slipped".split()
)
_BEFORE_NO = frozenset(
    "target targets goal goals aim aiming objective budget budgeted forecast forecasted plan"
    " planned planning expect expected expecting projected projection want need needs hope"
    " should must last versus vs compared against benchmark than another kpi kpis"
    " extra each every lose losing gain gaining".split()
)
_AFTER_NO = frozenset(
    "target goal fewer more less higher lower over under increase decrease drop rise growth"
    " improvement uplift ago before later".split()
)
_HYPOTHETICAL = re.compile(
    r"\b(if|would|could|might|suppose|imagine|assuming|unless|hopefully|ideally|should|"
    r"will|won't|going to|gonna|want to|plan to|expect|aim|aiming)\b|'ll\b|’ll\b|"
    r"^\s*(below|above|without|under|over)\b",  # "Below sixty, the conversion is under five"
    re.I,
)
_PAST = re.compile(
    r"\b(used to|last (week|month|quarter|year)|(start|beginning) of|in (the )?(spring|summer)|"
    r"a (week|month|quarter|year) ago|before the)\b",
    re.I,
)
_CLAUSE = re.compile(r"[,;:]\s+|\s+(?:but|while|whereas|which is|and then)\s+|\s+-+\s+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# A clause about the KPI just spoken of: "About seventy percent done.", "Today it's sixty-three
# percent", "At the end of September it was eighty-six percent".
_PRONOUN_STATEMENT = re.compile(
    r"^(about|around|roughly|nearly)\b|"
    r"^(\S+\s+){0,6}(it's|it is|it was|that's|that is|we're|we are|they're|they are)\b",
    re.I,
)
_FUNCTION_WORDS = frozenset(
    "are is were was have has had of in on out so now already done and or today this".split()
)
_DONE_WORDS = frozenset("done complete completed finished there through migrated".split())


@dataclass
class Said:
    """A KPI value stated in a meeting turn."""

    goal_id: str
    kpi: str
    value: float
    unit: str
    turn_index: int
    speaker: str | None
    quote: str


def stem(word: str) -> str:
    w = word.lower().strip("'’")
    for suffix in ("ion", "ing", "ies", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return w.rstrip("e") if len(w) > 3 else w


def name_words(name: str) -> set[str]:
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", name)
    return {stem(w) for w in words if w.lower() not in _STOP and len(w) > 1}


def unit_family(unit: str) -> str:
    u = unit.strip().lower()
    if u in ("%", "percent", "pct"):
        return "percent"
    if u in ("s", "sec", "secs", "second", "seconds"):
        return "seconds"
    if u in ("min", "mins", "minute", "minutes"):
        return "minutes"
    if u in ("ms", "milliseconds"):
        return "ms"
    for code in ("GBP", "USD", "EUR"):
        if code.lower() in u:
            return ("k" if u.startswith("k") else "") + code
    return "count:" + stem(u) if u else "count:"


def _value_in_unit(n: Number, family: str, kpi_words: frozenset[str] = frozenset()) -> float | None:
    """The number as a value of a KPI in `family`, or None when its unit says otherwise."""
    if family == "percent":
        return n.value if n.unit == "percent" else None
    if family in ("seconds", "minutes", "ms"):
        bare = n.unit == "" or n.unit[5:] in _FUNCTION_WORDS  # "down to 1.8", not "nine tags"
        if n.unit == family or (bare and not n.scaled):
            return n.value
        if family == "seconds" and n.unit == "ms":
            return n.value / 1000
        return None
    if family.endswith(("GBP", "USD", "EUR")):
        code = family[-3:]
        if n.unit != code and not (n.scaled and n.unit in ("", "word:" + code.lower())):
            return None
        return n.value / 1000 if family.startswith("k") else n.value
    # A count ("dashboards", "tickets"): the unit's word or a word of the KPI's name after it,
    # or nothing said ("nine are rebuilt"); not a bare "one point one million" (money, said so).
    if n.unit.startswith("word:") and n.unit[5:] not in _FUNCTION_WORDS:
        word = stem(n.unit[5:])
        return n.value if word == family[6:] or word in kpi_words else None
    bare = n.unit == "" or n.unit[5:] in _FUNCTION_WORDS
    return n.value if bare and not n.scaled else None


def _kpi_score(words: set[str], kpi_words: set[str]) -> tuple[float, int] | None:
    hit = words & kpi_words
    strong = hit - _WEAK
    if len(kpi_words) == 1:
        return (1.0, 1) if hit else None
    if len(hit) < 2 or not strong or len(hit) / len(kpi_words) < 0.34:
        return None
    return (len(hit) / len(kpi_words), len(hit))


def _best_kpi(text: str, kpis: list[tuple[Goal, KPI, set[str]]]) -> tuple[Goal, KPI] | None:
    words = {stem(w) for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text)}
    scored = [(s, g, k) for g, k, kw in kpis if (s := _kpi_score(words, kw))]
    if not scored:
        return None
    scored.sort(key=lambda t: t[0], reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # two KPIs fit as well: no guess
    return scored[0][1], scored[0][2]


def _states_value(toks: list[str], n: Number, others: list[Number], name: str = "") -> bool:
    """Whether the clause says the KPI *is at* number n (not a target, a past value, a change).
    The words of the KPI's own name ("Holiday revenue versus last year") are no cue."""
    low = [t.lower() for t in toks]
    i = n.start
    while i > 0 and low[i - 1] in _HEDGES:
        i -= 1
    own = set(name.lower().split())
    before = [w for w in low[max(0, i - 5) : i] if w not in own]
    near = low[max(0, i - 2) : i]
    after = low[n.end : n.end + 2]
    if any(w in _BEFORE_NO for w in before) or any(w in _AFTER_NO for w in after):
        return False
    if near and near[-1] in ("up", "down", "by", "from"):  # "up two points", "from 24 to 28"
        return False
    if after[:1] == ["by"]:  # "fifty percent by Christmas": a date to reach it by
        return False
    if any(w in _IS or w.endswith(("'s", "’s", "'re", "’re")) for w in near):
        return True
    if near[-1:] == ["to"] and (set(before) & _MOVES or any(o.end <= n.start for o in others)):
        return True  # "down to 1.8", "from thirty-one percent to twenty-four"
    if after[:1] in (["of"], ["with"], ["against"]) or (after and after[0] in _DONE_WORDS):
        return True  # "four percent of customer records", "eighty percent done", "N against M"
    return i == 0  # the clause opens with the value: "About seventy percent done."


def _fraction(toks: list[str], kpi_words: frozenset[str]) -> float | None:
    """ "thirty-four of the forty-one tags are gated" as a percentage (the whole is counted in
    the KPI's words: not "one of the fourteen already gated")."""
    found = numbers(toks)
    for a, b in zip(found, found[1:], strict=False):
        between = [t.lower() for t in toks[a.end : b.start]]
        whole = stem(toks[b.end]) if b.end < len(toks) else ""
        if (
            between in (["of"], ["of", "the"], ["of", "our"])
            and 1 < a.value <= b.value
            and whole in kpi_words
        ):
            return round(100 * a.value / b.value, 1)
    return None


def _clause_value(
    clause: str, family: str, kpi_words: frozenset[str], name: str = ""
) -> float | None:
    if _HYPOTHETICAL.search(clause) or _PAST.search(clause):
        return None
    toks = tokens(clause)
    found = numbers(toks)
    for n in found:
        value = _value_in_unit(n, family, kpi_words)
        if value is None and family == "percent" and n.unit == "":
            # "from thirty-one percent to twenty-four": the unit said once for both
            prior = [o for o in found if o.end <= n.start and o.unit == "percent"]
            if prior and toks[n.start - 1].lower() == "to":
                value = n.value
        if value is not None and _states_value(toks, n, found, name):
            return value
    if family == "percent":
        return _fraction(toks, kpi_words)
    return None


def _clause_reading(
    clause: str,
    sentence: str,
    context: str,
    named: tuple[Goal, KPI] | None,
    recent: tuple[Goal, KPI] | None,
    kpis: list[tuple[Goal, KPI, set[str]]],
) -> tuple[Goal, KPI, float] | None:
    """The KPI a clause states and its value: the KPI it names (else the one its sentence
    names); a clause like "it's about eighty percent done" takes the KPI just spoken of."""
    match = _best_kpi(clause, kpis)
    if match is None and _PRONOUN_STATEMENT.match(clause.strip()):
        head = sentence[: sentence.find(clause)] if clause in sentence else ""
        match = _best_kpi(f"{head} {clause}", kpis) or _best_kpi(f"{context} {clause}", kpis)
        match = match or recent
    elif match is None:
        match = named
    if match is None:
        return None
    if _HYPOTHETICAL.search(sentence.split(",")[0]):
        return None  # "If the open rate keeps going up at this pace, we'll hit fifty percent"
    words = frozenset(name_words(match[1].name))
    value = _clause_value(clause, unit_family(match[1].unit), words, match[1].name)
    return None if value is None else (match[0], match[1], value)


def find_readings(turns: list[Turn], goals: list[Goal]) -> list[Said]:
    """The KPI values the turns state, at most one per KPI per turn."""
    kpis = [(g, k, name_words(k.name)) for g in goals for k in g.kpis]
    kpis = [t for t in kpis if t[2]]
    out: list[Said] = []
    last_turn: tuple[Goal, KPI] | None = None  # the KPI the previous turn named last
    context = ""  # the sentence before, for "We're at forty percent of the tables"
    for turn in turns:
        seen: set[tuple[str, str]] = set()
        recent, named_in_turn = last_turn, None
        for sentence in _SENTENCE.split(turn.text.strip()):
            named = _best_kpi(sentence, kpis)
            earlier = None  # the KPI an earlier clause named: "The dashboards, nineteen of…"
            if not sentence.rstrip().endswith("?"):
                for clause in (c for c in _CLAUSE.split(sentence) if c and c.strip()):
                    said = _clause_reading(clause, sentence, context, earlier, recent, kpis)
                    earlier = _best_kpi(clause, kpis) or earlier
                    if said and (said[0].id, said[1].name) not in seen:
                        goal, kpi, value = said
                        seen.add((goal.id, kpi.name))
                        out.append(
                            Said(
                                goal.id,
                                kpi.name,
                                value,
                                kpi.unit,
                                turn.index,
                                turn.speaker,
                                sentence.strip(),
                            )
                        )
            recent, named_in_turn = named or recent, named or named_in_turn
            context = sentence
        last_turn = named_in_turn
    return out


def record_meeting(app, meeting: Meeting, turns: list[Turn]) -> int:
    """Store the KPI values a newly ingested meeting states; how many. Never raises: a failure
    here is logged and the meeting stays ingested."""
    try:
        said = find_readings(turns, app.goals())
        at = goal_store.meeting_time(meeting.date)
        with app.db.transaction() as tx:
            for s in said:
                goal_store.add_reading(
                    tx,
                    s.goal_id,
                    s.kpi,
                    s.value,
                    s.unit,
                    "meeting",
                    at,
                    meeting_id=meeting.id,
                    turn_index=s.turn_index,
                    quote=s.quote,
                    speaker=s.speaker,
                )
        return len(said)
    except Exception:  # readings are extra: the ingest must not fail for them
        log.exception("KPI readings of meeting %s not recorded", meeting.id)
        return 0


def kpi_history(app, goal_id: str) -> list[KpiReading]:
    """Every reading of a goal's KPIs, oldest first; GoalNotFound for an unknown goal."""
    app.goal(goal_id)
    return goal_store.readings(app.db.connect(), goal_id)
