"""The Witten-Bell character LM: normalization, domain overlay, persistence, sharing."""

from __future__ import annotations

import json

import pytest

from nlu.correction.ngram_lm import CharNgramLM, NgramCounts, jieba_base_counts, lm_char


def _small_lm() -> CharNgramLM:
    base = NgramCounts(3)
    for word, weight in [("基金", 5.0), ("理财", 3.0), ("赎回", 2.0)]:
        base.add(word, weight, bounded=False)
    lm = CharNgramLM(base, 3)
    lm.fit_domain([("我想买点基金", 2.0, True), ("定投", 2.0, False)])
    return lm


def test_lm_char_folds_digits_and_letters() -> None:
    assert [lm_char(c) for c in "7x基"] == ["0", "a", "基"]


def test_lm_probabilities_sum_to_at_most_one() -> None:
    lm = _small_lm()
    seen = set("基金理财赎回我想买点定投\x03")
    total = sum(lm.prob("买点", c) for c in seen)
    assert 0.5 < total <= 1.0 + 1e-9


def test_lm_prefers_seen_words() -> None:
    lm = _small_lm()
    assert lm.sentence_logprob("我想买点基金") > lm.sentence_logprob("我想买点鸡金")
    assert lm.prob("定", "投") > lm.prob("定", "头")


def test_lm_domain_round_trip_through_json() -> None:
    lm = _small_lm()
    data = json.loads(json.dumps(lm.domain_to_dict()))
    restored = CharNgramLM(lm.base, 3)
    restored.load_domain(data)
    for text in ["我想买点基金", "定投", "理财产品"]:
        assert restored.sentence_logprob(text) == pytest.approx(lm.sentence_logprob(text))


def test_lm_load_domain_rejects_other_order() -> None:
    lm = _small_lm()
    with pytest.raises(ValueError, match="order"):
        CharNgramLM(NgramCounts(4), 4).load_domain(lm.domain_to_dict())


def test_jieba_base_counts_are_built_once_per_process() -> None:
    first = jieba_base_counts(3, 0.5, 3)
    assert jieba_base_counts(3, 0.5, 3) is first
    assert first.ngrams["基金"] > 0
