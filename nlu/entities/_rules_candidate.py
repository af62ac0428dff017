"""The span a rule proposes before overlaps between rules are settled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Candidate", "resolve_overlaps"]

# Tie-break between spans of equal length: the more specific reading wins.
PRIORITY: dict[str, int] = {
    "id_card": 0,
    "bank_card": 1,
    "phone": 2,
    "date": 3,
    "time": 4,
    "rate": 5,
    "amount": 6,
    "term": 7,
    "risk_level": 8,
    "fund_code": 9,
}


@dataclass(frozen=True)
class Candidate:
    """An entity a rule found; ``start``/``end`` index the working text."""

    entity: str
    value: Any
    start: int
    end: int
    confidence: float = 1.0


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the longest candidates (then the most specific) that do not overlap.

    An 18-digit ID card wins over the phone or fund code inside it, a date over the
    number inside it; candidates are returned sorted by start.
    """
    if not candidates:
        return []
    ranked = sorted(candidates, key=lambda c: (c.start - c.end, PRIORITY.get(c.entity, 99), c.start))
    taken = bytearray(max(c.end for c in candidates))
    kept: list[Candidate] = []
    for candidate in ranked:
        if taken.find(1, candidate.start, candidate.end) < 0:
            taken[candidate.start : candidate.end] = b"\x01" * (candidate.end - candidate.start)
            kept.append(candidate)
    return sorted(kept, key=lambda c: c.start)
