"""Candidate answer spans in a sentence and their features for the span ranker.

Candidates are runs of 1..``MAX_WORDS`` jieba words inside one clause (they never cross
。！？；，：), starting and ending on a word that is not punctuation. Features, computed
with numpy over all candidates of a sentence at once:

- anchors: how long a piece of the question's text before the wh-word ends right before
  the span, and how long a piece of the text after it starts right after the span;
- question characters in windows of 4/8/16 characters on each side and inside the span;
- distance to the nearest question bigram on each side;
- the span's shape: length, numerals, dates, durations, part of speech (person, place,
  organisation, time), clause boundaries, leading/trailing function words;
- the expected answer type (多少/多久/哪年/谁/哪里…);
- the sentence's overlap with the question and its rank among the sentences read.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from knowledge.reading.question import AnswerType, QuestionAnalysis, content_chars

__all__ = [
    "FEATURE_NAMES",
    "MAX_WORDS",
    "SentenceCandidates",
    "sentence_candidates",
    "snap_to_entity",
    "tag_words",
]

MAX_WORDS = 16
MAX_CHARS = 50
_ANCHOR_CAP = 10
_HARD_STOPS = frozenset("。！？；，：!?;,:\n")
_PUNCT = frozenset("。！？；，：、!?;,:\n“”‘’\"'（）()《》<>【】[]「」『』—…·-/ \t")
_NUMERAL_RE = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")
_DATE_RE = re.compile(
    r"[0-9零〇一二三四五六七八九十]+\s*(?:年|月|日|号|世纪|年代)|[0-9]{4}[-/.][0-9]{1,2}|[tT]\+\d"
)
_DURATION_RE = re.compile(
    r"[0-9零〇一二两三四五六七八九十百半]+\s*(?:个)?(?:工作日|交易日|自然日|天|日|周|星期|个月|月|年|小时|分钟|秒)|[tT]\s*\+\s*\d"
)
_ASCII_RE = re.compile(r"[A-Za-z0-9.+%×\-]+")
_ASCII_SPLIT_RE = re.compile(r"[A-Za-z0-9.+%×\-]+|[^A-Za-z0-9.+%×\-]+")
_ENTITY_TYPES = ("amount", "rate", "term", "date", "time", "fund_code")
# relative dates ("明天") are not answers in documents; a fixed day keeps the tags reproducible
_REFERENCE_DAY = dt.date(2025, 1, 1)
# prepositions and particles around a date or amount that are not part of the answer
_SNAP_CHARS = frozenset("自于为至起在从到达是了止前后")
_LEADING_BAD = frozenset("的了是和与及在而并也就都又被把对从向")
_TRAILING_BAD = frozenset("的了是和与及在而并也就都又被把对从向等")
_TYPES = list(AnswerType)
_SHAPES = ("numeral", "date", "duration", "person", "place", "org", "time", "noun_end", "quoted")
_POS_FLAGS = {"person": ("nr",), "place": ("ns",), "org": ("nt",), "time": ("t",)}

FEATURE_NAMES: tuple[str, ...] = (
    "bias",
    "left_anchor",
    "right_anchor",
    "left_anchor_any",
    "right_anchor_any",
    "left_adjacent",
    "right_adjacent",
    "left_anchor_gap",
    "right_anchor_gap",
    "left_q4",
    "left_q8",
    "left_q16",
    "right_q4",
    "right_q8",
    "right_q16",
    "inside_q",
    "left_distance",
    "right_distance",
    "log_chars",
    "n_words",
    "single_word",
    "clause_start",
    "clause_end",
    "whole_clause",
    "leading_bad",
    "trailing_bad",
    "sentence_overlap",
    "sentence_rank",
    "sentence_top",
    "no_wh",
    *(f"shape_{s}" for s in _SHAPES),
    *(f"type_{t.value}" for t in _TYPES),
)


@dataclass(frozen=True)
class SentenceCandidates:
    """The candidate spans of one sentence: ``starts``/``ends`` index the sentence text."""

    text: str
    starts: np.ndarray
    ends: np.ndarray
    features: np.ndarray


@functools.lru_cache(maxsize=4096)
def tag_words(text: str, tagger: Any) -> tuple[tuple[int, int, str], ...]:
    """``(start, end, pos)`` of each word of ``text`` (jieba.posseg tags), cached per text.

    A word mixing Chinese and ASCII ("为R5") is split at the boundary, neighbouring
    ASCII pieces merge ("T" "+" "3" -> "T+3", "1" "." "2" "%" -> "1.2%"), and dates,
    amounts, rates and terms found by the NLP core's rules become one word each.
    """
    pieces: list[tuple[int, int, str]] = []
    position = 0
    for pair in tagger.cut(text):
        word, flag = pair.word, pair.flag
        for part in _ASCII_SPLIT_RE.findall(word):
            ascii_part = _ASCII_RE.fullmatch(part) is not None
            tag = (
                ("m" if any(c.isdigit() for c in part) else "eng")
                if ascii_part and len(part) < len(word)
                else flag
            )
            pieces.append((position, position + len(part), tag))
            position += len(part)
    words: list[tuple[int, int, str]] = []
    for start, end, tag in pieces:
        previous = words[-1] if words else None
        if previous is not None and _ASCII_RE.fullmatch(text[previous[0] : end]) and previous[1] == start:
            merged = text[previous[0] : end]
            words[-1] = (previous[0], end, "m" if any(c.isdigit() for c in merged) else "eng")
        else:
            words.append((start, end, tag))
    return _merge_entities(text, words)


def _merge_entities(text: str, words: list[tuple[int, int, str]]) -> tuple[tuple[int, int, str], ...]:
    """Make each date, amount, rate, term or quantity the NLP core's rules find one word.

    "2026年6月12日" (tagged ``t``) and "100万元" (tagged ``m``) become candidate spans of
    one word, and a word an entity cuts is split at the entity's edge.
    """
    entities = _entity_spans(text)
    if not entities:
        return tuple(words)
    cuts = {b for start, end, _ in words for b in (start, end)} | {b for s, e, _ in entities for b in (s, e)}
    inside = {p for s, e, _ in entities for p in range(s + 1, e)}
    bounds = sorted(cuts - inside)
    tag_at = {p: tag for start, end, tag in words for p in range(start, end)}
    entity_tag = {s: tag for s, _, tag in entities}
    return tuple(
        (a, b, entity_tag.get(a, tag_at.get(a, "x"))) for a, b in zip(bounds, bounds[1:], strict=False)
    )


def snap_to_entity(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a span to the one date/amount/rate/term inside it when only function characters
    surround it ("自2026年5月6日起" -> "2026年5月6日", "为3.5%" -> "3.5%"); else unchanged."""
    inside = [(s, e) for s, e, _ in _entity_spans(text) if start <= s and e <= end]
    if len(inside) != 1:
        return start, end
    s, e = inside[0]
    if (s, e) != (start, end) and set(text[start:s] + text[e:end]) <= _SNAP_CHARS:
        return s, e
    return start, end


