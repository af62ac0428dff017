"""Dates (ISO "YYYY-MM-DD") and clock times ("HH:MM") in Chinese text.

Relative words resolve against ``today``:

* 今天 明天 后天 大后天 昨天 前天 (also 今晚, 明早...): a day offset;
* 下周三 / 这周五 / 本周末 / 上周一: that weekday of that calendar week (weeks start
  on Monday; 周末 is the Saturday); a bare 周三 is the next Wednesday from today
  (today included), a week with no day (下周) is its Monday;
* 下个月 / 本月底 / 下月15号: the first day, the last day, the given day of that month;
  月底 / 年底 alone: the end of the current month / year;
* 12月5日, 3号, 3月: with no year, the next such date from today (today included),
  because customers mostly name days ahead ("12号再打给我"); a month alone is its
  first day;
* 三天后, 两个月后, 一周前: today plus or minus that many days, weeks, months, years.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from nlu.entities._rules_candidate import Candidate
from nlu.normalize.numbers import parse_chinese_number

__all__ = ["find_dates", "find_times"]

_MD = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"
_NUM = r"(?<![0-9])[0-9]{1,4}(?![0-9])|[一二两三四五六七八九十百]{1,4}"
_ISO_RE = re.compile(r"(?<![0-9])([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})(?![0-9])")
_ABSOLUTE_RE = re.compile(
    rf"(?<![0-9零〇一二三四五六七八九十])(?:(?P<year>[0-9]{{4}}|[零〇一二三四五六七八九]{{4}})年|(?P<yrel>今年|明年|去年|后年|前年))?"
    rf"(?P<month>{_MD})月份?(?:(?P<day>{_MD})[日号]|(?P<edge>底|末|初))?"
)
_REL_MONTH_RE = re.compile(
    rf"(?P<rel>下下个?|下个?|上个?|这个?|本)月(?:(?P<day>{_MD})[日号]|(?P<edge>底|末|初))?"
)
_EDGE_RE = re.compile(r"(?P<yrel>今年|明年|去年)?(?P<what>月底|月末|月初|年底|年末|年初)")
_DAY_RE = re.compile(rf"(?<![0-9月零〇一二三四五六七八九十])(?P<day>{_MD})号(?![线楼码位门房床牌])")
_REL_DAY_RE = re.compile(r"大后天|大前天|今天|今日|今晚|今早|明天|明日|明晚|明早|后天|昨天|昨日|昨晚|前天")
_WEEK_RE = re.compile(
    r"(?P<rel>下下个?|下个?|上个?|这个?|本)?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天1-7]|末)?"
)
_OFFSET_RE = re.compile(
    rf"(?P<n>{_NUM}|半)(?P<ge>个)?(?P<unit>天|周|星期|礼拜|月|年)(?P<dir>以后|之后|后|以前|之前|前)"
)
_TIME_COLON_RE = re.compile(r"(?<![0-9:])([01]?[0-9]|2[0-4]):([0-5][0-9])(?::[0-5][0-9])?(?![0-9:])")
_TIME_CN_RE = re.compile(
    r"(?P<period>凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|夜间|半夜)?"
    r"(?P<hour>[0-9]{1,2}|[零一二两三四五六七八九十]{1,3})(?P<mark>点|时)"
    r"(?P<minute>半|一刻|三刻|钟|整|[0-9]{1,2}分?|零?[一二三四五六七八九十]{1,3}分?)?"
)
_TIME_CONTEXT_RE = re.compile(
    r"以后|之后|以前|之前|左右|前后|前|后|到|至|再|给我|打|来|过来|有空|方便|见|开会"
)
_EVENING = frozenset({"下午", "傍晚", "晚上", "夜里", "夜间", "晚", "夜"})
_REL_DAYS = {
    "大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "昨晚": -1, "今天": 0, "今日": 0, "今晚": 0,
    "今早": 0, "明天": 1, "明日": 1, "明晚": 1, "明早": 1, "后天": 2, "大后天": 3,
}  # fmt: skip
_REL_YEARS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2}
_WEEKDAYS = (
    {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6, "末": 5} | {str(i): i - 1 for i in range(1, 8)}
)


def _number(text: str) -> int | None:
    value = parse_chinese_number(text)
    return int(value) if value is not None and value.is_integer() else None


def _month_shift(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_day(year: int, month: int, day: int | None, edge: str | None) -> date | None:
    """The given day, or the month's first (初 / none) or last (底 / 末) day."""
    if not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if edge in ("底", "末"):
        return date(year, month, last)
    if day is None:
        return date(year, month, 1)
    return date(year, month, day) if 1 <= day <= last else None


