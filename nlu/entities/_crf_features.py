"""Character features and BIO label codec of the CRF entity tagger.

Each character of the working text gets string features: itself and its neighbours,
character n-grams, character classes, its place inside its jieba word (B/M/E/S), the
word, its first and last characters and part of speech, and whether it lies inside a
lookup-table name. Labels are ``O`` or ``B-type``/``I-type`` with optional
``#role=...`` and ``#group=...`` parts, so roles and groups are learned too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from nlu.entities._gazetteer_index import fold, is_han

__all__ = [
    "FeatureSettings",
    "LabelSpan",
    "Word",
    "bio_labels",
    "decode_labels",
    "lexicon_features",
    "sentence_features",
]

OUTSIDE = "O"
_PAD_LEFT = "<s>"
_PAD_RIGHT = "</s>"
_MAX_WORD_FEATURE_LENGTH = 4


@dataclass(frozen=True)
class FeatureSettings:
    """Which feature groups to compute."""

    window: int = 2
    use_words: bool = True
    use_pos: bool = True
    use_pinyin: bool = False


@dataclass(frozen=True)
class LabelSpan:
    """An entity span over working-text characters with its label parts."""

    start: int
    end: int
    entity: str
    role: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Word:
    """A jieba word over working-text characters with its part of speech."""

    start: int
    end: int
    text: str
    pos: str = ""


def char_class(char: str) -> str:
    """Coarse class of a character: han, digit, latin, space, punct or other."""
    if is_han(char):
        return "han"
    if char.isdigit():
        return "digit"
    if char.isascii() and char.isalpha():
        return "latin"
    if char.isspace():
        return "space"
    if unicodedata.category(char).startswith(("P", "S")):
        return "punct"
    return "other"


def _shape(char: str) -> str:
    """The character for n-gram features, with digits collapsed to ``0``."""
    return "0" if char.isdigit() else char


def sentence_features(
    text: str, words: list[Word], lexicon: list[list[str]], settings: FeatureSettings
) -> list[list[str]]:
    """Feature lists, one per character of ``text``.

    Args:
        text: the working text.
        words: its jieba segmentation (covering every character).
        lexicon: per character, ready-made features of the dictionary names covering it
            (see ``lexicon_features``).
        settings: which feature groups to emit.
    """
    chars = [_shape(c) for c in fold(text)]
    padded = [_PAD_LEFT] * 2 + chars + [_PAD_RIGHT] * 2
    classes = [char_class(c) for c in text]
    padded_classes = ["<s>", *classes, "</s>"]
    word_at = _word_per_char(words, len(text))
    features: list[list[str]] = []
    for i in range(len(text)):
        p = i + 2  # index into padded
        feats = ["bias", f"t={classes[i]}"]
        for k in range(-settings.window, settings.window + 1):
            feats.append(f"c{k}={padded[p + k] if 0 <= p + k < len(padded) else '#'}")
        feats += [
            f"b-1={padded[p - 1]}{padded[p]}",
            f"b+1={padded[p]}{padded[p + 1]}",
            f"b-2={padded[p - 2]}{padded[p - 1]}",
            f"b+2={padded[p + 1]}{padded[p + 2]}",
            f"t-1={padded[p - 1]}{padded[p]}{padded[p + 1]}",
            f"t-2={padded[p - 2]}{padded[p - 1]}{padded[p]}",
            f"t+2={padded[p]}{padded[p + 1]}{padded[p + 2]}",
            f"tt={padded_classes[i]}|{classes[i]}|{padded_classes[i + 2]}",
        ]
        if settings.use_words and word_at:
            feats += _word_features(words, word_at[i], i, settings.use_pos)
        feats += lexicon[i]
        if settings.use_pinyin and is_han(text[i]):
            from nlu.entities._gazetteer_index import fuzzy_syllable

            feats.append(f"py={fuzzy_syllable(text[i])}")
        features.append(feats)
    return features


def lexicon_features(
    text: str, names: dict[str, str], prefix: str, *, max_length: int, stop: set[str] | None = None
) -> list[list[str]]:
    """Mark every character inside a dictionary name with the name's tag and place.

    Args:
        text: folded working text.
        names: name -> tag (lookup table or part of speech); only names of 2+ chars count.
        prefix: feature prefix, e.g. ``lk`` or ``dx``.
        max_length: longest name to try.
        stop: if given, a set of known prefixes; scanning from a position stops at the
            first substring that is not one (jieba's prefix dictionary).

    Returns:
        Per character a list like ``["dx=ns|B", "dx=nr|E"]`` (no duplicates).
    """
    marks: list[set[str]] = [set() for _ in text]
    for start in range(len(text)):
        for end in range(start + 2, min(len(text), start + max_length) + 1):
            candidate = text[start:end]
            if stop is not None and candidate not in stop:
                break
            tag = names.get(candidate)
            if tag is None:
                continue
            marks[start].add(f"{prefix}={tag}|B")
            marks[end - 1].add(f"{prefix}={tag}|E")
            for i in range(start + 1, end - 1):
                marks[i].add(f"{prefix}={tag}|I")
    return [sorted(m) for m in marks]


def _word_per_char(words: list[Word], length: int) -> list[int]:
    """Index into ``words`` of the word covering each character (empty if no words)."""
    if not words:
        return []
    owner = [0] * length
    for index, word in enumerate(words):
        for i in range(word.start, min(word.end, length)):
            owner[i] = index
    return owner


def _word_features(words: list[Word], index: int, i: int, use_pos: bool) -> list[str]:
    word = words[index]
    size = word.end - word.start
    place = "S" if size == 1 else "B" if i == word.start else "E" if i == word.end - 1 else "M"
    text = fold(word.text)
    short = text if size <= _MAX_WORD_FEATURE_LENGTH else "<long>"
    feats = [
        f"wp={place}",
        f"w={short}",
        f"wp|w={place}|{short}",
        f"wf={text[0]}",
        f"wl={text[-1]}",
        f"wn={min(size, 6)}|{place}",
    ]
    prev_word = fold(words[index - 1].text) if index > 0 else _PAD_LEFT
    next_word = fold(words[index + 1].text) if index + 1 < len(words) else _PAD_RIGHT
    if place in ("B", "S"):
        feats.append(f"pw={prev_word if len(prev_word) <= _MAX_WORD_FEATURE_LENGTH else '<long>'}")
    if place in ("E", "S"):
        feats.append(f"nw={next_word if len(next_word) <= _MAX_WORD_FEATURE_LENGTH else '<long>'}")
    if use_pos and word.pos:
        prev_pos = words[index - 1].pos if index > 0 else _PAD_LEFT
        next_pos = words[index + 1].pos if index + 1 < len(words) else _PAD_RIGHT
        feats += [f"pos={word.pos}", f"pos|wp={word.pos}|{place}", f"ppos={prev_pos}", f"npos={next_pos}"]
    return feats


def encode_label(prefix: str, span: LabelSpan) -> str:
    """``B-type#role=r#group=g`` for a span (role and group only when set)."""
    label = f"{prefix}-{span.entity}"
    if span.role:
        label += f"#role={span.role}"
    if span.group:
        label += f"#group={span.group}"
    return label


def bio_labels(length: int, spans: list[LabelSpan]) -> list[str]:
    """BIO labels over ``length`` characters; overlapping later spans are dropped."""
    labels = [OUTSIDE] * length
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= span.end or span.end > length:
            continue
        if any(label != OUTSIDE for label in labels[span.start : span.end]):
            continue
        labels[span.start] = encode_label("B", span)
        for i in range(span.start + 1, span.end):
            labels[i] = encode_label("I", span)
    return labels


def parse_label(label: str) -> tuple[str, LabelSpan] | None:
    """Split a label into its B/I prefix and a zero-width span carrying its parts."""
    if label == OUTSIDE or len(label) < 3 or label[1] != "-":
        return None
    entity, *parts = label[2:].split("#")
    extras: dict[str, Any] = {"role": None, "group": None}
    for part in parts:
        key, _, value = part.partition("=")
        if key in extras:
            extras[key] = value
    return label[0], LabelSpan(0, 0, entity, extras["role"], extras["group"])


def decode_labels(labels: list[str]) -> list[tuple[LabelSpan, str]]:
    """Entity spans from BIO labels; an ``I`` without a matching open span opens one.

    Returns:
        ``(span, body)`` pairs, ``body`` being the label without its ``B-``/``I-``.
    """
    spans: list[tuple[LabelSpan, str]] = []
    open_start, open_body, open_parts = -1, "", None
    for i, label in enumerate([*labels, OUTSIDE]):
        parsed = parse_label(label)
        continues = parsed is not None and parsed[0] == "I" and label[2:] == open_body
        if open_parts is not None and not continues:
            spans.append(
                (LabelSpan(open_start, i, open_parts.entity, open_parts.role, open_parts.group), open_body)
            )
            open_parts = None
        if parsed is not None and not continues:
            open_start, open_body, open_parts = i, label[2:], parsed[1]
    return spans