@functools.lru_cache(maxsize=4096)
def _entity_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """Non-overlapping ``(start, end, pos)`` of rule entities and quantities in ``text``."""
    from nlu.entities.rules import extract_rule_entities
    from nlu.message import Message
    from nlu.normalize import find_quantities

    found = [
        (e.start, e.end, "t" if e.entity in ("date", "time") else "m")
        for e in extract_rule_entities(Message(text), _REFERENCE_DAY, types=_ENTITY_TYPES)
    ]
    for quantity in find_quantities(text):
        if quantity.kind.value != "number" and not any(
            s < quantity.end and quantity.start < e for s, e, _ in found
        ):
            found.append((quantity.start, quantity.end, "m"))
    return tuple(sorted(found))


def sentence_candidates(
    sentence: str,
    words: tuple[tuple[int, int, str], ...],
    question: QuestionAnalysis,
    sentence_overlap: float,
    sentence_rank: int,
) -> SentenceCandidates:
    """All candidate spans of ``sentence`` with their feature rows (see the module docstring).

    Args:
        sentence: the sentence text.
        words: its words as ``tag_words`` gives them.
        question: the analysed question.
        sentence_overlap: the share of the question's bigrams found in the sentence.
        sentence_rank: 0 for the sentence that overlaps the question most, 1 for the next…
    """
    starts, ends, first_word, last_word = _spans(sentence, words)
    if not len(starts):
        empty = np.zeros((0, len(FEATURE_NAMES)))
        return SentenceCandidates(sentence, starts, ends, empty)
    positions = _position_features(sentence, question)
    shapes = _shape_flags(sentence, words, starts, ends, first_word, last_word)
    columns = _columns(sentence, question, positions, starts, ends, first_word, last_word)
    columns["sentence_overlap"] = np.full(len(starts), sentence_overlap)
    columns["sentence_rank"] = np.full(len(starts), min(sentence_rank, 5) / 5)
    columns["sentence_top"] = np.full(len(starts), float(sentence_rank == 0))
    columns["no_wh"] = np.full(len(starts), float(question.wh_start < 0))
    columns.update({f"shape_{name}": value for name, value in shapes.items()})
    for kind in _TYPES:  # the ranker (gradient boosting) learns how type and shape interact
        columns[f"type_{kind.value}"] = np.full(len(starts), float(question.answer_type is kind))
    columns["bias"] = np.ones(len(starts))
    features = np.stack([columns[name] for name in FEATURE_NAMES], axis=1)
    return SentenceCandidates(sentence, starts, ends, features)


