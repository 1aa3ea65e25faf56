"""Understand a question: intent, time phrase, people and teams, goal, status, topic.

Each step is a small pure function over the question text and a `Context` (today, the people
and goals the corpus knows), so each can be tested alone. `parse_question` runs them all.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from assistant.answer.types import Asks, Intent, Question, TimeRange
from assistant.models import Goal, MeetingKind, Team
from assistant.search import WORD, named_speakers, query_terms

MONTHS = {
    name.lower(): n
    for n in range(1, 13)
    for name in (calendar.month_name[n], calendar.month_abbr[n])
}
MONTHS["sept"] = 9
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
NUMBERS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "couple of": 2, "few": 3,
}  # fmt: skip

# Intent cues, most specific first: "what's still parked" is parking even though "still" is not.
INTENT_CUES: list[tuple[Intent, re.Pattern]] = [
    (
        "parking",
        re.compile(
            r"\bparking[- ]lot\b|\bpark(ed|ing)?\b|\bsnags?\b|\bunresolved\b|\bopen (issues|"
            r"questions|problems|points)\b|\bblock(ers?|ed)\b|\bdeferred\b|\bpostponed\b",
            re.I,
        ),
    ),
    (
        "actions",
        re.compile(
            r"\baction( items?)?s?\b|\bto-?dos?\b|\bowes?\b|\bowed\b|\btasks?\b|\bfollow[- ]ups?\b|"
            r"\boverdue\b|\bdue\b|\bdeliverables?\b|\bpromise[sd]?\b|\bcommitted to\b|\bassigned\b|"
            r"\bsupposed to\b|\bresponsible for\b|\bon the hook\b|\bwho (is|was) (doing|handling)",
            re.I,
        ),
    ),
    (
        "decisions",
        re.compile(
            r"\bdecid\w*|\bdecisions?\b|\bagreed?\b|\bsettled?\b|\bchose\b|\bchosen\b|"
            r"\bchoice\b|\bchoose\b|\bwent with\b|\bgo(ing)? with\b|\bapproved?\b|\bverdict\b",
            re.I,
        ),
    ),
    (
        "goal",
        re.compile(
            r"\bgoals?\b|\bokrs?\b|\bkpis?\b|\bmilestones?\b|\btargets?\b|\bon track\b|"
            r"\bprogress\b",
            re.I,
        ),
    ),
]

# Words that name a team. Upper-case "IT" only: lower-case "it" is a pronoun.
TEAM_WORDS: list[tuple[Team, re.Pattern]] = [
    (
        Team.it,
        re.compile(
            r"\bIT\b|(?i:\b(?:tech(?:nology)?|engineering|data|security|infra(?:structure)?)"
            r" team\b|\bengineers\b|\bcio\b)",
        ),
    ),
    (
        Team.marketing,
        re.compile(
            r"\bmarketing\b|\bmktg\b|\bcmo\b|\bcontent team\b|\bmarketing ops\b|\bgrowth team\b",
            re.I,
        ),
    ),
]
_TEAM_WORD_LOOSE = {
    "it": Team.it,
    "tech": Team.it,
    "engineering": Team.it,
    "cio": Team.it,
    "marketing": Team.marketing,
    "mktg": Team.marketing,
    "cmo": Team.marketing,
}

_OWE = re.compile(
    r"\b(?:what|which \w+)\s+(?:does|do|did|is|are|was|were)\s+(?:the\s+)?(?P<who>[\w' .-]+?)\s+"
    r"(?:still\s+)?(?:owe|owes|owed|promised?|committed(?: to)?|doing|delivering|"
    r"(?:have|has) to (?:do|deliver))\s*(?:to\s+|for\s+)?(?:the\s+)?(?P<whom>[\w' .-]+?)?"
    r"\s*(?:team)?\s*(?:\?|$|\b(?:by|before|this|last|since|in|on)\b)",
    re.I,
)

_STATUS_CUES: list[tuple[str, re.Pattern]] = [
    ("done", re.compile(r"\b(done|completed?|finished|closed|delivered)\b", re.I)),
    ("open", re.compile(r"\b(open|outstanding|pending|still|owe|owes|not (yet )?done)\b", re.I)),
    ("superseded", re.compile(r"\b(superseded|reversed|overturned|changed)\b", re.I)),
    ("standing", re.compile(r"\b(standing|stands|current|still valid|in force)\b", re.I)),
    ("resolved", re.compile(r"\b(resolved|unparked)\b", re.I)),
]

# Words that carry no topic (besides search stopwords): question framing and intent words.
FRAME_WORDS = frozenset(
    """
    decide decided decides decision decisions agree agreed agreement settle settled choose chose
    chosen choice approved approve action actions item items todo todos task tasks owe owes owed
    owner owns parking lot park parked snag snags open outstanding pending still status
    meeting meetings happen happened anything everything something latest last recent recently
    week weeks month months today yesterday since before after during quarter day days ago past
    goal goals kpi kpis progress track target targets milestone milestones team teams
    overdue due deliverable deliverables promised committed assigned follow up done who whom
    whose tell show list give please us anyone someone people need needs doing going
    current standing stand stands made make new get got any all unresolved blocked blockers
    issue issues question questions problem problems word words spoke speak asked ask
    what what's whats promise promises hook happening
    why planned needed ahead finished being drop dropped move moved changed
    """.split()
)


@dataclass
class Context:
    """What the parser may know besides the text; every field has a harmless default."""

    today: date
    speakers: list[str] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    people_teams: dict[str, Team] = field(default_factory=dict)  # owner -> usual team
    latest_meeting: Callable[[MeetingKind], date | None] = lambda kind: None


def stem(word: str) -> str:
    """A crude plural strip, enough to match "pages" with "page" and "leads" with "lead"."""
    word = word.lower()
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


# ------------------------------------------------------------------------- intent


def detect_intent(text: str) -> Intent:
    """The kind of answer wanted: parking lot, actions, decisions, a goal, or general."""
    for intent, pattern in INTENT_CUES:
        if pattern.search(text):
            return intent
    return "general"


# ------------------------------------------------------------------------- time


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _quarter_range(year: int, quarter: int) -> tuple[date, date]:
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), _month_range(year, first + 2)[1]


def _latest_month(today: date, month: int, year: int | None) -> tuple[date, date]:
    """A month named without a year is the latest such month not after today."""
    if year is None:
        year = today.year if month <= today.month else today.year - 1
    return _month_range(year, month)


MAX_COUNT = 10**6  # "the last 10000000 weeks" is every meeting: counted as this many


def _number(word: str) -> int | None:
    word = word.lower().strip()
    if word.isdecimal():  # not isdigit(): a superscript '²' is a digit that int() refuses
        return int(word) if len(word) <= 6 else MAX_COUNT
    return NUMBERS.get(word)


def _year(digits: str) -> int:
    """A year as written (four digits), within the calendar Python knows (1-9999)."""
    return min(max(int(digits), date.min.year), date.max.year)


def _parse_date(text: str, today: date) -> date | None:
    """An explicit date ("October 13", "2026-10-13", "13 Oct 2026"), relative to today."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    import dateparser  # slow to import: only when a question names a date

    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(today.year, today.month, today.day),
            "PREFER_DATES_FROM": "past",
            "STRICT_PARSING": False,
        },
    )
    return parsed.date() if parsed else None


