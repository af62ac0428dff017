"""Read Chinese and Arabic numbers and colloquial quantities from normalized text.

``parse_chinese_number`` reads one numeral ("十二万三千四百五十六", "两千五", "1.5万",
"壹万", "四点五", "10w"); ``find_quantities`` finds every number in a text and says
what it measures: money, percent, duration or a bare number. Both are pure functions
meant for text the ``Normalizer`` already width-folded and simplified; spans index the
text they were given.

Decisions (each one is tested in ``tests/nlu/normalize/test_numbers.py``):

* Colloquial elision: one digit right after 百/千/万/亿 is a tenth of that unit
  ("两千五" = 2500, "三万二" = 32000, "一亿五" = 1.5e8); after 零 it is not
  ("一千零五" = 1005). Money elides the same way: "一块五" = 1.5, "五毛" = 0.5.
* A number with 千/万/亿/w/k and no other unit is money ("10万" = 100000 yuan),
  unless a counting word follows ("一万人", "10万份"). A bare number is money only
  after a money verb or noun ("买5000", "金额是3000"); a bare six-digit number there
  must also look round (no leading zero, ends in "00"), else it is likely a fund code.
* Words that merely contain numerals are not numbers: 一下 一起 一定 一点 (not
  一点五) 万一 十分 (not 十分钟) 千万 (the adverb) and idioms; "百分百" is 100 percent.
* Digit runs of 11 or more digits (phones, cards, IDs), integers with a leading zero
  (codes), numbers glued to ASCII letters ("R3", "mp4"), ordinals ("第一"), weekdays
  ("周三") and clock readings ("下午三点", "十点五分", "15:30") are not quantities.
"""

from __future__ import annotations

import bisect
import functools
import re
import sys
from dataclasses import dataclass

from nlu.message import QuantityKind
from nlu.normalize._quantity_units import (
    match_duration,
    match_money,
    match_percent,
    starts_with_classifier,
)

__all__ = ["QuantitySpan", "find_quantities", "parse_chinese_number"]


@dataclass(frozen=True)
class QuantitySpan:
    """A quantity found by ``find_quantities``; ``start``/``end`` index its input text."""

    kind: QuantityKind
    value: float
    start: int
    end: int
    unit: str = ""


_CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
    "八": 8, "九": 9, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
    "柒": 7, "捌": 8, "玖": 9,
}  # fmt: skip
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_LETTER_UNITS: dict[str, int] = {"w": 10_000, "k": 1000}
_MULTIPLIER_CHARS = frozenset("千仟万萬亿億wk")

# Atomic and possessive so that long digit strings cannot backtrack exponentially.
_ARABIC = r"(?>[0-9]+(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?)"
_TOKEN_RE = re.compile(rf"{_ARABIC}|.", re.S)

_CN_NUM_CHARS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
_CN_DIGIT_CHARS = "零〇一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
_ATOM = rf"(?:(?:{_ARABIC})(?:[wk](?![a-z]))?|[{_CN_NUM_CHARS}])"
# 点 is a decimal point only between Chinese numerals ("四点五"); "3点30" is a clock.
_RUN = rf"(?<![0-9]){_ATOM}(?:{_ATOM}|(?<=[{_CN_NUM_CHARS}])点(?=[{_CN_DIGIT_CHARS}]))*+"
_RUN_RE = re.compile(_RUN)
_FRACTION_RE = re.compile(rf"(?<![{_CN_NUM_CHARS}点0-9.,])(?P<den>{_RUN})分之(?P<num>{_RUN})|百分百(?!分)")
_HALF_RE = re.compile(
    rf"(?<![上下前后个多{_CN_NUM_CHARS}0-9])半(?P<ge>个)?(?P<unit>年|月|小时|钟头)(?P<term>期)?"
)

