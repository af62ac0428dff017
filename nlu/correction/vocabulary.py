"""Target words indexed by folded pinyin, so sound-alike candidates are one lookup away.

A ``PinyinIndex`` maps each ``fuzzy_key`` (see ``pinyin_similarity``) to the words that
fold to it. The corrector keeps one small index of the bot's domain words (persisted
with the model) and, in general-vocabulary mode, shares a large index of frequent jieba
words built once per process (``general_index``).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlu.correction.lexicon import is_cjk, jieba_lexicon
from nlu.correction.pinyin_similarity import Reading, reading_key, word_reading

__all__ = [
    "PinyinIndex",
    "finance_glossary",
    "frequent_char_pairs",
    "general_index",
    "is_target_word",
    "segment_word_counts",
]

_GLOSSARY = Path(__file__).with_name("finance_terms.txt")
_NUMERALS = frozenset("零〇一二三四五六七八九十百千万亿两")
# function characters that glue onto anything; pairs with them are not words
_FUNCTION_CHARS = frozenset("的了吗呢吧啊呀是在有和与我你他她它们这那个只就也都还要想请帮给把被")

_LOCK = threading.Lock()
_GENERAL: dict[tuple[int, int, int], PinyinIndex] = {}


class PinyinIndex:
    """Words by folded pinyin key, with a frequency and a reading per word.

    Args:
        words: word -> frequency (any positive scale; only compared within an index).
        whole_words: whether a text window may be replaced by one of these words
            entirely (right for a bot's small vocabulary, too loose for general text).
    """

    def __init__(self, words: Mapping[str, float] | None = None, whole_words: bool = True) -> None:
        self.whole_words = whole_words
        self.freq: dict[str, float] = {}
        self.reading: dict[str, tuple[Reading, ...]] = {}
        self._by_key: dict[str, list[str]] = {}
        if words:
            self.add(words.items())

    def __len__(self) -> int:
        return len(self.freq)

    def __contains__(self, word: object) -> bool:
        return word in self.freq

    def add(self, items: Iterable[tuple[str, float]]) -> None:
        """Index ``(word, frequency)`` pairs; words without a pinyin reading are skipped."""
        for word, frequency in items:
            if word in self.freq:
                self.freq[word] = max(self.freq[word], frequency)
                continue
            if not word or not all(is_cjk(c) for c in word):
                continue
            reading = word_reading(word)
            if reading is None:
                continue
            self.freq[word] = frequency
            self.reading[word] = reading
            self._by_key.setdefault(reading_key(reading), []).append(word)

    def lookup(self, key: str) -> list[str]:
        """Words whose folded pinyin equals ``key``."""
        return self._by_key.get(key, [])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready content (keys are recomputed on load)."""
        return {"words": self.freq}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PinyinIndex:
        """Rebuild an index written by ``to_dict``."""
        return cls({str(w): float(f) for w, f in data["words"].items()})


def general_index(min_freq: int, min_length: int = 2, max_length: int = 4) -> PinyinIndex:
    """Frequent jieba words of ``min_length..max_length`` characters, built once per process."""
    key = (min_freq, min_length, max_length)
    with _LOCK:
        index = _GENERAL.get(key)
        if index is None:
            index = PinyinIndex(whole_words=False)
            index.add(
                (word, float(freq))
                for word, freq in jieba_lexicon().freq.items()
                if freq >= min_freq and min_length <= len(word) <= max_length
            )
            _GENERAL[key] = index
        return index


def is_target_word(word: str) -> bool:
    """Whether ``word`` may be a correction target: 2+ CJK characters, not a bare number."""
    if len(word) < 2 or not all(is_cjk(c) for c in word):
        return False
    return not all(c in _NUMERALS for c in word)


def segment_word_counts(segmented: Iterable[Sequence[str]]) -> Counter[str]:
    """Occurrences of multi-character CJK tokens in segmented texts."""
    counts: Counter[str] = Counter()
    for tokens in segmented:
        counts.update(t for t in tokens if len(t) >= 2 and all(is_cjk(c) for c in t))
    return counts


def frequent_char_pairs(segmented: Iterable[Sequence[str]], min_count: int) -> Counter[str]:
    """Adjacent single-character tokens that mostly occur together (jieba's unknown words).

    ``定/投`` in "我想做个定投" becomes ``定投`` when the pair makes up at least half of
    the occurrences of its more frequent character and occurs ``min_count`` times.
    """
    singles: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for tokens in segmented:
        singles.update(t for t in tokens if len(t) == 1)
        for left, right in zip(tokens, tokens[1:], strict=False):
            if len(left) == 1 and len(right) == 1 and is_cjk(left) and is_cjk(right):
                if left not in _FUNCTION_CHARS and right not in _FUNCTION_CHARS:
                    pairs[left + right] += 1
    return Counter(
        {
            pair: count
            for pair, count in pairs.items()
            if count >= min_count and 2 * count >= max(singles[pair[0]], singles[pair[1]])
        }
    )


@lru_cache(maxsize=1)
def finance_glossary() -> frozenset[str]:
    """The bundled wealth-management terms."""
    lines = _GLOSSARY.read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip() for s in lines if s.strip() and not s.startswith("#"))
