"""How alike two characters sound: exact homophones, tone slips and accent confusions.

Readings come from pypinyin's tables (imported lazily, cached). Two syllables are

- *homophones* when their toneless spellings are equal (``鸡 ji1`` / ``基 ji1``; a
  different tone, ``书 shu1`` / ``赎 shu2``, costs a little more);
- *fuzzy* when they become equal after folding the accent confusions of southern and
  dialect speakers and of ASR: initials z/zh, c/ch, s/sh, n/l, l/r, f/h and finals
  an/ang, en/eng, in/ing, ian/iang, uan/uang (``年 nian`` / ``连 lian``).

A target word has one reading, its phrase reading where pypinyin knows the phrase
(``银行`` -> yin2 hang2) and each character's most common reading otherwise. A character
in the text may be read any way pypinyin lists, but a reading other than its most common
one costs ``PhoneticCosts.rare_reading`` more (``她`` also reads jie3, ``能`` tai2): rare
readings otherwise turn ordinary text into false sound-alikes.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "PhoneticCosts",
    "Reading",
    "char_readings",
    "fold_syllable",
    "reading_key",
    "split_syllable",
    "substitution_cost",
    "window_keys",
    "word_reading",
]

Reading = tuple[str, int]  # toneless syllable, tone 1-5 (5: neutral)

_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r")
_INITIALS += ("z", "c", "s", "y", "w")
# accent confusions folded onto one representative; r -> l -> n chains r/l and n/l
_INITIAL_FOLD = {"zh": "z", "ch": "c", "sh": "s", "l": "n", "r": "n", "h": "f"}
_FINAL_FOLD = {"ang": "an", "eng": "en", "ing": "in", "iang": "ian", "uang": "uan"}
_TONE_MARKS = {
    **{c: ("a", t) for t, c in enumerate("āáǎà", 1)},
    **{c: ("e", t) for t, c in enumerate("ēéěè", 1)},
    **{c: ("i", t) for t, c in enumerate("īíǐì", 1)},
    **{c: ("o", t) for t, c in enumerate("ōóǒò", 1)},
    **{c: ("u", t) for t, c in enumerate("ūúǔù", 1)},
    **{c: ("v", t) for t, c in enumerate("ǖǘǚǜ", 1)},
    **{c: ("n", t) for t, c in zip((2, 3, 4), "ńňǹ", strict=True)},
    "ḿ": ("m", 2),
    "ü": ("v", 0),
    "ê": ("e", 0),
    "ế": ("e", 2),
    "ề": ("e", 4),
}
_MAX_KEYS = 8  # reading combinations looked up per window


@dataclass(frozen=True)
class PhoneticCosts:
    """Penalties (in log-probability units) for replacing one character by another.

    Attributes:
        same_tone: exact homophone, same tone.
        other_tone: same toneless syllable, different tone.
        fuzzy: equal only after folding accent confusions.
        rare_reading: added when the text's character needs a reading other than its
            most common one.
    """

    same_tone: float = 0.0
    other_tone: float = 0.5
    fuzzy: float = 2.0
    rare_reading: float = 3.0


def split_syllable(syllable: str) -> tuple[str, str]:
    """Split a toneless pinyin syllable into (initial, final); ``"zhuang"`` -> ``("zh", "uang")``."""
    for initial in _INITIALS:
        if syllable.startswith(initial) and len(syllable) > len(initial):
            return initial, syllable[len(initial) :]
    return "", syllable


@lru_cache(maxsize=8192)
def fold_syllable(syllable: str) -> str:
    """The accent-folded form of a toneless syllable: ``"zhang"`` -> ``"zan"``, ``"lin"`` -> ``"nin"``."""
    initial, final = split_syllable(syllable)
    return _INITIAL_FOLD.get(initial, initial) + _FINAL_FOLD.get(final, final)


def _parse_marked(marked: str) -> Reading:
    letters: list[str] = []
    tone = 5
    for char in marked.strip():
        plain = _TONE_MARKS.get(char)
        if plain is None:
            if char.isascii() and char.isalpha():
                letters.append(char)
            continue
        letters.append(plain[0])
        if plain[1]:
            tone = plain[1]
    return "".join(letters), tone


@lru_cache(maxsize=65536)
def char_readings(char: str) -> tuple[Reading, ...]:
    """Readings of a character, most common first; empty for non-hanzi."""
    from pypinyin.pinyin_dict import pinyin_dict

    if len(char) != 1:
        return ()
    marked = pinyin_dict.get(ord(char))
    if not marked:
        return ()
    readings: list[Reading] = []
    for item in marked.split(","):
        reading = _parse_marked(item)
        if reading[0] and reading not in readings:
            readings.append(reading)
    return tuple(readings)


@lru_cache(maxsize=1)
def _phrases() -> dict[str, list[list[str]]]:
    from pypinyin.phrases_dict import phrases_dict

    return phrases_dict  # type: ignore[no-any-return]


def word_reading(word: str) -> tuple[Reading, ...] | None:
    """The reading of a target word (phrase reading if known); ``None`` if a character has none."""
    phrase = _phrases().get(word)
    if phrase is not None and len(phrase) == len(word):
        return tuple(_parse_marked(options[0]) for options in phrase)
    readings = []
    for char in word:
        options = char_readings(char)
        if not options:
            return None
        readings.append(options[0])
    return tuple(readings)


def reading_key(reading: tuple[Reading, ...]) -> str:
    """The lookup key of a word reading: folded toneless syllables joined by spaces."""
    return " ".join(fold_syllable(syllable) for syllable, _ in reading)


@lru_cache(maxsize=65536)
def _folded_options(char: str) -> tuple[str, ...]:
    folded: list[str] = []
    for syllable, _ in char_readings(char):
        key = fold_syllable(syllable)
        if key not in folded:
            folded.append(key)
    return tuple(folded)


def window_keys(window: str) -> list[str]:
    """Lookup keys for a text window: its characters' readings combined (common first).

    Returns an empty list when a character has no pinyin reading.
    """
    options = [_folded_options(c) for c in window]
    if not all(options):
        return []
    return [" ".join(combo) for combo in itertools.islice(itertools.product(*options), _MAX_KEYS)]


@lru_cache(maxsize=262144)
def _cost(source: str, target: Reading, costs: PhoneticCosts) -> float | None:
    best: float | None = None
    for rank, (syllable, tone) in enumerate(char_readings(source)):
        if syllable == target[0]:
            cost = costs.same_tone if tone == target[1] else costs.other_tone
        elif fold_syllable(syllable) == fold_syllable(target[0]):
            cost = costs.fuzzy
        else:
            continue
        if rank:
            cost += costs.rare_reading
        if best is None or cost < best:
            best = cost
    return best


def substitution_cost(source: str, target: Reading, costs: PhoneticCosts) -> float | None:
    """Penalty for hearing the text's ``source`` character as a target reading.

    Args:
        source: the character found in the text.
        target: the reading of the proposed character at that position of its word.
        costs: penalties per kind of similarity.

    Returns:
        The cheapest matching reading's cost, or ``None`` when they do not sound alike.
    """
    return _cost(source, target, costs)
