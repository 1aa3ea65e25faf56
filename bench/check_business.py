"""Check a business series' gold against its own transcripts, without running any extractor.

    .venv/bin/python -m bench.check_business bench/data/business/<series> [...]

For the writers of the set: every transcript parses with the product's own parser, every quote
is said in some turn, owners are people of `people.yaml`, ids are unique, and every update names
an item of an earlier meeting. Prints the problems and exits 1 when there are any. It never
extracts, so a writer can use it without seeing what the extractor makes of the meetings.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from assistant.errors import LiaisonError
from assistant.ingest import parse_transcript
from bench.business import load_series, map_quotes


def problems_of(folder: Path) -> list[str]:
    series = load_series(folder)
    people = yaml.safe_load((folder / "people.yaml").read_text()).get("people") or []
    names = {p["name"] for p in people}
    problems, seen = [], set[str]()
    if not (folder / "goals.yaml").exists():
        problems.append("goals.yaml is missing")
    for n, meeting in enumerate(series.meetings):
        try:
            turns = parse_transcript((folder / meeting.file).read_bytes(), meeting.file).turns
        except (LiaisonError, OSError) as error:
            problems.append(f"{meeting.file}: does not parse: {error}")
            continue
        speakers = sorted({t.speaker for t in turns})
        print(f"  {meeting.file}: {len(turns)} turns, speakers: {', '.join(speakers)}")
        problems += [
            f"{meeting.file}: speaker not in people.yaml: {s}" for s in speakers if s not in names
        ]
        problems += [f"{meeting.file}: quote not found: {q}" for q in map_quotes(meeting, turns)]
        problems += [
            f"{meeting.file}: update quote not found: {u.id}: {u.quote}"
            for u in meeting.updates
            if u.turn is None
        ]
        earlier = set(seen)
        for gold in meeting.items:
            if gold.id in seen:
                problems.append(f"{meeting.file}: id used twice: {gold.id}")
            seen.add(gold.id)
            if gold.owner and gold.owner not in names:
                problems.append(f"{meeting.file}: {gold.id}: owner not in people.yaml")
            if not gold.quotes:
                problems.append(f"{meeting.file}: {gold.id}: no quotes")
        for update in meeting.updates:
            if update.id not in earlier:
                problems.append(f"{meeting.file}: {update.id}: updates no earlier item")
        if n == 0 and meeting.updates:
            problems.append(f"{meeting.file}: the first meeting has updates")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)
    bad = 0
    for folder in args.folders:
        print(f"{folder.name}:")
        found = problems_of(folder)
        print(f"{folder.name}: {'ok' if not found else f'{len(found)} problem(s)'}")
        for problem in found:
            print(f"  {problem}")
        bad += len(found)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
