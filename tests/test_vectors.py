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
    meta = VectorIndex.saved_meta(path)
    assert meta is not None and meta["bytes"] == path.stat().st_size
    assert {k: meta[k] for k in ("generation", "model", "count", "dim")} == {
        "generation": 7,
        "model": "m",
        "count": 50,
        "dim": 16,
    }
    assert not list(tmp_path.glob("*.tmp"))
    again = VectorIndex(16)
    again.load(path, 7, meta)
    assert again.generation == 7 and len(again) == 50


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_a_damaged_file_is_refused_not_loaded(tmp_path, damage):
    from assistant.vectors import DamagedIndex

    path = tmp_path / "vectors.faiss"
    index = VectorIndex(16)
    index.build(np.arange(50), unit(50))
    index.save(path, generation=3, model="m")
    meta = VectorIndex.saved_meta(path)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":  # one vector's bytes changed: faiss alone would load it
        data[-100] ^= 0xFF
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(b"not an index" * 10)
    path.write_bytes(bytes(data))
    again = VectorIndex(16)
    with pytest.raises(DamagedIndex):
        again.load(path, 3, meta)
    assert len(again) == 0 and again.generation == -1
    if damage != "flip":  # without the sidecar's checksum, faiss's own checks catch the rest
        with pytest.raises(DamagedIndex):
            again.load(path, 3, {})
