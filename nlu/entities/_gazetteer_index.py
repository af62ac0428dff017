"""Name index behind the gazetteer: exact, one-substitution and pinyin look-ups.

The index only answers "which known names match ``text[start:end]`` and how"; the
component decides which matches to keep. Keys are case-folded for ASCII letters only,
so folding never changes a string's length and spans stay aligned.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

__all__ = ["GazetteerEntry", "MatchMethod", "NameIndex", "fold", "is_han"]

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# Substituting one of these makes a different product ("稳健一号" vs "稳健二号"), so
# the fuzzy matcher never treats them as typos.
_NUMERAL_CHARS = frozenset("0123456789〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾")
_MASK = "\x00"
# Initials (and the one final pair) that many speakers and ASR systems confuse.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("h", "f"))


class MatchMethod(StrEnum):
    """How a gazetteer match was found, from most to least reliable."""

    EXACT = "exact"
    PINYIN = "pinyin"
    FUZZY = "fuzzy"


@dataclass(frozen=True)
class GazetteerEntry:
    """A surface form the gazetteer knows: its entity type and canonical value."""

    surface: str
    entity: str
    value: str


def fold(text: str) -> str:
    """Lower-case ASCII letters only (length-preserving)."""
    return text.translate(_ASCII_LOWER)


def fold_entry(text: str) -> str:
    """Fold a dictionary surface form; NFKC (full-width letters) when it keeps the length."""
    nfkc = unicodedata.normalize("NFKC", text)
    return fold(nfkc if len(nfkc) == len(text) else text)


def is_han(char: str) -> bool:
    """Whether ``char`` is a CJK ideograph."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


@lru_cache(maxsize=16384)
def fuzzy_syllable(char: str) -> str:
    """Toneless pinyin of one Han character with confusable initials merged."""
    from pypinyin import lazy_pinyin

    syllable = lazy_pinyin(char)[0]
    for source, target in _FUZZY_INITIALS:
        if syllable.startswith(source):
            return target + syllable[len(source) :]
    return syllable


def pinyin_key(text: str) -> str | None:
    """Space-joined fuzzy syllables of an all-Han ``text``; None if any char is not Han."""
    if not text or not all(is_han(ch) for ch in text):
        return None
    return " ".join(fuzzy_syllable(ch) for ch in text)


class NameIndex:
    """Look-up tables over the gazetteer's entries, grouped by name length.

    Args:
        entries: the known surface forms (the first entry of a surface wins).
        fuzzy_min_length: shortest name that may match with one substituted char.
        pinyin_min_length: shortest name that may match by pinyin.
    """

    def __init__(
        self, entries: list[GazetteerEntry], *, fuzzy_min_length: int = 4, pinyin_min_length: int = 2
    ) -> None:
        self.exact: dict[str, GazetteerEntry] = {}
        self.masked: dict[str, list[GazetteerEntry]] = {}
        self.pinyin: dict[str, list[GazetteerEntry]] = {}
        for entry in entries:
            key = fold_entry(entry.surface)
            if not key.strip() or key in self.exact:
                continue
            self.exact[key] = entry
            if len(key) >= fuzzy_min_length:
                for position, char in enumerate(key):
                    if char not in _NUMERAL_CHARS:
                        self.masked.setdefault(_masked(key, position), []).append(entry)
            spoken = pinyin_key(key) if len(key) >= pinyin_min_length else None
            if spoken is not None:
                self.pinyin.setdefault(spoken, []).append(entry)
        self.lengths = sorted({len(k) for k in self.exact}, reverse=True)

    def lookup(self, window: str) -> tuple[GazetteerEntry, MatchMethod] | None:
        """The best entry for a folded text window, or None."""
        entry = self.exact.get(window)
        if entry is not None:
            return entry, MatchMethod.EXACT
        spoken = pinyin_key(window) if self.pinyin else None
        if spoken is not None and spoken in self.pinyin:
            return self.pinyin[spoken][0], MatchMethod.PINYIN
        if self.masked:
            for position, char in enumerate(window):
                if char in _NUMERAL_CHARS:
                    continue
                candidates = self.masked.get(_masked(window, position))
                if candidates:
                    return candidates[0], MatchMethod.FUZZY
        return None


def _masked(text: str, position: int) -> str:
    return text[:position] + _MASK + text[position + 1 :]
