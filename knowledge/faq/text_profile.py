"""What the matcher needs to know about one question, computed once per text.

A profile holds the normalized text, its characters, jieba words and character bigrams,
the numbers and rule entities in it (``nlu.normalize`` / ``nlu.entities.rules``), whether
it is negated and which kind of question it asks.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from nlu.entities.rules import extract_rule_entities
from nlu.message import Message
from nlu.normalize import Normalizer, find_quantities
from nlu.resources import Resources

__all__ = ["MAX_TEXT_CHARS", "TextProfile", "build_profile", "normalize_question"]

# longer questions are cut: the first sentences carry the question, and features stay cheap
MAX_TEXT_CHARS = 200
_REFERENCE_DAY = date(2026, 1, 1)  # relative dates ("明天") only need to compare equal
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
# 否定词: "不能赎回" and "能赎回" ask different things
_NEGATIONS = ("不", "没", "无法", "未", "别", "非", "否")
_NEGATION_FALSE_FRIENDS = (
    "不同",
    "不了解",
    "是不是",
    "能不能",
    "可不可以",
    "会不会",
    "要不要",
    "有没有",
    "行不行",
)
# 疑问类型: "多久到账" (time) is not "为什么没到账" (reason)
_QUESTION_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("why", ("为什么", "为啥", "怎么会", "咋会", "何故", "原因")),
    ("when", ("多久", "多长时间", "几天", "什么时候", "何时", "啥时候", "几点", "多少天")),
    ("how_much", ("多少", "几个", "费率", "费用", "额度")),
    ("how", ("怎么", "如何", "怎样", "咋", "步骤", "流程", "方法")),
    ("can", ("能不能", "可以", "能否", "可不可以", "能", "会不会", "是否", "吗")),
    ("what", ("什么", "啥", "哪")),
)


@dataclass(frozen=True, eq=False)
class TextProfile:
    """Features of one text used by ``knowledge.faq.features``."""

    text: str
    chars: frozenset[str]
    words: tuple[str, ...]
    bigrams: frozenset[str]
    numbers: frozenset[float]
    entities: frozenset[tuple[str, str]]
    negated: bool
    question_kind: str
    pinyin_bigrams: frozenset[str]

    @property
    def word_set(self) -> frozenset[str]:
        """The distinct words."""
        return frozenset(self.words)


@lru_cache(maxsize=1)
def _normalizer() -> Normalizer:
    normalizer = Normalizer(Normalizer.Config(read_quantities=False), Resources())
    normalizer.initialize()
    return normalizer


def normalize_question(text: str) -> str:
    """Normalize like ``nlu.normalize`` (width, case, simplified characters); cut to ``MAX_TEXT_CHARS``."""
    return _normalizer().process(Message((text or "")[: MAX_TEXT_CHARS * 2])).normalized[:MAX_TEXT_CHARS]


def content_chars(text: str) -> str:
    """``text`` without punctuation and spaces."""
    return _PUNCT.sub("", text)


def build_profile(text: str, cut: Callable[[str], list[str]]) -> TextProfile:
    """Profile ``text`` (normalized first); ``cut`` is a jieba-style word segmenter."""
    norm = normalize_question(text)
    bare = content_chars(norm)
    words = tuple(w for w in (content_chars(w) for w in cut(norm)) if w)
    entities: set[tuple[str, str]] = set()
    numbers: set[float] = set()
    if any(c.isdigit() for c in norm) or any(c in "零一二两三四五六七八九十百千万亿" for c in norm):
        numbers = {round(q.value, 6) for q in find_quantities(norm)}
        found = extract_rule_entities(Message(norm), _REFERENCE_DAY)
        entities = {(e.entity, str(e.value)) for e in found}
    else:
        found = extract_rule_entities(Message(norm), _REFERENCE_DAY, types=("risk_level",))
        entities = {(e.entity, str(e.value)) for e in found}
    return TextProfile(
        text=bare,
        chars=frozenset(bare),
        words=words,
        bigrams=frozenset(bare[i : i + 2] for i in range(len(bare) - 1)),
        numbers=frozenset(numbers),
        entities=frozenset(entities),
        negated=_is_negated(norm),
        question_kind=_question_kind(norm),
        pinyin_bigrams=_pinyin_bigrams(bare),
    )


def _pinyin_bigrams(text: str) -> frozenset[str]:
    """Toneless syllable pairs: ASR and typing errors keep the sound ("书回" ~ "赎回")."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(text)
    return frozenset(f"{a} {b}" for a, b in itertools.pairwise(syllables))


def _is_negated(text: str) -> bool:
    for friend in _NEGATION_FALSE_FRIENDS:
        text = text.replace(friend, "")
    return any(n in text for n in _NEGATIONS)


def _question_kind(text: str) -> str:
    for kind, markers in _QUESTION_KINDS:
        if any(m in text for m in markers):
            return kind
    return "other"
