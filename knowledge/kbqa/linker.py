"""Product mention linking: which catalogue products a question names, and how surely.

A product is found by its code (six-digit fund codes through the NLP core's rule
extractor; ``LC``/``BX`` codes for wealth and insurance products), its exact name, an
alias, a derived short form (the name without the company, share class or type word:
"瑞丰稳享货币A" → "稳享货币A", "稳享货币", "瑞丰稳享"), a same-pinyin form (ASR errors:
"文享货币") or one substituted character (typos: "稳想货币A"), using the NLP core's
gazetteer index. A short form shared by several products ("稳享货币": A and C shares) is
an ambiguous mention that carries all of them, so the caller can ask which one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from knowledge.catalogue import PRODUCT_TYPES, Catalogue, Product
from knowledge.kbqa.graph import company_short_name
from nlu.entities._gazetteer_index import GazetteerEntry, MatchMethod, NameIndex, is_han
from nlu.entities.rules import extract_rule_entities
from nlu.message import Message

__all__ = ["LinkMethod", "Mention", "ProductLinker", "fold_question"]

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_OTHER_CODE_RE = re.compile(r"(?<![0-9a-z])(?:lc|bx)\d{2}[a-z]\d{3}(?![0-9a-z])")
_ANY_CODE_RE = re.compile(r"(?<![0-9a-z.])(?:\d{6}|(?:lc|bx)\d{2}[a-z]\d{3})(?![0-9a-z])")
# words dropped from the end of a name to get the short form customers say
_TYPE_SUFFIXES = ("指数增强", "etf联接", "指数", "货币", "债券", "混合", "股票", "保险")
_GENERIC = frozenset(PRODUCT_TYPES) | {"基金", "理财", "债券基金", "货币基金", "股票基金", "混合基金", "指数"}
_CONFIDENCE = {"code": 1.0, "exact": 1.0, "pinyin": 0.85, "fuzzy": 0.7}
_REFERENCE_DAY = dt.date(2026, 11, 20)


def fold_question(text: str) -> str:
    """Lower-case ASCII letters (length-preserving), as the normalizer does."""
    return text.translate(_ASCII_LOWER)


class LinkMethod(StrEnum):
    """How a mention was linked, from most to least reliable."""

    CODE = "code"
    EXACT = "exact"
    PINYIN = "pinyin"
    FUZZY = "fuzzy"


@dataclass(frozen=True)
class Mention:
    """Products named at ``text[start:end]``; several codes mean an ambiguous mention."""

    surface: str
    start: int
    end: int
    codes: tuple[str, ...]
    method: LinkMethod
    confidence: float

    @property
    def ambiguous(self) -> bool:
        """Whether the mention fits several products."""
        return len(self.codes) > 1


def derived_surfaces(product: Product) -> set[str]:
    """Short forms of a product's name: without company, share class or type word."""
    name = fold_question(product.name)
    short = company_short_name(product.company)
    bases = {name} | ({name[len(short) :]} if name.startswith(short) else set())
    bases |= {re.sub(r"(?<=[\u4e00-\u9fff])[ac]$", "", b) for b in bases}
    for base in list(bases):
        for suffix in _TYPE_SUFFIXES:
            if base.endswith(suffix):
                bases.add(base[: -len(suffix)])
                break
    return {b for b in bases if len(b) >= 3 and b not in _GENERIC and not b.isdigit()}


