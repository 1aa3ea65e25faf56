"""Uploads against a real `liaison serve` (worker processes, MiniLM, offline extractor):

- isolation: `/health` and `/search` latency (p50, p99, max) and the memory of the server and
  its workers (RSS and PSS summed) while each pathological file of issue #13 is uploaded;
- kill -9: the worker killed mid-ingest, then the server killed mid-ingest and restarted,
  several times; then every file uploaded again: nothing half-stored, nothing doubled;
- concurrency: several clients uploading, searching and deleting for a minute: nothing lost;
- transcription: the bundled Whisper tiny.en on a two-voice espeak-ng recording, as a multiple
  of real time, and the peak memory of the process.

    .venv/bin/python -m bench.uploads [--part isolation kill concurrency transcribe]

Writes bench/results/uploads.json (with the machine) and prints the figures.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx

from bench.common import RESULTS_DIR, ROOT, machine, write_results

BIN = Path(sys.executable).parent
PASSWORD = "bench-password-1"
WORDS = ("budget campaign vendor contract launch data platform privacy review quarter "
         "pipeline dashboard migration security audit timeline owner deadline").split()  # fmt: skip


# ---------------------------------------------------------------------- files


def cue_of_angles() -> bytes:
    """A 300 KB cue of '<' with no '>' (once quadratic in the tag stripper)."""
    return b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDana: " + b"<" * 300_000 + b"\n"


def single_line_vtt() -> bytes:
    """3 MB of words on one cue line."""
    words = " ".join(random.Random(1).choice(WORDS) for _ in range(420_000))
    return b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDana: " + words.encode()[:3_000_000] + b"\n"


def docx_bomb(inflated_mb: int = 200) -> bytes:
    """A .docx whose word/document.xml inflates to `inflated_mb` MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.'
                    b'org/wordprocessingml/2006/main"><w:body>')  # fmt: skip
            para = b"<w:p><w:r><w:t>Dana: " + b"a" * 4000 + b"</w:t></w:r></w:p>"
            for _ in range(inflated_mb * 1024 * 1024 // len(para)):
                f.write(para)
            f.write(b"</w:body></w:document>")
    return buf.getvalue()


def docx_paragraphs(count: int = 20_000) -> bytes:
    import docx

    doc = docx.Document()
    rng = random.Random(2)
    for n in range(count):
        who = ("Dana", "Raj", "Priya")[n % 3]
        doc.add_paragraph(f"{who}: {' '.join(rng.choice(WORDS) for _ in range(6))}")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def meeting_text(seed: int, turns: int) -> bytes:
    """A plausible transcript, different for every seed (so never a duplicate)."""
    rng = random.Random(seed)
    lines = [f"Title: Bench meeting {seed}", "Date: 2026-11-02", ""]
    for n in range(turns):
        who = ("Dana Cole", "Raj Mehta", "Priya Shah")[n % 3]
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(12, 40)))
        lines.append(f"[{n // 60:02d}:{n % 60:02d}:00] {who}: {words} number {seed}-{n}.")
    return "\n".join(lines).encode()


# ---------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`liaison serve` on a data folder, started and killed as a user would."""

    def __init__(self, home: Path):
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "LIAISON_HOME": str(home), "LIAISON_ADMIN_PASSWORD": PASSWORD,
                    "LIAISON_DIGEST_SCHEDULER": "false", "HF_HUB_OFFLINE": "1",
                    "LIAISON_EXTRACTOR": "offline", "LIAISON_UPLOAD_WAIT_S": "0"}  # fmt: skip
        self.proc: subprocess.Popen | None = None
        self.token: str | None = None

    def start(self) -> Server:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.home.parent / "server.log", "ab") as log:  # the child keeps its copy
            self.proc = subprocess.Popen(
                [str(BIN / "liaison"), "serve", "--port", str(self.port)],
                env=self.env, stdout=log, stderr=log,
            )  # fmt: skip
        for _ in range(600):
            try:
                if httpx.get(self.url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        if self.token is None:
            out = subprocess.run(
                [str(BIN / "liaison"), "users", "token", "admin", "--expires", "1d"],
                env=self.env, capture_output=True, text=True, check=True,
            )  # fmt: skip
            self.token = out.stdout.strip().splitlines()[-1]
        self.wait_for_workers()
        return self

    def client(self, timeout: float = 600) -> httpx.Client:
        return httpx.Client(
            base_url=self.url, timeout=timeout, headers={"Authorization": f"Bearer {self.token}"}
        )

    def family(self) -> list[int]:
        """The server and every process below it (its workers)."""
        found, todo = [], [self.proc.pid] if self.proc else []
        while todo:
            pid = todo.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    todo += [int(p) for p in task.read_text().split()]
                except OSError:
                    pass
        return found

    def workers(self) -> list[int]:
        return [p for p in self.family()[1:] if b"spawn_main" in _cmdline(p)]

    def wait_for_workers(self) -> None:
        for _ in range(300):
            if self.workers():
                return
            time.sleep(0.1)

    def memory_mb(self) -> tuple[float, float]:
        """(RSS summed, PSS summed) over the server and its workers, MB."""
        rss = pss = 0.0
        for pid in self.family():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) / 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) / 1024
            except OSError:
                pass
        return rss, pss

    def kill(self) -> None:
        if self.proc:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.home / "liaison.db", timeout=30)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def upload(client: httpx.Client, name: str, data: bytes, wait: str = "true") -> httpx.Response:
    return client.post("/meetings", files=[("files", (name, data))], data={"wait": wait})


