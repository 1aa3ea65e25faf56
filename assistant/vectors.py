"""The FAISS vector index: derived data, rebuildable from the vectors stored in SQLite.

Exact inner-product search (`IndexFlatIP`) while the corpus is small; an inverted-file index
(cosine on unit vectors) once it passes `ann_threshold` chunks. IVF rather than HNSW because it
supports removing vectors (deleting a meeting) and filtered search without a rebuild. The IVF
stores each vector in float16 (`IndexIVFScalarQuantizer`, QT_fp16): half the memory of float32
(770 MB instead of 1.5 GB at a million chunks) for the same neighbours, since MiniLM's unit
vectors lose nothing that matters in 16 bits, and search re-scores its candidates from the
float32 vectors in SQLite anyway.

A sidecar JSON records the generation the file was saved at, so a process can tell when another
process changed the index and reload it, and the file's size and CRC-32, so a truncated
or damaged file is known for what it is (and rebuilt from SQLite, see index_sync.py) instead of
being loaded.
"""

from __future__ import annotations

import json
import math
import os
import threading
import zlib
from pathlib import Path

import faiss
import numpy as np

# Below this many allowed ids a filtered search scores the allowed vectors directly.
_DIRECT_FILTER_LIMIT = 50_000


class DamagedIndex(ValueError):
    """The saved index file is missing, truncated or altered: rebuild it."""


def _crc32(path: Path) -> int:
    """CRC-32 of a file, read in pieces (an index of a million chunks is 1.5 GB)."""
    crc = 0
    with open(path, "rb") as handle:
        while piece := handle.read(16 << 20):
            crc = zlib.crc32(piece, crc)
    return crc


