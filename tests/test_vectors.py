"""The FAISS index: exact and approximate search, filters, removal, atomic save and reload."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.vectors import VectorIndex


def unit(rows: int, dim: int = 16, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(rows, dim)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


@pytest.mark.parametrize("threshold, approximate", [(10_000, False), (1_000, True)])
def test_search_filter_remove(threshold, approximate):
    vectors = unit(3000)
    ids = np.arange(100, 3100)
    index = VectorIndex(16, ann_threshold=threshold)
    index.build(ids, vectors)
    assert index.approximate is approximate and len(index) == 3000
    assert index.search(vectors[7], 1)[0][0] == 107  # a vector finds itself
    allowed = np.array([150, 151, 152])
    assert {cid for cid, _ in index.search(vectors[7], 5, allowed)} == {150, 151, 152}
    index.remove([107])
    assert 107 not in {cid for cid, _ in index.search(vectors[7], 10)}
    assert index.search(vectors[7], 3, np.array([], dtype=np.int64)) == []


def test_exact_index_grows_into_approximate_one():
    index = VectorIndex(16, ann_threshold=1000)
    index.build(np.arange(900), unit(900))
    assert not index.approximate
    index.add(np.arange(900, 1100), unit(200, seed=1))
    assert index.approximate and len(index) == 1100


def test_save_is_atomic_and_reload_keeps_generation(tmp_path):
    path = tmp_path / "vectors.faiss"
    index = VectorIndex(16)
    index.build(np.arange(50), unit(50))
    index.save(path, generation=7, model="m")
    assert VectorIndex.saved_meta(path) == {"generation": 7, "model": "m", "count": 50}
    assert not list(tmp_path.glob("*.tmp"))
    again = VectorIndex(16)
    again.load(path, 7)
    assert again.generation == 7 and len(again) == 50