def job(client: httpx.Client, job_id: int) -> dict:
    return client.get(f"/jobs/{job_id}").json()


def follow(client: httpx.Client, job_id: int, timeout_s: float = 900) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = job(client, job_id)
        if found["state"] in ("done", "failed"):
            return found
        time.sleep(0.2)
    raise RuntimeError(f"job {job_id} did not end")


# ---------------------------------------------------------------------- isolation


def isolation(work: Path, workers: int = 1) -> dict:
    server = Server(work / f"iso-{workers}")
    server.env["LIAISON_JOB_WORKERS"] = str(workers)
    server.start()
    files = {
        "3,000-turn transcript (legal, long)": ("long.txt", meeting_text(7, 3000)),
        "300 KB cue of '<'": ("angles.vtt", cue_of_angles()),
        "3 MB single-line VTT": ("one-line.vtt", single_line_vtt()),
        "docx inflating to 200 MB": ("bomb.docx", docx_bomb()),
        "20,000-paragraph docx": ("paragraphs.docx", docx_paragraphs()),
    }
    out = {}
    try:
        with server.client() as client:
            upload(client, "warm.txt", meeting_text(0, 30))  # a meeting to search, warm models
            client.get("/search", params={"q": "vendor budget"})  # the server's model, too
            base_rss, base_pss = server.memory_mb()
            for label, (name, data) in files.items():
                health, search, peak = [], [], [0.0, 0.0]
                done = threading.Event()

                def poll(path: str, params: dict, into: list[float], done=done) -> None:
                    with server.client(timeout=60) as c:
                        while not done.is_set():
                            t = time.perf_counter()
                            c.get(path, params=params)
                            into.append(time.perf_counter() - t)
                            time.sleep(0.05)

                def sample(done=done, peak=peak) -> None:
                    while not done.is_set():
                        rss, pss = server.memory_mb()
                        peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
                        time.sleep(0.05)

                threads = [threading.Thread(target=poll, args=("/health", {}, health)),
                           threading.Thread(target=poll, args=("/search", {"q": "vendor budget"},
                                                               search)),
                           threading.Thread(target=sample)]  # fmt: skip
                for t in threads:
                    t.start()
                started = time.perf_counter()
                r = upload(client, name, data, wait="false")
                ended = follow(client, r.json()["job_ids"][0])
                took = time.perf_counter() - started
                done.set()
                for t in threads:
                    t.join()
                health = health or [0.0]  # a file refused before the first poll
                search = search or [0.0]
                outcome = ended.get("outcome") or {}
                out[label] = {
                    "bytes": len(data),
                    "job": ended["state"],
                    "result": outcome.get("error_type") or (
                        f"stored, {outcome['meeting']['turn_count']} turns"
                        if outcome.get("meeting") else None),
                    "ingest_s": round(took, 1),
                    "health_requests": len(health),
                    "health_p50_ms": round(statistics.median(health) * 1000, 1),
                    "health_p99_ms": round(percentile(health, 0.99) * 1000, 1),
                    "health_max_ms": round(max(health) * 1000, 1),
                    "search_p99_ms": round(percentile(search, 0.99) * 1000, 1),
                    "peak_rss_mb": round(peak[0]),
                    "peak_pss_mb": round(peak[1]),
                }  # fmt: skip
                print(label, out[label], flush=True)
            out["idle"] = {"rss_mb": round(base_rss), "pss_mb": round(base_pss)}
    finally:
        server.stop()
    return out


