"""Benchmark extraction on real Ethereum protocol calls against their published summaries.

    .venv/bin/python -m bench.extract_ethpm [--extractor offline|llm] [--split dev|test|all]

Data: /work/shared/data/ethpm (93 Zoom calls, README in /work/shared/data/README.md), never
copied into the repo. Each call's VTT goes through the product parser
(`assistant.ingest.parse_transcript`) and the product extractor (`make_extractor`): the same two
steps `Liaison.ingest_bytes` runs on an upload, without storing (no goals: the calls have none).
`--extractor llm` uses LIAISON_LLM_BASE_URL / LIAISON_LLM_MODEL from the environment, with the
product's offline fallback; meetings that fell back are counted.

The summaries list only each call's main items, so the figures are mostly recall:
- decision / action recall: listed decisions (actions) with a system item of that kind whose
  evidence time (any evidence turn's start_s..end_s) is within ±90 s of the listed t_s;
- owner accuracy: among found actions whose listed owner names people (not "All teams"), the
  share where the nearest system action's owner shares a name token with it;
- on topic: system decisions + actions within ±120 s of any listed decision, action, target or
  highlight (a loose precision);
- items per hour of decisions + actions, and of parking items (duration = last cue end).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.config import Settings
from assistant.embed import MiniLMEmbedder
from assistant.errors import ConfigError
from assistant.extract.base import Extractor
from assistant.extract.factory import make_extractor
from assistant.ingest import guess_kind, parse_transcript
from assistant.models import DraftItem, ItemKind, Meeting, Turn
from bench.ami import set_threads
from bench.common import SHARED_DATA, CachedEmbedder, Summable, results_path, write_results

DATA_DIR = SHARED_DATA / "ethpm"
MATCH_S = 90.0  # a listed item is found when an item's evidence is this close to its t_s
TOPIC_S = 120.0  # an item is on topic when this close to any listed moment
SPLITS = ("dev", "test")
EXAMPLES = 5


def split_of(day: date) -> str:
    """DEV = calls before 2026-04-20 (63 calls), TEST = from 2026-04-20 on (30 calls).

    By date, not at random: the test calls come after everything the extractor was tuned on,
    as new meetings do in use. TEST is held out: report it, never tune on it.
    """
    return "dev" if day < date(2026, 4, 20) else "test"


@dataclass
class Call:
    id: str
    day: date
    title: str
    vtt: Path
    decisions: list[dict]
    actions: list[dict]
    moments: list[float]  # t_s of every listed decision, action, target and highlight

    @property
    def split(self) -> str:
        return split_of(self.day)


def load_calls(split: str = "all") -> list[Call]:
    calls = []
    with open(DATA_DIR / "meetings.jsonl") as handle:
        for line in handle:
            record = json.loads(line)
            sections = ("decisions", "actions", "targets", "highlights")
            call = Call(
                id=record["meeting_id"],
                day=date.fromisoformat(record["date"]),
                title=record["title"],
                vtt=DATA_DIR / record["vtt"],
                decisions=record["decisions"],
                actions=record["actions"],
                moments=[float(e["t_s"]) for s in sections for e in record.get(s, [])],
            )
            if split in ("all", call.split):
                calls.append(call)
    return sorted(calls, key=lambda c: (c.day, c.id))


def extract_call(call: Call, extractor: Extractor) -> tuple[list[Turn], list[DraftItem], str]:
    """Parse and extract one call as the product's ingest does; returns turns, items, extractor."""
    parsed = parse_transcript(call.vtt.read_bytes(), call.vtt.name)
    stub = Meeting(
        id=0, title=call.title, date=call.day, kind=guess_kind(call.title, call.vtt.name)
    )
    result = extractor.extract(stub, parsed.turns, goals=[])
    return parsed.turns, result.items, result.extractor


# ----------------------------------------------------------------- owners

# Words that make an owner part a group rather than a person ("All EL teams", "Wallet
# developers"), a place ("async Discord") or a note ("Reviewers (in progress)").
GROUP_WORDS = {
    "all", "everyone", "team", "teams", "client", "clients", "community", "developers",
    "authors", "maintainers", "reviewers", "contributors", "organizers", "researchers",
    "analysts", "representatives", "consumers", "volunteers", "interested", "devops", "vendors",
    "designers", "acde", "acdc", "acdt", "discord", "github", "magicians", "progress",
}  # fmt: skip
NOT_NAMES = GROUP_WORDS | {"and", "the", "for", "with", "from", "open", "thread", "next", "call"}


