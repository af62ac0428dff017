"""What a question asks: its wh-word, the expected answer type, and the text around the wh-word.

Chinese questions keep the answer's place: "基金的封闭期是多少天" mirrors "基金的封闭期是90天",
so the words before the wh-word (``left``) tend to precede the answer in the document and
the words after it (``right``) tend to follow it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["AnswerType", "QuestionAnalysis", "analyze_question", "content_chars"]


class AnswerType(StrEnum):
    """The kind of answer a question expects."""

    NUMBER = "number"
    DURATION = "duration"
    DATE = "date"
    PERSON = "person"
    LOCATION = "location"
    OTHER = "other"


# ordered: the first pattern that matches decides the type (longer, more specific ones first)
_WH_PATTERNS: tuple[tuple[str, AnswerType], ...] = (
    (
        r"多长时间|多久|多少天|几天|几个月|几年|多少年|多少个月|几个小时|多少小时|几个工作日|多少个工作日|几周",
        AnswerType.DURATION,
    ),
    (
        r"哪一年|哪年|哪一天|哪天|何时|什么时候|什么时间|哪个月|几月|几号|几点|哪一日|哪个朝代|何年|哪个时期|什么年代",
        AnswerType.DATE,
    ),
    (
        r"多少钱|多少元|多少|几[个位名种次条件岁倍层]?|多大|多高|多重|多远|多长|多宽|百分之几|比例",
        AnswerType.NUMBER,
    ),
    (r"谁|哪位|哪一位|什么人|何人|哪个人", AnswerType.PERSON),
    (r"哪里|哪儿|什么地方|何地|何处|哪个国家|哪个城市|哪座|哪个省|哪个地区", AnswerType.LOCATION),
    (r"什么|哪个|哪些|哪一|哪|何种|怎么|怎样|如何|为什么|为何|是否|啥", AnswerType.OTHER),
)
_WH_RE = [(re.compile(pattern), kind) for pattern, kind in _WH_PATTERNS]
# words that name a duration or a date in questions without a wh-word ("封闭期是？")
_TYPE_HINTS: tuple[tuple[str, AnswerType], ...] = (
    ("期限|封闭期|到账时间|锁定期|持有期|多久", AnswerType.DURATION),
    ("日期|时间|生日|出生|成立于|哪年", AnswerType.DATE),
    ("金额|费率|比例|数量|人数|价格|面积|人口|高度|长度", AnswerType.NUMBER),
    ("基金经理|作者|导演|创始人|主演|发明者", AnswerType.PERSON),
)
_TRAILING = "？?。!！呢吗啊呀吧嘛 \t\n"
# characters too common to signal a match between question and document
STOP_CHARS = (
    frozenset("的是了在和与及或也都就而有为以于这那个一其之中上下不吗呢啊吧么你我他她它们请问")
    | frozenset("多少什么谁哪几啥怎样如何")  # wh-words: the document says the answer instead
    | frozenset("，。？！、；：,.?!;:“”‘’\"'（）()《》<>【】[] \t\n")
)


@dataclass(frozen=True)
class QuestionAnalysis:
    """A parsed question; ``wh_start``/``wh_end`` index ``text`` (-1 without a wh-word)."""

    text: str
    answer_type: AnswerType
    wh_start: int
    wh_end: int
    left: str
    right: str


def analyze_question(question: str) -> QuestionAnalysis:
    """Find the wh-word and the expected answer type of ``question``.

    Returns:
        The analysis; without a wh-word, ``left`` is the whole question (trailing particles
        removed) and ``right`` is empty.
    """
    text = question.strip()
    core = text.rstrip(_TRAILING)
    best: tuple[int, int, AnswerType] | None = None
    for pattern, kind in _WH_RE:  # the most specific pattern that matches wins
        if (match := pattern.search(core)) is not None:
            best = (match.start(), match.end(), kind)
            break
    if best is None:
        return QuestionAnalysis(text, _hinted_type(core), -1, -1, core, "")
    start, end, kind = best
    if kind is AnswerType.OTHER:
        kind = _hinted_type(core) if _hinted_type(core) is not AnswerType.OTHER else kind
    return QuestionAnalysis(text, kind, start, end, core[:start], core[end:])


def _hinted_type(text: str) -> AnswerType:
    for pattern, kind in _TYPE_HINTS:
        if re.search(pattern, text):
            return kind
    return AnswerType.OTHER


def content_chars(text: str) -> frozenset[str]:
    """The characters of ``text`` that can signal a match (punctuation and function chars left out)."""
    return frozenset(text) - STOP_CHARS