# ---------------------------------------------------------------------- kill -9


def integrity(home: Path) -> dict:
    """What is stored: meetings, duplicates, meetings without turns or chunks, and whether the
    vector index holds exactly the stored chunks (read by a fresh Liaison, as a restart would)."""
    from assistant.config import Settings
    from assistant.service import Liaison

    conn = sqlite3.connect(home / "liaison.db")
    meetings = conn.execute("SELECT COUNT(*) FROM meetings").fetchone()[0]
    hashes = conn.execute("SELECT COUNT(DISTINCT content_hash) FROM meetings").fetchone()[0]
    titles = conn.execute("SELECT COUNT(DISTINCT title) FROM meetings").fetchone()[0]
    no_turns = conn.execute(
        "SELECT COUNT(*) FROM meetings m WHERE NOT EXISTS"
        " (SELECT 1 FROM turns t WHERE t.meeting_id = m.id)"
    ).fetchone()[0]
    no_chunks = conn.execute(
        "SELECT COUNT(*) FROM meetings m WHERE NOT EXISTS"
        " (SELECT 1 FROM chunks c WHERE c.meeting_id = m.id)"
    ).fetchone()[0]
    chunks = conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
    conn.close()
    app = Liaison(Settings(home=home, digest_scheduler=False))
    indexed = len(app.index())
    return {"meetings": meetings, "distinct_hashes": hashes, "distinct_titles": titles,
            "without_turns": no_turns, "without_chunks": no_chunks, "chunks": chunks,
            "indexed_vectors": indexed}  # fmt: skip


def kills(work: Path, rounds: int = 5, turns: int = 900) -> dict:
    home = work / "kill"
    server = Server(home).start()
    files = {f"kill-{n}.txt": meeting_text(1000 + n, turns) for n in range(2 * rounds)}
    names = list(files)
    worker_kills = []
    try:
        with server.client() as client:
            for name in names[:rounds]:  # kill the worker while it embeds or extracts
                r = upload(client, name, files[name], wait="false")
                job_id = r.json()["job_ids"][0]
                while job(client, job_id)["stage"] not in ("embed", "extract", "store"):
                    time.sleep(0.05)
                time.sleep(random.Random(job_id).uniform(0.0, 2.0))
                for pid in server.workers():
                    os.kill(pid, signal.SIGKILL)
                ended = follow(client, job_id)
                worker_kills.append({"file": name, "job": ended["state"], "error": ended["error"]})
                server.wait_for_workers()
        server_kills = []
        for name in names[rounds:]:  # kill the server (its worker dies with it) mid-ingest
            with server.client() as client:
                r = upload(client, name, files[name], wait="false")
                job_id = r.json()["job_ids"][0]
                while job(client, job_id)["stage"] not in ("embed", "extract", "store"):
                    time.sleep(0.05)
            time.sleep(random.Random(job_id).uniform(0.0, 2.0))
            workers = server.workers()
            server.kill()
            time.sleep(0.5)
            orphans = [p for p in workers if Path(f"/proc/{p}").exists()
                       and b"spawn_main" in _cmdline(p)]  # fmt: skip
            server.start()
            with server.client() as client:
                ended = follow(client, job_id)
            server_kills.append({"file": name, "orphan_workers": len(orphans),
                                 "after_restart": ended["state"], "attempts": ended["attempts"],
                                 "stored": bool(ended["outcome"] and
                                                ended["outcome"]["meeting"])})  # fmt: skip
        with server.client() as client:  # the rerun: every file again
            rerun = [upload(client, n, files[n]).json()["files"][0] for n in names]
        server.stop()
        stored = integrity(home)
    finally:
        server.stop()
    return {
        "worker_kills": worker_kills,
        "server_kills": server_kills,
        "rerun": {
            "stored_now": sum(1 for f in rerun if f["meeting_id"] and not f["duplicate_of"]),
            "already_stored": sum(1 for f in rerun if f["duplicate_of"]),
            "errors": sum(1 for f in rerun if f["error"]),
        },
        "integrity": stored,
        "files": len(names),
    }


# ---------------------------------------------------------------------- concurrency


