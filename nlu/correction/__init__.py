"""Pinyin-aware correction of spelling and ASR errors against the bot's vocabulary.

``PinyinCorrector`` is the pipeline component (``nlu.pinyin_corrector.v1``); the other
names are its parts: the character n-gram LM, the pinyin similarity measures and the
pinyin-indexed target vocabulary.
"""

from __future__ import annotations

from nlu.correction.candidates import Candidate, SearchSettings, find_candidates, protected_positions
from nlu.correction.corrector import PinyinCorrector
from nlu.correction.ngram_lm import CharNgramLM, NgramCounts, jieba_base_counts
from nlu.correction.pinyin_similarity import PhoneticCosts, fold_syllable, substitution_cost
from nlu.correction.vocabulary import PinyinIndex, general_index

__all__ = [
    "Candidate",
    "CharNgramLM",
    "NgramCounts",
    "PhoneticCosts",
    "PinyinCorrector",
    "PinyinIndex",
    "SearchSettings",
    "find_candidates",
    "fold_syllable",
    "general_index",
    "jieba_base_counts",
    "protected_positions",
    "substitution_cost",
]
