"""Target vocabulary: pinyin index, unknown-word pairs, glossary."""

from __future__ import annotations

import pytest

from nlu.correction.vocabulary import (
    PinyinIndex,
    finance_glossary,
    frequent_char_pairs,
    is_target_word,
    segment_word_counts,
)


def test_index_finds_words_by_folded_pinyin() -> None:
    index = PinyinIndex({"基金": 3.0, "赎回": 1.0})
    assert index.lookup("ji jin") == ["基金"]
    assert "赎回" in index and len(index) == 2
    assert index.reading["基金"] == (("ji", 1), ("jin", 1))


def test_index_round_trip() -> None:
    index = PinyinIndex({"基金": 3.0, "定投": 2.0})
    restored = PinyinIndex.from_dict(index.to_dict())
    assert restored.freq == index.freq
    assert restored.lookup("din tou") == ["定投"]


def test_index_skips_non_chinese_words() -> None:
    assert len(PinyinIndex({"ETF": 1.0, "A股": 1.0})) == 0


@pytest.mark.parametrize(
    ("word", "expected"),
    [("基金", True), ("五万", False), ("基", False), ("A股", False)],
    ids=["word", "number", "single", "ascii"],
)
def test_is_target_word(word: str, expected: bool) -> None:
    assert is_target_word(word) is expected


def test_frequent_char_pairs_recovers_words_jieba_splits() -> None:
    segmented = [
        ["我", "想", "做", "个", "定", "投"],
        ["定", "投", "怎么", "弄"],
        ["我", "想", "买"],
        ["我", "要"],
    ]
    pairs = frequent_char_pairs(segmented, min_count=2)
    assert pairs["定投"] == 2
    assert "我想" not in pairs


def test_segment_word_counts_counts_multichar_chinese_tokens() -> None:
    counts = segment_word_counts([["基金", "的", "净值"], ["基金", "A股"]])
    assert counts == {"基金": 2, "净值": 1}


def test_finance_glossary_has_core_terms() -> None:
    assert {"基金", "定投", "赎回", "申购", "净值", "年化"} <= finance_glossary()
