"""Check the weekly digests of the business series against the gold, week by week.

    .venv/bin/python -m bench.digest_eval [--items system|gold|both] [--split dev|test|…|all]

Each series is loaded as bench/ask_eval.py does (`bench.business_home.load_home`, with the
system's items or the gold ones). For every ISO week with a meeting, the CIO's and the CMO's
digests are composed, and a digest line counts for a gold item when it links to one of the
item's quote turns (`/app/meetings/{id}#t{turn}`, the moment the line quotes):

- decisions: each gold decision of the week has a line in "Decisions of the week";
- commitments: each gold action of the week has a line in "Action items";
- parking lot: each gold snag open at the end of the week (parked or revisited, from the gold
  updates) has exactly one line in "Parking lot" (more lines on it are doubles); a line on a
  snag the gold has resolved by then is a wrong status;
- shadow IT: the tools of `SHADOW_IT` (written from the transcripts before the detector was
  changed) appear under "Tools adopted outside IT" in the CIO's digest of their week.

Figures are shares of gold found, for each leader's digest; DEV misses are printed.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from assistant.digest.weeks import week_of
from assistant.embed import MiniLMEmbedder
from assistant.models import ItemKind
from bench.ami import set_threads
from bench.business import (
    ALL_SERIES,
    DATA_DIR,
    HELD_OUT,
    SPLITS,
    load_series,
    locate,
    map_quotes,
    norm,
    split_of,
)
from bench.business_home import load_home
from bench.common import CachedEmbedder, Summable, results_path, share, write_results

# Tools marketing took up without IT, as said in the meetings: (series, meeting file, tool).
SHADOW_IT = [
    # "My content team wants Jasper … A few of them are already using the free version."
    ("harbor-weekly", "2026-10-12-weekly-sync.txt", "Jasper"),
    # "Tomás set up Zapier to push Typeform webinar registrations into Marketo"
    ("cobalt-sync", "2026-10-14-weekly-sync.vtt", "Zapier"),
    ("cobalt-sync", "2026-10-14-weekly-sync.vtt", "Typeform"),
    # "Something called Leadpulse." / "That was a free trial someone forgot to cancel"
    ("cobalt-sync", "2026-10-28-qbr.vtt", "Leadpulse"),
]
_LINK = re.compile(r"/app/meetings/(\d+)#t(\d+)")


@dataclass
class Counts(Summable):
    decisions: int = 0
    decisions_found: int = 0
    actions: int = 0
    actions_found: int = 0
    parked: int = 0
    parked_once: int = 0
    parked_doubles: int = 0
    parked_wrong_status: int = 0
    tools: int = 0
    tools_found: int = 0

    def as_dict(self) -> dict:
        return {
            "decisions": share(self.decisions_found, self.decisions),
            "decisions_n": self.decisions,
            "commitments": share(self.actions_found, self.actions),
            "commitments_n": self.actions,
            "parking_once": share(self.parked_once, self.parked),
            "parking_n": self.parked,
            "parking_doubles": self.parked_doubles,
            "parking_wrong_status": self.parked_wrong_status,
            "shadow_it": share(self.tools_found, self.tools),
            "shadow_it_n": self.tools,
        }


def moments(section) -> list[tuple[int, int]]:
    out = []
    for group in section.groups:
        for line in group.lines:
            if m := _LINK.search(line.link):
                out.append((int(m.group(1)), int(m.group(2))))
    return out


def run_series(name: str, embedder, gold: bool) -> tuple[dict[str, Counts], list[str]]:
    series = load_series(DATA_DIR / name)
    counts = {"cio": Counts(), "cmo": Counts()}
    misses: list[str] = []
    with load_home(series, embedder, gold=gold) as app:
        stored = {m.source_name: m for m in app.meetings(limit=1000)[0]}
        for meeting in series.meetings:
            if meeting.file in stored:
                map_quotes(meeting, app.meeting(stored[meeting.file].id).turns)
        mid_of: dict[str, int] = {}  # gold id -> stored meeting id
        head_of: dict[str, int] = {}  # gold id -> the turn of its first quote
        for meeting in series.meetings:
            if meeting.file not in stored:
                continue
            mid = stored[meeting.file].id
            turns = app.meeting(mid).turns
            texts = [norm(t.text) for t in turns]
            for g in meeting.items:
                mid_of[g.id] = mid
                at = locate(g.quotes[0], texts) if g.quotes else None
                if at is not None:
                    head_of[g.id] = turns[at].index
        weeks = sorted({week_of(m.day) for m in series.meetings})
        for week in weeks:
            in_week = [m for m in series.meetings if week_of(m.day) == week]
            last = max(series.meetings.index(m) for m in in_week)
            end = in_week[-1].day + timedelta(days=6 - in_week[-1].day.weekday())
            introduced = [g for m in series.meetings if m.day <= end for g in m.items]
            for role in ("cio", "cmo"):
                c = counts[role]
                digest = app.digests.compose(week, role)
                sections = {s.key: s for s in digest.sections}
                seen = {key: moments(sections[key]) for key in ("decisions", "actions", "parking")}

                def assign(key, golds, seen=seen):
                    """Lines of section `key` per gold item, each line counted once: first
                    for the gold item whose first quote is in its turn, else for one whose
                    quotes are (an item not yet shown first; a further line is a double)."""
                    count = {g.id: 0 for g in golds}
                    rest = []
                    for mm, t in seen[key]:
                        heads = [
                            g for g in golds if mid_of.get(g.id) == mm and head_of.get(g.id) == t
                        ]
                        if not heads:
                            rest.append((mm, t))
                        else:  # two items said in one turn: one line each
                            count[min(heads, key=lambda g: count[g.id]).id] += 1
                    for mm, t in rest:
                        on = [g for g in golds if mid_of.get(g.id) == mm and t in g.turns]
                        if on:
                            g = min(on, key=lambda g: count[g.id] > 0)
                            count[g.id] += 1
                    return count

                week_golds = [g for m in in_week for g in m.items]
                shown = {
                    **assign("decisions", [g for g in week_golds if g.kind == ItemKind.decision]),
                    **assign("actions", [g for g in week_golds if g.kind == ItemKind.action]),
                }
                snags = assign("parking", [g for g in introduced if g.kind == ItemKind.parking])

                def has(gold, key, shown=shown, snags=snags):
                    return snags[gold.id] if key == "parking" else shown[gold.id]

                for m in in_week:
                    for g in m.items:
                        if g.kind == ItemKind.decision:
                            c.decisions += 1
                            c.decisions_found += has(g, "decisions") > 0
                            if not has(g, "decisions"):
                                misses.append(f"{week} {role}: decision {g.id} {g.text[:70]}")
                        elif g.kind == ItemKind.action:
                            c.actions += 1
                            c.actions_found += has(g, "actions") > 0
                            if not has(g, "actions"):
                                misses.append(f"{week} {role}: action {g.id} {g.text[:70]}")
                for g in (g for g in introduced if g.kind == ItemKind.parking):
                    status = series.status_after(g, last)
                    n = has(g, "parking")
                    if status in ("parked", "revisited"):
                        c.parked += 1
                        c.parked_once += n == 1
                        c.parked_doubles += max(n - 1, 0)
                        if n != 1:
                            misses.append(f"{week} {role}: snag {g.id} shown {n}x {g.text[:60]}")
                    elif n:
                        c.parked_wrong_status += 1
                        misses.append(f"{week} {role}: snag {g.id} is {status}, still listed")
                if role == "cio":
                    tools_section = sections.get("needs_from_it")
                    listed = (
                        [
                            line.text.lower()
                            for g in tools_section.groups
                            if g.title == "Tools adopted outside IT"
                            for line in g.lines
                        ]
                        if tools_section
                        else []
                    )
                    for s_name, file, tool in SHADOW_IT:
                        if (
                            s_name == name
                            and week_of(next(m.day for m in series.meetings if m.file == file))
                            == week
                        ):
                            c.tools += 1
                            found = any(tool.lower() in t for t in listed)
                            c.tools_found += found
                            if not found:
                                misses.append(f"{week} cio: shadow IT {tool} not flagged")
    return counts, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", choices=("system", "gold", "both"), default="both")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    set_threads(args.threads)
    t0 = time.time()
    embedder = CachedEmbedder(MiniLMEmbedder())
    names = [s for s in ALL_SERIES if args.split in ("all", split_of(s))]
    out: dict = {}
    for items in ("system", "gold") if args.items == "both" else (args.items,):
        totals: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
        for name in names:
            counts, misses = run_series(name, embedder, gold=items == "gold")
            split = split_of(name)
            for role, c in counts.items():
                totals[split][role].add(c)
            if split not in HELD_OUT and misses:
                print(f"\n### {name} ({items} items): misses ({len(misses)})")
                print("\n".join(f"- {m}" for m in misses))
        out[items] = {s: {r: c.as_dict() for r, c in roles.items()} for s, roles in totals.items()}
        print(f"\n## digests, {items} items\n")
        print(
            "| split | digest | decisions | commitments | parking lot once, open |"
            " doubles | resolved still listed | shadow IT |"
        )
        print("|---|---|---|---|---|---|---|---|")

        def fmt(x):
            return "—" if x is None else f"{x:.2f}"

        for split, roles in out[items].items():
            for role, r in roles.items():
                print(
                    f"| {split} | {role} | {fmt(r['decisions'])} ({r['decisions_n']}) |"
                    f" {fmt(r['commitments'])} ({r['commitments_n']}) |"
                    f" {fmt(r['parking_once'])} ({r['parking_n']}) | {r['parking_doubles']} |"
                    f" {r['parking_wrong_status']} | {fmt(r['shadow_it'])} ({r['shadow_it_n']}) |"
                )
    path = results_path("digest_eval", "offline", args.split)
    write_results(path, {"split": args.split, "seconds": round(time.time() - t0, 1), **out})


if __name__ == "__main__":
    main()
