"""A faiss inner-product index of unit sentence vectors, with add and remove by id."""

from __future__ import annotations

import numpy as np

from knowledge.faq.errors import FaqError

__all__ = ["DenseIndex"]


class DenseIndex:
    """``IndexIDMap2(IndexFlatIP)``: exact cosine search over L2-normalized rows.

    Args:
        dim: vector size.
    """

    def __init__(self, dim: int) -> None:
        import faiss

        self.dim = dim
        self._index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        """Add rows under ``ids`` (ids must not be present)."""
        if not ids:
            return
        matrix = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(ids), self.dim)
        try:
            self._index.add_with_ids(matrix, np.asarray(ids, dtype=np.int64))
        except RuntimeError as exc:
            raise FaqError(f"faiss could not add {len(ids)} vectors: {exc}") from exc

    def remove(self, ids: list[int]) -> None:
        """Remove ``ids``; unknown ids are ignored."""
        if ids:
            self._index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` nearest ids and their cosines, best first."""
        if not len(self):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        query = np.ascontiguousarray(vector, dtype=np.float32).reshape(1, self.dim)
        scores, ids = self._index.search(query, min(k, len(self)))
        keep = ids[0] >= 0
        return ids[0][keep], scores[0][keep]

    def vector(self, doc_id: int) -> np.ndarray:
        """The stored vector of ``doc_id``."""
        return self._index.reconstruct(int(doc_id))
