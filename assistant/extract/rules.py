"""Pure text rules used by the offline extractor: owners, teams, filler cleanup (due dates:
`dates.py`).

No I/O, no model: every function takes strings (and a base date) and returns a value, so each
rule is tested on its own in tests/test_extract_rules.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from assistant.models import Team

# ---------------------------------------------------------------- filler cleanup

_FILLER_WORDS = r"(?:um+|uh+|uhm+|erm*|er|ah+|hmm+|mm+(?:-hmm)?|uh-huh)"
_LEADING = re.compile(
    r"^(?:\s*(?:" + _FILLER_WORDS + r"|okay|ok|so|well|right|alright|all right|yeah|yes|and|but|"
    r"anyway|now|oh|like|you know|i mean)\b[\s,.;:!-]*)+",
    re.IGNORECASE,
)
_INNER_FILLER = re.compile(r"(?:,\s*)?\b" + _FILLER_WORDS + r"\b(?:\s*,)?", re.IGNORECASE)
_HEDGES = re.compile(r"\b(?:you know|i mean|sort of|kind of),?\s+", re.IGNORECASE)
_REPEATS = re.compile(r"\b(\w+(?:'\w+)?)(?:\s+\1\b)+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])")


_LEAD_IN = re.compile(r"^(?:[^.!?]{0,40}?[.!?])\s+(?=\S)")
_STEERING_WORDS = frozenset(
    "okay ok right so well good great fine sure yes yeah yep agreed alright thanks thank you "
    "noted perfect then next new action actions item items decision decisions recap quick "
    "um uh hmm".split()
)


def _drop_lead_in_sentences(text: str) -> str:
    """Drop opening sentences that only steer the talk ("Okay.", "Actions.", "New actions
    then.", "Agreed.") when a longer sentence follows; "Fine, park it." is kept."""
    while True:
        match = _LEAD_IN.match(text)
        if not match:
            return text
        words = re.findall(r"[a-z']+", match.group(0).lower())
        rest = text[match.end() :]
        if not words or not set(words) <= _STEERING_WORDS or len(rest.split()) < 4:
            return text
        text = rest


def clean_text(text: str) -> str:
    """One readable sentence from a spoken utterance: drop fillers, stutters and lead-ins.

    "Um okay so we'll we'll go with Segment, uh, as the CDP" -> "We'll go with Segment as the CDP."
    Returns the stripped input when cleaning would leave nothing.
    """
    out = _LEADING.sub("", _drop_lead_in_sentences(text.strip()))
    out = _INNER_FILLER.sub(" ", out)
    out = _HEDGES.sub("", out)
    out = _REPEATS.sub(r"\1", out)
    out = _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", out)).strip(" ,;:-")
    out = re.sub(r",([.!?])", r"\1", out)
    if not re.search(r"\w", out):
        return text.strip()
    out = out[0].upper() + out[1:]
    if out[-1] not in ".!?":
        out += "."
    return out


# ---------------------------------------------------------------- owners

_SELF_COMMIT = re.compile(
    r"\b(?:i'll|i will|i'm going to|i am going to|i'm gonna|i can|i'll take|let me|i shall|"
    r"i'm on it|i'll handle|i'll own|leave it with me|i volunteer)\b",
    re.IGNORECASE,
)
_YOU_REQUEST = re.compile(
    r"\b(?:can you|could you|would you|will you|you'll|you will|you're going to|"
    r"you need to|you should|please)\b",
    re.IGNORECASE,
)
_THIRD_PERSON = (
    r"(?:'ll|\s+will|\s+is going to|'s going to|\s+to\s+(?:own|take|handle|draft|send|"
    r"set up|follow up|check|prepare|write|review|look into)|\s+can|\s+should|\s+owns|\s+takes)\b"
)


def name_variants(names: Iterable[str]) -> dict[str, str]:
    """Map each lower-case name and first name to the full name it stands for.

    A first name shared by two people maps to neither (ambiguous), full names always win.
    """
    full: dict[str, str] = {}
    first: dict[str, set[str]] = {}
    for name in names:
        clean = name.strip()
        if not clean:
            continue
        full[clean.lower()] = clean
        first.setdefault(clean.split()[0].lower(), set()).add(clean)
    out = {k: next(iter(v)) for k, v in first.items() if len(v) == 1}
    out.update(full)
    return out


def find_owner(text: str, speaker: str | None, names: Iterable[str] = ()) -> str | None:
    """Who takes the work on, as far as the words say; None when nobody is named.

    - "I'll send the deck" -> the speaker
    - "Sam, could you ..." / "can you ..., Sam?" -> Sam (the addressee, a known speaker name)
    - "Priya will ..." -> Priya
    """
    variants = name_variants(names)
    lowered = text.lower()
    if variants:
        alternation = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
        # Addressee at the start ("Sam, can you") or the end ("can you ..., Sam?").
        # Per sentence: "New actions then. Priya, can you …" addresses Priya.
        for sentence in re.split(r"(?<=[.!?])\s+", lowered):
            if not _YOU_REQUEST.search(sentence):
                continue
            start = re.match(rf"^\W*(?:\w+\W+)?({alternation})\s*,", sentence)
            end = re.search(rf",\s*({alternation})\s*[?.!]*\s*$", sentence)
            for match in (start, end):
                if match and variants[match.group(1)] != speaker:
                    return variants[match.group(1)]
        third = re.search(rf"\b({alternation}){_THIRD_PERSON}", lowered)
        if third and variants[third.group(1)] != speaker:
            return variants[third.group(1)]
    if _SELF_COMMIT.search(text):
        return speaker
    return None


# ---------------------------------------------------------------- teams

_IT_CUES = re.compile(
    r"\b(?:engineering|security|sso|infra(?:structure)?|platform|data team|api|server|"
    r"integration|cio|devops|helpdesk|migration|vendor security|cloud)\b",
)
_MARKETING_CUES = re.compile(
    r"\b(?:marketing|campaign|brand|cmo|content|seo|social|launch|creative|agency|"
    r"leads?|funnel|attribution|events?|pr)\b",
    re.IGNORECASE,
)


def guess_team(text: str, owner: str | None, teams: Mapping[str, Team] | None = None) -> Team:
    """The owner's known team when the caller told us; otherwise cue words in the text."""
    teams = teams or {}
    if owner:
        for name, team in teams.items():
            if name.lower() == owner.lower() or name.split()[0].lower() == owner.lower():
                return team
    # "IT" is only a cue in capitals: "it" is the commonest pronoun.
    it = bool(re.search(r"\bIT\b", text) or _IT_CUES.search(text.lower()))
    marketing = bool(_MARKETING_CUES.search(text))
    if it and marketing:
        return Team.joint
    if it:
        return Team.it
    if marketing:
        return Team.marketing
    return Team.unknown