_LEXICAL_RE = re.compile(
    "|".join(
        (
            # 一 as "a/one" inside ordinary words
            "一下", "一起", "一定", "一直", "一样", "一般", "一些", "一切", "一旦", "一边", "一向",
            "一律", "一致", "一会", "一概", "一再", "一同", "一道", "一并", "一共", "一时", "一阵",
            "一番", "一方面", "一部分", "一口气", "一路", "一贯", "一味", "一齐", "一辈子", "一生",
            "一手", "一一", "一块儿", "一块去", "一块来", "一块走",
            "一点(?![0-9零〇一二两三四五六七八九钟半])",  # "a bit", but not 一点五 / 一点钟
            "统一", "唯一", "之一", "专一", "单一", "同一", "划一", "初[一二三四五六七八九十]",
            # adverbs and idioms
            "万一", "万万", "千万", "万分(?!之)", "十分(?!钟)", "十足", "百般", "百姓", "万事", "万能",
            "二手", "八成", "三思", "一模一样", "一心一意", "一五一十", "一成不变", "三心二意",
            "乱七八糟", "七上八下", "五花八门", "四面八方", "九牛一毛", "不三不四", "十全十美",
            "一清二楚", "接二连三", "三番五次", "七嘴八舌", "千方百计", "一时半会",
        )
    )
)  # fmt: skip
_PERIOD_BEFORE_RE = re.compile(r"(?:凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|夜间|半夜|[早晚])$")
_CLOCK_AFTER_RE = re.compile(r"点(?:半|钟|整|[一三]刻|[0-9零〇一二两三四五六七八九十]{1,3}分)")
_MONEY_PREFIX_RE = re.compile(r"(?:¥|￥|rmb|cny|人民币) ?$")
_MONEY_CONTEXT_RE = re.compile(
    r"(?:买入?|购买|申购|认购|赎回|投资?|定投|存入?|存款|转入|转出|转账|转|取出?|提现|充值|金额|本金|预算|"
    r"资金|余额|起投|起购|门槛|赚了?|亏了?|亏损|花了?|付款?|支付|还款?|借款?|贷款|额度|月薪|工资|年薪|"
    r"收入|价格|费用|手续费)(?:了|是|为|有|在|约|大约|大概|差不多|:)? ?$"
)
_WEEKDAY_PREFIX_RE = re.compile(r"(?:周|星期|礼拜)$")
_APPROX_CHARS = "多余来"
_NUMERAL_CHARS = frozenset("0123456789半" + _CN_NUM_CHARS)  # no quantity without one of these
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_MAX_RUN = 40  # longer runs of numerals are not numbers anyone says (and would be slow to try)
_HALF_UNITS: dict[str, tuple[float, str]] = {
    "年": (6.0, "month"),
    "月": (0.5, "month"),
    "小时": (0.5, "hour"),
    "钟头": (0.5, "hour"),
}


def parse_chinese_number(text: str) -> float | None:
    """Read one Chinese, Arabic or mixed numeral.

    Args:
        text: the numeral alone, e.g. "十二万三千四百五十六", "两千五", "1.5万",
            "壹万", "四点五", "二零二六", "50,000", "10w".

    Returns:
        Its value, or None when ``text`` is not exactly one well-formed numeral.
    """
    text = text.strip().lower()
    tokens = _tokenize(text) if text else None
    if not tokens:
        return None
    kinds = [kind for kind, _, _ in tokens]
    if "point" in kinds:
        value = _parse_decimal(tokens)
    elif len(tokens) > 1 and all(kind == "digit" for kind in kinds):
        value = float("".join(str(int(v)) for _, v, _ in tokens))  # digit by digit: 二零二六
    else:
        value = _parse_integer(tokens)
    return None if value is None else round(value, 8)


_Token = tuple[str, float, str]  # kind ("arabic", "digit", "unit", "point"), value, raw text


def _tokenize(text: str) -> list[_Token] | None:
    tokens: list[_Token] = []
    for match in _TOKEN_RE.finditer(text):
        raw = match.group()
        if "0" <= raw[0] <= "9":
            tokens.append(("arabic", float(raw.replace(",", "")), raw))
        elif raw in _CN_DIGITS:
            tokens.append(("digit", float(_CN_DIGITS[raw]), raw))
        elif raw in _SMALL_UNITS or raw in _BIG_UNITS:
            tokens.append(("unit", float(_SMALL_UNITS.get(raw) or _BIG_UNITS[raw]), raw))
        elif raw in _LETTER_UNITS and tokens and tokens[-1][0] == "arabic":
            tokens.append(("unit", float(_LETTER_UNITS[raw]), raw))
        elif raw == "点":
            tokens.append(("point", 0.0, raw))
        else:
            return None
    return tokens


