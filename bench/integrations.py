"""Exports, calendar feeds and webhook delivery at a realistic size: 2,000 items over the four
sample meetings (hashing embedder, a scripted extractor: this measures the integrations, not
extraction).

- the time to build each export (CSV, XLSX, JSON of every item; the ICS feed of every action;
  the DOCX minutes of the largest meeting), median of 5 runs;
- webhook throughput: 2,000 `item.created` events queued by the ingests, then delivered
  (signed) to a local HTTP receiver by `deliver_due`, events per second;
- a calendar import of a year of weekly occurrences plus a monthly series.

    .venv/bin/python -m bench.integrations

Writes bench/results/integrations.json (with the machine) and prints the figures.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from assistant.config import Settings
from assistant.embed import HashingEmbedder
from assistant.models import DraftItem, Evidence, ExtractionResult, ItemKind, Team
from assistant.service import Liaison
from bench.common import RESULTS_DIR, ROOT, write_results

sys.path.insert(0, str(ROOT))
from tests.webhook_server import WebhookServer  # noqa: E402

SAMPLES = ROOT / "assistant" / "data" / "samples"
PER_MEETING = 500
WORDS = (
    "consent audit attribution model vendor shortlist campaign launch SSO rollout budget split"
    " data retention privacy review dashboard pipeline segment webinar pricing page CDP contract"
    " analytics tagging email cadence brand refresh lead scoring MQL definition security review"
).split()


class ManyItems:
    """PER_MEETING items per meeting, each on its own words (so none restates another)."""

    name = "bench:many"

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)

    def extract(self, meeting, turns, goals) -> ExtractionResult:
        drafts = []
        for n in range(PER_MEETING):
            turn = turns[n % len(turns)]
            kind = (ItemKind.action, ItemKind.decision, ItemKind.parking)[n % 3]
            words = " ".join(self.rng.sample(WORDS, 6))
            drafts.append(
                DraftItem(
                    kind=kind,
                    text=f"{words} #{meeting.date}-{n}",
                    owner=turn.speaker,
                    team=self.rng.choice([Team.it, Team.marketing]),
                    due=meeting.date + timedelta(days=7 + n % 30)
                    if kind == ItemKind.action
                    else None,
                    evidence=[Evidence(turn_index=turn.index, quote=turn.text[:60])],
                )
            )
        return ExtractionResult(items=drafts, extractor=self.name)


def _median(fn, runs: int = 5) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(fn())
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 4), size


def _calendar(weeks: int) -> bytes:
    start = date(2026, 1, 6)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n"
        "BEGIN:VEVENT\r\nUID:weekly@bench\r\nSUMMARY:Weekly sync\r\n"
        f"DTSTART;TZID=Europe/Paris:{start:%Y%m%d}T100000\r\nRRULE:FREQ=WEEKLY;COUNT={weeks}\r\n"
        "ATTENDEE;CN=Dana Whitfield:mailto:dana@example.com\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:monthly@bench\r\nSUMMARY:Monthly 1:1\r\n"
        "DTSTART;VALUE=DATE:20260120\r\nRRULE:FREQ=MONTHLY;COUNT=24\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    ).encode()


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="liaison-bench-integrations-"))
    settings = Settings(home=home, embedder="hashing", digest_scheduler=False)
    liaison = Liaison(settings, embedder=HashingEmbedder(), extractor=ManyItems())
    results: dict = {"items_per_meeting": PER_MEETING}
    baseline = Liaison(
        Settings(home=home / "baseline", embedder="hashing", digest_scheduler=False),
        embedder=HashingEmbedder(),
        extractor=ManyItems(),
    )
    start = time.perf_counter()
    for path in sorted(SAMPLES.glob("2026-*")):
        assert baseline.ingest_path(path).ok
    results["ingest_s_without_endpoints"] = round(time.perf_counter() - start, 2)
    with WebhookServer(secret=None) as hook:
        endpoint = liaison.webhooks.add_endpoint(hook.url, events=["item.created"])
        hook.secret = endpoint.secret
        start = time.perf_counter()
        for path in sorted(SAMPLES.glob("2026-*")):
            assert liaison.ingest_path(path).ok
        ingest_s = time.perf_counter() - start
        total = liaison.items()[1]
        queued = liaison.webhooks.log(endpoint.id, 1)[1]
        start = time.perf_counter()
        done = liaison.webhooks.deliver_due()
        deliver_s = time.perf_counter() - start
        assert all(d.status == "delivered" for d in done) and all(hook.verified)
        results["webhooks"] = {
            "items": total,
            "events_queued": queued,
            "ingest_s_with_queueing": round(ingest_s, 2),
            "deliver_s": round(deliver_s, 2),
            "events_per_s": round(len(done) / deliver_s, 1),
        }
    exports = liaison.exports
    largest = max(liaison.meetings()[0], key=lambda m: m.id).id
    for name, fn in {
        "csv_all_items": lambda: exports.items_table(fmt="csv").content,
        "xlsx_all_items": lambda: exports.items_table(fmt="xlsx").content,
        "json_all_items": lambda: exports.items_table(fmt="json").content,
        "ics_all_actions": lambda: exports.items_ics().content,
        "docx_minutes_500_items": lambda: exports.minutes(largest, "docx").content,
        "md_minutes_500_items": lambda: exports.minutes(largest, "md").content,
    }.items():
        seconds, size = _median(fn)
        results[name] = {"seconds": seconds, "bytes": size}
    start = time.perf_counter()
    report = exports.import_calendar(_calendar(52), today=date(2026, 12, 1))
    results["calendar_import"] = {
        "occurrences": report.events,
        "meetings_matched": len(report.meetings),
        "seconds": round(time.perf_counter() - start, 3),
    }
    for key, value in results.items():
        print(f"{key:>24}: {value}")
    write_results(RESULTS_DIR / "integrations.json", results)


if __name__ == "__main__":
    main()