class ProductLinker:
    """Finds product mentions in a question.

    Args:
        catalogue: the products to link to.
        use_pinyin: match names that sound the same (toneless, confusable initials merged).
        use_fuzzy: match names with one substituted character (four characters or more).
    """

    def __init__(self, catalogue: Catalogue, *, use_pinyin: bool = True, use_fuzzy: bool = True) -> None:
        self.catalogue = catalogue
        explicit: dict[str, set[str]] = {}
        derived: dict[str, set[str]] = {}
        for product in catalogue:
            for surface in (product.name, *product.aliases):
                explicit.setdefault(fold_question(surface), set()).add(product.code)
            for surface in derived_surfaces(product):
                derived.setdefault(surface, set()).add(product.code)
        # an explicit name or alias beats a derived short form of the same text
        self.surfaces: dict[str, tuple[str, ...]] = {
            key: tuple(sorted(codes)) for key, codes in {**derived, **explicit}.items()
        }
        entries = [
            GazetteerEntry(key, "product", key) for key in sorted(self.surfaces, key=len, reverse=True)
        ]
        self._index = NameIndex(
            entries,
            fuzzy_min_length=4 if use_fuzzy else 10_000,
            pinyin_min_length=3 if use_pinyin else 10_000,
        )
        self._codes = {fold_question(p.code): p.code for p in catalogue}
        # a typo-tolerant match must not swallow a company or manager name ("恒信基金" ≠ "恒信黄金")
        self._not_typos = {fold_question(p.company) for p in catalogue} | {
            p.manager for p in catalogue if p.manager
        }

    def link(self, question: str) -> list[Mention]:
        """Product mentions in ``question`` (folded text), left to right, never overlapping."""
        text = fold_question(question)
        candidates = self._code_mentions(text) + self._name_mentions(text)
        candidates.sort(key=lambda m: (-(m.end - m.start), -m.confidence, m.start))
        taken: list[Mention] = []
        for mention in candidates:
            if all(mention.end <= t.start or mention.start >= t.end for t in taken):
                taken.append(mention)
        return sorted(taken, key=lambda m: m.start)

    def unknown_codes(self, question: str) -> list[str]:
        """Product-code-shaped strings in ``question`` that no product has."""
        text = fold_question(question)
        return [m.group().upper() for m in _ANY_CODE_RE.finditer(text) if m.group() not in self._codes]

    def _code_mentions(self, text: str) -> list[Mention]:
        message = Message(text=text, normalized=text, working_text=text, offsets=list(range(len(text) + 1)))
        spans = [(e.start, e.end) for e in extract_rule_entities(message, _REFERENCE_DAY, {"fund_code"})]
        spans += [(m.start(), m.end()) for m in _OTHER_CODE_RE.finditer(text)]
        found = []
        for start, end in spans:
            code = self._codes.get(text[start:end])
            if code is not None:
                found.append(Mention(text[start:end], start, end, (code,), LinkMethod.CODE, 1.0))
        return found

    def _name_mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        for start in range(len(text)):
            for length in self._index.lengths:
                end = start + length
                if end > len(text) or _cuts_ascii_run(text, start, end):
                    continue
                hit = self._index.lookup(text[start:end])
                if hit is None:
                    continue
                entry, method = hit
                if method is not MatchMethod.EXACT and text[start:end] in self._not_typos:
                    continue
                if method is MatchMethod.FUZZY and not _han_substitution(text[start:end], entry.value):
                    continue
                link_method = LinkMethod(method.value if method is not MatchMethod.EXACT else "exact")
                found.append(
                    Mention(
                        text[start:end],
                        start,
                        end,
                        self.surfaces[entry.value],
                        link_method,
                        _CONFIDENCE[link_method.value],
                    )
                )
        return found

    def suggest(self, question: str, limit: int = 3) -> list[Product]:
        """Products whose name or alias shares most characters with ``question`` ("did you mean")."""
        text = fold_question(question)
        chars = set(text)
        scored: dict[str, float] = {}
        for surface, codes in self.surfaces.items():
            if len(surface) < 3 or len(chars & set(surface)) < 2:
                continue
            score = _common_subsequence(surface, text) / len(surface)
            if score >= 0.6:
                for code in codes:
                    scored[code] = max(scored.get(code, 0.0), score)
        best = sorted(scored, key=lambda c: -scored[c])[:limit]
        return [p for p in (self.catalogue.get(c) for c in best) if p is not None]


def _cuts_ascii_run(text: str, start: int, end: int) -> bool:
    """A match must not start or end inside a run of ASCII letters/digits ("300" in "3000")."""

    def alnum(char: str) -> bool:
        return char.isascii() and char.isalnum()

    return (start > 0 and alnum(text[start - 1]) and alnum(text[start])) or (
        end < len(text) and alnum(text[end - 1]) and alnum(text[end])
    )


def _han_substitution(window: str, surface: str) -> bool:
    """A typo replaces a Han character by a Han character, never a share class letter ("稳享货币呢")."""
    return all(is_han(a) and is_han(b) for a, b in zip(window, surface, strict=True) if a != b)


def _common_subsequence(short: str, long: str) -> int:
    """Length of the longest common subsequence of two strings."""
    previous = [0] * (len(long) + 1)
    for char in short:
        current = [0]
        for j, other in enumerate(long):
            current.append(previous[j] + 1 if char == other else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]
