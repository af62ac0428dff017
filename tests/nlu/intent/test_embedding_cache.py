from __future__ import annotations

from pathlib import Path

import numpy as np

from nlu.intent.embedding_cache import DiskCachedEncoder


class CountingEncoder:
    """A deterministic stand-in that records which texts it was asked to embed."""

    spec = "counting"
    dim = 4

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.array([[len(t), ord(t[0]) % 7, 1.0, 0.5] for t in texts], dtype=np.float32)


def test_disk_cache_embeds_each_text_once_across_instances(tmp_path: Path) -> None:
    inner = CountingEncoder()
    first = DiskCachedEncoder(inner, tmp_path).encode(["我要赎回", "你好"])
    again = DiskCachedEncoder(inner, tmp_path).encode(["你好", "我要赎回", "净值多少"])
    assert inner.seen == ["我要赎回", "你好", "净值多少"]
    np.testing.assert_allclose(again[1], first[0], atol=1e-3)
    np.testing.assert_allclose(again[0], first[1], atol=1e-3)
    assert again.shape == (3, 4)


def test_disk_cache_ignores_a_corrupt_file(tmp_path: Path) -> None:
    inner = CountingEncoder()
    cache = DiskCachedEncoder(inner, tmp_path)
    cache.path.write_bytes(b"not an npz")
    assert DiskCachedEncoder(inner, tmp_path).encode(["赎回"]).shape == (1, 4)
    assert inner.seen == ["赎回"]