_KIND_WORDS = {
    MeetingKind.qbr: r"qbr|quarterly( business)? review",
    MeetingKind.monthly_1on1: (
        r"1[:-]?on[:-]?1|1:1|one[- ]on[- ]one|monthly( 1:1| one[- ]on[- ]one)?"
    ),
    MeetingKind.weekly_sync: r"weekly( sync)?|sync",
}
_EXPLICIT_DATE = (
    rf"\d{{4}}-\d{{2}}-\d{{2}}|(?:{_MONTH_RE})\.? \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{_MONTH_RE})\.?(?: \d{{4}})?"
)


def parse_time(text: str, ctx: Context) -> tuple[TimeRange | None, list[str]]:
    """The time range a question names, relative to `ctx.today`; and notes on what failed."""
    today = ctx.today
    monday = today - timedelta(days=today.weekday())
    low = text.lower()
    notes: list[str] = []

    def found(m: re.Match, since: date | None, until: date | None) -> TimeRange:
        # `low` has the same length as `text`: quote the phrase as the user typed it.
        return TimeRange(since=since, until=until, phrase=text[m.start() : m.end()].strip())

    if m := re.search(r"\bsince (?:the )?(?:last |latest |most recent |previous )?(?P<k>.+?)\b"
                      r"(?:[?.,]|$| about| on | for | and )", low):  # fmt: skip
        for kind, words in _KIND_WORDS.items():
            if re.fullmatch(rf"(?:{words})( meeting)?", m.group("k").strip()):
                day = ctx.latest_meeting(kind)
                if day is None:
                    notes.append(f"no {kind.value} meeting found for '{m.group(0).strip()}'")
                    return None, notes
                phrase = text[m.start() : m.end()].strip(" ?.,")
                return TimeRange(since=day, phrase=phrase), notes
    if m := re.search(r"\byesterday\b", low):
        return found(m, today - timedelta(days=1), today - timedelta(days=1)), notes
    if m := re.search(r"\btoday\b", low):
        return found(m, today, today), notes
    if m := re.search(r"\b(?:this|the current) week\b", low):
        return found(m, monday, monday + timedelta(days=6)), notes
    if m := re.search(r"\b(?:last|previous|past) week\b", low):
        return found(m, monday - timedelta(days=7), monday - timedelta(days=1)), notes
    if m := re.search(r"\b(?:this|the current) month\b", low):
        return found(m, *_month_range(today.year, today.month)), notes
    if m := re.search(r"\b(?:last|previous|past) month\b", low):
        month_end = today.replace(day=1) - timedelta(days=1)
        return found(m, *_month_range(month_end.year, month_end.month)), notes
    quarter = (today.month - 1) // 3 + 1
    if m := re.search(r"\b(?:this|the current) quarter\b", low):
        return found(m, *_quarter_range(today.year, quarter)), notes
    if m := re.search(r"\b(?:last|previous|past) quarter\b", low):
        year, prev = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
        return found(m, *_quarter_range(year, prev)), notes
    if m := re.search(r"\bq([1-4])(?:\s+(\d{4}))?\b", low):
        year = _year(m.group(2)) if m.group(2) else today.year
        return found(m, *_quarter_range(year, int(m.group(1)))), notes
    if m := re.search(
        r"\b(?:in the |over the |during the )?(?:last|past) (\d+|[a-z]+(?: of)?) "
        r"(day|week|month)s?\b",
        low,
    ):
        n = _number(m.group(1))
        if n:
            days = {"day": 1, "week": 7, "month": 30}[m.group(2)] * n
            if days >= (today - date.min).days:  # further back than the calendar: all of it
                return found(m, None, today), notes
            return found(m, today - timedelta(days=days), today), notes
    if m := re.search(rf"\b(since|after|from|before|until|till|on) ({_EXPLICIT_DATE})\b", low):
        day = _parse_date(m.group(2), today)
        if day is not None:
            word = m.group(1)
            if word in ("since", "from"):
                return found(m, day, None), notes
            if word == "after":
                return found(m, day + timedelta(days=1), None), notes
            if word in ("before", "until", "till"):
                end = day - timedelta(days=1) if word == "before" else day
                return found(m, None, end), notes
            return found(m, day, day), notes
    if m := re.search(rf"\b(?:in|during|for|of) ({_MONTH_RE})\b\.?(?:,? (\d{{4}}))?", low):
        named_year = _year(m.group(2)) if m.group(2) else None
        return found(m, *_latest_month(today, MONTHS[m.group(1)], named_year)), notes
    return None, notes


