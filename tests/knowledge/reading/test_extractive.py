"""The offline span extractor on a context, and the question-overlap measure."""

from __future__ import annotations

import pytest

from knowledge.reading.extractive import SpanExtractor, question_overlap


def test_question_overlap_ignores_wh_words_and_particles() -> None:
    assert question_overlap("封闭期是多少天？", "本产品封闭期为90天。") == pytest.approx(1.0)
    assert question_overlap("今天天气怎么样", "本产品封闭期为90天。") < 0.3
    assert question_overlap("？", "任何文字") == 0.0


@pytest.mark.parametrize(
    ("question", "expected"),
    [("封闭期是多少天？", "90天"), ("起购金额是多少", "1000元"), ("赎回多久到账", "T+3")],
    ids=["closed_period", "min_amount", "settlement"],
)
def test_span_extractor_finds_the_answer(question: str, expected: str) -> None:
    context = "本产品封闭期为90天，封闭期内不可赎回。本产品起购金额为1000元。赎回款项将于T+3个工作日到账。"
    best = SpanExtractor().best(question, context, top=2)
    assert best and expected in best[0].text
    assert context[best[0].start : best[0].end] == best[0].text
    assert best[0].probability >= best[-1].probability
