"""Question analysis: wh-word, expected answer type, the text around the wh-word."""

from __future__ import annotations

import pytest

from knowledge.reading.question import AnswerType, analyze_question


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("赎回多久到账？", AnswerType.DURATION),
        ("封闭期是多少天", AnswerType.DURATION),
        ("起购金额是多少", AnswerType.NUMBER),
        ("基金经理是谁", AnswerType.PERSON),
        ("这只基金哪一年成立的", AnswerType.DATE),
        ("总部在哪里", AnswerType.LOCATION),
        ("业绩比较基准是什么", AnswerType.OTHER),
        ("封闭期？", AnswerType.DURATION),
    ],
    ids=["duration", "days", "number", "person", "date", "location", "other", "hint_without_wh"],
)
def test_analyze_question_expected_type(question: str, expected: AnswerType) -> None:
    assert analyze_question(question).answer_type is expected


def test_analyze_question_splits_around_the_wh_word() -> None:
    analysis = analyze_question("赎回款多久到账？")
    assert (analysis.left, analysis.right) == ("赎回款", "到账")
    assert analysis.text[analysis.wh_start : analysis.wh_end] == "多久"