# ------------------------------------------------------------------------- people and teams


def detect_teams(text: str) -> list[Team]:
    """Teams named in the text, in order of appearance."""
    hits = []
    for team, pattern in TEAM_WORDS:
        for m in pattern.finditer(text):
            hits.append((m.start(), team))
    ordered: list[Team] = []
    for _, team in sorted(hits, key=lambda h: h[0]):
        if team not in ordered:
            ordered.append(team)
    return ordered


def _who(phrase: str | None, speakers: list[str]) -> tuple[str | None, Team | None]:
    """A person or a team named by a short phrase ("IT", "marketing", "Sam", "Priya's team")."""
    if not phrase:
        return None, None
    phrase = phrase.strip()
    people = named_speakers(phrase, speakers)
    if people:
        return people[0], None
    for word in re.findall(r"[a-z]+", phrase.lower()):
        if word in _TEAM_WORD_LOOSE:
            return None, _TEAM_WORD_LOOSE[word]
    return None, None


def parse_obligation(
    text: str, speakers: list[str]
) -> tuple[str | None, Team | None, str | None, Team | None]:
    """Who owes whom: (owner, owner team, person served, team served).

    "What does IT owe marketing?" -> (None, IT, None, Marketing); "what is Sam doing for
    Priya" -> ("Sam Ortiz", None, "Priya Shah", None).
    """
    m = _OWE.search(text)
    if m:
        owner, team = _who(m.group("who"), speakers)
        for_person, for_team = _who(m.group("whom"), speakers)
        if owner or team:
            return owner, team, for_person, for_team
    teams = detect_teams(text)
    if re.search(r"\bfor (the )?(marketing|it|tech|engineering)\b", text, re.I) and len(teams) == 1:
        return None, None, None, teams[0]
    return None, (teams[0] if teams else None), None, (teams[1] if len(teams) > 1 else None)


