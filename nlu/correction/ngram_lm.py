"""A character n-gram language model with interpolated Witten-Bell smoothing.

Counts are weighted (floats), which Witten-Bell handles directly:

    P(c | h) = (n(hc) + T(h) * P(c | h')) / (n(h) + T(h))

with ``n`` the weighted counts, ``T(h)`` the number of distinct characters seen after
``h`` and ``h'`` the history without its oldest character; the unigram level backs
off to a uniform distribution over ``vocabulary_size`` characters.

The model has two layers: a *base* of counts derived from jieba's dictionary (every word
a weighted pseudo-text; built once per process and shared, see ``jieba_base_counts``)
and the bot's own *domain* counts, stored as an overlay holding the merged numbers for
every n-gram and history the domain touched. Only the overlay is persisted; the base is
rebuilt (or found in the process cache) on load.
"""

from __future__ import annotations

import hashlib
import marshal
import math
import os
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlu.correction.lexicon import jieba_dict_path, jieba_lexicon

__all__ = ["BOS", "EOS", "CharNgramLM", "NgramCounts", "jieba_base_counts", "lm_char"]

BOS = "\x02"
EOS = "\x03"
_VOCABULARY_SIZE = 20000
_BASE_LOCK = threading.Lock()
_BASE_CACHE: dict[tuple[int, float, int], NgramCounts] = {}


def lm_char(char: str) -> str:
    """The symbol the LM sees for ``char``: digits fold to ``0``, ASCII letters to ``a``."""
    if char.isdigit():
        return "0"
    if char.isascii() and char.isalpha():
        return "a"
    return char


@dataclass
class NgramCounts:
    """Weighted n-gram counts of orders 1..``order``.

    Attributes:
        ngrams: n-gram string (history + character) -> weighted count.
        totals: history string -> weighted count of everything seen after it.
        types: history string -> number of distinct characters seen after it.
    """

    order: int
    ngrams: dict[str, float] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)

    def add(self, text: str, weight: float = 1.0, bounded: bool = True) -> None:
        """Count the n-grams of ``text``; ``bounded`` adds sentence start/end symbols."""
        symbols = "".join(lm_char(c) for c in text)
        if bounded:
            symbols = BOS * (self.order - 1) + symbols + EOS
            first = self.order - 1
        else:
            first = 0
        ngrams, totals, types = self.ngrams, self.totals, self.types
        for i in range(first, len(symbols)):
            for n in range(1, self.order + 1):
                if i - n + 1 < 0:
                    break
                gram = symbols[i - n + 1 : i + 1]
                history = gram[:-1]
                if gram not in ngrams:
                    ngrams[gram] = 0.0
                    types[history] = types.get(history, 0) + 1
                ngrams[gram] += weight
                totals[history] = totals.get(history, 0.0) + weight


def jieba_base_counts(order: int, exponent: float = 0.5, min_freq: int = 2) -> NgramCounts:
    """Counts from jieba's dictionary: each word once, weighted by ``freq ** exponent``.

    Word-internal n-grams only (no boundary symbols), so the base teaches which
    characters form words; the bot's sentences add context across words. Built once per
    process for each parameter set and shared; treat the result as read-only.
    """
    key = (order, exponent, min_freq)
    with _BASE_LOCK:
        cached = _BASE_CACHE.get(key)
        if cached is None:
            cached = _read_disk_cache(key)
            if cached is None:
                cached = _count_words(jieba_lexicon().freq, order, exponent, min_freq)
                _write_disk_cache(key, cached)
            _BASE_CACHE[key] = cached
        return cached


def _disk_cache_path(key: tuple[int, float, int]) -> Path:
    """A file in the temp folder (like jieba's own cache), tied to jieba's dictionary file."""
    dictionary = jieba_dict_path()
    stat = dictionary.stat()
    tag = f"{key}-{dictionary}-{stat.st_size}-{stat.st_mtime_ns}"
    digest = hashlib.sha1(tag.encode("utf-8")).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"wealthbot-jieba-lm-{digest}.marshal"


def _read_disk_cache(key: tuple[int, float, int]) -> NgramCounts | None:
    # building the base from jieba's 350k words takes seconds; server start-up should not
    path = _disk_cache_path(key)
    try:
        ngrams, totals, types = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return NgramCounts(key[0], ngrams=ngrams, totals=totals, types=types)


def _write_disk_cache(key: tuple[int, float, int], counts: NgramCounts) -> None:
    path = _disk_cache_path(key)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_bytes(marshal.dumps((counts.ngrams, counts.totals, counts.types)))
        tmp.replace(path)
    except OSError:  # a read-only temp folder only costs speed
        tmp.unlink(missing_ok=True)


