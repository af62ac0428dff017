"""Masks personal data in text for logs, summaries, analytics and exports (first cut: numbers)."""

from __future__ import annotations

import re

__all__ = ["mask_pii"]

_PATTERNS = (
    re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)"),  # mobile
    re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])"),  # ID card
    re.compile(r"(?<!\d)(\d{4})(\d{8,11})(\d{4})(?!\d)"),  # bank card
)


def mask_pii(text: str) -> str:
    """``13812345678`` → ``138****5678``; ID and bank card numbers keep their ends only."""
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)
    return text