# ------------------------------------------------------------------------- goal, status, topic


def detect_goal(text: str, goals: list[Goal]) -> str | None:
    """A goal named by id ("cdp-live") or by most of its title's content words."""
    low = text.lower()
    for goal in goals:
        if re.search(rf"(?<![\w-]){re.escape(goal.id.lower())}(?![\w-])", low):
            return goal.id
    words = {stem(w) for w in query_terms(text)}
    best, best_share = None, 0.0
    for goal in goals:
        title = [stem(w) for w in query_terms(goal.title) if w not in FRAME_WORDS]
        if not title:
            continue
        share = sum(w in words for w in title) / len(title)
        if share > best_share:
            best, best_share = goal.id, share
    return best if best_share >= 0.5 else None


def goal_by_acronym(text: str, goals: list[Goal]) -> str | None:
    """A goal named by an acronym typed in capitals: "CDP" for "Customer data platform live"
    (initials of consecutive title words) or for id "cdp-live" (a part of the id). None when
    no goal, or more than one, fits."""
    typed = {w.lower() for w in re.findall(r"\b[A-Z]{3,6}s?\b", text)}
    typed = {w.removesuffix("s") if len(w) > 3 else w for w in typed}
    found = set()
    for goal in goals:
        initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", goal.title)).lower()
        parts = set(goal.id.lower().split("-"))
        if any(a in parts or a in initials for a in typed):
            found.add(goal.id)
    return found.pop() if len(found) == 1 else None


def detect_status(text: str, intent: Intent) -> tuple[str | None, bool]:
    """An item status the question restricts to, and whether it asks for overdue actions."""
    if re.search(r"\b(overdue|late|past due|slipp(ed|ing))\b", text, re.I):
        return "open", True
    allowed = {
        "actions": ("done", "open"),
        "decisions": ("superseded", "standing"),
        "parking": ("resolved",),
    }.get(intent, ())
    for status, pattern in _STATUS_CUES:
        if status in allowed and pattern.search(text):
            return status, False
    return None, False


