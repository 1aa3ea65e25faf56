"""Benchmark extraction and cross-meeting tracking on the business series in bench/data/business.

    .venv/bin/python -m bench.extract_business [--extractor offline|llm]
                                               [--split dev|test|test2|test3|test5|all]
                                               [--data DIR] [--series NAME ...]

Each series (format: bench/data/business/FORMAT.md) goes through the product as a user would
run it: a fresh LIAISON_HOME, its people.yaml and goals.yaml imported, then every meeting
ingested in date order with the date, kind and title of series.yaml (`Liaison.ingest_bytes`).
After each meeting every item is read back.

Scoring. Each gold quote is mapped to its turn in the stored meeting (the turn that contains it,
whitespace and case aside; else rapidfuzz partial_ratio >= 90). A system item matches a gold
item of the same kind and meeting when its headline (first evidence turn) is one of the gold
item's quote turns; each gold item takes at most one system item (a maximum matching), and more
items on an already-matched gold item are false positives ("doubles"). Per kind: precision,
recall, F1. For matched actions: owner (exact full name; and the share of ownerless gold actions
left without an owner), due date (exact; a date tied to a later meeting, "before the QBR", is
scored once the series is in, as the product sets it when that meeting is stored), team;
status accuracy over every (meeting, matched gold item introduced so far) pair, against the
status the gold updates give up to that meeting;
negatives hit = system items whose headline quote is a negative's sentence.

DEV series print every miss and false positive; TEST series (held out) print figures only.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings
from assistant.embed import MiniLMEmbedder
from assistant.errors import ConfigError
from assistant.extract.dates import series_kind
from assistant.extract.factory import make_extractor
from assistant.models import Item, ItemKind
from assistant.service import Liaison
from bench.ami import set_threads
from bench.business import (
    ALL_SERIES,
    DATA_DIR,
    HELD_OUT,
    KINDS,
    SPLITS,
    GoldItem,
    GoldMeeting,
    Series,
    double_of,
    headline,
    load_series,
    map_quotes,
    match_meeting,
    norm,
    says,
    split_of,
)
from bench.common import CachedEmbedder, Summable, prf, results_path, write_results

# ----------------------------------------------------------------- scores


@dataclass
class KindCounts(Summable):
    items: int = 0
    correct: int = 0
    gold: int = 0
    doubles: int = 0

    def as_dict(self) -> dict:
        return {
            **prf(self.correct, self.items, self.correct, self.gold),
            "items": self.items,
            "gold": self.gold,
            "doubles": self.doubles,
        }


@dataclass
class Tracking(Summable):
    """Counts behind the field and status figures."""

    owners: int = 0  # matched actions with a gold owner
    owners_right: int = 0
    no_owner: int = 0  # matched actions whose gold owner is null
    no_owner_kept: int = 0
    dues: int = 0
    dues_right: int = 0
    teams: int = 0
    teams_right: int = 0
    statuses: int = 0  # (meeting, matched gold item) pairs
    statuses_right: int = 0
    negatives: int = 0
    negatives_hit: int = 0
    unmapped_quotes: int = 0
    failed_meetings: int = 0
    fell_back: int = 0  # meetings the LLM extractor handed to the offline one
    seconds: float = 0.0

    def as_dict(self) -> dict:
        def share(a: int, b: int) -> float | None:
            return round(a / b, 3) if b else None

        return {
            "owner_accuracy": share(self.owners_right, self.owners),
            "owners_scored": self.owners,
            "no_owner_left_empty": share(self.no_owner_kept, self.no_owner),
            "no_owner_scored": self.no_owner,
            "due_accuracy": share(self.dues_right, self.dues),
            "dues_scored": self.dues,
            "team_accuracy": share(self.teams_right, self.teams),
            "teams_scored": self.teams,
            "status_accuracy": share(self.statuses_right, self.statuses),
            "status_pairs": self.statuses,
            "negatives_hit": self.negatives_hit,
            "negatives": self.negatives,
            "unmapped_quotes": self.unmapped_quotes,
            "failed_meetings": self.failed_meetings,
            "fell_back": self.fell_back,
            "seconds": round(self.seconds, 1),
        }


@dataclass
class SeriesResult:
    kinds: dict[ItemKind, KindCounts]
    tracking: Tracking
    extractors: set[str] = field(default_factory=set)
    misses: list[str] = field(default_factory=list)  # readable lines, for DEV only
    status_errors: list[str] = field(default_factory=list)
    field_errors: list[str] = field(default_factory=list)  # wrong owner or due of a match
    false_positives: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # unmapped quotes, failed ingests


def clip(text: str | None, width: int = 110) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def explain_miss(gold: GoldItem, items: list[Item]) -> str:
    """Why a gold item was missed, in the words of the nearest system item."""
    if not gold.turns:
        return "its quotes are not in the transcript"
    for item in items:
        if headline(item) in gold.turns and item.kind != gold.kind:
            return f"found as a {item.kind.value}: {clip(item.text)}"
    for item in items:
        if item.kind == gold.kind and {e.turn_index for e in item.evidence} & gold.turns:
            return f"only in the evidence of: {clip(item.text)}"
    return "no item on its turns"


def explain_false_positive(item: Item, meeting: GoldMeeting, matched: dict[int, str]) -> str:
    """Why an unmatched system item is wrong: a double, the wrong kind, a negative, …"""
    if double := double_of(item, meeting.items, matched):
        return f"double of {double}"
    turn = headline(item)
    for gold in meeting.items:
        if turn in gold.turns:
            return f"wrong kind: {gold.id} is a {gold.kind.value}"
    for negative in meeting.negatives:
        if says(item, negative):
            return f"negative ({negative.why})"
    for update in meeting.updates:
        if update.turn is not None and turn == update.turn:
            return f"re-mention: the update of {update.id} to {update.status}"
    return "not in the gold"


def run_series(series: Series, which: str, embedder: CachedEmbedder) -> SeriesResult:
    kinds = {k: KindCounts() for k in KINDS}
    track = Tracking()
    result = SeriesResult(kinds, track)
    introduced: list[GoldItem] = []
    system_of: dict[str, int] = {}  # gold id -> the matched system item id
    with tempfile.TemporaryDirectory(prefix="liaison-bench-") as home:
        settings = Settings(home=Path(home), extractor=which)
        app = Liaison(
            settings, embedder=embedder, extractor=make_extractor(settings, embedder, which)
        )
        for name, load in (("people.yaml", app.import_people), ("goals.yaml", app.import_goals)):
            if (series.folder / name).exists():
                load((series.folder / name).read_text())
        for n, meeting in enumerate(series.meetings):
            started = time.time()
            outcome = app.ingest_bytes(
                (series.folder / meeting.file).read_bytes(),
                meeting.file,
                title=meeting.title,
                day=meeting.day,
                kind=meeting.kind,
            )
            track.seconds += time.time() - started
            for gold in meeting.items:
                kinds[gold.kind].gold += 1
            track.negatives += len(meeting.negatives)
            if not outcome.ok or outcome.meeting is None or outcome.duplicate_of:
                track.failed_meetings += 1
                result.problems.append(f"{meeting.file}: {outcome.error or 'a duplicate'}")
                introduced += meeting.items
                continue
            stored = outcome.meeting
            result.extractors.add(stored.extractor or "")
            track.fell_back += which == "llm" and not (stored.extractor or "").startswith("llm")
            missing = map_quotes(meeting, app.meeting(stored.id).turns)
            track.unmapped_quotes += len(missing)
            result.problems += [f"{meeting.file}: quote not found: {m}" for m in missing]
            everything = {i.id: i for i in app.items(limit=100_000)[0]}
            new = sorted(
                (i for i in everything.values() if i.meeting_id == stored.id), key=lambda i: i.id
            )
            matched = match_meeting(meeting.items, new)
            score_fields(meeting, new, matched, kinds, track)
            result.field_errors += field_errors(meeting, new, matched)
            for item in new:
                if any(says(item, x) for x in meeting.negatives):
                    track.negatives_hit += 1
                if item.id not in matched:
                    why = explain_false_positive(item, meeting, matched)
                    result.false_positives.append(
                        f"{meeting.file} {item.kind.value}: {clip(item.text)} — {why}"
                    )
            system_of.update({g: i for i, g in matched.items()})
            for gold in meeting.items:
                if gold.id not in system_of:
                    why = explain_miss(gold, new)
                    result.misses.append(f"{meeting.file} {gold.id}: {clip(gold.text)} — {why}")
            introduced += meeting.items
            for gold in (g for g in introduced if g.id in system_of):
                item = everything.get(system_of[gold.id])  # None if tracking removed it
                track.statuses += 1
                want = series.status_after(gold, n)
                right = bool(item and item.status == want)
                track.statuses_right += right
                if not right:
                    result.status_errors.append(
                        f"after {meeting.file} {gold.id} ({clip(gold.text, 60)}): gold {want},"
                        f" system {item.status if item else 'gone'}"
                    )
        # "before the QBR" has a date once that QBR is stored: such dues are scored at the end
        everything = {i.id: i for i in app.items(limit=100_000)[0]}
        for gold in (g for g in introduced if g.id in system_of and g.due):
            item = everything.get(system_of[gold.id])
            if item is not None and series_kind(item.due_phrase) is not None:
                track.dues += 1
                track.dues_right += item.due == gold.due
                if item.due != gold.due:
                    result.field_errors.append(
                        f'{gold.id}: due {item.due} ("{item.due_phrase}", at the end; gold'
                        f" {gold.due})"
                    )
        app.db.close()
    return result


def score_fields(
    meeting: GoldMeeting,
    items: list[Item],
    matched: dict[int, str],
    kinds: dict[ItemKind, KindCounts],
    track: Tracking,
) -> None:
    """Precision counts, doubles, and owner / due / team of the matched items of one meeting."""
    gold_by_id = {g.id: g for g in meeting.items}
    for item in items:
        kinds[item.kind].items += 1
        if item.id in matched:
            kinds[item.kind].correct += 1
            gold = gold_by_id[matched[item.id]]
            if gold.team:
                track.teams += 1
                track.teams_right += item.team.value.lower() == str(gold.team).lower()
            if gold.kind != ItemKind.action:
                continue
            if gold.owner:
                track.owners += 1
                track.owners_right += norm(item.owner or "") == norm(gold.owner)
            else:
                track.no_owner += 1
                track.no_owner_kept += not item.owner
            if gold.due and series_kind(item.due_phrase) is None:
                track.dues += 1
                track.dues_right += item.due == gold.due
        elif double_of(item, meeting.items, matched):
            kinds[item.kind].doubles += 1


def field_errors(meeting: GoldMeeting, items: list[Item], matched: dict[int, str]) -> list[str]:
    """Readable lines for the matched actions whose owner or due date is wrong (DEV only)."""
    gold_by_id = {g.id: g for g in meeting.items}
    out = []
    for item in items:
        gold = gold_by_id.get(matched.get(item.id, ""))
        if gold is None or gold.kind != ItemKind.action:
            continue
        if gold.owner and norm(item.owner or "") != norm(gold.owner):
            out.append(f"{meeting.file} {gold.id}: owner {item.owner} (gold {gold.owner})")
        if gold.due and item.due != gold.due and series_kind(item.due_phrase) is None:
            said = f' ("{item.due_phrase}")' if item.due_phrase else ""
            out.append(f"{meeting.file} {gold.id}: due {item.due}{said} (gold {gold.due})")
    return out


# ----------------------------------------------------------------- output


def fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def kinds_table(rows: dict[str, dict[str, dict]]) -> str:
    lines = [
        "| series | kind | precision | recall | F1 | items | gold | doubles |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, kinds in rows.items():
        for kind, r in kinds.items():
            lines.append(
                f"| {name} | {kind} | {r['precision']:.3f} | {r['recall']:.3f} | "
                f"**{r['f1']:.3f}** | {r['items']} | {r['gold']} | {r['doubles']} |"
            )
    return "\n".join(lines)


def tracking_table(rows: dict[str, dict]) -> str:
    lines = [
        "| series | owner | no owner kept empty | due | team | status | negatives hit"
        " | unmapped quotes | ingest s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {fmt(r['owner_accuracy'])} ({r['owners_scored']}) | "
            f"{fmt(r['no_owner_left_empty'])} ({r['no_owner_scored']}) | "
            f"{fmt(r['due_accuracy'])} ({r['dues_scored']}) | "
            f"{fmt(r['team_accuracy'])} ({r['teams_scored']}) | "
            f"{fmt(r['status_accuracy'])} ({r['status_pairs']}) | "
            f"{r['negatives_hit']} / {r['negatives']} | {r['unmapped_quotes']} | "
            f"{r['seconds']:.0f} |"
        )
    return "\n".join(lines)


def summarise(results: dict[str, SeriesResult], splits: dict[str, str]) -> tuple[dict, dict]:
    """Figures per series and per split (counts summed over the split's series)."""
    per_series, totals = {}, {}
    for name, r in results.items():
        per_series[name] = {
            "split": splits[name],
            "kinds": {k.value: c.as_dict() for k, c in r.kinds.items()},
            "tracking": r.tracking.as_dict(),
        }
        kinds, track = totals.setdefault(
            splits[name], ({k: KindCounts() for k in KINDS}, Tracking())
        )
        for kind, counts in r.kinds.items():
            kinds[kind].add(counts)
        track.add(r.tracking)
    per_split = {
        split: {
            "series": [n for n in results if splits[n] == split],
            "kinds": {k.value: c.as_dict() for k, c in kinds.items()},
            "tracking": track.as_dict(),
        }
        for split, (kinds, track) in totals.items()
    }
    return per_series, per_split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extractor", choices=("offline", "llm"), default="offline")
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--data", type=Path, default=DATA_DIR, help="folder of series folders")
    parser.add_argument("--series", nargs="*", help="only these series (any split)")
    parser.add_argument("--out", type=Path, help="results file (default: bench/results/…)")
    parser.add_argument("--threads", type=int, default=2, help="torch threads for MiniLM")
    args = parser.parse_args()

    names = args.series or [s for s in ALL_SERIES if args.split in ("all", split_of(s))]
    ready = [n for n in names if (args.data / n / "series.yaml").exists()]
    for name in sorted(set(names) - set(ready)):
        print(f"skipped {name}: no {args.data / name / 'series.yaml'} (yet)")
    if not ready:
        raise SystemExit("no series to run")

    set_threads(args.threads)
    t0 = time.time()
    embedder = CachedEmbedder(MiniLMEmbedder())
    results: dict[str, SeriesResult] = {}
    for name in ready:
        series = load_series(args.data / name)
        print(f"  {name}: {len(series.meetings)} meetings", flush=True)
        try:
            results[name] = run_series(series, args.extractor, embedder)
        except ConfigError as err:  # --extractor llm without LIAISON_LLM_BASE_URL
            raise SystemExit(str(err)) from err
    seconds = time.time() - t0
    splits = {name: split_of(name) for name in results}
    per_series, per_split = summarise(results, splits)
    used = sorted({e for r in results.values() for e in r.extractors if e})

    print(f"\n## business series — extractor {', '.join(used)}\n")
    print(kinds_table({f"{n} ({v['split']})": v["kinds"] for n, v in per_series.items()}))
    print()
    print(tracking_table({f"{n} ({v['split']})": v["tracking"] for n, v in per_series.items()}))
    print("\n### per split\n")
    print(kinds_table({s: v["kinds"] for s, v in per_split.items()}))
    print()
    print(tracking_table({s: v["tracking"] for s, v in per_split.items()}))
    for name, r in results.items():
        if splits[name] in HELD_OUT:
            continue  # held out: figures only
        for title, lines in (
            ("data problems", r.problems),
            ("misses", r.misses),
            ("false positives", r.false_positives),
            ("status errors", r.status_errors),
            ("owner and due errors", r.field_errors),
        ):
            print(f"\n### {name}: {title} ({len(lines)})\n")
            print("\n".join(f"- {line}" for line in lines) or "none")
    if fell_back := sum(r.tracking.fell_back for r in results.values()):
        print(f"\n{fell_back} meetings fell back to the offline extractor (LLM unavailable).")
    print(f"\n{len(results)} series, run time {seconds:.0f}s")

    out = args.out or results_path("extract_business", args.extractor, args.split)
    write_results(
        out,
        {
            "extractor": used,
            "split": args.split,
            "seconds": round(seconds, 1),
            "splits": per_split,
            "series": per_series,
        },
    )


if __name__ == "__main__":
    main()
