"""Item text a reader can use without the transcript.

"Raj, can you have the SSO integration live by November tenth?" said to Raj Mehta becomes
"Raj Mehta: SSO integration live — due 2026-11-10"; "Let's park the attribution question until
December." becomes "Attribution question (parked until December)". The exact words stay on the
item as evidence; this is the line a leader reads in a list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from assistant.extract.dates import find_due_phrase
from assistant.extract.rules import clean_text
from assistant.extract.signals import PARK, content_words, points_back

if TYPE_CHECKING:
    from assistant.models import DraftItem

I = re.IGNORECASE  # noqa: E741 - a flag, read as "ignore case"
MAX_WORDS = 16

_LEAD = re.compile(
    r"^(?:(?:okay|ok|so|and|also|then|now|right|great|good|alright|yes|yeah|sure|fine|one more|"
    r"last thing|next|in the meantime|meanwhile|for now|basically|honestly)\W+)*",
    I,
)
_MARKER = re.compile(
    r"^(?:(?:new |next |another )?(?:action(?: item)?s?|decision|to-?do|follow-?up|agreed|"
    r"approved)(?: for [\w .'-]+?)?\s*[:\-–]\s*)",
    I,
)
_COMMIT = re.compile(
    r"\b(?:can you|could you|would you|will you|can i ask you to|could i ask you to|"
    r"i need you to|i'd like you to|would you mind|are you able to|can your team|could your team|"
    r"please|i'll|i will|i'm going to|i am going to|i'm gonna|i can|let me|my team will|"
    r"we'll take care of|i will make sure|i'll make sure)"
    r"(?:\s+and (?:mine|ours|i|me|my team))?\s+",  # "could your team and mine agree on …"
    I,
)
_HAVE_DONE = re.compile(r"^(?:have|get)\s+(?:the\s+)?(.+)$", I)
_TRAILING = re.compile(
    r"(?:[,\s]+(?:please|for me|if you can|if possible|okay|ok|right|then|as well|too|then"
    r"|by then|yeah|for us))+[?.!]*$",
    I,
)
_PRONOUN_TASK = re.compile(r"^(?:do |have |get |take |own |handle |sort )?(?:that|it|this)\b", I)
_PARK_WORDS = re.compile(
    r"\b(?:let's|let us|we(?:'ll| will| should)?|i'd like to|i want to|can we|could we)?\s*"
    r"(?:park|table|defer|hold off on)\s+|"
    r"\b(?:(?:let's|let us|we(?:'ll| will| should)?)\s+)?(?:put|keep|leave)\s+"
    r"(?=.{1,60}\b(?:in|on) the (?:parking lot|list|backlog))|"
    r"\s*\b(?:in|on|into) the (?:parking lot|list|backlog)\b|"
    r"\s*\b(?:for now|for the moment|for today|offline)\b|"
    r"\btake\s+(?=.{1,60}\boffline)|"
    # taken to another meeting: "let's take attribution to our one-on-one next week and
    # decide there" is "attribution"
    r"\b(?:take|bring|move)\s+(?=[\w'-]+(?: [\w'-]+){0,3} to (?:our|the|next|a) )|"
    r"\s*\bto (?:our|the|next|a) (?:next )?(?:one-on-one|1:1|1-on-1|qbr|monthly|steering|"
    r"offsite|next (?:meeting|sync|call))\b(?: (?:next|this) (?:week|month))?"
    r"(?:,? and decide (?:it )?there)?",
    I,
)
_UNTIL = re.compile(r"\b(until|till)\s+([^,;]{2,50}?)\s*[.!?]?$", I)


def _strip(text: str) -> str:
    text = _MARKER.sub("", _LEAD.sub("", text.strip()))
    return text.strip(" ,;:-–—")


def _shorten(text: str, max_words: int = MAX_WORDS) -> str:
    words = text.split()
    if len(words) <= max_words:
        return text
    return " ".join(words[:max_words]).rstrip(",;:") + " …"


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".!?,;: ")
    return text[:1].upper() + text[1:] if text else text


def task_phrase(sentence: str, owner: str | None, due_phrase: str | None) -> str:
    """The work in a request or commitment, without who, when and the asking."""
    text = clean_text(sentence)
    text = _strip(text)
    if owner:  # "Raj, can you …" / "…, Raj?"
        first = re.escape(owner.split()[0])
        text = re.sub(rf"^(?:{re.escape(owner)}|{first})\s*[,:—-]\s*", "", text, flags=I)
        text = re.sub(rf"[,—-]\s*(?:{re.escape(owner)}|{first})\s*([?.!]*)$", r"\1", text, flags=I)
    match = _COMMIT.search(text)
    if match:
        text = text[match.end() :]
    # the longest first, so that "by the end of next week" goes whole, not "end of next week"
    # leaving "by the" behind (a set's order changes from one run to the next)
    phrases = {p for p in (due_phrase, find_due_phrase(text)) if p}
    for phrase in sorted(phrases, key=len, reverse=True):
        text = re.sub(
            r"\s*,?\s*(?:(?:by|before|on)\s+(?:the\s+)?)?" + re.escape(str(phrase)) + r"\b",
            "",
            text,
            flags=I,
        )
    text = _TRAILING.sub("", text.strip()).strip(" ,;:?!.")
    have = _HAVE_DONE.match(text)
    if have and re.search(
        r"\b(?:done|ready|live|finished|signed|sent|in place|over|back)\b", text, I
    ):
        text = have.group(1)
    return text


def is_vague(task: str) -> bool:
    """A task that only points back ("do that", "it") needs its topic to be understood."""
    return (
        bool(_PRONOUN_TASK.match(task))
        and len(content_words(task)) < 3
        or (len(content_words(task)) < 2)
    )


def action_text(
    owner: str | None, sentence: str, topic: str | None, due: date | None, due_phrase: str | None
) -> str:
    """'Owner: task — due YYYY-MM-DD' (or the spoken phrase when it has no date yet)."""
    task = task_phrase(sentence, owner, due_phrase)
    if is_vague(task) and topic and not _names_work(task):
        task = _strip(clean_text(topic)).rstrip(".!?") or task
    elif topic and (_ends_pointing(task) or _names_work(task)):
        # "ask the content team to switch that", "have it live on the storefront": they say
        # what only with what they point at
        about = _shorten(_strip(clean_text(topic)).rstrip(".!?"), 8)
        short = _shorten(task, 10) if _ends_pointing(task) else _shorten(task)
        task = f"{short} (re: {about})"
        return _with_due(
            f"{owner}: {task}" if owner else task[:1].upper() + task[1:], due, due_phrase
        )
    task = _shorten(task) or _shorten(_strip(clean_text(sentence)))
    task = task[:1].upper() + task[1:] if not owner else task
    return _with_due(f"{owner}: {task}" if owner else task, due, due_phrase)


def _with_due(text: str, due: date | None, due_phrase: str | None) -> str:
    if due:
        return f"{text} — due {due.isoformat()}"
    return f"{text} — due {due_phrase.strip()}" if due_phrase else text


def ends_pointing(sentence: str, owner: str | None, due_phrase: str | None) -> bool:
    """Whether the task said in `sentence` names its work only by pointing back at it: it ends
    on it ("switch that on") or its object is a pronoun ("have it live on the storefront")."""
    task = task_phrase(sentence, owner, due_phrase)
    return _ends_pointing(task) or _names_work(task)


def _names_work(task: str) -> bool:
    """A task whose object is a pronoun but which says where the work goes ("it live on the
    storefront", "them behind Okta"); "it live" says only a state, and a topic found before it
    is not trusted with it."""
    return bool(_STARTS_POINTING.match(task)) and bool(set(content_words(task)) - _STATE_WORDS)


def _ends_pointing(task: str) -> bool:
    """A short task whose last words only point back ("switch that on", "push it through")."""
    return bool(_ENDS_POINTING.search(task)) and len(content_words(task)) <= 4


# Words that say only the state work should reach ("it live", "it signed off").
_STATE_WORDS = frozenset("live done off signed ready over back out up sorted finished in".split())
# A task whose object is a pronoun: "it live on the storefront", "them behind Okta".
_STARTS_POINTING = re.compile(r"^(?:it|them|those|these)\b(?! (?:is|are|was|were)\b)", I)
# A task whose last words only point back: "switch that (on)", "send it over", "do this".
_ENDS_POINTING = re.compile(
    r"\b(?:that|it|this|them|those)(?:\s+(?:on|off|over|up|out|in|through|back|too|again))?"
    r"\s*[.!?]?$",
    I,
)


def decision_text(sentence: str) -> str:
    """The decision as said, fillers and lead-ins dropped ("Decision: …" -> "…"), and the
    words that put it forward ("My proposal is that we go with Tealium" -> "We go with
    Tealium"): once agreed, it is what was decided, not what someone proposed."""
    text = _strip(clean_text(sentence))
    text = _PUT_FORWARD.sub("", text, count=1) or text
    return _sentence(_shorten(_strip(text), 24)) + "."


# How a decision is put forward before it is agreed: "My proposal is that …", "What I'd like
# to do is …", "I'd like a change freeze on …", "That's where we land: …".
_PUT_FORWARD = re.compile(
    r"^(?:(?:my (?:proposal|suggestion|recommendation|call|view) is(?: that)?|"
    r"what i'd (?:like|propose|suggest)(?: to do)? is(?: that)?|i'd (?:like to )?propose(?: that)?|"
    r"i'd suggest(?: that)?|i propose(?: that)?|i suggest(?: that)?|i'd like (?:us )?to|"
    r"i'd like(?= (?:a|an|the)\b)|that's where we land|let's do it|decided(?: today)?|"
    r"let's (?:decide|settle)(?: (?:it|this|that))?)"
    r"\s*[:,.]?\s*)+",
    I,
)


# What is left of a deferral once the deferring is taken out, and says nothing of the topic.
_DEFER_LEFTOVERS = re.compile(
    r"\b(?:let's|let us|not (?:today|now|here)|today|now|here|with \w+|rather than [^,.]+|"
    r"that|it|this|those|these|them|and|so|then)\b",
    I,
)


def parking_text(deferral: str, topic: str | None, names: Sequence[str] = ()) -> str:
    """What was parked, and until when if that was said. When the deferral only points back
    ("Let's take that offline with Graham, not today"), the subject is the topic it points to.
    `names`: the meeting's people, whom a deferral may address ("Let's take Jasper offline,
    Desmond.")."""
    if topic and PARK.search(topic) and not points_back(topic):
        return parking_text(topic, None, names)  # "Let's not decide it here. Take X to the 1:1."
    firsts = {n.split()[0] for n in names if n.split()}
    for name in sorted(firsts | set(names), key=len, reverse=True):
        deferral = re.sub(rf",\s*{re.escape(name)}\s*([.!?]?)\s*$", r"\1", deferral)
    until = _UNTIL.search(deferral.strip())
    own = _PARK_WORDS.sub(" ", _strip(clean_text(deferral)))
    if until:
        own = own.replace(until.group(0).rstrip(".!?"), "")
    # "Marcus, let's …": the addressee and the proposing words are not the snag
    own = re.sub(r"^\s*(?:[A-Z][\w'-]+,\s+)?(?:let's|let us)\s+", "", own, flags=I)
    own = re.sub(
        r",?\s*(?:rather than [^,.]+|the (?:two|three|four) of (?:you|us)|with [^,.]+ joining)",
        "",
        own,
        flags=I,
    )
    own = re.sub(r"\s+([,;])", r"\1", re.sub(r"\s+", " ", own)).strip(" ,;:.!?")
    said = content_words(_DEFER_LEFTOVERS.sub(" ", own))
    # "Let's bring it to the QBR when Ruth's in the room": what "it" is, is the topic
    if topic and (points_back(deferral) or len(said) < 2 or _POINTER.match(own)):
        subject = _strip(clean_text(topic))
    elif len(content_words(own)) >= 2 or (content_words(own) and not points_back(deferral)):
        subject = own  # what the deferral names, even in one word ("take attribution to …")
    else:
        subject = _strip(clean_text(topic or deferral))
    subject = _sentence(_shorten(subject.rstrip(".!?")))
    if until:
        return f"{subject} (parked until {until.group(2).strip()})"
    return subject + "."


_OWNER_PREFIX = re.compile(r"^[^:]{2,60}:\s+(?=\S)")
_DUE_SUFFIX = re.compile(r"\s+—\s+due\s+.+$")
_PARKED_SUFFIX = re.compile(r"\s+\(parked until [^)]*\)$")


def core_text(text: str) -> str:
    """What an item is about, without the owner before it or the date after it
    ("Raj Mehta: SSO integration live — due 2026-11-10" -> "SSO integration live")."""
    core = _PARKED_SUFFIX.sub("", _DUE_SUFFIX.sub("", text.strip()))
    if not re.match(r"^(?:decision|action|note|agreed)\s*:", core, I):
        core = _OWNER_PREFIX.sub("", core, count=1)
    return core or text


_POINTER = re.compile(r"\b(?:it|that|this|them|those|these)\b", I)


def about_text(draft: DraftItem, max_words: int = 40) -> str:
    """What an item is about, for matching it to later words and to goals: its core text, and
    when that only points back ("Kenji: fold it into the banner sprints"), the words around it
    that say what "it" is (the other evidence turns, such as the request it answers)."""
    core = core_text(draft.text)
    if not _POINTER.search(core) or len(content_words(core)) >= 5:
        return core  # names what it is about ("the headcount until the Q4 plan, pick it up then")
    context = " ".join(e.quote for e in draft.evidence[1:3]).split()
    return " ".join([core, *context[:max_words]]) if context else core