def _count_words(freq: dict[str, int], order: int, exponent: float, min_freq: int) -> NgramCounts:
    # a tight loop: only n-grams here, histories' totals and types in one pass after
    ngrams: dict[str, float] = {}
    get = ngrams.get
    for word, count in freq.items():
        if count < min_freq:
            continue
        weight = float(count) ** exponent
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - order), end):
                gram = word[start:end]
                ngrams[gram] = get(gram, 0.0) + weight
    counts = NgramCounts(order, ngrams=ngrams)
    totals, types = counts.totals, counts.types
    for gram, weight in ngrams.items():
        history = gram[:-1]
        totals[history] = totals.get(history, 0.0) + weight
        types[history] = types.get(history, 0) + 1
    return counts


class CharNgramLM:
    """Scores character sequences; base counts shared, domain counts overlaid.

    Args:
        base: shared, read-only counts (may be empty).
        order: n-gram order; must equal ``base.order`` when the base is not empty.
    """

    def __init__(self, base: NgramCounts, order: int) -> None:
        self.order = order
        self.base = base
        self.domain = NgramCounts(order)
        self._ngrams: dict[str, float] = {}
        self._totals: dict[str, float] = {}
        self._types: dict[str, int] = {}

    def fit_domain(self, texts: Iterable[tuple[str, float, bool]]) -> None:
        """Count ``(text, weight, bounded)`` items as the domain layer and merge the overlay."""
        self.domain = NgramCounts(self.order)
        for text, weight, bounded in texts:
            self.domain.add(text, weight, bounded)
        self._merge()

    def _merge(self) -> None:
        base = self.base
        self._ngrams = {g: base.ngrams.get(g, 0.0) + w for g, w in self.domain.ngrams.items()}
        self._totals = {h: base.totals.get(h, 0.0) + w for h, w in self.domain.totals.items()}
        new_types: dict[str, int] = {}
        for gram in self.domain.ngrams:
            if gram not in base.ngrams:
                history = gram[:-1]
                new_types[history] = new_types.get(history, 0) + 1
        self._types = {h: base.types.get(h, 0) + t for h, t in new_types.items()}

    def _count(self, gram: str) -> float:
        value = self._ngrams.get(gram)
        return self.base.ngrams.get(gram, 0.0) if value is None else value

    def _history(self, history: str) -> tuple[float, int]:
        total = self._totals.get(history)
        if total is None:
            total = self.base.totals.get(history, 0.0)
        types = self._types.get(history)
        if types is None:
            types = self.base.types.get(history, 0)
        return total, types

    def prob(self, history: str, char: str) -> float:
        """P(char | history) with interpolated Witten-Bell smoothing."""
        p = 1.0 / _VOCABULARY_SIZE
        start = max(0, len(history) - self.order + 1)
        for k in range(len(history), start - 1, -1):
            h = history[k:]
            total, types = self._history(h)
            if total <= 0.0:
                continue
            p = (self._count(h + char) + types * p) / (total + types)
        return p

    def symbols(self, text: str) -> str:
        """``text`` as LM symbols with start/end padding."""
        return BOS * (self.order - 1) + "".join(lm_char(c) for c in text) + EOS

    def position_logprob(self, symbols: str, index: int) -> float:
        """log P of ``symbols[index]`` given the ``order - 1`` symbols before it."""
        return math.log(self.prob(symbols[index - self.order + 1 : index], symbols[index]))

    def span_logprob(self, symbols: str, start: int, end: int) -> float:
        """Sum of log-probabilities of ``symbols[start:end]`` (indices into padded symbols)."""
        return sum(self.position_logprob(symbols, i) for i in range(start, end))

    def sentence_logprob(self, text: str) -> float:
        """log P of ``text`` including its end symbol."""
        symbols = self.symbols(text)
        return self.span_logprob(symbols, self.order - 1, len(symbols))

    def domain_to_dict(self) -> dict[str, Any]:
        """The domain layer as JSON-ready data (the base is rebuilt on load)."""
        return {"order": self.order, "ngrams": self.domain.ngrams}

    def load_domain(self, data: dict[str, Any]) -> None:
        """Restore the domain layer written by ``domain_to_dict``."""
        if int(data["order"]) != self.order:
            raise ValueError(f"LM order mismatch: stored {data['order']}, configured {self.order}")
        domain = NgramCounts(self.order)
        for gram, weight in data["ngrams"].items():
            history = gram[:-1]
            domain.ngrams[gram] = float(weight)
            domain.totals[history] = domain.totals.get(history, 0.0) + float(weight)
            domain.types[history] = domain.types.get(history, 0) + 1
        self.domain = domain
        self._merge()