def concurrency(work: Path, clients: int = 4, seconds: float = 60) -> dict:
    home = work / "conc"
    server = Server(home).start()
    lock = threading.Lock()
    kept: set[int] = set()
    deleted: set[int] = set()
    counts = {"uploads": 0, "searches": 0, "deletes": 0, "server_errors": 0, "other_errors": 0}
    stop_at = time.monotonic() + seconds

    def client_loop(n: int) -> None:
        rng = random.Random(n)
        mine: list[int] = []
        seed = n * 100_000
        with server.client() as c:
            while time.monotonic() < stop_at:
                roll = rng.random()
                try:
                    if roll < 0.35:
                        seed += 1
                        r = upload(c, f"c{seed}.txt", meeting_text(seed, rng.randint(20, 120)))
                        key, ok = "uploads", r.status_code == 201
                        if ok:
                            mid = r.json()["meeting_ids"][0]
                            mine.append(mid)
                            with lock:
                                kept.add(mid)
                    elif roll < 0.85 or not mine:
                        r = c.get("/search", params={"q": rng.choice(WORDS), "k": 5})
                        key, ok = "searches", r.status_code == 200
                    else:
                        mid = mine.pop(rng.randrange(len(mine)))
                        r = c.delete(f"/meetings/{mid}")
                        key, ok = "deletes", r.status_code == 200
                        if ok:
                            with lock:
                                kept.discard(mid)
                                deleted.add(mid)
                    with lock:
                        counts[key] += 1
                        if r.status_code >= 500:
                            counts["server_errors"] += 1
                        elif not ok:
                            counts["other_errors"] += 1
                except httpx.HTTPError:
                    with lock:
                        counts["other_errors"] += 1

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with server.client() as c:
            present = {
                m["id"] for m in c.get("/meetings", params={"limit": 500}).json()["meetings"]
            }
            total = c.get("/meetings", params={"limit": 1}).json()["total"]
        server.stop()
        stored = integrity(home)
    finally:
        server.stop()
    return {**counts, "clients": clients, "seconds": seconds, "meetings_expected": len(kept),
            "meetings_present": total, "lost": len(kept - present),
            "deleted_but_present": len(deleted & present), "integrity": stored}  # fmt: skip


# ---------------------------------------------------------------------- transcription

TRANSCRIBE = """
import json, resource, sys, time
from tests.speech import recall, script_wav, SCRIPT
from assistant.transcribe.whisper import WhisperTranscriber
wav, text = script_wav(SCRIPT * int(sys.argv[1]))
t = WhisperTranscriber()
started = time.perf_counter(); t._load(); loaded = time.perf_counter() - started
started = time.perf_counter(); out = t.transcribe(wav, "bench.wav")
took = time.perf_counter() - started
heard = " ".join(s.text for s in out.segments)
print(json.dumps({"audio_s": round(out.duration_s, 1), "load_s": round(loaded, 2),
                  "transcribe_s": round(took, 2), "x_real_time": round(out.duration_s / took, 1),
                  "word_recall": round(recall(text, heard), 3),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def transcription() -> dict:
    out = {}
    for repeat in (1, 9):
        run = subprocess.run([sys.executable, "-c", TRANSCRIBE, str(repeat)], cwd=ROOT,
                             capture_output=True, text=True, check=True)  # fmt: skip
        out[f"{repeat}x script"] = json.loads(run.stdout.strip().splitlines()[-1])
        print(out[f"{repeat}x script"], flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", nargs="*", default=["isolation", "kill", "concurrency",
                                                       "transcribe"],
                        choices=["isolation", "isolation-in-server", "kill", "concurrency",
                                 "transcribe"])  # fmt: skip
    parser.add_argument("--seconds", type=float, default=60, help="of the concurrency check")
    parser.add_argument("--clients", type=int, default=4, help="of the concurrency check")
    parser.add_argument("--rounds", type=int, default=5, help="kills of each kind")
    parser.add_argument("--turns", type=int, default=900, help="turns of each killed file")
    args = parser.parse_args()
    out_path = RESULTS_DIR / "uploads.json"
    results = json.loads(out_path.read_text()) if out_path.exists() else {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        parts = {
            "isolation": lambda: isolation(work),
            "isolation-in-server": lambda: isolation(work, workers=0),  # for comparison
            "kill": lambda: kills(work, rounds=args.rounds, turns=args.turns),
            "concurrency": lambda: concurrency(work, args.clients, args.seconds),
            "transcribe": transcription,
        }
        for name in args.part:
            results[name] = parts[name]()
            results[name]["load_average_after"] = [round(x, 1) for x in os.getloadavg()]
            print(name, json.dumps(results[name], indent=1), flush=True)
            results.pop("machine", None)
            write_results(out_path, results)  # after each part: a long run keeps what it did
    print(json.dumps(machine()))


if __name__ == "__main__":
    main()