def topic_of(text: str, remove: list[str], names: list[str]) -> str:
    """The content words of the question once framing, time, people and teams are taken out."""
    for phrase in sorted(remove, key=len, reverse=True):
        if phrase:
            text = re.sub(re.escape(phrase), " ", text, flags=re.I)
    name_words = {w.lower() for n in names for w in n.split()}
    words = []
    for term in query_terms(text.replace("\u2019", "'")):
        base = term.removesuffix("'s")
        if base in FRAME_WORDS or base in name_words or base in _TEAM_WORD_LOOSE:
            continue
        if term in ("it",) or len(base) < 2:
            continue
        words.append(base)
    # Keep the casing the user typed (acronyms such as CDP read better in the answer).
    typed = {w.lower(): w for w in WORD.findall(text)}
    return " ".join(typed.get(w, w) for w in words)


_YES_NO = re.compile(r"^\s*(?:is|are|has|have|was|were|did|does|do)\b", re.I)
_WHO_WHEN = re.compile(
    r"^\s*(?:who(?:'s| is| are| was)?|when(?:'s)?)\b|\bby when\b|\bwhen (?:is|will) it\b", re.I
)
_CHANGED = re.compile(r"\bwhat(?:'s| has| have)? (?:changed|happened|moved)\b|\bwhat's new\b", re.I)


def detect_asks(text: str, intent: Intent, time_range: TimeRange | None, topic: str) -> Asks:
    """The form of answer a question wants (see `types.Asks`)."""
    if intent == "goal":
        return "goal"
    if re.match(r"^\s*why\b", text, re.I):
        return "reason"
    if _CHANGED.search(text) and time_range is not None:
        return "changes"
    if intent == "parking":
        return "list"
    if re.search(r"\b(overdue|late|past due|slipp(ed|ing)|owe[sd]?)\b", text, re.I):
        return "status"
    if _WHO_WHEN.search(text) and intent in ("actions", "general"):
        return "owner"
    if intent == "decisions":
        return "decision"
    if _YES_NO.match(text):
        return "status"
    return "general"


def _without_lead_verb(topic: str) -> str:
    """ "building Trailpoints flows" is about "Trailpoints flows": the verb asks who does it."""
    words = topic.split()
    if len(words) > 1 and words[0].lower().endswith("ing") and len(words[0]) > 5:
        return " ".join(words[1:])
    return topic


def parse_question(text: str, ctx: Context) -> Question:
    """Everything the parser can tell about a question."""
    text = " ".join(text.split())
    intent = detect_intent(text)
    time_range, notes = parse_time(text, ctx)
    owner, team, for_person, for_team = parse_obligation(text, ctx.speakers)
    goal_id = detect_goal(text, ctx.goals)
    if re.match(r"^\s*why\b", text, re.I):  # reasons for a decision, whatever goal it serves
        goal_id = None
    if intent == "goal" and goal_id is None:  # "how is the CDP goal doing?"
        goal_id = goal_by_acronym(text, ctx.goals)
    if goal_id and intent in ("general", "goal"):
        intent = "goal"
    status, overdue = detect_status(text, intent)
    if intent == "actions" and re.search(r"\bowe[sd]?\b", text, re.I) and status is None:
        status = "open"  # what someone owes is what they have not done yet
    people = named_speakers(text, ctx.speakers)
    # A person who owes is an owner filter; others named are whose words the question is about.
    speakers = [p for p in people if p not in (owner, for_person)]
    if intent == "actions" and not owner and len(speakers) == 1 and not team:
        owner, speakers = speakers[0], []
    remove = [time_range.phrase] if time_range else []
    if goal_id:
        remove.append(goal_id)
    names = people + [w for p in people for w in p.split()]
    topic = topic_of(text, remove, names)
    if goal_id:
        goal = next(g for g in ctx.goals if g.id == goal_id)
        topic = topic or goal.title
    asks = detect_asks(text, intent, time_range, topic)
    if asks in ("owner", "status"):
        topic = _without_lead_verb(topic)
    return Question(
        text=text,
        intent=intent,
        asks=asks,
        topic=topic,
        time_range=time_range,
        speakers=speakers,
        owner=owner,
        team=team,
        for_team=for_team,
        for_person=for_person,
        goal_id=goal_id,
        status=status,
        overdue=overdue,
        notes=notes,
    )