def tokens(text: str) -> list[str]:
    """Lower-case words without accents ('Wahrstätter' = 'wahrstatter'), split at - and _."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [t for t in re.split(r"[\W_]+", plain.lower()) if t]


def _is_group(part: str) -> bool:
    return bool(GROUP_WORDS & set(tokens(part)))


def person_parts(owner: str) -> list[str]:
    """The parts of a listed owner that name a person: 'Felix, Geth team, ethrex' -> ['Felix',
    'ethrex']; 'Mercy or community contributor' -> ['Mercy']; 'All EL/CL teams' -> []."""
    people = []
    for piece in re.split(r"[,/+|()]|\bor\b|\bon\b", owner):
        conjuncts = [c.strip() for c in re.split(r"\band\b", piece) if c.strip()]
        # 'Nethermind and Erigon teams': a one-word name before 'and … teams' is a team too.
        shared_group = len(conjuncts) > 1 and _is_group(conjuncts[-1])
        for part in conjuncts:
            if not _is_group(part) and not (shared_group and len(part.split()) == 1):
                people.append(part)
    return people


def names_people(owner: str | None) -> bool:
    """True when the listed owner names someone ('Justin Traglia and stokes', 'Mikhail + CL
    teams', 'Lighthouse (kingy_sigp)'); False for 'All teams', 'client teams', 'everyone',
    'EL/CL teams', 'Nethermind and Erigon teams'."""
    return bool(owner) and bool(person_parts(owner or ""))


def name_tokens(text: str) -> set[str]:
    return {t for t in tokens(text) if len(t) >= 3 and t not in NOT_NAMES}


def owner_matches(system: str | None, gold: str) -> bool:
    """The system owner shares a name token with the listed owner: a first or last name, or a
    Zoom handle like 'stokes' (case-insensitive, at least 3 letters)."""
    return bool(system) and bool(name_tokens(system or "") & name_tokens(gold))


# ----------------------------------------------------------------- scoring


def item_distance(item: DraftItem, turns: list[Turn], t_s: float) -> float:
    """Seconds from `t_s` to the nearest evidence turn's span (0 inside it); inf if untimed."""
    best = float("inf")
    for ev in item.evidence:
        turn = turns[ev.turn_index] if 0 <= ev.turn_index < len(turns) else None
        start = ev.start_s if ev.start_s is not None else (turn.start_s if turn else None)
        end = ev.end_s if ev.end_s is not None else (turn.end_s if turn else None)
        if start is None:
            continue
        end = start if end is None else end
        best = min(best, max(0.0, start - t_s, t_s - end))
    return best


@dataclass
class Score(Summable):
    """Counts behind the figures, summed over calls."""

    calls: int = 0
    hours: float = 0.0
    decisions: int = 0
    decisions_found: int = 0
    actions: int = 0
    actions_found: int = 0
    owners: int = 0  # found actions whose listed owner names people
    owners_right: int = 0
    items: int = 0  # system decisions + actions
    items_on_topic: int = 0
    parking: int = 0
    fell_back: int = 0  # calls the LLM extractor handed to the offline one
    seconds: float = 0.0  # parse + extract

    def as_dict(self) -> dict:
        def share(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        def per_hour(n: int) -> float | None:
            return round(n / self.hours, 2) if self.hours else None

        return {
            "calls": self.calls,
            "hours": round(self.hours, 1),
            "decision_recall": share(self.decisions_found, self.decisions),
            "action_recall": share(self.actions_found, self.actions),
            "owner_accuracy": share(self.owners_right, self.owners),
            "on_topic": share(self.items_on_topic, self.items),
            "items_per_hour": per_hour(self.items),
            "parking_per_hour": per_hour(self.parking),
            "gold_decisions": self.decisions,
            "gold_actions": self.actions,
            "owners_scored": self.owners,
            "items": self.items,
            "parking": self.parking,
            "fell_back": self.fell_back,
            "extract_seconds": round(self.seconds, 1),
        }


@dataclass
class Example:
    call: str
    t_s: float
    gold: str
    gold_owner: str
    found: DraftItem | None = None


@dataclass
class CallResult:
    score: Score
    examples: list[Example] = field(default_factory=list)


def score_call(call: Call, turns: list[Turn], items: list[DraftItem]) -> CallResult:
    ends = [t.end_s for t in turns if t.end_s is not None]
    score = Score(calls=1, hours=(max(ends) if ends else 0.0) / 3600)
    by_kind = {k: [i for i in items if i.kind == k] for k in ItemKind}

    def nearest(kind: ItemKind, t_s: float) -> DraftItem | None:
        near = [(item_distance(i, turns, t_s), n, i) for n, i in enumerate(by_kind[kind])]
        near = [x for x in near if x[0] <= MATCH_S]
        return min(near, key=lambda x: (x[0], x[1]))[2] if near else None

    score.decisions = len(call.decisions)
    score.decisions_found = sum(
        nearest(ItemKind.decision, float(d["t_s"])) is not None for d in call.decisions
    )
    examples = []
    for action in call.actions:
        score.actions += 1
        found = nearest(ItemKind.action, float(action["t_s"]))
        owner = action.get("owner") or ""
        examples.append(Example(call.id, float(action["t_s"]), action["text"], owner, found))
        if found is None:
            continue
        score.actions_found += 1
        if names_people(owner):
            score.owners += 1
            score.owners_right += owner_matches(found.owner, owner)
    listed = by_kind[ItemKind.decision] + by_kind[ItemKind.action]
    score.items = len(listed)
    score.items_on_topic = sum(
        any(item_distance(i, turns, t) <= TOPIC_S for t in call.moments) for i in listed
    )
    score.parking = len(by_kind[ItemKind.parking])
    return CallResult(score, examples)


# ----------------------------------------------------------------- output


def summary_table(scores: dict[str, dict]) -> str:
    lines = [
        "| split | calls | hours | decision recall | action recall | owner accuracy | on topic"
        " | dec+act / h | parking / h | gold dec / act | owners scored |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def fmt(x: float | None) -> str:
        return "—" if x is None else f"{x:.3f}"

    for split, r in scores.items():
        lines.append(
            f"| {split} | {r['calls']} | {r['hours']:.1f} | **{fmt(r['decision_recall'])}** | "
            f"**{fmt(r['action_recall'])}** | {fmt(r['owner_accuracy'])} | "
            f"{fmt(r['on_topic'])} | {r['items_per_hour']} | {r['parking_per_hour']} | "
            f"{r['gold_decisions']} / {r['gold_actions']} | {r['owners_scored']} |"
        )
    return "\n".join(lines)


def pick_examples(examples: list[Example], n: int = EXAMPLES, seed: int = 0) -> list[Example]:
    """A fixed random draw: about half found, half missed, so both kinds can be judged."""
    rng = random.Random(seed)
    found = [e for e in examples if e.found]
    missed = [e for e in examples if not e.found]
    take_found = min(len(found), max(n - len(missed), (n + 1) // 2))
    chosen = rng.sample(found, take_found) + rng.sample(missed, min(len(missed), n - take_found))
    return sorted(chosen, key=lambda e: (e.call, e.t_s))


def examples_table(examples: list[Example]) -> str:
    def cell(text: str | None, width: int = 140) -> str:
        text = " ".join((text or "").split()).replace("|", "\\|")
        return text if len(text) <= width else text[: width - 1] + "…"

    lines = [
        "| call | t | listed action (owner) | system action (owner) |",
        "|---|---|---|---|",
    ]
    for e in examples:
        system = f"{cell(e.found.text)} ({e.found.owner or '—'})" if e.found else "**missed**"
        minutes, seconds = divmod(int(e.t_s), 60)
        lines.append(
            f"| {e.call} | {minutes}:{seconds:02d} | {cell(e.gold)} ({cell(e.gold_owner, 60)}) | "
            f"{system} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extractor", choices=("offline", "llm"), default="offline")
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for MiniLM")
    args = parser.parse_args()

    set_threads(args.threads)
    t0 = time.time()
    settings = Settings(extractor=args.extractor)
    embedder = CachedEmbedder(MiniLMEmbedder())
    try:
        extractor = make_extractor(settings, embedder, args.extractor)
    except ConfigError as err:  # --extractor llm without LIAISON_LLM_BASE_URL
        raise SystemExit(str(err)) from err
    calls = load_calls(args.split)
    totals = {s: Score() for s in SPLITS if args.split in ("all", s)}
    examples: dict[str, list[Example]] = {s: [] for s in totals}
    per_call = []
    names = set()
    for number, call in enumerate(calls, start=1):
        started = time.time()
        turns, items, used = extract_call(call, extractor)
        names.add(used)
        result = score_call(call, turns, items)
        result.score.seconds = time.time() - started
        result.score.fell_back = int(args.extractor == "llm" and not used.startswith("llm"))
        totals[call.split].add(result.score)
        examples[call.split] += result.examples
        per_call.append({"call": call.id, "split": call.split, **result.score.as_dict()})
        print(
            f"  [{number}/{len(calls)}] {call.id}: {len(items)} items "
            f"in {result.score.seconds:.1f}s",
            flush=True,
        )
    seconds = time.time() - t0

    scores = {s: t.as_dict() for s, t in totals.items()}
    print(f"\n## ethpm — extractor {', '.join(sorted(names))}\n")
    print(summary_table(scores))
    for split, found in examples.items():
        print(f"\n### {split}: {EXAMPLES} listed actions, found and missed\n")
        print(examples_table(pick_examples(found)))
    fell_back = sum(t.fell_back for t in totals.values())
    if fell_back:
        print(f"\n{fell_back} calls fell back to the offline extractor (LLM unavailable).")
    print(
        f"\n{len(calls)} calls, run time {seconds:.0f}s "
        f"({embedder.computed} texts embedded, the rest from bench/.cache)"
    )
    write_results(
        results_path("extract_ethpm", args.extractor, args.split),
        {
            "extractor": sorted(names),
            "split": args.split,
            "seconds": round(seconds, 1),
            "results": scores,
            "calls": per_call,
        },
    )


if __name__ == "__main__":
    main()
