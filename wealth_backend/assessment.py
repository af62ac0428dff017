"""The standard risk questionnaire (10 questions) and its scoring into C1–C5."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["QUESTIONS", "VALIDITY_DAYS", "Question", "level_for_score", "score_answers", "valid_until"]

VALIDITY_DAYS = 365  # an assessment is valid for one year, then the customer re-assesses


@dataclass(frozen=True)
class Question:
    """One question; option ``i`` scores ``i + 1`` points (A=1 … D=4)."""

    key: str
    text: str
    options: tuple[str, str, str, str]


QUESTIONS: tuple[Question, ...] = (
    Question("age", "您的年龄是？", ("60岁以上", "46-60岁", "31-45岁", "30岁及以下")),
    Question("income", "您家庭的年收入大约是？", ("10万以下", "10万-30万", "30万-100万", "100万以上")),
    Question(
        "invest_share",
        "计划投资的金额占您家庭金融资产的比例？",
        ("50%以上", "25%-50%", "10%-25%", "10%以下"),
    ),
    Question(
        "experience",
        "您的投资经验？",
        ("没有经验，只存过银行存款", "买过理财或债券基金", "买过股票或混合基金", "投资股票、期货等5年以上"),
    ),
    Question("horizon", "这笔钱您打算投资多久？", ("1年以内", "1-3年", "3-5年", "5年以上")),
    Question(
        "goal",
        "您投资的主要目的是？",
        ("保住本金，跑赢存款", "稳健增值", "追求较高收益", "追求高收益，愿意承担大幅波动"),
    ),
    Question(
        "max_loss",
        "您能承受的最大亏损是？",
        ("不能接受亏损", "10%以内", "10%-30%", "30%以上"),
    ),
    Question(
        "reaction",
        "如果您的投资三个月内下跌20%，您会？",
        ("全部卖出", "卖出一部分", "继续持有", "加仓买入"),
    ),
    Question(
        "knowledge",
        "您对金融产品的了解程度？",
        ("基本不了解", "了解一些", "比较了解", "非常了解"),
    ),
    Question(
        "liquidity",
        "未来一年内您需要动用这笔钱的可能性？",
        ("很可能要用", "可能要用一部分", "基本不用", "完全不用"),
    ),
)

# upper bounds of the total score for C1..C4; above the last is C5
_LEVEL_BOUNDS = (16, 22, 28, 34)


def score_answers(answers: list[int]) -> int:
    """Total points for option indexes (0–3), one per question.

    Raises:
        ValueError: not one answer per question, or an index outside 0–3.
    """
    if len(answers) != len(QUESTIONS):
        raise ValueError(f"expected {len(QUESTIONS)} answers, got {len(answers)}")
    if any(not 0 <= a <= 3 for a in answers):
        raise ValueError("every answer is an option index 0–3")
    return sum(a + 1 for a in answers)


def level_for_score(score: int) -> int:
    """C1 (most cautious) … C5 (most aggressive)."""
    for level, bound in enumerate(_LEVEL_BOUNDS, start=1):
        if score <= bound:
            return level
    return 5


def valid_until(assessed_on: dt.date) -> dt.date:
    return assessed_on + dt.timedelta(days=VALIDITY_DAYS)
