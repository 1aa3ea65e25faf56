"""Score `liaison ask` on the business series: facts stated, right citation, "nothing found".

    .venv/bin/python -m bench.ask_eval [--items system|gold|both]
                                       [--split dev|test|test2|test3|test5|all] [--show] [--llm]

The ask set (`bench/data/business/ask_set.yaml`, frozen before the composer was tuned) holds
questions over each series with the facts a right answer states and the meetings it may cite.
Each series goes into a fresh LIAISON_HOME as a user would load it (people, goals, then every
meeting in date order, `bench.business_home.load_home`), and every question is asked offline
with its `today`.

Items: `system` = what the offline extractor and tracker made of the meetings (the product as
shipped); `gold` = the gold items of series.yaml loaded into the store instead, with the gold
statuses, links and moved dates (`bench.business_home.GoldExtractor` + `apply_gold_updates`), so
the composer is measured apart from extraction.

Scores, per split and kind of question:
- facts: share of the expected facts the answer states (each fact "a|b" = either; an ISO date
  is found in any usual spelling: 2026-11-06, 6 Nov, Nov 6, November 6, November sixth; a
  word also as its plural);
- citation: answerable questions whose citations include one of the expected meetings;
- nothing found: questions without an answer that say so (`found` is False), and answerable
  ones that wrongly say nothing was found;
- off-topic: answers containing words the question lists as `absent`.
DEV questions print their misses (with --show every answer); TEST / TEST2 print figures only.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from assistant.embed import MiniLMEmbedder
from bench.ami import set_threads
from bench.business import DATA_DIR, HELD_OUT, SPLITS, load_series, split_of
from bench.business_home import load_home
from bench.common import CachedEmbedder, Summable, results_path, share, write_results

ASK_SET = DATA_DIR / "ask_set.yaml"
ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
    " thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
    " twenty-first twenty-second twenty-third twenty-fourth twenty-fifth twenty-sixth"
    " twenty-seventh twenty-eighth twenty-ninth thirtieth thirty-first"
).split()
MONTHS = "January February March April May June July August September October November December"


@dataclass
class Question:
    id: str
    series: str
    today: date
    kind: str
    question: str
    facts: list[str] = field(default_factory=list)
    cite: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


def load_questions(path: Path = ASK_SET) -> list[Question]:
    rows = yaml.safe_load(path.read_text())["questions"]
    return [
        Question(
            id=r["id"],
            series=r["series"],
            today=date.fromisoformat(str(r["today"])),
            kind=r["kind"],
            question=r["question"],
            facts=[str(f) for f in r.get("facts") or []],
            cite=[str(c) for c in r.get("cite") or []],
            absent=[str(a) for a in r.get("absent") or []],
        )
        for r in rows
    ]


def spellings(alternative: str) -> list[str]:
    """The ways an answer may write one alternative of a fact (dates in their usual forms)."""
    try:
        day = date.fromisoformat(alternative)
    except ValueError:
        return [alternative]
    month = MONTHS.split()[day.month - 1]
    spoken = ORDINALS[day.day - 1]
    return [
        day.isoformat(),
        f"{day.day} {month[:3]}",
        f"{month[:3]} {day.day}",
        f"{day.day} {month}",
        f"{month} {day.day}",
        f"{month} {spoken}",  # as said in a meeting, quoted in an answer
        f"{spoken} of {month}",
    ]


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


def states(answer: str, fact: str) -> bool:
    low = _norm(answer)
    for alternative in fact.split("|"):
        for spelled in spellings(alternative.strip()):
            # Whole words, a plural allowed ("sub-processor" is stated by "sub-processors").
            if re.search(rf"(?<!\w){re.escape(_norm(spelled))}(?:e?s)?(?!\w)", low) or (
                not spelled[-1:].isalnum() and _norm(spelled) in low
            ):
                return True
    return False


@dataclass
class Score(Summable):
    questions: int = 0
    facts: int = 0
    facts_stated: int = 0
    answerable: int = 0
    cited: int = 0
    said_nothing_wrongly: int = 0
    unanswerable: int = 0
    nothing_said: int = 0
    off_topic: int = 0

    def as_dict(self) -> dict:
        return {
            "questions": self.questions,
            "facts": share(self.facts_stated, self.facts),
            "facts_n": self.facts,
            "citation": share(self.cited, self.answerable),
            "answerable": self.answerable,
            "nothing_found": share(self.nothing_said, self.unanswerable),
            "unanswerable": self.unanswerable,
            "false_nothing_found": self.said_nothing_wrongly,
            "off_topic": self.off_topic,
        }


def score(q: Question, answer, files_of: dict[int, str]) -> tuple[Score, list[str]]:
    """The score of one answer, and what it missed (readable)."""
    s = Score(questions=1)
    misses: list[str] = []
    if q.kind == "none":
        s.unanswerable = 1
        s.nothing_said = int(not answer.found)
        if answer.found:
            misses.append("should have said nothing was found")
        return s, misses
    s.answerable = 1
    s.said_nothing_wrongly = int(not answer.found)
    for fact in q.facts:
        s.facts += 1
        if states(answer.answer, fact):
            s.facts_stated += 1
        else:
            misses.append(f"fact not stated: {fact}")
    cited = {files_of.get(c.meeting_id, "?") for c in answer.citations}
    if cited & set(q.cite):
        s.cited = 1
    else:
        misses.append(f"cites {sorted(cited) or 'nothing'}, not {q.cite}")
    bad = [a for a in q.absent if states(answer.answer, a)]
    if bad:
        s.off_topic = 1
        misses.append(f"off-topic: {bad}")
    return s, misses


def run(items: str, split: str, show: bool, llm: bool) -> dict:
    questions = [q for q in load_questions() if split in ("all", split_of(q.series))]
    by_series: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        by_series[q.series].append(q)
    embedder = CachedEmbedder(MiniLMEmbedder())
    totals: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    per_question = []
    for name, qs in by_series.items():
        which = split_of(name)
        series = load_series(DATA_DIR / name)
        started = time.time()
        with load_home(series, embedder, gold=items == "gold") as app:
            files_of = {m.id: m.source_name for m in app.meetings(limit=1000)[0]}
            print(f"  {name} ({which}, {items} items): loaded in {time.time() - started:.0f}s")
            for q in qs:
                answer = app.asker.ask(q.question, q.today, offline=not llm)
                s, misses = score(q, answer, files_of)
                totals[which][q.kind].add(s)
                totals[which]["all"].add(s)
                per_question.append(
                    {"id": q.id, "split": which, "kind": q.kind, "misses": misses}
                    if which not in HELD_OUT
                    else {"id": q.id, "split": which, "kind": q.kind, "ok": not misses}
                )
                if which not in HELD_OUT and (misses or show):
                    print(f"\n[{q.id}] {q.question}  ({q.today})")
                    print("   " + "\n   ".join(misses) if misses else "   ok")
                    if show or misses:
                        print("   > " + answer.answer.replace("\n", "\n   > "))
    return {
        split_name: {kind: s.as_dict() for kind, s in kinds.items()}
        for split_name, kinds in totals.items()
    } | {"_questions": per_question}


def table(figures: dict, items: str) -> str:
    lines = [
        f"| split | kind ({items} items) | questions | facts stated | right citation |"
        " nothing found (where due) | wrongly 'nothing found' | off-topic |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def fmt(x):
        return "—" if x is None else f"{x:.2f}"

    for split_name, kinds in figures.items():
        if split_name.startswith("_"):
            continue
        for kind in sorted(kinds, key=lambda k: (k != "all", k)):
            r = kinds[kind]
            lines.append(
                f"| {split_name} | {kind} | {r['questions']} | {fmt(r['facts'])} |"
                f" {fmt(r['citation'])} | {fmt(r['nothing_found'])} |"
                f" {r['false_nothing_found']} | {r['off_topic']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", choices=("system", "gold", "both"), default="both")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--show", action="store_true", help="print every dev answer")
    parser.add_argument("--llm", action="store_true", help="answer with the configured LLM")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for MiniLM")
    args = parser.parse_args()
    set_threads(args.threads)
    t0 = time.time()
    out = {}
    for items in ("system", "gold") if args.items == "both" else (args.items,):
        out[items] = run(items, args.split, args.show, args.llm)
        print(f"\n## ask set, {items} items\n")
        print(table(out[items], items))
    path = results_path("ask_eval", "llm" if args.llm else "offline", args.split)
    write_results(path, {"split": args.split, "seconds": round(time.time() - t0, 1), **out})


if __name__ == "__main__":
    main()