def _parse_integer(tokens: list[_Token]) -> float | None:
    """Sections under 万 and 亿, with colloquial elision of a trailing digit."""
    upper = 0.0  # value of finished 万/亿 groups
    section = 0.0  # value below the latest big unit
    pending: float | None = None  # a number waiting for its unit
    elide_scale = 0.0  # unit right before ``pending`` (0 after 零 or at the start)
    last_small = 10_000.0  # small units must fall inside a section: 千 > 百 > 十
    last_big = float("inf")
    prev_unit = 0.0
    for kind, value, _ in tokens:
        if kind in ("digit", "arabic"):
            if kind == "digit" and value == 0:  # 零 only separates: 一千零五
                if pending is not None:
                    return None
                prev_unit = 0.0
                continue
            if pending is not None:
                return None
            pending, elide_scale, prev_unit = value, prev_unit, 0.0
        elif value < 10_000:  # 十 百 千 (and k)
            if pending is None and not (value == 10 and section == 0):
                return None
            if value >= last_small:
                return None
            section += (1.0 if pending is None else pending) * value
            pending, last_small, prev_unit = None, value, value
        else:  # 万 亿 (and w)
            if pending is None and section == 0 and upper == 0:
                return None
            group = section + (pending or 0.0)
            if value >= last_big:  # 五千万 -> (5000) * 1e4 is fine; 万万 is not
                if group != 0:
                    return None
                upper *= value
            else:
                upper += group * value
            section, pending, last_small, last_big, prev_unit = 0.0, None, 10_000.0, value, value
    if pending is not None:
        single_digit = pending < 10 and pending.is_integer()
        section += pending * elide_scale / 10 if single_digit and elide_scale >= 100 else pending
    return upper + section


def _parse_decimal(tokens: list[_Token]) -> float | None:
    """Decimals: "四点五" -> 4.5, "一点五万" -> 15000: digits after 点, then optional units."""
    point = next(i for i, (kind, _, _) in enumerate(tokens) if kind == "point")
    integer = _parse_integer(tokens[:point]) if point else None
    if integer is None or not integer.is_integer():
        return None
    digits = ""
    rest = tokens[point + 1 :]
    while rest and rest[0][0] in ("digit", "arabic"):
        kind, value, raw = rest.pop(0)
        if kind == "arabic" and not raw.isdigit():
            return None
        digits += raw if kind == "arabic" else str(int(value))
    if not digits or any(kind != "unit" for kind, _, _ in rest):
        return None
    value = float(f"{int(integer)}.{digits}")
    for _, unit, _ in rest:
        value *= unit
    return value


def find_quantities(text: str) -> list[QuantitySpan]:
    """Find amounts, percentages, durations and bare numbers in ``text``.

    Args:
        text: normalized text (half-width, simplified); upper-case ASCII is accepted.

    Returns:
        Non-overlapping quantities sorted by start, spans indexing ``text``.
    """
    if _NUMERAL_CHARS.isdisjoint(text):
        return []
    return list(_find_quantities_cached(text.translate(_ASCII_LOWER)))


@functools.lru_cache(maxsize=512)
def _find_quantities_cached(text: str) -> tuple[QuantitySpan, ...]:
    """Cached: the normalizer and the rule extractor usually read the same text."""
    blocked = [m.span() for m in _LEXICAL_RE.finditer(text)]
    spans = _fractions(text)
    fraction_spans = [(q.start, q.end) for q in spans]
    pos = 0
    while (match := _RUN_RE.search(text, pos)) is not None:
        start, end = match.span()
        if end - start > _MAX_RUN or _overlaps(fraction_spans, start, end):
            pos = end
            continue
        found, pos = _read_run(text, start, end, blocked)
        if found is not None:
            spans.append(found)
    spans.sort(key=lambda q: q.start)
    spans.extend(_halves(text, [(q.start, q.end) for q in spans]))
    return tuple(sorted(spans, key=lambda q: q.start))


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``spans`` (sorted, not overlapping)."""
    i = bisect.bisect_left(spans, (end,)) - 1  # the last span starting before ``end``
    return i >= 0 and spans[i][1] > start


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies within one of ``spans`` (sorted, not overlapping)."""
    i = bisect.bisect_right(spans, (start, sys.maxsize)) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


def _fractions(text: str) -> list[QuantitySpan]:
    """Fractions: "百分之四点五" (percent), "千分之五" (0.5 percent), "三分之一", "百分百"."""
    found: list[QuantitySpan] = []
    for match in _FRACTION_RE.finditer(text):
        if match.group("den") is None:  # 百分百
            found.append(QuantitySpan(QuantityKind.PERCENT, 100.0, *match.span(), unit="%"))
            continue
        den_text, num_text = match.group("den"), match.group("num")
        numerator = 100.0 if num_text == "百" else parse_chinese_number(num_text)
        if numerator is None:
            continue
        per = {"百": 1.0, "千": 10.0, "万": 100.0}.get(den_text)
        if per is not None:
            value = round(numerator / per, 8)
            found.append(QuantitySpan(QuantityKind.PERCENT, value, *match.span(), unit="%"))
            continue
        denominator = parse_chinese_number(den_text)
        if denominator:
            value = round(numerator / denominator, 8)
            found.append(QuantitySpan(QuantityKind.NUMBER, value, *match.span()))
    return found