class VectorIndex:
    """Chunk id -> unit vector, with filtered top-k search by inner product."""

    def __init__(self, dim: int, ann_threshold: int = 200_000, nprobe: int = 48):
        self.dim = dim
        self.ann_threshold = ann_threshold
        self.nprobe = nprobe
        self.generation = -1
        self._lock = threading.RLock()
        self._index = self._flat()

    def _flat(self) -> faiss.Index:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    @property
    def approximate(self) -> bool:
        return isinstance(self._index, faiss.IndexIVF)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def build(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Replace the whole index; picks exact or approximate by size. `vectors` may be
        float16 (a rebuild at a million chunks reads them so, to halve its peak memory)."""
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if len(ids) >= self.ann_threshold:
            nlist = int(4 * math.sqrt(len(ids)))
            quantizer = faiss.IndexFlatIP(self.dim)
            ivf = faiss.IndexIVFScalarQuantizer(
                quantizer,
                self.dim,
                nlist,
                faiss.ScalarQuantizer.QT_fp16,
                faiss.METRIC_INNER_PRODUCT,
            )
            rng = np.random.default_rng(0)
            pick = np.sort(rng.choice(len(ids), min(len(ids), nlist * 40), replace=False))
            ivf.train(np.ascontiguousarray(vectors[pick], dtype=np.float32))
            ivf.nprobe = self.nprobe
            # IVF keeps our ids itself; a hashtable direct map lets us reconstruct by id.
            ivf.set_direct_map_type(faiss.DirectMap.Hashtable)  # type: ignore[attr-defined]
            index: faiss.Index = ivf
        else:
            index = self._flat()
        for start in range(0, len(ids), 65_536):  # in pieces: no float32 copy of them all
            piece = np.ascontiguousarray(vectors[start : start + 65_536], dtype=np.float32)
            index.add_with_ids(piece, ids[start : start + 65_536])
        with self._lock:
            self._index = index

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if not len(ids):
            return
        with self._lock:
            self._index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32),
                np.ascontiguousarray(ids, dtype=np.int64),
            )
        if not self.approximate and len(self) >= self.ann_threshold:
            all_ids, all_vectors = self.export()
            self.build(all_ids, all_vectors)

    def remove(self, ids: list[int] | np.ndarray) -> None:
        if len(ids):
            with self._lock:
                self._index.remove_ids(np.asarray(ids, dtype=np.int64))  # type: ignore[arg-type]

    def export(self) -> tuple[np.ndarray, np.ndarray]:
        """All (ids, vectors) of an exact index (used when it grows into an approximate one)."""
        with self._lock:
            ids = faiss.vector_to_array(self._index.id_map).astype(np.int64)  # type: ignore[attr-defined]
            if not len(ids):
                return ids, np.zeros((0, self.dim), dtype=np.float32)
            return ids, self._index.reconstruct_batch(ids)

    def search(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Top-k (chunk id, cosine) for one unit query vector, optionally within `allowed` ids."""
        query = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        with self._lock:
            if len(self) == 0 or k <= 0:
                return []
            if allowed is not None:
                if len(allowed) == 0:
                    return []
                if len(allowed) <= _DIRECT_FILTER_LIMIT:
                    return self._search_direct(query[0], k, allowed)
                params = self._params(faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64)))
                scores, ids = self._index.search(query, k, params=params)
            else:
                scores, ids = self._index.search(query, k, params=self._params(None))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def _params(self, selector):
        if self.approximate:
            return faiss.SearchParametersIVF(sel=selector, nprobe=self.nprobe)
        return faiss.SearchParameters(sel=selector) if selector is not None else None

    def _search_direct(self, query: np.ndarray, k: int, allowed: np.ndarray) -> list:
        present = []
        vectors = []
        for cid in np.asarray(allowed, dtype=np.int64):
            try:
                vectors.append(self._index.reconstruct(int(cid)))
            except RuntimeError:  # id filtered in SQL but not (yet) in this index
                continue
            present.append(int(cid))
        if not present:
            return []
        scores = np.vstack(vectors) @ query
        top = np.argsort(-scores)[:k]
        return [(present[i], float(scores[i])) for i in top]

    def save(self, path: Path, generation: int, model: str) -> None:
        """Write atomically (temp file + rename) so a reader never sees half a file."""
        path = Path(path)
        tmp = path.with_suffix(".tmp")
        with self._lock:
            faiss.write_index(self._index, str(tmp))
            size, crc = tmp.stat().st_size, _crc32(tmp)
            os.replace(tmp, path)
            self.generation = generation
            count = len(self)
        meta = {
            "generation": generation,
            "model": model,
            "count": count,
            "dim": self.dim,
            "bytes": size,
            "crc32": crc,
        }
        tmp_meta = path.with_suffix(".json.tmp")
        tmp_meta.write_text(json.dumps(meta))
        os.replace(tmp_meta, path.with_suffix(".json"))

    @staticmethod
    def saved_meta(path: Path) -> dict | None:
        meta_path = Path(path).with_suffix(".json")
        if not meta_path.exists() or not Path(path).exists():
            return None
        try:
            meta = json.loads(meta_path.read_text())
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def load(self, path: Path, generation: int, meta: dict | None = None) -> None:
        """Load a saved index. Raises DamagedIndex when the file does not match what `meta`
        (from `saved_meta`) recorded, or cannot be read."""
        meta = meta or {}
        try:
            size = Path(path).stat().st_size
            if "bytes" in meta and size != meta["bytes"]:
                raise DamagedIndex(f"{size} bytes where {meta['bytes']} were saved")
            if "crc32" in meta and _crc32(path) != meta["crc32"]:
                raise DamagedIndex("its checksum does not match the one saved")
            index = faiss.read_index(str(path))
        except (OSError, RuntimeError) as exc:  # faiss raises RuntimeError on a bad file
            raise DamagedIndex(str(exc).splitlines()[0][:200]) from exc
        if index.d != self.dim or ("count" in meta and index.ntotal != meta["count"]):
            raise DamagedIndex(f"{index.ntotal} vectors of {index.d} dimensions, not as saved")
        if isinstance(index, faiss.IndexIVF):
            index.nprobe = self.nprobe
        with self._lock:
            self._index = index
            self.generation = generation