def find_dates(text: str, today: date) -> list[Candidate]:
    """All date expressions in ``text`` resolved against ``today``."""
    found: list[Candidate] = []
    for finder in (_iso, _absolute, _relative_month, _edges, _days, _relative_days, _weeks, _offsets):
        for match, value in finder(text, today):
            found.append(Candidate("date", value.isoformat(), match.start(), match.end()))
    return found


_Found = list[tuple[re.Match[str], date]]


def _iso(text: str, today: date) -> _Found:
    found: _Found = []
    for m in _ISO_RE.finditer(text):
        value = _month_day(int(m.group(1)), int(m.group(3)), int(m.group(4)), None)
        if value is not None:
            found.append((m, value))
    return found


def _absolute(text: str, today: date) -> _Found:
    """Absolute dates: "2026年1月3日", "12月5日", "明年3月", "十二月底", "3月份"."""
    found: _Found = []
    for m in _ABSOLUTE_RE.finditer(text):
        month, day = _number(m.group("month")), _number(m.group("day")) if m.group("day") else None
        if month is None or (m.group("day") and day is None):
            continue
        if m.group("year"):
            value = _month_day(_number(m.group("year")) or 0, month, day, m.group("edge"))
        elif m.group("yrel"):
            value = _month_day(today.year + _REL_YEARS[m.group("yrel")], month, day, m.group("edge"))
        else:  # the next such date from today
            value = _month_day(today.year, month, day, m.group("edge"))
            if value is not None and _has_passed(value, today, whole_month=day is None):
                value = _month_day(today.year + 1, month, day, m.group("edge"))
        if value is not None:
            found.append((m, value))
    return found


def _has_passed(value: date, today: date, whole_month: bool) -> bool:
    if whole_month:
        return (value.year, value.month) < (today.year, today.month)
    return value < today


def _relative_month(text: str, today: date) -> _Found:
    """Months relative to today: "下个月", "本月底", "下月15号", "上个月"."""
    shifts = {"下下": 2, "下": 1, "上": -1, "这": 0, "本": 0}
    found: _Found = []
    for m in _REL_MONTH_RE.finditer(text):
        base = _month_shift(today.replace(day=1), shifts[m.group("rel").rstrip("个")])
        day = _number(m.group("day")) if m.group("day") else None
        value = _month_day(base.year, base.month, day, m.group("edge"))
        if value is not None:
            found.append((m, value))
    return found


def _edges(text: str, today: date) -> _Found:
    """Month and year ends: "月底", "年底", "明年年初"."""
    found: _Found = []
    for m in _EDGE_RE.finditer(text):
        year = today.year + _REL_YEARS.get(m.group("yrel") or "今年", 0)
        what = m.group("what")
        if what.startswith("月"):
            value = _month_day(year, today.month, None, "初" if what == "月初" else "底")
        else:
            value = date(year, 1, 1) if what == "年初" else date(year, 12, 31)
        if value is not None:
            found.append((m, value))
    return found


def _days(text: str, today: date) -> _Found:
    """Days of the month, "3号", "十五号": this month's, or next month's when it has passed."""
    found: _Found = []
    for m in _DAY_RE.finditer(text):
        day = _number(m.group("day"))
        if day is None or not 1 <= day <= 31:
            continue
        base = today.replace(day=1) if day >= today.day else _month_shift(today.replace(day=1), 1)
        for months in range(3):  # the 31st skips months that have 30 days
            month_start = _month_shift(base, months)
            value = _month_day(month_start.year, month_start.month, day, None)
            if value is not None:
                found.append((m, value))
                break
    return found


def _relative_days(text: str, today: date) -> _Found:
    return [(m, today + timedelta(days=_REL_DAYS[m.group()])) for m in _REL_DAY_RE.finditer(text)]


