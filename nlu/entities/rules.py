"""Rule-based entities: amounts, rates, terms, dates, times, phones, IDs, cards, fund codes, risk levels.

The rules read ``message.working_text`` (so spelling corrections count) and write
``nlu.message.Entity`` objects with ``extractor="rules"`` and spans in the original
text. Entity values are JSON-ready:

=========== ================================================ ==========================
entity      value                                            example text
=========== ================================================ ==========================
amount      float, yuan                                      五万块, 10w, 一块五
rate        float, percent                                   年化3.2%, 百分之四点五
term        {"value": 3, "unit": "month", "days": 90}        三个月, 3年期, 一年半
date        "YYYY-MM-DD"                                     明天, 下周三, 12月5日, 3号
time        "HH:MM"                                          下午三点, 15:30
phone       11 digits                                        138 1234 5678
id_card     18 characters, check character upper case       11010519491231002X
bank_card   16-19 digits (Luhn-valid)                        6222 0212 3456 7890 128
fund_code   6 digits                                         基金110011
risk_level  "R1".."R5" (C1..C5 and 保守型..激进型 map to R)  R3, C4, 稳健型, 中高风险
=========== ================================================ ==========================

Where candidates overlap, the longest wins, then the most specific type (an 18-digit
ID card is not also a phone or fund code; a number inside a date is not an amount).
Risk words: 保守型 R1, 谨慎型/稳健型 R2, 平衡型 R3, 成长型/积极型 R4, 进取型/激进型 R5;
the bank product levels 低/中低/中/中高/高风险 map to R1..R5.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from nlu.component import Component
from nlu.entities._rules_candidate import Candidate, resolve_overlaps
from nlu.entities._rules_dates import find_dates, find_times
from nlu.entities._rules_ids import (
    find_bank_cards,
    find_fund_codes,
    find_id_cards,
    find_phones,
    find_risk_levels,
)
from nlu.errors import ComponentConfigError
from nlu.message import Entity, Message, QuantityKind
from nlu.normalize.numbers import find_quantities
from nlu.resources import Resources

__all__ = ["ENTITY_TYPES", "RuleEntityExtractor", "entity_types_for", "extract_rule_entities"]

EXTRACTOR_NAME = "rules"
ENTITY_TYPES: tuple[str, ...] = (
    "amount",
    "rate",
    "term",
    "date",
    "time",
    "phone",
    "id_card",
    "bank_card",
    "fund_code",
    "risk_level",
)
# Rasa's DucklingEntityExtractor "dimensions" -> our entity types.
_DUCKLING_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "amount-of-money": ("amount",),
    "duration": ("term",),
    "time": ("date", "time"),
    "phone-number": ("phone",),
}
_TERM_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


class RuleEntityExtractor(Component):
    """Extract the entities that rules read better than models (see the module docstring)."""

    @dataclasses.dataclass(frozen=True)
    class Config:
        """Settings; ``url``/``locale``/``timeout`` are accepted from Rasa Duckling configs and unused.

        Attributes:
            timezone: where "today" is, for 明天 / 下周三.
            dimensions: entity types to extract, ours or Duckling's ("time" is Duckling's:
                dates and times); empty for all.
        """

        timezone: str = "Asia/Shanghai"
        dimensions: tuple[str, ...] = ()
        url: str = ""
        locale: str = "zh_CN"
        timeout: int = 3

    requires: ClassVar[tuple[str, ...]] = ("working_text",)
    provides: ClassVar[tuple[str, ...]] = ("entities",)

    def __init__(self, config: Config, resources: Resources) -> None:
        super().__init__(config, resources)
        self._types = entity_types_for(config.dimensions)
        self._zone: ZoneInfo | None = None

    def initialize(self) -> None:
        """Resolve the time zone.

        Raises:
            ComponentConfigError: ``timezone`` is not an IANA zone name.
        """
        try:
            self._zone = ZoneInfo(self.config.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ComponentConfigError(
                f"unknown timezone {self.config.timezone!r}",
                code="NLU030",
                hint="use an IANA name such as 'Asia/Shanghai'",
            ) from exc

    def process(self, message: Message) -> Message:
        """Append rule entities to ``message.entities``, resolving dates against today."""
        if self._zone is None:
            self.initialize()
        today = datetime.now(self._zone).date()
        message.entities.extend(extract_rule_entities(message, today, self._types))
        return message


def entity_types_for(dimensions: Iterable[str]) -> frozenset[str]:
    """Our entity types for a ``dimensions`` setting (empty: all of them).

    Raises:
        ComponentConfigError: a dimension is neither ours nor a Duckling name we cover.
    """
    names = tuple(dimensions)
    if not names:
        return frozenset(ENTITY_TYPES)
    types: set[str] = set()
    for name in names:
        if name in _DUCKLING_DIMENSIONS:  # first: Duckling's "time" also means dates
            types.update(_DUCKLING_DIMENSIONS[name])
        elif name in ENTITY_TYPES:
            types.add(name)
        else:
            raise ComponentConfigError(
                f"unknown entity dimension {name!r}",
                code="NLU031",
                hint="use any of: " + ", ".join(ENTITY_TYPES + tuple(_DUCKLING_DIMENSIONS)),
            )
    return frozenset(types)


def extract_rule_entities(
    message: Message, now: date | datetime, types: Iterable[str] | None = None
) -> list[Entity]:
    """Find rule entities in ``message.working_text``; spans point into ``message.text``.

    Args:
        message: the message (a bare ``Message(text)`` works: identity offsets).
        now: the reference day for relative dates (a datetime counts by its date).
        types: entity types to keep; None for all.

    Returns:
        Entities sorted by start, ``extractor="rules"``; ``message`` is not changed.
    """
    today = now.date() if isinstance(now, datetime) else now
    wanted = frozenset(ENTITY_TYPES if types is None else types)
    text = message.working_text.translate(_ASCII_LOWER)
    finders: list[Callable[[str], list[Candidate]]] = [
        _quantity_candidates,
        lambda t: find_dates(t, today),
        find_times,
        find_phones,
        find_id_cards,
        find_bank_cards,
        find_fund_codes,
        find_risk_levels,
    ]
    candidates = [c for finder in finders for c in finder(text)]
    # Overlaps are settled among all types first, so an unwanted ID card still hides its digits.
    kept = [c for c in resolve_overlaps(candidates) if c.entity in wanted]
    return [_to_entity(message, c) for c in kept]


def _quantity_candidates(text: str) -> list[Candidate]:
    """Amounts (yuan), rates (percent) and terms from ``numbers.find_quantities``."""
    found: list[Candidate] = []
    for q in find_quantities(text):
        if q.kind is QuantityKind.AMOUNT and q.unit == "CNY":
            found.append(Candidate("amount", q.value, q.start, q.end, 0.95))
        elif q.kind is QuantityKind.PERCENT:
            found.append(Candidate("rate", q.value, q.start, q.end, 0.95))
        elif q.kind is QuantityKind.DURATION and q.unit in _TERM_DAYS:
            found.append(Candidate("term", _term_value(q.value, q.unit), q.start, q.end, 0.95))
    return found


def _term_value(value: float, unit: str) -> dict[str, Any]:
    number: int | float = int(value) if value.is_integer() else value
    return {"value": number, "unit": unit, "days": round(value * _TERM_DAYS[unit])}


def _to_entity(message: Message, candidate: Candidate) -> Entity:
    start, end = message.to_original(candidate.start, candidate.end)
    return Entity(
        entity=candidate.entity,
        value=candidate.value,
        start=start,
        end=end,
        text=message.text[start:end],
        extractor=EXTRACTOR_NAME,
        confidence=candidate.confidence,
    )
