"""jieba's bundled word-frequency dictionary, read once per process.

The corrector's language model and its general vocabulary both derive from jieba's
``dict.txt`` (about 350k words with counts). Reading it costs a few tenths of a second,
so the parsed table is cached here and shared by every pipeline in the process.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = ["JiebaLexicon", "is_cjk", "jieba_dict_path", "jieba_lexicon"]

_LOCK = threading.Lock()
_CACHE: dict[str, JiebaLexicon] = {}
_CJK_WORD = re.compile(r"^([\u3400-\u4dbf\u4e00-\u9fff]+) (\d+)", re.MULTILINE)
_COUNT = re.compile(r"^\S+ (\d+)", re.MULTILINE)


@dataclass(frozen=True)
class JiebaLexicon:
    """Words and counts from jieba's dictionary.

    Attributes:
        freq: word -> count, only words made entirely of CJK characters.
        total: sum of all counts in the file (jieba's own normalizer).
        fingerprint: sha1 prefix of the file, stored with persisted models.
    """

    freq: dict[str, int]
    total: int
    fingerprint: str


def is_cjk(char: str) -> bool:
    """Whether ``char`` is a CJK unified ideograph (basic block or extension A)."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF


def jieba_dict_path() -> Path:
    """The path of jieba's bundled dictionary (``dict.txt``)."""
    import jieba

    return Path(os.path.dirname(jieba.__file__)) / "dict.txt"


def jieba_lexicon() -> JiebaLexicon:
    """The parsed jieba dictionary, built on first use and then shared."""
    path = jieba_dict_path()
    key = str(path)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is None:
            cached = _read(path)
            _CACHE[key] = cached
        return cached


def _read(path: Path) -> JiebaLexicon:
    raw = path.read_bytes()
    text = raw.decode("utf-8")
    freq: dict[str, int] = {}
    for word, count in _CJK_WORD.findall(text):
        freq[word] = freq.get(word, 0) + int(count)
    total = sum(int(c) for c in _COUNT.findall(text))
    return JiebaLexicon(freq=freq, total=total, fingerprint=hashlib.sha1(raw).hexdigest()[:16])
