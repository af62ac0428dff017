"""Syllable folding and the cost of hearing one character as another."""

from __future__ import annotations

import pytest

from nlu.correction.pinyin_similarity import (
    PhoneticCosts,
    char_readings,
    fold_syllable,
    reading_key,
    split_syllable,
    substitution_cost,
    window_keys,
    word_reading,
)

COSTS = PhoneticCosts()


@pytest.mark.parametrize(
    ("syllable", "parts"),
    [("zhuang", ("zh", "uang")), ("an", ("", "an")), ("yin", ("y", "in")), ("lv", ("l", "v"))],
    ids=["zh-uang", "no-initial", "y-in", "lv"],
)
def test_split_syllable_separates_initial_and_final(syllable: str, parts: tuple[str, str]) -> None:
    assert split_syllable(syllable) == parts


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("zi", "zhi"),
        ("ci", "chi"),
        ("si", "shi"),
        ("nian", "lian"),
        ("fu", "hu"),
        ("ri", "li"),
        ("fan", "fang"),
        ("shen", "sheng"),
        ("jin", "jing"),
        ("xian", "xiang"),
        ("guan", "guang"),
    ],
    ids=["z-zh", "c-ch", "s-sh", "n-l", "f-h", "r-l", "an-ang", "en-eng", "in-ing", "ian-iang", "uan-uang"],
)
def test_fold_syllable_merges_accent_confusions(left: str, right: str) -> None:
    assert fold_syllable(left) == fold_syllable(right)


@pytest.mark.parametrize(
    ("left", "right"), [("ji", "qi"), ("ba", "pa"), ("an", "en")], ids=["j-q", "b-p", "an-en"]
)
def test_fold_syllable_keeps_distinct_sounds_apart(left: str, right: str) -> None:
    assert fold_syllable(left) != fold_syllable(right)


def test_char_readings_lists_most_common_first() -> None:
    assert char_readings("行")[0] == ("xing", 2)
    assert ("hang", 2) in char_readings("行")
    assert char_readings("A") == ()


def test_word_reading_uses_phrase_reading() -> None:
    assert word_reading("银行") == (("yin", 2), ("hang", 2))
    assert reading_key(word_reading("赎回") or ()) == "su fui"


def test_window_keys_cover_heteronyms() -> None:
    assert "din tou" in window_keys("定头")
    assert window_keys("定A") == []


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("鸡", ("ji", 1), COSTS.same_tone),
        ("书", ("shu", 2), COSTS.other_tone),
        ("连", ("nian", 2), COSTS.fuzzy),
        ("你", ("ma", 1), None),
    ],
    ids=["same-tone", "other-tone", "fuzzy", "unrelated"],
)
def test_substitution_cost_ranks_similarity(
    source: str, target: tuple[str, int], expected: float | None
) -> None:
    assert substitution_cost(source, target, COSTS) == expected


def test_substitution_cost_penalizes_rare_readings() -> None:
    # 她 reads ta1, and only rarely jie3
    assert substitution_cost("她", ("jie", 3), COSTS) == COSTS.same_tone + COSTS.rare_reading
