"""KPI readings said in meetings, on the business set's dev series: every reading the detector
(assistant/kpi_readings.py) makes, printed for a person to judge.

    PYTHONPATH=. .venv/bin/python bench/kpi_readings.py [series ...]

Only the four dev series below may be named: held-out series (and series added since) are
refused. No model runs: transcripts are
parsed and the detector reads the turns against the series' goals.yaml. Judgement of each
reading is by hand; the figures are in BENCHMARKS.md ("KPI readings from meetings").
"""

from __future__ import annotations

import sys

from assistant.ingest import parse_transcript
from assistant.kpi_readings import find_readings
from assistant.models import Goal
from assistant.yamlio import load_records
from bench.business import DATA_DIR, split_of

SERIES = ("harbor-weekly", "lumen-monthly", "alder-status", "birch-reporting")


def main(names: list[str]) -> int:
    total = 0
    for series in names or SERIES:
        if series not in SERIES or split_of(series) != "dev":
            print(f"{series}: not one of the dev series {', '.join(SERIES)}; not read here")
            return 2
        folder = DATA_DIR / series
        goals = load_records((folder / "goals.yaml").read_text(), "goals", Goal, "goal")
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".txt", ".vtt", ".srt", ".json"):
                continue
            turns = parse_transcript(path.read_bytes(), path.name).turns
            found = find_readings(turns, goals)
            total += len(found)
            print(f"\n== {series}/{path.name}: {len(found)} reading(s)")
            for s in found:
                print(f"  [{s.goal_id}] {s.kpi} = {s.value:g} {s.unit}  (turn {s.turn_index})")
                print(f"      {s.speaker}: “{s.quote}”")
    print(f"\n{total} reading(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
