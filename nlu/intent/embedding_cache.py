"""A disk cache of sentence embeddings, so retraining a bot only embeds new examples.

Embedding is most of a training run (about 10 ms a text on two cores); operators edit a
few examples and retrain, so the rest should come from disk. One ``.npz`` per encoder
spec, keyed by the text's SHA-1.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np

__all__ = ["DiskCachedEncoder"]

logger = logging.getLogger(__name__)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class DiskCachedEncoder:
    """Wraps an encoder; ``encode`` reads known texts from disk and saves new ones."""

    def __init__(self, encoder: object, folder: Path) -> None:
        self._encoder = encoder
        self.spec: str = encoder.spec  # type: ignore[attr-defined]
        self.dim: int = encoder.dim  # type: ignore[attr-defined]
        name = hashlib.sha1(self.spec.encode("utf-8")).hexdigest()[:12]
        self.path = Path(folder) / f"embeddings-{name}.npz"
        self._vectors: dict[str, np.ndarray] | None = None

    def _load(self) -> dict[str, np.ndarray]:
        if self._vectors is None:
            self._vectors = {}
            if self.path.exists():
                try:
                    with np.load(self.path) as stored:
                        keys, matrix = stored["keys"], stored["vectors"]
                    self._vectors = {str(k): v for k, v in zip(keys, matrix, strict=True)}
                except (OSError, ValueError, KeyError) as exc:  # a broken cache is only slower
                    logger.warning("ignoring unreadable embedding cache %s: %s", self.path, exc)
        return self._vectors

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` (``(n, dim)`` float32), reusing vectors saved earlier."""
        vectors = self._load()
        keys = [_key(t) for t in texts]
        first_index = {k: i for i, k in reversed(list(enumerate(keys)))}
        missing = [i for k, i in first_index.items() if k not in vectors]
        missing.sort()
        if missing:
            fresh = self._encoder.encode([texts[i] for i in missing])  # type: ignore[attr-defined]
            for i, vector in zip(missing, fresh, strict=True):
                vectors[keys[i]] = np.asarray(vector, dtype=np.float32)
            self._save(vectors)
        return np.stack([vectors[k] for k in keys]).astype(np.float32) if texts else np.zeros((0, self.dim))

    def _save(self, vectors: dict[str, np.ndarray]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(vectors))
        matrix = np.stack(list(vectors.values())).astype(np.float16)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=matrix)
        tmp.replace(self.path)
