"""Where a text may hold a misspelt word, and which sound-alike words could replace it.

``protected_positions`` marks characters the corrector must never change (non-CJK
characters, numbers, what follows a name cue, characters inside a known or frequent
word); ``find_candidates`` slides 2-4 character windows over the text, looks their
folded pinyin up in the target indexes and keeps same-length words that differ in a
few unprotected characters which sound alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from nlu.correction.lexicon import is_cjk
from nlu.correction.pinyin_similarity import PhoneticCosts, Reading, substitution_cost, window_keys
from nlu.correction.vocabulary import PinyinIndex

__all__ = ["Candidate", "SearchSettings", "TextGuards", "find_candidates", "protected_positions"]

_NUMERALS = frozenset("零〇一二三四五六七八九十百千万亿两半点")
# after these cues the next characters are likely a name: 我叫张爱文, 免贵姓谢
_NAME_CUES = ("名叫", "叫做", "叫", "姓")
_NAME_LENGTH = 3


@dataclass(frozen=True)
class Candidate:
    """A proposed same-length replacement of ``text[start:end]``.

    Attributes:
        changed: positions (in the text) whose character differs.
        phonetic_cost: summed ``substitution_cost`` of the changed characters.
    """

    start: int
    end: int
    original: str
    replacement: str
    changed: tuple[int, ...]
    phonetic_cost: float


@dataclass(frozen=True)
class SearchSettings:
    """Limits of the candidate search.

    Attributes:
        window_sizes: window lengths tried.
        max_changed_ratio: at most ``max(1, int(len * ratio))`` characters change per word.
        protect_word_freq: jieba count from which a word is taken as correctly spelt.
        whole_word_homophones: a window that is no dictionary word may change entirely
            when every changed character is a homophone (ASR's "深够" for "申购").
        costs: phonetic penalties.
    """

    window_sizes: tuple[int, ...] = (2, 3, 4)
    max_changed_ratio: float = 0.5
    protect_word_freq: int = 100
    whole_word_homophones: bool = True
    costs: PhoneticCosts = PhoneticCosts()


def _is_number_char(text: str, i: int) -> bool:
    char = text[i]
    if char.isdigit():
        return True
    if char not in _NUMERALS:
        return False
    neighbours = text[max(0, i - 1) : i] + text[i + 1 : i + 2]
    return any(c.isdigit() or c in _NUMERALS for c in neighbours)


@dataclass(frozen=True)
class TextGuards:
    """What the candidate search must respect in one text.

    Attributes:
        protected: per character, whether it must stay as it is.
        uncuttable: per boundary ``0..len(text)``, whether a window may not start or
            end there because the boundary lies inside a known multi-character word
            (``的名`` in ``的/名字`` is no candidate window).
    """

    protected: list[bool]
    uncuttable: list[bool]


def protected_positions(
    text: str,
    segments: Sequence[tuple[str, int, int]],
    is_known_word: Callable[[str], bool],
    dictionary: Mapping[str, int],
    protect_char_freq: int = 0,
) -> TextGuards:
    """Which characters of ``text`` must stay and where windows may not cut.

    Args:
        text: the working text.
        segments: jieba's ``(word, start, end)`` tokens of ``text``.
        is_known_word: whether a word is a target word or frequent enough to trust.
        dictionary: jieba's word counts.
        protect_char_freq: single-character tokens at least this frequent stay
            (0: off); for general text, where 的/是/在 are rarely the misspelling.

    Returns:
        The guards for ``find_candidates``.
    """
    protected = [not is_cjk(c) or _is_number_char(text, i) for i, c in enumerate(text)]
    for cue in _NAME_CUES:
        start = text.find(cue)
        while start >= 0:
            name_start = start + len(cue)
            for i in range(name_start, min(len(text), name_start + _NAME_LENGTH)):
                protected[i] = True
            start = text.find(cue, name_start)
    uncuttable = [False] * (len(text) + 1)
    for word, start, end in segments:
        if end - start >= 2 and (word in dictionary or is_known_word(word)):
            for i in range(start + 1, end):
                uncuttable[i] = True
            if is_known_word(word):
                for i in range(start, end):
                    protected[i] = True
        elif end - start == 1 and protect_char_freq and dictionary.get(word, 0) >= protect_char_freq:
            protected[start] = True
    return TextGuards(protected, uncuttable)


def find_candidates(
    text: str,
    guards: TextGuards,
    indexes: Sequence[PinyinIndex],
    is_known_word: Callable[[str], bool],
    settings: SearchSettings,
    dictionary: Mapping[str, int],
) -> list[Candidate]:
    """Sound-alike replacements for the windows of ``text``.

    Args:
        text: the working text.
        guards: protected characters and uncuttable boundaries from ``protected_positions``.
        indexes: target vocabularies to search.
        is_known_word: windows that already are known words are skipped.
        settings: window sizes, edit limits and phonetic costs.
        dictionary: jieba's word counts; a window found there never changes entirely.

    Returns:
        Candidates in text order, each (start, replacement) once.
    """
    found: dict[tuple[int, str], Candidate] = {}
    protected, uncuttable = guards.protected, guards.uncuttable
    for size in settings.window_sizes:
        max_changed = max(1, int(size * settings.max_changed_ratio))
        for start in range(0, len(text) - size + 1):
            end = start + size
            if uncuttable[start] or uncuttable[end] or all(protected[start:end]):
                continue
            if not all(is_cjk(c) for c in text[start:end]):
                continue
            window = text[start:end]
            if is_known_word(window):
                continue
            whole = settings.whole_word_homophones and window not in dictionary
            for key in window_keys(window):
                for index in indexes:
                    for word in index.lookup(key):
                        if (start, word) in found or len(word) != size:
                            continue
                        candidate = _compare(
                            window,
                            word,
                            index.reading[word],
                            start,
                            protected,
                            max_changed,
                            whole and index.whole_words,
                            settings.costs,
                        )
                        if candidate is not None:
                            found[(start, word)] = candidate
    return sorted(found.values(), key=lambda c: (c.start, c.end, c.replacement))


def _compare(
    window: str,
    word: str,
    reading: tuple[Reading, ...],
    start: int,
    protected: Sequence[bool],
    max_changed: int,
    whole: bool,
    costs: PhoneticCosts,
) -> Candidate | None:
    changed = tuple(start + i for i, (a, b) in enumerate(zip(window, word, strict=True)) if a != b)
    if not changed or any(protected[i] for i in changed):
        return None
    if len(changed) > max_changed and not whole:
        return None
    total = 0.0
    worst = 0.0
    for i in changed:
        cost = substitution_cost(window[i - start], reading[i - start], costs)
        if cost is None:
            return None
        total += cost
        worst = max(worst, cost)
    if len(changed) > max_changed and worst > costs.other_tone:
        return None
    return Candidate(start, start + len(word), window, word, changed, total)