def _spans(sentence: str, words: tuple[tuple[int, int, str], ...]) -> tuple[np.ndarray, ...]:
    """Word runs within clauses that start and end on a non-punctuation word."""
    starts: list[int] = []
    ends: list[int] = []
    first: list[int] = []
    last: list[int] = []
    for i, (start, _, _) in enumerate(words):
        if sentence[start] in _PUNCT:
            continue
        for j in range(i, min(i + MAX_WORDS, len(words))):
            word_start, end, _ = words[j]
            if sentence[word_start] in _HARD_STOPS or end - start > MAX_CHARS:
                break
            if sentence[end - 1] not in _PUNCT:
                starts.append(start)
                ends.append(end)
                first.append(i)
                last.append(j)
    return tuple(np.asarray(values, dtype=np.int64) for values in (starts, ends, first, last))


def _position_features(sentence: str, question: QuestionAnalysis) -> dict[str, np.ndarray]:
    """Per-position arrays: anchors ending/starting at each index, question-char prefix sums."""
    n = len(sentence)
    whole = question.text
    left_anchor = np.zeros(n + 1)
    right_anchor = np.zeros(n + 1)
    left_any = np.zeros(n + 1)
    right_any = np.zeros(n + 1)
    left_gap = np.zeros(n + 1)
    right_gap = np.zeros(n + 1)
    for p in range(n + 1):
        # one character apart ("起购金额为10元" for "起购金额是多少"): a copula or a preposition
        left_gap[p] = _longest(lambda k, p=p: sentence[p - 1 - k : p - 1] in question.left, p - 1)
        right_gap[p] = _longest(lambda k, p=p: sentence[p + 1 : p + 1 + k] in question.right, n - p - 1)
        left_anchor[p] = _longest(lambda k, p=p: sentence[p - k : p] in question.left, p)
        right_anchor[p] = _longest(lambda k, p=p: sentence[p : p + k] in question.right, n - p)
        left_any[p] = _longest(lambda k, p=p: sentence[p - k : p] in whole, p)
        right_any[p] = _longest(lambda k, p=p: sentence[p : p + k] in whole, n - p)
    chars = content_chars(whole)
    in_question = np.fromiter((c in chars for c in sentence), dtype=np.float64, count=n)
    bigrams = {whole[i : i + 2] for i in range(len(whole) - 1)}
    bigram_hits = [
        i for i in range(n - 1) if sentence[i : i + 2] in bigrams and set(sentence[i : i + 2]) & chars
    ]
    return {
        "left_anchor": left_anchor,
        "right_anchor": right_anchor,
        "left_any": left_any,
        "right_any": right_any,
        "left_gap": left_gap,
        "right_gap": right_gap,
        "prefix": np.concatenate([[0.0], np.cumsum(in_question)]),
        "hits": np.asarray(bigram_hits, dtype=np.int64),
    }


def _longest(matches: Any, limit: int) -> int:
    """The largest ``k <= min(limit, _ANCHOR_CAP)`` with ``matches(k)`` true for every smaller k."""
    k = 0
    while k < min(limit, _ANCHOR_CAP) and matches(k + 1):
        k += 1
    return k