def _weeks(text: str, today: date) -> _Found:
    """Weekdays and weeks: "下周三", "这周五", "本周末", "周三", "下周"."""
    shifts = {"下下": 2, "下": 1, "上": -1, "这": 0, "本": 0}
    found: _Found = []
    for m in _WEEK_RE.finditer(text):
        rel, weekday = m.group("rel"), m.group("wd")
        if rel is None and (weekday is None or _after_numeral(text, m.start())):
            continue  # "两周" is a duration, "周" alone says nothing
        index = _WEEKDAYS[weekday] if weekday else 0
        monday = today - timedelta(days=today.weekday())
        if rel is not None:
            value = monday + timedelta(weeks=shifts[rel.rstrip("个")], days=index)
        elif weekday == "末":
            value = today if today.weekday() >= 5 else monday + timedelta(days=5)
        else:
            value = today + timedelta(days=(index - today.weekday()) % 7)
        found.append((m, value))
    return found


def _after_numeral(text: str, pos: int) -> bool:
    return pos > 0 and (text[pos - 1].isdigit() or text[pos - 1] in "一二两三四五六七八九十个几")


def _offsets(text: str, today: date) -> _Found:
    """Offsets from today: "三天后", "两个月后", "一周前", "半年后", "半个月后"."""
    found: _Found = []
    for m in _OFFSET_RE.finditer(text):
        unit, sign = m.group("unit"), -1 if m.group("dir").endswith("前") else 1
        if m.group("n") == "半":
            if unit not in ("年", "月") or (unit == "月" and not m.group("ge")):
                continue
            value = _month_shift(today, sign * 6) if unit == "年" else today + timedelta(days=sign * 15)
            found.append((m, value))
            continue
        amount = _number(m.group("n"))
        if amount is None or (unit == "月" and not m.group("ge")):
            continue  # "3月后" is "after March"
        if unit == "天":
            value = today + timedelta(days=sign * amount)
        elif unit in ("周", "星期", "礼拜"):
            value = today + timedelta(weeks=sign * amount)
        else:
            value = _month_shift(today, sign * amount * (12 if unit == "年" else 1))
        found.append((m, value))
    return found


def find_times(text: str) -> list[Candidate]:
    """Clock times as "HH:MM": "15:30", "下午三点", "晚上八点半", "十点十五分"."""
    found = [
        Candidate("time", f"{int(m.group(1)) % 24:02d}:{m.group(2)}", m.start(), m.end())
        for m in _TIME_COLON_RE.finditer(text)
    ]
    for m in _TIME_CN_RE.finditer(text):
        reading = _read_clock(text, m)
        if reading is not None:
            hour, minute, end = reading
            found.append(Candidate("time", f"{hour:02d}:{minute:02d}", m.start(), end))
    return found


def _read_clock(text: str, m: re.Match[str]) -> tuple[int, int, int] | None:
    """Hour, minute and span end of a "三点半" style match, or None if it is no time."""
    hour_text, period = m.group("hour"), m.group("period")
    hour = _number(hour_text)
    if hour is None or hour > 24 or (m.group("mark") == "时" and not hour_text.isdigit()):
        return None
    minute = _read_minute(m.group("minute"))
    end = m.end() if minute is not None else m.end("mark")
    if period is None and text[m.start() - 1 : m.start()] in ("晚", "早", "夜"):
        period = text[m.start() - 1]  # 今晚八点, 明早9点: the date word holds the period
    if period is None and minute is None:
        if hour_text == "一" or _TIME_CONTEXT_RE.match(text, end) is None:
            return None  # "三点建议", "便宜一点"
    return _apply_period(hour, period), minute or 0, end


def _read_minute(text: str | None) -> int | None:
    """Minutes: "半" 30, "一刻" 15, "十五" 15, "05" 5, "五分" 5; "五" alone (3:05 or 3.5?) is None."""
    if not text:
        return None
    fixed = {"半": 30, "一刻": 15, "三刻": 45, "钟": 0, "整": 0}
    if text in fixed:
        return fixed[text]
    bare = text.removesuffix("分")
    if len(bare) == 1 and bare == text:  # no 分: "三点五", "3点5"
        return None
    minute = _number(bare.lstrip("零"))
    return minute if minute is not None and 0 <= minute < 60 else None


def _apply_period(hour: int, period: str | None) -> int:
    """24-hour clock; with no period, 1-6 o'clock means the afternoon ("三点打给我" is 15:00)."""
    if period is None:
        return hour + 12 if 1 <= hour <= 6 else hour % 24
    if period in _EVENING:
        return hour + 12 if hour < 12 else (0 if hour in (12, 24) and period != "下午" else hour % 24)
    if period == "中午":
        return hour + 12 if hour < 6 else hour
    if period in ("凌晨", "半夜", "早"):
        return 0 if hour in (12, 24) else hour
    return hour % 24