def _read_run(
    text: str, start: int, end: int, blocked: list[tuple[int, int]]
) -> tuple[QuantitySpan | None, int]:
    """Read the longest valid numeral at ``start``; return it and where to search next."""
    for stop in range(end, start, -1):
        value = parse_chinese_number(text[start:stop])
        if value is not None:
            break
    else:
        return None, start + 1
    if _inside(blocked, start, stop) or _is_not_quantity(text, start, stop):
        return None, stop
    found = _classify(text, start, stop, value)
    return found, max(stop, found.end) if found else stop


def _is_not_quantity(text: str, start: int, end: int) -> bool:
    run = text[start:end]
    before, after = text[start - 1 : start], text[end : end + 1]
    # a letter next to Arabic digits makes a code ("a123", "2b"); "稳健A一千块" is a name, then an amount
    code_before = before.isascii() and before.isalpha() and run[0].isdigit()
    if before == "第" or (code_before and not _MONEY_PREFIX_RE.search(text, 0, start)):
        return True
    if after.isascii() and after.isalpha() and run[-1].isdigit() and not text.startswith(("rmb", "cny"), end):
        return True
    if run.isdigit() and (len(run) >= 11 or (len(run) > 1 and run[0] == "0")):
        return True  # phone, card or ID number; a code with a leading zero
    if len(run) == 1 and run in "一二三四五六七日天1234567" and _WEEKDAY_PREFIX_RE.search(text, 0, start):
        return True
    if ":" in (before, after) and (
        text[start - 2 : start - 1].isdigit() or text[end + 1 : end + 2].isdigit()
    ):
        return True  # 15:30, 3:1
    return _looks_like_clock(text, start, end)


def _looks_like_clock(text: str, start: int, end: int) -> bool:
    """Whether the numeral is part of a clock reading ("下午三点", "五点半", "十点五分")."""
    minutes_follow = text[end : end + 1] == "分" and text[end : end + 2] not in ("分之", "分钟")
    if "点" in text[start:end] or text[start - 1 : start] == "点":  # "十点五分" is 10:05
        return minutes_follow
    if text[end : end + 1] != "点":
        return False
    return bool(_CLOCK_AFTER_RE.match(text, end) or _PERIOD_BEFORE_RE.search(text, max(0, start - 2), start))


def _classify(text: str, start: int, end: int, value: float) -> QuantitySpan | None:
    """Decide what the numeral ``text[start:end]`` measures from the words around it."""
    sign_before = text[start - 2 : start - 1]
    if text[start - 1 : start] == "-" and not (sign_before.isascii() and sign_before.isalnum()):
        start, value = start - 1, -value
    after = end + 1 if text[end : end + 1] in _APPROX_CHARS else end
    for matcher in (match_percent, match_money, match_duration):
        found = matcher(text, start, end, after, value)
        if found is not None:
            kind, amount, unit, stop = found
            prefix = _MONEY_PREFIX_RE.search(text, 0, start) if kind is QuantityKind.AMOUNT else None
            return QuantitySpan(kind, amount, prefix.start() if prefix else start, stop, unit)
    prefix = _MONEY_PREFIX_RE.search(text, 0, start)
    if prefix:
        return QuantitySpan(QuantityKind.AMOUNT, value, prefix.start(), end, "CNY")
    if starts_with_classifier(text, after):
        return QuantitySpan(QuantityKind.NUMBER, value, start, end)
    run = text[start:end]
    if _MULTIPLIER_CHARS.intersection(run) or _is_context_amount(text, start, run):
        return QuantitySpan(QuantityKind.AMOUNT, value, start, end, "CNY")
    return QuantitySpan(QuantityKind.NUMBER, value, start, end)


def _is_context_amount(text: str, start: int, run: str) -> bool:
    if not _MONEY_CONTEXT_RE.search(text, max(0, start - 8), start):
        return False
    if run.isdigit() and len(run) == 6:  # a fund code unless it looks like a round sum
        return run[0] != "0" and run.endswith("00")
    return True


def _halves(text: str, taken: list[tuple[int, int]]) -> list[QuantitySpan]:
    """Halves with no numeral before them: "半年" (6 months), "半个月", "半小时", "半年期"."""
    found: list[QuantitySpan] = []
    for match in _HALF_RE.finditer(text):
        start, end = match.span()
        if _overlaps(taken, start, end):
            continue
        value, unit = _HALF_UNITS[match.group("unit")]
        found.append(QuantitySpan(QuantityKind.DURATION, value, start, end, unit))
    return found
