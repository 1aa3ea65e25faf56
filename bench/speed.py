"""Speed: ingest throughput of an hour-long meeting, and search latency through the HTTP API.

1. Ingest: a ~10,000-word meeting (QMSum turns written as a generic JSON transcript) goes from
   bytes to searchable in a fresh `Liaison` with the real MiniLM embedder and the real offline
   extractor (model load included: the clock starts before the model is loaded).
2. Search: synthetic chunks (random unit vectors, Zipf-distributed pseudo-words, ~80 words
   each) are written straight into the store tables at 10k, 100k and 1M chunks; for each size a
   uvicorn server (127.0.0.1, a port of its own) serves the real app with the real MiniLM
   (every request embeds its query), and the bench times `GET /search?q=...` over HTTP with
   keep-alive, reading the server's peak RSS (VmHWM) afterwards. Above `ann_threshold` chunks
   the vector index is IVF (approximate).

Run: ``.venv/bin/python -m bench.speed [--sizes 10000 100000 1000000] [--queries 200]``.
Writes bench/results/speed.json after every step, so a partial run still leaves numbers.
``--home DIR --skip-ingest`` keeps the synthetic store (4.2 GB at 1M chunks, ~4 minutes to
grow, ~2 more to build its index the first time) and reuses it and its saved index on later
runs, so before/after comparisons can alternate quickly.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import RESULTS_DIR, SHARED_DATA, NoItemsExtractor, machine

WORDS_PER_CHUNK = 80
CHUNKS_PER_MEETING = 100
VOCABULARY = 20_000


def hour_meeting(words: int = 10_000) -> bytes:
    """About `words` words of real meeting turns (QMSum, in order) as a generic JSON file."""
    turns: list[dict] = []
    count = 0
    with open(SHARED_DATA / "qmsum" / "val.jsonl") as handle:
        for line in handle:
            for turn in json.loads(line)["meeting_transcripts"]:
                turns.append({"speaker": turn["speaker"], "text": turn["content"]})
                count += len(turn["content"].split())
                if count >= words:
                    return json.dumps(turns).encode()
    return json.dumps(turns).encode()


def bench_ingest(threads: int) -> dict:
    """Seconds from bytes to searchable, model load included (the default embedder: MiniLM on
    ONNX Runtime; `threads` applies to torch only, which this no longer imports)."""
    from assistant.config import Settings
    from assistant.embed import MiniLMEmbedder
    from assistant.models import SearchFilters
    from assistant.service import Liaison

    data = hour_meeting()
    words = sum(len(t["text"].split()) for t in json.loads(data))
    with tempfile.TemporaryDirectory(prefix="liaison-speed-") as tmp:
        load_avg = round(os.getloadavg()[0], 2)
        started = time.perf_counter()
        embedder = MiniLMEmbedder()
        embedder.embed_batch(["load the model"])
        loaded = time.perf_counter()
        try:
            from assistant.extract.offline import OfflineExtractor

            extractor, extractor_name = OfflineExtractor(embedder=embedder), "offline"
        except ImportError:
            extractor, extractor_name = NoItemsExtractor(), "none (offline not importable)"
        liaison = Liaison(Settings(home=Path(tmp)), embedder=embedder, extractor=extractor)
        stages: dict[str, float] = {}

        def progress(stage: str, done: int, total: int) -> None:
            stages.setdefault(stage, time.perf_counter())  # when each stage starts

        outcome = liaison.ingest_bytes(
            data, "hour.json", title="Hour-long meeting", progress=progress
        )
        stored = time.perf_counter()
        assert outcome.ok and outcome.meeting, outcome.error
        hits = liaison.search("budget", SearchFilters(meeting_id=outcome.meeting.id), k=5)
        seconds = time.perf_counter() - started
        chunks = liaison.stats()["chunks"]
        liaison.db.close()
    return {
        "words": words,
        "turns": len(json.loads(data)),
        "chunks": chunks,
        "items": outcome.items,
        "extractor": extractor_name,
        "seconds": round(seconds, 2),
        "model_load_s": round(loaded - started, 2),
        "parse_chunk_embed_s": round(stages.get("extract", stored) - loaded, 2),
        "extract_store_s": round(stored - stages.get("extract", stored), 2),
        "load_avg_1m_before": load_avg,
        "words_per_s": round(words / seconds, 1),
        "searchable": bool(hits),
        "torch_threads": threads,
    }


# ----------------------------------------------------------------------------- synthetic store


def _pseudo_words(rng: np.random.Generator) -> np.ndarray:
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    return np.array(
        ["".join(rng.choice(letters, size=rng.integers(4, 10))) for _ in range(VOCABULARY)]
    )


def _zipf_probabilities() -> np.ndarray:
    weights = 1.0 / np.arange(1, VOCABULARY + 1) ** 1.05
    return weights / weights.sum()


def grow_store(home: Path, total: int, rng: np.random.Generator, words: np.ndarray) -> float:
    """Add synthetic meetings/chunks until the store holds `total` chunks; returns seconds.
    A store that already holds them is left as it is (its saved index stays current)."""
    from assistant.config import Settings
    from assistant.embed import MiniLMEmbedder
    from assistant.store import Database

    started = time.perf_counter()
    db = Database(Settings(home=home).db_path)
    db.migrate()
    db.close()
    conn = sqlite3.connect(db.path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    have = conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    if have >= total:
        conn.close()
        return time.perf_counter() - started
    probabilities = _zipf_probabilities()
    model = MiniLMEmbedder.name
    batch = 20_000
    conn.execute("BEGIN")
    while have < total:
        n = min(batch, total - have)
        vectors = rng.standard_normal((n, 384)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        tokens = rng.choice(VOCABULARY, size=(n, WORDS_PER_CHUNK), p=probabilities)
        meeting_rows, chunk_rows = [], []
        for i in range(n):
            number = have + i
            meeting = number // CHUNKS_PER_MEETING + 1
            if number % CHUNKS_PER_MEETING == 0:
                day = f"2026-{1 + meeting % 12:02d}-{1 + meeting % 28:02d}"
                meeting_rows.append(
                    (meeting, f"Synthetic {meeting}", day, "other", f"hash-{meeting}", "[]")
                )
            speaker = f"Speaker {number % 7}"
            chunk_rows.append(
                (
                    number + 1,
                    meeting,
                    number % CHUNKS_PER_MEETING,
                    number % CHUNKS_PER_MEETING,
                    json.dumps([speaker]),
                    f"{speaker}: " + " ".join(words[tokens[i]]),
                    vectors[i].tobytes(),
                    model,
                )
            )
        conn.executemany(
            "INSERT INTO meetings (id, title, date, kind, content_hash, attendees, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, '2026-01-01')",
            meeting_rows,
        )
        conn.executemany(
            "INSERT INTO chunks (id, meeting_id, turn_start, turn_end, speakers, text, vector,"
            " model) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            chunk_rows,
        )
        conn.executemany(
            "INSERT INTO chunk_speakers (chunk_id, speaker) VALUES (?, ?)",
            [(r[0], json.loads(r[4])[0]) for r in chunk_rows],
        )
        have += n
        print(f"  store: {have:,} chunks", file=sys.stderr, flush=True)
    # A new generation makes the server rebuild its vector index from these rows.
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('index_generation', ?)"
        " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (str(time.time_ns()),),
    )
    conn.execute("COMMIT")
    conn.close()
    return time.perf_counter() - started


# ----------------------------------------------------------------------------- server


def serve(home: Path, port: int, token_file: Path, threads: int) -> None:
    """Child process: the real app on 127.0.0.1:`port`, index built and model loaded first.

    The embedder is the one the settings name (LIAISON_EMBEDDER: ONNX Runtime by default), so
    the process holds what `liaison serve` would; torch is imported only for `minilm-torch`."""
    import uvicorn

    from assistant.api.app import create_app
    from assistant.config import Settings
    from assistant.embed import make_embedder
    from assistant.service import Liaison

    settings = Settings(home=home)
    if settings.embedder == "minilm-torch":
        import torch

        torch.set_num_threads(threads)
    embedder = make_embedder(settings.embedder, settings.model_cache)
    liaison = Liaison(settings, embedder=embedder, extractor=NoItemsExtractor())
    started = time.perf_counter()
    index = liaison.index()
    index_s = time.perf_counter() - started
    liaison.embedder.embed_batch(["warm up"])
    app = create_app(settings, liaison)
    auth = getattr(app.state, "auth", None)
    secret = ""
    if auth is not None:  # the API requires a token: make a read-only one for the bench
        try:
            auth.add_user("bench", "viewer", None)
        except Exception:  # noqa: BLE001  (already there from a previous size)
            pass
        secret = auth.create_token("bench")[0]
    info = {"token": secret, "index_s": round(index_s, 1), "approximate": index.approximate}
    token_file.write_text(json.dumps(info))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rss_mb(pid: int, field: str) -> float:
    """A memory figure of a live process from /proc: VmHWM (peak RSS) or VmRSS (now)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def bench_search(home: Path, chunks: int, queries: list[str], threads: int) -> dict:
    import httpx

    port = _free_port()
    token_file = home / "bench-token.json"
    token_file.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "bench.speed", "--serve", str(home), str(port), str(token_file)]
    cmd += ["--threads", str(threads)]
    server = subprocess.Popen(cmd, cwd=Path(__file__).resolve().parent.parent)
    try:
        deadline = time.time() + 1800
        while not token_file.exists():
            if server.poll() is not None or time.time() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.5)
        info = json.loads(token_file.read_text())
        headers = {"Authorization": f"Bearer {info['token']}"} if info["token"] else {}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers) as client:
            for _ in range(100):
                try:
                    client.get("/health")
                    break
                except httpx.TransportError:
                    time.sleep(0.2)
            times = []
            for i, query in enumerate(queries):
                started = time.perf_counter()
                response = client.get("/search", params={"q": query, "k": 10})
                elapsed = time.perf_counter() - started
                response.raise_for_status()
                if i >= 10:  # the first few warm caches
                    times.append(elapsed)
        times.sort()
        return {
            "chunks": chunks,
            "index": "IVF (approximate)" if info["approximate"] else "flat (exact)",
            "index_build_s": info["index_s"],
            "requests": len(times),
            "p50_ms": round(1000 * statistics.median(times), 1),
            "p99_ms": round(1000 * times[min(len(times) - 1, int(0.99 * len(times)))], 1),
            "peak_rss_mb": _rss_mb(server.pid, "VmHWM"),  # includes building the index
            "rss_serving_mb": _rss_mb(server.pid, "VmRSS"),
        }
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--home", type=Path, help="keep the synthetic store here (reused)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "speed.json")
    parser.add_argument("--serve", nargs=3, metavar=("HOME", "PORT", "TOKEN_FILE"))
    args = parser.parse_args()
    if args.serve:
        serve(Path(args.serve[0]), int(args.serve[1]), Path(args.serve[2]), args.threads)
        return

    result: dict = {"machine": machine(), "ingest": None, "search": []}
    if args.skip_ingest and args.out.exists():  # keep the last ingest figures
        result["ingest"] = json.loads(args.out.read_text()).get("ingest")

    def save() -> None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2) + "\n")

    if not args.skip_ingest:
        result["ingest"] = bench_ingest(args.threads)
        print(f"ingest: {result['ingest']}", flush=True)
        save()

    rng = np.random.default_rng(0)
    words = _pseudo_words(rng)
    # Queries: 2-4 words of middle frequency, as people type topic words.
    queries = [
        " ".join(words[rng.integers(50, 5000, size=rng.integers(2, 5))])
        for _ in range(args.queries + 10)
    ]
    tmp = None if args.home else tempfile.TemporaryDirectory(prefix="liaison-speed-")
    home = args.home or Path(tmp.name)
    home.mkdir(parents=True, exist_ok=True)
    try:
        for size in sorted(args.sizes):
            build_s = grow_store(home, size, rng, words)
            row = bench_search(home, size, queries, args.threads)
            row["store_build_s"] = round(build_s, 1)
            row["load_avg_1m_after"] = round(os.getloadavg()[0], 2)
            row["db_mb"] = round(os.path.getsize(home / "liaison.db") / 2**20, 1)
            result["search"].append(row)
            print(f"search: {row}", flush=True)
            save()
    finally:
        if tmp is not None:
            tmp.cleanup()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
