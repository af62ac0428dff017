"""The first pipeline step: a clean, aligned copy of the user's text, and its numbers.

Steps, each keeping ``offsets`` (normalized index -> original index) exact:

1. full-width ASCII (U+FF01-FF5E), the ideographic space and full-width currency signs
   fold to their half-width forms ("１０万" -> "10万", "，" -> ",");
2. upper-case ASCII letters become lower case ("10W" -> "10w", "R3" -> "r3");
3. traditional characters become simplified, one for one (``_t2s``);
4. control and format characters (C0/C1 controls, zero-width spaces and joiners,
   BOM, bidi marks, variation selectors) are deleted;
5. runs of whitespace become one space; leading and trailing whitespace goes.

Chinese punctuation outside the full-width block ("。", "、", "【】") is kept: jieba
splits on it as it is. Then ``numbers.find_quantities`` reads the quantities, whose
spans are mapped back to the original text.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from typing import ClassVar

from nlu.component import Component
from nlu.message import Message, Quantity
from nlu.normalize._t2s import T2SConverter, load_t2s
from nlu.normalize.numbers import find_quantities
from nlu.resources import Resources

__all__ = ["Normalizer", "normalize_text"]

_WIDTH_TABLE: dict[int, str] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {
    0x3000: " ",
    0xFFE0: "\u00a2",  # ￠
    0xFFE1: "\u00a3",  # ￡
    0xFFE5: "\u00a5",  # ￥
}
_LOWER_TABLE: dict[int, str] = {code: chr(code + 32) for code in range(ord("A"), ord("Z") + 1)}
_REMOVED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})
_VARIATION_SELECTORS = frozenset(chr(code) for code in range(0xFE00, 0xFE10))


class Normalizer(Component):
    """Fold width and case, simplify characters, drop invisible ones, read quantities."""

    @dataclasses.dataclass(frozen=True)
    class Config:
        """Settings of the normalizer; every step is on by default."""

        fold_width: bool = True
        lowercase: bool = True
        traditional_to_simplified: bool = True
        remove_control_chars: bool = True
        collapse_whitespace: bool = True
        read_quantities: bool = True

    requires: ClassVar[tuple[str, ...]] = ("text",)
    provides: ClassVar[tuple[str, ...]] = ("normalized", "offsets", "working_text", "quantities")

    def __init__(self, config: Config, resources: Resources) -> None:
        super().__init__(config, resources)
        self._table = _char_table(config)
        self._t2s: T2SConverter | None = None

    def initialize(self) -> None:
        """Load the traditional -> simplified tables (cached per process)."""
        if self.config.traditional_to_simplified:
            self._t2s = load_t2s()

    def process(self, message: Message) -> Message:
        """Set ``normalized``, ``offsets``, ``working_text`` and ``quantities``."""
        if self.config.traditional_to_simplified and self._t2s is None:
            self.initialize()
        normalized, offsets = normalize_text(
            message.text,
            self._table,
            self._t2s,
            remove_control_chars=self.config.remove_control_chars,
            collapse_whitespace=self.config.collapse_whitespace,
        )
        message.normalized = normalized
        message.offsets = offsets
        message.working_text = normalized
        message.quantities = _read_quantities(message) if self.config.read_quantities else []
        return message


def _char_table(config: Normalizer.Config) -> dict[int, str]:
    table: dict[int, str] = {}
    if config.fold_width:
        table |= _WIDTH_TABLE
    if config.lowercase:
        table |= _LOWER_TABLE
        if config.fold_width:  # "Ｗ" -> "w" in one step
            table |= {code: chr(code - 0xFEE0).lower() for code in range(0xFF21, 0xFF3B)}
    return table


def normalize_text(
    text: str,
    table: dict[int, str],
    t2s: T2SConverter | None,
    *,
    remove_control_chars: bool = True,
    collapse_whitespace: bool = True,
) -> tuple[str, list[int]]:
    """Normalize ``text``; return it with the offsets into ``text`` (plus ``len(text)``).

    Args:
        text: the original text.
        table: one-for-one character mapping for ``str.translate`` (width, case).
        t2s: the traditional -> simplified converter, or None to keep characters.
        remove_control_chars: delete control and format characters.
        collapse_whitespace: make each whitespace run one space and strip both ends.
    """
    folded = text.translate(table)
    if t2s is not None:
        folded = t2s.convert(folded)
    if _is_clean(folded):
        return folded, list(range(len(text) + 1))
    chars: list[str] = []
    offsets: list[int] = []
    space_at = -1  # where the pending whitespace run started
    for index, char in enumerate(folded):
        if char.isspace():
            if collapse_whitespace:
                space_at = index if space_at < 0 else space_at
                continue
        elif remove_control_chars and _is_invisible(char):
            continue
        if space_at >= 0:
            if chars:
                chars.append(" ")
                offsets.append(space_at)
            space_at = -1
        chars.append(char)
        offsets.append(index)
    offsets.append(len(text))
    return "".join(chars), offsets


def _is_clean(text: str) -> bool:
    """Nothing to delete or collapse: the usual case, worth a fast path."""
    return (
        text.isprintable()  # no controls, format characters, tabs, newlines or U+3000
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and _VARIATION_SELECTORS.isdisjoint(text)
    )


def _is_invisible(char: str) -> bool:
    if char in _VARIATION_SELECTORS:
        return True
    return not char.isprintable() and unicodedata.category(char) in _REMOVED_CATEGORIES


def _read_quantities(message: Message) -> list[Quantity]:
    quantities: list[Quantity] = []
    for span in find_quantities(message.normalized):
        start, end = message.to_original(span.start, span.end)
        quantities.append(Quantity(span.kind, span.value, start, end, message.text[start:end], span.unit))
    return quantities
