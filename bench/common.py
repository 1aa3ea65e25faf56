"""Helpers shared by the search and speed benchmarks.

`CachedEmbedder` wraps the real embedder and keeps every vector it made in a SQLite file under
`bench/.cache/`, so a rerun of a benchmark does not embed the same text twice. `NoItemsExtractor`
is a real extractor that finds nothing, for benchmarks that only measure search.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from assistant.embed import Embedder
from assistant.models import ExtractionResult, Goal, Meeting, Turn

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = ROOT / "bench" / ".cache"
RESULTS_DIR = ROOT / "bench" / "results"
SHARED_DATA = Path(os.environ.get("LIAISON_SHARED_DATA", ROOT.parent / "shared" / "data"))
if not SHARED_DATA.exists():  # the shared data sits beside the work tree, e.g. /work/shared
    SHARED_DATA = Path("/work/shared/data")


class CachedEmbedder:
    """The wrapped embedder, with vectors remembered on disk by (model name, text hash)."""

    def __init__(self, inner: Embedder, path: Path | None = None):
        self.inner = inner
        self.name = inner.name  # same vectors, so the same name: the store must not re-embed
        self.dim = inner.dim
        self.path = Path(path or CACHE_DIR / "embeddings.sqlite")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False)
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, vector BLOB,"
            " PRIMARY KEY (model, key))"
        )
        self.computed = 0  # texts the inner model had to embed (cache misses)

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            marks = ",".join("?" * len(part))
            for key, blob in self._conn.execute(
                f"SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})",
                [self.name, *part],
            ):
                found[key] = np.frombuffer(blob, dtype=np.float32)
        missing = list(dict.fromkeys(k for k in keys if k not in found))
        if missing:
            text_of = dict(zip(keys, texts, strict=True))
            vectors = np.asarray(self.inner.embed_batch([text_of[k] for k in missing]), np.float32)
            self.computed += len(missing)
            with self._conn:
                self._conn.executemany(
                    "INSERT OR REPLACE INTO vectors (model, key, vector) VALUES (?, ?, ?)",
                    [(self.name, k, v.tobytes()) for k, v in zip(missing, vectors, strict=True)],
                )
            found.update(zip(missing, vectors, strict=True))
        if not keys:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([found[k] for k in keys]).astype(np.float32)


def results_path(name: str, extractor: str = "offline", split: str = "all") -> Path:
    """bench/results/<name>[-<extractor>][-<split>].json: offline and all splits are plain."""
    suffix = ("" if extractor == "offline" else f"-{extractor}") + (
        "" if split == "all" else f"-{split}"
    )
    return RESULTS_DIR / f"{name}{suffix}.json"


def write_results(out: Path, payload: dict) -> None:
    """The benchmark's JSON, with the machine it ran on, at `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({**payload, "machine": machine()}, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


def prf(correct_items: int, items: int, matched_gold: int, gold: int) -> dict[str, float]:
    """Precision (correct items / items), recall (gold matched / gold) and F1, rounded."""
    p = correct_items / items if items else 0.0
    r = matched_gold / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3)}


def share(part: int, whole: int) -> float | None:
    """part / whole rounded to 3 places; None when there is nothing to divide by."""
    return round(part / whole, 3) if whole else None


class Summable:
    """Counters kept as dataclass fields, summed field by field over meetings."""

    def add(self, other: Summable) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class NoItemsExtractor:
    """An extractor that finds no items: benchmarks of search skip extraction time."""

    name = "none:v1"

    def extract(self, meeting: Meeting, turns: list[Turn], goals: list[Goal]) -> ExtractionResult:
        return ExtractionResult(items=[], extractor=self.name)


def machine() -> dict:
    """CPU model, core count and date, recorded with every result."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }
