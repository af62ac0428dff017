"""The unit words after a numeral: money, percent, duration, counting words.

Each ``match_*`` function looks at ``text`` from ``pos`` (just past the numeral
``text[start:end]`` and an optional 多/余/来) and returns ``(kind, value, unit, end)``
when its unit is there, else None. ``end`` is where the whole quantity stops.
"""

from __future__ import annotations

import re

from nlu.message import QuantityKind

__all__ = ["match_duration", "match_money", "match_percent", "starts_with_classifier"]

UnitMatch = tuple[QuantityKind, float, str, int]

_ONE_DIGIT = "[0-9一二两三四五六七八九]"
_DIGIT_VALUES = {c: i for i, c in enumerate("0123456789")} | dict(
    zip("一二两三四五六七八九", (1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_NO_MORE_DIGITS = "(?![0-9十百千万亿拾佰仟])"

_PERCENT_RE = re.compile(r" ?(?:(?P<pct>%)|(?P<permille>‰)|(?P<points>个?百分点)|(?P<colloquial>个点))")
# "三个点" is a percentage only where rates are talked about ("年化降了两个点").
_RATE_CONTEXT_RE = re.compile(r"年化|收益|利率|利息|费率|涨|跌|降|升|回撤|提高|下调|上调")

# 块 is also a counting word for things ("三块蛋糕", "一块地"); those nouns are excluded.
_MONEY_RE = re.compile(
    r" ?(?P<unit>块钱|块(?![儿地田石头砖蛋糕肉手表板屏布糖牌])|元|圆|人民币|rmb|cny|美元|美金|港币|港元"
    r"|[毛角]|分钱)(?P<qian>钱)?(?P<whole>整)?"
)
_YUAN_TAIL_RE = re.compile(
    rf"(?:零(?P<fen0>{_ONE_DIGIT})分?|(?P<jiao>{_ONE_DIGIT})(?:(?P<ju>[毛角])(?:(?P<fen>{_ONE_DIGIT})分?)?)?)"
    rf"(?P<qian>钱)?{_NO_MORE_DIGITS}"
)
_JIAO_TAIL_RE = re.compile(rf"(?P<fen>{_ONE_DIGIT})分?(?P<qian>钱)?{_NO_MORE_DIGITS}")
_CURRENCIES = {"美元": "USD", "美金": "USD", "港币": "HKD", "港元": "HKD"}

_DURATION_RE = re.compile(
    r" ?(?P<ge>个)?多?(?P<half>半)?"
    r"(?P<unit>月|星期|礼拜|季度|小时|钟头|分钟|周年|周(?!岁)|天|年(?![级代纪度]))"
    r"(?P<half2>半)?(?P<term>期)?"
)
_DURATION_UNITS: dict[str, tuple[str, float]] = {  # word -> (unit, how many of it)
    "月": ("month", 1.0),
    "季度": ("month", 3.0),
    "星期": ("week", 1.0),
    "礼拜": ("week", 1.0),
    "周": ("week", 1.0),
    "天": ("day", 1.0),
    "年": ("year", 1.0),
    "周年": ("year", 1.0),
    "小时": ("hour", 1.0),
    "钟头": ("hour", 1.0),
    "分钟": ("minute", 1.0),
}
_NEEDS_GE = frozenset({"月", "季度"})  # "三个月" is a duration, "三月" is March
_CLASSIFIERS = frozenset(
    "个人次位名户家份件只条张股手台辆套岁斤克吨米平字页篇款支笔期倍层楼号分度级星单道题项场票公"
)


def match_percent(text: str, start: int, end: int, pos: int, value: float) -> UnitMatch | None:
    """Percentages: "4.5%", "5‰" (0.5 percent), "两个百分点", "年化降了两个点"."""
    match = _PERCENT_RE.match(text, pos)
    if match is None:
        return None
    if match.group("colloquial") and not _RATE_CONTEXT_RE.search(text, max(0, start - 10), start):
        return None
    value = value / 10 if match.group("permille") else value
    return QuantityKind.PERCENT, round(value, 8), "%", match.end()


def match_money(text: str, start: int, end: int, pos: int, value: float) -> UnitMatch | None:
    """Money: "5千块钱", "50,000元", "一块五", "五毛", "3元5角", "100美元"."""
    match = _MONEY_RE.match(text, pos)
    if match is None:
        return None
    unit, stop = match.group("unit"), match.end()
    if unit in _CURRENCIES:
        return QuantityKind.AMOUNT, value, _CURRENCIES[unit], stop
    if unit in ("毛", "角"):
        value *= 0.1
        tail = None if match.group("qian") else _JIAO_TAIL_RE.match(text, stop)
        if tail is not None:
            value += _DIGIT_VALUES[tail.group("fen")] * 0.01
            stop = tail.end()
    elif unit == "分钱":
        value *= 0.01
    elif unit in ("块", "元", "圆") and not match.group("qian") and not match.group("whole"):
        value, stop = _yuan_tail(text, stop, value, colloquial=unit == "块")
    return QuantityKind.AMOUNT, round(value, 8), "CNY", stop


def _yuan_tail(text: str, pos: int, value: float, colloquial: bool) -> tuple[float, int]:
    """The jiao and fen after 块/元: "一块五" = 1.5, "一块零五" = 1.05, "3元5角" = 3.5."""
    tail = _YUAN_TAIL_RE.match(text, pos)
    if tail is None:
        return value, pos
    if tail.group("fen0"):
        return value + _DIGIT_VALUES[tail.group("fen0")] * 0.01, tail.end()
    if not tail.group("ju") and not colloquial:  # "5元2" is too unclear to read as 5.2
        return value, pos
    value += _DIGIT_VALUES[tail.group("jiao")] * 0.1
    if tail.group("fen"):
        value += _DIGIT_VALUES[tail.group("fen")] * 0.01
    return value, tail.end()


def match_duration(text: str, start: int, end: int, pos: int, value: float) -> UnitMatch | None:
    """Durations: "三个月", "一年半" (18 months), "90天", "两周", "3年期", "一个季度"."""
    match = _DURATION_RE.match(text, pos)
    if match is None or value <= 0:
        return None
    word, half, half2 = match.group("unit"), match.group("half"), match.group("half2")
    if (word in _NEEDS_GE and not match.group("ge")) or (half and not match.group("ge")):
        return None
    if word == "年" and value >= 100:  # 2026年 is a year, not 2026 years
        return None
    unit, factor = _DURATION_UNITS[word]
    amount = (value + (0.5 if half or half2 else 0.0)) * factor
    if unit == "year" and (half or half2):
        unit, amount = "month", amount * 12  # "一年半" -> 18 months
    return QuantityKind.DURATION, round(amount, 8), unit, match.end()


def starts_with_classifier(text: str, pos: int) -> bool:
    """Whether a counting word ("人", "份", "个"...) follows: "一万人" is not money."""
    return text[pos : pos + 1] in _CLASSIFIERS
