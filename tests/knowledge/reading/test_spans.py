"""Candidate spans: word merging with the NLP core's entity rules, features, snapping."""

from __future__ import annotations

import pytest

from knowledge.reading.extractive import SpanExtractor
from knowledge.reading.question import analyze_question
from knowledge.reading.spans import FEATURE_NAMES, sentence_candidates, snap_to_entity, tag_words


@pytest.fixture(scope="module")
def tagger():
    return SpanExtractor().tagger


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("权益登记日为2026年6月12日。", "2026年6月12日"),
        ("单日申购金额上限为100万元", "100万元"),
        ("赎回款项将于T+3个工作日到账", "T+3"),
        ("本产品风险等级为R5（高风险）", "R5"),
        ("管理费率为每年1.2%。", "1.2%"),
    ],
    ids=["date", "amount", "settlement", "risk_level", "rate"],
)
def test_tag_words_keeps_answers_whole(tagger, text: str, word: str) -> None:
    words = [text[s:e] for s, e, _ in tag_words(text, tagger)]
    assert word in words
    assert "".join(words) == text


def test_sentence_candidates_stay_in_clauses(tagger) -> None:
    text = "本产品封闭期为90天，封闭期内不可赎回。"
    group = sentence_candidates(text, tag_words(text, tagger), analyze_question("封闭期是多少天"), 0.5, 0)
    assert group.features.shape == (len(group.starts), len(FEATURE_NAMES))
    spans = {text[s:e] for s, e in zip(group.starts.tolist(), group.ends.tolist(), strict=True)}
    assert "90天" in spans
    assert all("，" not in span and "。" not in span for span in spans)


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("自2026年5月6日起暂停", "自2026年5月6日起", "2026年5月6日"),
        ("5年期以上LPR为3.5%", "为3.5%", "3.5%"),
        ("将于T+3个工作日到账", "T+3个工作日", "T+3个工作日"),
    ],
    ids=["date_with_prepositions", "rate_after_copula", "settlement_kept"],
)
def test_snap_to_entity_trims_function_characters(text: str, span: str, expected: str) -> None:
    start = text.index(span)
    s, e = snap_to_entity(text, start, start + len(span))
    assert text[s:e] == expected
