"""AMI helpers shared by `train_extractor.py` and `extract_ami.py`.

Loads the read-only AMI release in /work/shared/data/ami (never copied into the repo), turns a
meeting into product `Turn`s, knows the gold evidence per summary section, and caches MiniLM
embeddings of every utterance text under `bench/.cache/` so they are computed once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from assistant.embed import Embedder, MiniLMEmbedder, embed_texts
from assistant.models import ItemKind, Turn
from bench.common import Summable, prf

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LIAISON_AMI_DIR", ROOT.parent / "shared" / "data" / "ami"))
if not DATA_DIR.exists():  # the shared data sits beside the work tree, e.g. /work/shared
    DATA_DIR = Path("/work/shared/data/ami")
CACHE_DIR = ROOT / "bench" / ".cache"

# AMI summary section -> product item kind.
SECTION_KIND: dict[str, ItemKind] = {
    "decisions": ItemKind.decision,
    "actions": ItemKind.action,
    "problems": ItemKind.parking,
}


@dataclass
class GoldSentence:
    id: str
    kind: ItemKind
    text: str
    da_ids: list[str]


@dataclass
class AmiMeeting:
    id: str
    split: str
    speakers: dict[str, str]  # letter -> role
    ids: list[str]
    speaker_letters: list[str]
    starts: list[float]
    ends: list[float]
    da_types: list[str | None]
    texts: list[str]
    gold: list[GoldSentence] = field(default_factory=list)

    def turns(self) -> list[Turn]:
        """One product Turn per AMI utterance; the speaker is the role (PM, ME, UI, ID)."""
        return [
            Turn(
                index=i,
                speaker=self.speakers.get(letter, letter),
                text=text,
                start_s=start,
                end_s=end,
            )
            for i, (letter, start, end, text) in enumerate(
                zip(self.speaker_letters, self.starts, self.ends, self.texts, strict=True)
            )
        ]

    def labels(self, kind: ItemKind) -> np.ndarray:
        """1 for utterances linked to a gold summary sentence of `kind`."""
        linked = {d for g in self.gold if g.kind == kind for d in g.da_ids}
        return np.array([1 if i in linked else 0 for i in self.ids], dtype=np.int8)


def load_meetings(split: str | None = None) -> list[AmiMeeting]:
    """AMI meetings (optionally of one split) with their gold decision/action/problem sentences.

    Utterances with empty text are dropped: a product transcript would not contain them.
    """
    gold: dict[str, list[GoldSentence]] = {}
    with open(DATA_DIR / "summaries_evidence.jsonl") as handle:
        for line in handle:
            record = json.loads(line)
            gold[record["meeting_id"]] = [
                GoldSentence(s["id"], SECTION_KIND[s["section"]], s["text"], s["evidence_da_ids"])
                for s in record["sentences"]
                if s["section"] in SECTION_KIND and s["evidence_da_ids"]
            ]
    meetings = []
    with open(DATA_DIR / "transcripts.jsonl") as handle:
        for line in handle:
            record = json.loads(line)
            if split and record["ami_split"] != split:
                continue
            rows = [r for r in record["utterances"] if r[5] and r[5].strip()]
            meetings.append(
                AmiMeeting(
                    id=record["meeting_id"],
                    split=record["ami_split"],
                    speakers=record["speakers"],
                    ids=[r[0] for r in rows],
                    speaker_letters=[r[1] for r in rows],
                    starts=[float(r[2]) for r in rows],
                    ends=[float(r[3]) for r in rows],
                    da_types=[r[4] for r in rows],
                    texts=[r[5].strip() for r in rows],
                    gold=gold.get(record["meeting_id"], []),
                )
            )
    return meetings


class CachedEmbedder:
    """Wraps an embedder with a text -> vector table saved in `bench/.cache/`.

    The product extractor takes any `Embedder`; giving it this one lets the benchmark run the
    real product code path without re-embedding 90k utterances each time.
    """

    def __init__(self, inner: Embedder | None = None, path: Path | None = None):
        self.inner = inner or MiniLMEmbedder()
        self.name = self.inner.name
        self.dim = self.inner.dim
        self.path = path or CACHE_DIR / f"emb-{self.name}.npz"
        self._index: dict[str, int] = {}
        self.dirty = False
        self._vectors = np.zeros((0, self.dim), dtype=np.float32)
        if self.path.exists():
            data = np.load(self.path, allow_pickle=False)
            self._vectors = data["vectors"]
            self._index = {t: i for i, t in enumerate(data["texts"].tolist())}

    def warm(self, texts: Sequence[str], batch_size: int = 128, save: bool = True) -> None:
        """Embed every text not yet cached, then (by default) save the cache."""
        missing = sorted({t for t in texts if t not in self._index})
        if not missing:
            return
        done = [0]

        def progress(n: int) -> None:
            done[0] += n
            if done[0] % (batch_size * 40) < n:
                print(f"  embedded {done[0]}/{len(missing)}", flush=True)

        new = embed_texts(self.inner, missing, batch_size=batch_size, progress=progress)
        base = len(self._vectors)
        self._vectors = np.vstack([self._vectors, new])
        for offset, text in enumerate(missing):
            self._index[text] = base + offset
        self.dirty = True
        if save:
            self.save()

    def save(self) -> None:
        self.dirty = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        texts = [""] * len(self._index)
        for text, row in self._index.items():
            texts[row] = text
        np.savez(self.path, vectors=self._vectors, texts=np.array(texts, dtype=str))

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in texts if t not in self._index]
        if missing:
            self.warm(missing, save=False)
        return self._vectors[[self._index[t] for t in texts]]


@dataclass
class KindScore(Summable):
    """Counts behind precision / recall for one kind, summed over meetings."""

    items: int = 0
    correct_items: int = 0
    gold: int = 0
    matched_gold: int = 0
    evidence_turns: int = 0

    def as_dict(self) -> dict[str, float]:
        return {
            **prf(self.correct_items, self.items, self.matched_gold, self.gold),
            "items": self.items,
            "gold_sentences": self.gold,
            "evidence_per_item": round(self.evidence_turns / self.items, 2) if self.items else 0,
        }


def _overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    # Strict overlap: AMI utterances often end exactly where the next starts.
    return max(a[0], b[0]) < min(a[1], b[1]) or a == b


def score_items(meeting: AmiMeeting, kind: ItemKind, items: list[list[int]]) -> KindScore:
    """Score items given as lists of evidence utterance indexes against the gold of `kind`.

    An item is correct when any of its evidence utterances overlaps (in time) any gold evidence
    utterance of a sentence of the same kind; a gold sentence is matched when some item overlaps
    one of its evidence utterances.
    """
    position = {u: i for i, u in enumerate(meeting.ids)}
    spans = [(s, e) for s, e in zip(meeting.starts, meeting.ends, strict=True)]
    golds = [
        [spans[position[d]] for d in g.da_ids if d in position]
        for g in meeting.gold
        if g.kind == kind
    ]
    golds = [g for g in golds if g]
    score = KindScore(items=len(items), gold=len(golds))
    matched = [False] * len(golds)
    for item in items:
        ok = False
        for g, gold_spans in enumerate(golds):
            if any(_overlaps(spans[i], s) for i in item for s in gold_spans):
                ok = matched[g] = True
        score.correct_items += ok
        score.evidence_turns += len(item)
    score.matched_gold = sum(matched)
    return score


def set_threads(n: int = 2) -> None:
    """Keep torch modest on the shared machine."""
    import torch

    torch.set_num_threads(n)


if __name__ == "__main__":  # python -m bench.ami : fill the embedding cache once
    import time

    set_threads(2)
    all_meetings = load_meetings()
    embedder = CachedEmbedder()
    texts = [t for m in all_meetings for t in m.texts]
    print(f"{len(all_meetings)} meetings, {len(texts)} utterances, {len(set(texts))} distinct")
    t0 = time.time()
    embedder.warm(texts)
    print(f"done in {time.time() - t0:.0f}s")
