"""An emotion lexicon with negation, degree modifiers and punctuation cues.

The lexicon turns a text into a prior: one score per emotion label (the sum of the
weights of the words found, scaled by the modifiers before them and moved by negation)
and an intensity cue in [0, 1] from intensifiers, exclamation marks, repeated question
marks and repeated words. The classifier feeds both to its model as extra features and
uses the cue for the intensity it reports.

Matching is longest-first, so a term that contains a negator (``不满意``) is read whole.
Before each term the lexicon walks left over negators, modifiers and fillers
(``不是很满意``: filler ``很``, filler ``是``, negator ``不``). An odd number of negators
moves the term's weight to another label (``negation`` table) and ignores the
modifiers between negator and term (``不太满意`` is mild); modifiers left of the
negator still intensify (``非常不开心``).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nlu.errors import TrainingDataError

__all__ = ["EmotionLexicon", "LexiconCues", "LexiconHit", "packaged_lexicon_path"]

_PUNCTUATION = set("，。！？!?,.;；：:、~～…\n\t ")
_EXCLAMATION = re.compile(r"[!！]")
_QUESTION_RUN = re.compile(r"[?？]{2,}")
# "非常非常", "快点快点" (units of two or three characters repeated) or "啊啊啊" (one
# character three times); "谢谢"/"嗯嗯" are ordinary reduplication, not emphasis.
_REPETITION = re.compile(r"(\w{2,3})\1+|(\w)\2{2,}")
_MAX_MULTIPLIER = 2.5
_BACKWARD_WINDOW = 8
_POST_MODIFIERS = ("死了", "要死", "透了", "到极点")


@dataclass(frozen=True)
class LexiconHit:
    """One lexicon term found in a text, after modifiers and negation."""

    term: str
    start: int
    end: int
    label: str
    weight: float
    negated: bool
    multiplier: float


@dataclass(frozen=True)
class LexiconCues:
    """What the lexicon reads from one text.

    Attributes:
        scores: label -> summed weight of the terms found (0 for labels not seen).
        intensity: a label-agnostic emphasis cue in [0, 1].
        hits: the terms found, left to right.
    """

    scores: dict[str, float]
    intensity: float
    exclamations: int
    question_runs: int
    repetitions: int
    negations: int
    hits: tuple[LexiconHit, ...] = field(default=())


def packaged_lexicon_path() -> Path:
    """The Chinese lexicon shipped with the package."""
    return Path(__file__).parent / "data" / "lexicon_zh.yml"


class EmotionLexicon:
    """Weighted emotion terms plus negators, modifiers and fillers.

    Args:
        terms: label -> {term: weight}.
        negators: words that negate the following term.
        modifiers: degree word -> multiplier (>1 intensifies, <1 softens).
        fillers: words allowed between a negator or modifier and the term.
        negation: label -> (label the weight moves to, factor) for a negated term.
    """

    def __init__(
        self,
        terms: dict[str, dict[str, float]],
        negators: list[str],
        modifiers: dict[str, float],
        fillers: list[str],
        negation: dict[str, tuple[str, float]],
    ) -> None:
        self.labels: tuple[str, ...] = tuple(sorted(terms))
        self.terms = {label: dict(words) for label, words in terms.items()}
        self.negators = sorted(set(negators))
        self.modifiers = dict(modifiers)
        self.fillers = sorted(set(fillers))
        self.negation = {k: (v[0], float(v[1])) for k, v in negation.items()}
        self._index: dict[str, tuple[str, float]] = {}
        for label in self.labels:
            for term, weight in self.terms[label].items():
                self._index[term] = (label, float(weight))
        self._max_term = max((len(t) for t in self._index), default=1)
        self._units = set(self.negators) | set(self.modifiers) | set(self.fillers)
        self._max_unit = max((len(u) for u in self._units), default=1)

    @classmethod
    def from_file(cls, path: str | Path | None = None) -> EmotionLexicon:
        """Load a lexicon YAML file (the packaged one when ``path`` is None).

        Raises:
            TrainingDataError: unreadable file or invalid content, naming the file.
        """
        file = Path(path) if path else packaged_lexicon_path()
        try:
            raw = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise TrainingDataError(
                f"cannot read emotion lexicon: {exc}", path=str(file), code="NLU034"
            ) from exc
        try:
            return cls.from_dict(raw)
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise TrainingDataError(
                f"invalid emotion lexicon: {exc!r}",
                path=str(file),
                code="NLU034",
                hint="needs terms, negators, modifiers, fillers and negation sections",
            ) from exc

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> EmotionLexicon:
        """Build a lexicon from the structure of the YAML file (or ``to_dict``)."""
        terms = {
            str(label): {str(t): float(w) for t, w in words.items()} for label, words in raw["terms"].items()
        }
        return cls(
            terms=terms,
            negators=[str(n) for n in raw["negators"]],
            modifiers={str(m): float(v) for m, v in raw["modifiers"].items()},
            fillers=[str(f) for f in raw["fillers"]],
            negation={str(k): (str(v[0]), float(v[1])) for k, v in raw["negation"].items()},
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe copy that ``from_dict`` rebuilds exactly."""
        return {
            "terms": self.terms,
            "negators": self.negators,
            "modifiers": self.modifiers,
            "fillers": self.fillers,
            "negation": {k: [v[0], v[1]] for k, v in self.negation.items()},
        }

    def fingerprint(self) -> str:
        """A short hash of the content, to tell two lexicons apart."""
        blob = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]

    def analyze(self, text: str) -> LexiconCues:
        """Read the emotion prior and the intensity cue of ``text``."""
        hits = self._find_hits(text)
        scores = dict.fromkeys(self.labels, 0.0)
        for hit in hits:
            scores[hit.label] = scores.get(hit.label, 0.0) + hit.weight
        exclamations = len(_EXCLAMATION.findall(text))
        question_runs = len(_QUESTION_RUN.findall(text))
        repetitions = sum(1 for _ in _REPETITION.finditer(text))
        negations = sum(1 for h in hits if h.negated)
        intensity = _intensity(hits, exclamations, question_runs, repetitions)
        return LexiconCues(
            scores, intensity, exclamations, question_runs, repetitions, negations, tuple(hits)
        )

    def feature_names(self) -> list[str]:
        """Names of the columns ``features`` returns."""
        return [f"lexicon:{label}" for label in self.labels] + [
            "cue:intensity",
            "cue:exclamation",
            "cue:question_run",
            "cue:repetition",
            "cue:negation",
        ]

    def features(self, text: str, cues: LexiconCues | None = None) -> list[float]:
        """The prior as model features: squashed label scores, then the cues.

        Args:
            text: the text to read.
            cues: ``analyze(text)`` if the caller already has it.
        """
        cues = cues if cues is not None else self.analyze(text)
        row = [math.tanh(cues.scores[label] / 1.5) for label in self.labels]
        row.append(cues.intensity)
        row.append(min(cues.exclamations, 3) / 3.0)
        row.append(min(cues.question_runs, 2) / 2.0)
        row.append(min(cues.repetitions, 2) / 2.0)
        row.append(min(cues.negations, 2) / 2.0)
        return row

    def _find_hits(self, text: str) -> list[LexiconHit]:
        hits: list[LexiconHit] = []
        i = 0
        while i < len(text):
            match = self._longest_term(text, i)
            if match is None:
                i += 1
                continue
            hits.append(self._score_hit(text, i, i + len(match), match))
            i += len(match)
        return hits

    def _longest_term(self, text: str, start: int) -> str | None:
        for length in range(min(self._max_term, len(text) - start), 0, -1):
            candidate = text[start : start + length]
            if candidate in self._index:
                return candidate
        return None

    def _score_hit(self, text: str, start: int, end: int, term: str) -> LexiconHit:
        label, weight = self._index[term]
        inner, outer, negators = self._walk_back(text, start)
        post = next((m for m in _POST_MODIFIERS if text.startswith(m, end)), None)
        outer_product = math.prod(outer) * (self.modifiers.get(post, 1.0) if post else 1.0)
        if negators % 2 == 1 and label in self.negation:
            label, factor = self.negation[label]
            multiplier = min(outer_product, _MAX_MULTIPLIER)
            return LexiconHit(term, start, end, label, weight * factor * multiplier, True, multiplier)
        multiplier = min(math.prod(inner) * outer_product, _MAX_MULTIPLIER)
        return LexiconHit(term, start, end, label, weight * multiplier, False, multiplier)

    def _walk_back(self, text: str, start: int) -> tuple[list[float], list[float], int]:
        """Modifiers between negator and term, modifiers left of it, negator count."""
        inner: list[float] = []
        outer: list[float] = []
        negators = 0
        pos = start
        limit = max(0, start - _BACKWARD_WINDOW)
        while pos > limit:
            unit = self._unit_ending_at(text, pos, limit)
            if unit is None:
                break
            unit_start = pos - len(unit)
            if unit in self.negators:
                if _is_a_not_a(text, unit_start, unit):
                    break
                negators += 1
            elif unit in self.modifiers:
                (outer if negators else inner).append(self.modifiers[unit])
            pos = unit_start
        return inner, outer, negators

    def _unit_ending_at(self, text: str, pos: int, limit: int) -> str | None:
        for length in range(min(self._max_unit, pos - limit), 0, -1):
            candidate = text[pos - length : pos]
            if candidate in self._units and not (_PUNCTUATION & set(candidate)):
                return candidate
        return None


def _is_a_not_a(text: str, start: int, unit: str) -> bool:
    """``会不会``/``有没有``: a yes-no question, not a negation."""
    if len(unit) != 1 or start == 0 or start + 1 >= len(text):
        return False
    return text[start - 1] == text[start + 1]


def _intensity(hits: list[LexiconHit], exclamations: int, question_runs: int, repetitions: int) -> float:
    """Blend emotional mass, the strongest term's modifiers and punctuation into [0, 1]."""
    emotional = [h for h in hits if h.label != "neutral"]
    mass = sum(h.weight for h in emotional)
    strongest = max(emotional, key=lambda h: h.weight, default=None)
    amplification = (strongest.multiplier - 1.0) if strongest else 0.0
    value = (
        0.45 * math.tanh(mass / 1.5)
        + 0.25 * max(-0.5, min(amplification, 1.0))
        + 0.10 * min(exclamations, 3)
        + 0.06 * min(question_runs, 2)
        + 0.10 * min(repetitions, 2)
    )
    return max(0.0, min(1.0, value))
