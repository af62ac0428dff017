"""Guards and the sound-alike candidate search."""

from __future__ import annotations

from nlu.correction.candidates import SearchSettings, find_candidates, protected_positions
from nlu.correction.vocabulary import PinyinIndex

DICTIONARY = {"名字": 500, "怎么": 5000, "基金": 3000}


def _never_known(word: str) -> bool:
    return False


def _segments(*words: str) -> list[tuple[str, int, int]]:
    out, start = [], 0
    for word in words:
        out.append((word, start, start + len(word)))
        start += len(word)
    return out


def test_protected_positions_keep_numbers_ascii_and_names() -> None:
    text = "我叫书回买5千"
    guards = protected_positions(text, _segments(*text), _never_known, DICTIONARY)
    assert guards.protected == [False, False, True, True, True, True, True]


def test_protected_positions_forbid_cutting_known_words() -> None:
    guards = protected_positions("的名字", _segments("的", "名字"), _never_known, DICTIONARY)
    assert guards.uncuttable == [False, False, True, False]


def test_protected_positions_optionally_keep_frequent_characters() -> None:
    guards = protected_positions("的书", _segments("的", "书"), _never_known, {"的": 300000}, 50000)
    assert guards.protected == [True, False]


def test_find_candidates_proposes_same_length_sound_alikes() -> None:
    text = "怎么鸡金"
    index = PinyinIndex({"基金": 5.0})
    guards = protected_positions(text, _segments("怎么", "鸡", "金"), index.__contains__, DICTIONARY)
    (candidate,) = find_candidates(text, guards, [index], index.__contains__, SearchSettings(), DICTIONARY)
    assert (candidate.start, candidate.end, candidate.original, candidate.replacement) == (
        2,
        4,
        "鸡金",
        "基金",
    )
    assert candidate.changed == (2,)


def test_find_candidates_skips_uncuttable_windows() -> None:
    text = "的名字"
    index = PinyinIndex({"得名": 5.0})
    guards = protected_positions(text, _segments("的", "名字"), _never_known, DICTIONARY)
    assert find_candidates(text, guards, [index], _never_known, SearchSettings(), DICTIONARY) == []


def test_find_candidates_whole_word_only_for_domain_indexes() -> None:
    text = "深够"
    domain = PinyinIndex({"申购": 1.0})
    general = PinyinIndex({"申购": 1.0}, whole_words=False)
    guards = protected_positions(text, _segments("深", "够"), _never_known, DICTIONARY)
    assert len(find_candidates(text, guards, [domain], _never_known, SearchSettings(), DICTIONARY)) == 1
    assert find_candidates(text, guards, [general], _never_known, SearchSettings(), DICTIONARY) == []
