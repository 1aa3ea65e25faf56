"""Keeping the derived FAISS index in step with the vectors stored in SQLite, across processes.

SQLite holds a generation counter (`meta.index_generation`) that every change to the chunks
bumps inside its own transaction; the FAISS file records the generation it was saved at. A
process whose index is behind reloads the file when it is current, or rebuilds from the stored
vectors when it is not (a writer died between its commit and its save, the file is gone,
truncated or damaged: each logged). The index being derived data, failing to write it never
fails the change that SQLite has already committed. Vectors made by another model are embedded
again, never mixed in.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import numpy as np

from assistant.embed import Embedder, embed_texts
from assistant.store import Database
from assistant.store import meetings as q
from assistant.vectors import DamagedIndex, VectorIndex

Progress = Callable[[str, int, int], None]  # (stage, done, total)
log = logging.getLogger(__name__)


class IndexKeeper:
    def __init__(
        self,
        db: Database,
        embedder: Embedder,
        path: Path,
        *,
        ann_threshold: int,
        batch_size: int = 256,
    ):
        self.db = db
        self.embedder = embedder
        self.path = path
        self.batch_size = batch_size
        self._index = VectorIndex(embedder.dim, ann_threshold=ann_threshold)

    def generation(self) -> int:
        return int(self.db.get_meta("index_generation", "0") or 0)

    def bump(self, tx: sqlite3.Connection) -> int:
        """Inside the transaction that changes chunks: the generation it will commit."""
        generation = self.generation() + 1
        self.db.set_meta(tx, "index_generation", str(generation))
        return generation

    def current(self) -> VectorIndex:
        """The index as of the database's generation (reloaded or rebuilt when behind)."""
        if self._index.generation == self.generation():
            return self._index
        with self.db.write_lock():
            generation = self.generation()
            if self._index.generation == generation:
                return self._index
            saved = VectorIndex.saved_meta(self.path)
            if saved is None:
                if generation > 0:
                    log.warning("vector index %s is missing: rebuilding it from the database",
                                self.path)  # fmt: skip
                self._rebuild(generation)
            elif saved.get("generation") == generation and saved.get("model") == self.embedder.name:
                try:
                    self._index.load(self.path, generation, saved)
                except DamagedIndex as exc:
                    log.warning("vector index %s is damaged (%s): rebuilding it from the"
                                " database", self.path, exc)  # fmt: skip
                    self._rebuild(generation)
            else:
                log.info("vector index %s is behind the database: rebuilding it", self.path)
                self._rebuild(generation)
        return self._index

    def save(self, index: VectorIndex, generation: int) -> None:
        """After the commit: write the changed index so other processes can load it. A write
        that fails (disk full, a broken data folder) is logged: the change is in SQLite, and
        the next process to need the index rebuilds it from there."""
        try:
            index.save(self.path, generation, self.embedder.name)
        except (OSError, RuntimeError) as exc:
            log.warning("could not write the vector index %s (%s)", self.path, exc)
            index.generation = generation  # the copy in memory is current all the same

    def rebuild(self, progress: Progress | None = None) -> int:
        """Rebuild from SQLite (re-embedding stale vectors); return the number of vectors."""
        with self.db.write_lock():
            with self.db.transaction() as tx:
                generation = self.bump(tx)
            self._rebuild(generation, progress)
        return len(self._index)

    def _rebuild(self, generation: int, progress: Progress | None = None) -> None:
        conn = self.db.connect()
        self._reembed(progress)
        total = q.chunk_count(conn)
        # One preallocated matrix: at 1M chunks a list of batches plus a stacked copy would
        # double the peak memory of a rebuild. An approximate index keeps float16 vectors, so
        # they are read as float16 for it (770 MB at 1M chunks instead of 1.5 GB).
        ids = np.zeros(total, dtype=np.int64)
        dtype = np.float16 if total >= self._index.ann_threshold else np.float32
        vectors = np.zeros((total, self.embedder.dim), dtype=dtype)
        done = 0
        for batch_ids, batch_vectors, _models in q.iter_vectors(conn):
            ids[done : done + len(batch_ids)] = batch_ids
            vectors[done : done + len(batch_ids)] = batch_vectors
            done += len(batch_ids)
            if progress:
                progress("index", done, total)
        self._index.build(ids[:done], vectors[:done])
        self.save(self._index, generation)

    def _reembed(self, progress: Progress | None) -> None:
        conn = self.db.connect()
        rows = conn.execute(
            "SELECT id, text FROM chunks WHERE model IS NOT ? OR vector IS NULL ORDER BY id",
            (self.embedder.name,),
        ).fetchall()
        for start in range(0, len(rows), 512):
            part = rows[start : start + 512]
            vectors = embed_texts(self.embedder, [r[1] for r in part], self.batch_size)
            with self.db.transaction() as tx:
                tx.executemany(
                    "UPDATE chunks SET vector = ?, model = ? WHERE id = ?",
                    [
                        (v.tobytes(), self.embedder.name, r[0])
                        for r, v in zip(part, vectors, strict=True)
                    ],
                )
            if progress:
                progress("embed", start + len(part), len(rows))