def _window(prefix: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    n = len(prefix) - 1
    lo, hi = np.clip(lo, 0, n), np.clip(hi, 0, n)
    width = np.maximum(hi - lo, 1)
    return (prefix[hi] - prefix[lo]) / width


def _columns(
    sentence: str,
    question: QuestionAnalysis,
    pos: dict[str, np.ndarray],
    starts: np.ndarray,
    ends: np.ndarray,
    first_word: np.ndarray,
    last_word: np.ndarray,
) -> dict[str, np.ndarray]:
    prefix = pos["prefix"]
    columns = {
        "left_anchor": pos["left_anchor"][starts] / _ANCHOR_CAP,
        "right_anchor": pos["right_anchor"][ends] / _ANCHOR_CAP,
        "left_anchor_any": pos["left_any"][starts] / _ANCHOR_CAP,
        "right_anchor_any": pos["right_any"][ends] / _ANCHOR_CAP,
        "left_anchor_gap": pos["left_gap"][starts] / _ANCHOR_CAP,
        "right_anchor_gap": pos["right_gap"][ends] / _ANCHOR_CAP,
        "left_adjacent": (pos["left_anchor"][starts] >= 2).astype(float),
        "right_adjacent": (pos["right_anchor"][ends] >= 2).astype(float),
        "inside_q": _window(prefix, starts, ends),
    }
    for width in (4, 8, 16):
        columns[f"left_q{width}"] = _window(prefix, starts - width, starts)
        columns[f"right_q{width}"] = _window(prefix, ends, ends + width)
    hits = pos["hits"]
    columns["left_distance"] = _distance(hits + 2, starts, before=True)
    columns["right_distance"] = _distance(hits, ends, before=False)
    length = (ends - starts).astype(float)
    columns["log_chars"] = np.log1p(length)
    columns["n_words"] = (last_word - first_word + 1) / MAX_WORDS
    columns["single_word"] = (last_word == first_word).astype(float)
    clause_start = np.array([s == 0 or sentence[s - 1] in _PUNCT for s in starts], dtype=float)
    clause_end = np.array([e == len(sentence) or sentence[e] in _PUNCT for e in ends], dtype=float)
    columns["clause_start"], columns["clause_end"] = clause_start, clause_end
    columns["whole_clause"] = clause_start * clause_end
    columns["leading_bad"] = np.array([sentence[s] in _LEADING_BAD for s in starts], dtype=float)
    columns["trailing_bad"] = np.array([sentence[e - 1] in _TRAILING_BAD for e in ends], dtype=float)
    return columns


def _distance(hits: np.ndarray, points: np.ndarray, before: bool) -> np.ndarray:
    """Log distance from each point to the nearest question bigram on one side (capped at 30)."""
    if not len(hits):
        return np.full(len(points), np.log1p(30.0))
    ordered = np.sort(hits)
    if before:
        index = np.searchsorted(ordered, points, side="right") - 1
        found = index >= 0
        gap = np.where(found, points - ordered[np.clip(index, 0, None)], 30)
    else:
        index = np.searchsorted(ordered, points, side="left")
        found = index < len(ordered)
        gap = np.where(found, ordered[np.clip(index, None, len(ordered) - 1)] - points, 30)
    return np.log1p(np.clip(gap, 0, 30).astype(float))


def _shape_flags(
    sentence: str,
    words: tuple[tuple[int, int, str], ...],
    starts: np.ndarray,
    ends: np.ndarray,
    first_word: np.ndarray,
    last_word: np.ndarray,
) -> dict[str, np.ndarray]:
    """Which shapes each span has (numeral, date, duration, POS classes, noun ending, quoted)."""
    texts = [sentence[s:e] for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]
    flags = {
        "numeral": np.array([_NUMERAL_RE.search(t) is not None for t in texts], dtype=float),
        "date": np.array([_DATE_RE.search(t) is not None for t in texts], dtype=float),
        "duration": np.array([_DURATION_RE.search(t) is not None for t in texts], dtype=float),
    }
    tags = [flag for _, _, flag in words]
    for name, prefixes in _POS_FLAGS.items():
        hit = np.array([tag.startswith(prefixes) for tag in tags], dtype=float)
        cumulative = np.concatenate([[0.0], np.cumsum(hit)])
        flags[name] = (cumulative[last_word + 1] - cumulative[first_word] > 0).astype(float)
    flags["noun_end"] = np.array([tags[j].startswith(("n", "eng")) for j in last_word.tolist()], dtype=float)
    flags["quoted"] = np.array(
        [
            s > 0 and sentence[s - 1] in "《“「『" and e < len(sentence) and sentence[e] in "》”」』"
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
        ],
        dtype=float,
    )
    return flags
