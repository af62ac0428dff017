"""Length-preserving traditional -> simplified conversion (nlu/normalize/_t2s.py)."""

from __future__ import annotations

import pytest

from nlu.normalize._t2s import T2SConverter, load_t2s


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("我想買基金", "我想买基金", id="single_chars"),
        pytest.param("穩健型產品", "稳健型产品", id="risk_words"),
        pytest.param("乾淨", "干净", id="qian_as_gan"),
        pytest.param("乾坤", "乾坤", id="qian_kept_in_phrase"),
        pytest.param("一目瞭然", "一目了然", id="phrase_liao"),
        pytest.param("已经是简体", "已经是简体", id="simplified_untouched"),
        pytest.param("abc 123", "abc 123", id="ascii_untouched"),
        pytest.param("", "", id="empty"),
    ],
)
def test_t2s_converts_one_for_one(text: str, expected: str) -> None:
    converted = load_t2s().convert(text)
    assert converted == expected
    assert len(converted) == len(text)


def test_t2s_is_loaded_once() -> None:
    assert load_t2s() is load_t2s()


def test_t2s_converter_prefers_longest_phrase() -> None:
    converter = T2SConverter({"甲": "乙"}, {"甲甲": "丙丙", "甲甲甲": "丁丁丁"})
    assert converter.convert("甲甲甲甲") == "丁丁丁乙"
