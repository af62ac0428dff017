"""Tests of the emotion lexicon: terms, negation, modifiers and punctuation cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.emotion import EmotionLexicon
from nlu.errors import TrainingDataError


def _top(lexicon: EmotionLexicon, text: str) -> str:
    scores = lexicon.analyze(text).scores
    return max(scores, key=scores.__getitem__)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("骗子公司", "anger"),
        ("我好担心", "anxiety"),
        ("手续费太贵", "dissatisfaction"),
        ("非常感谢", "positive"),
        ("请问怎么查净值", "neutral"),
    ],
    ids=["anger", "anxiety", "dissatisfaction", "positive", "neutral"],
)
def test_lexicon_scores_term_label(lexicon: EmotionLexicon, text: str, label: str) -> None:
    assert _top(lexicon, text) == label


def test_lexicon_longest_match_keeps_negative_term_whole(lexicon: EmotionLexicon) -> None:
    hits = lexicon.analyze("我不满意").hits
    assert [(h.term, h.label, h.negated) for h in hits] == [("不满意", "dissatisfaction", False)]


@pytest.mark.parametrize(
    ("text", "moved_to"),
    [
        ("不是很满意", "dissatisfaction"),
        ("不太满意", "dissatisfaction"),
        ("不担心", "neutral"),
        ("别生气", "neutral"),
    ],
    ids=["not-very-satisfied", "not-too-satisfied", "not-worried", "dont-be-angry"],
)
def test_lexicon_negation_moves_weight(lexicon: EmotionLexicon, text: str, moved_to: str) -> None:
    (hit,) = lexicon.analyze(text).hits
    assert hit.negated
    assert hit.label == moved_to


def test_lexicon_negation_damps_inner_intensifier(lexicon: EmotionLexicon) -> None:
    plain = lexicon.analyze("满意").hits[0].weight
    negated = lexicon.analyze("不太满意").hits[0].weight
    assert negated < plain


def test_lexicon_a_not_a_question_is_not_negation(lexicon: EmotionLexicon) -> None:
    hits = lexicon.analyze("会不会亏光").hits
    assert [h.term for h in hits] == ["会不会", "亏光"]
    assert not any(h.negated for h in hits)
    assert _top(lexicon, "会不会亏光") == "anxiety"


def test_lexicon_double_negation_cancels(lexicon: EmotionLexicon) -> None:
    (hit,) = lexicon.analyze("不是不担心").hits
    assert (hit.label, hit.negated) == ("anxiety", False)


def test_lexicon_intensifiers_raise_and_downtoners_lower_weight(lexicon: EmotionLexicon) -> None:
    weight = {
        text: lexicon.analyze(text).scores["anxiety"] for text in ("有点担心", "担心", "非常担心", "担心死了")
    }
    assert weight["有点担心"] < weight["担心"] < weight["非常担心"]
    assert weight["担心"] < weight["担心死了"]


@pytest.mark.parametrize(
    ("calm", "emphatic"),
    [
        ("不满意", "不满意！！！"),
        ("不满意", "非常非常不满意"),
        ("钱呢", "钱呢？？？"),
        ("担心", "简直担心"),
    ],
    ids=["exclamation", "repetition", "question-run", "intensifier"],
)
def test_lexicon_intensity_cue_grows_with_emphasis(lexicon: EmotionLexicon, calm: str, emphatic: str) -> None:
    assert lexicon.analyze(calm).intensity < lexicon.analyze(emphatic).intensity


def test_lexicon_ordinary_reduplication_is_not_emphasis(lexicon: EmotionLexicon) -> None:
    assert lexicon.analyze("谢谢").repetitions == 0
    assert lexicon.analyze("啊啊啊").repetitions == 1


def test_lexicon_features_match_feature_names(lexicon: EmotionLexicon) -> None:
    row = lexicon.features("太气人了！！")
    assert len(row) == len(lexicon.feature_names())
    assert all(0.0 <= value <= 1.0 for value in row)


def test_lexicon_dict_round_trip(lexicon: EmotionLexicon) -> None:
    copy = EmotionLexicon.from_dict(lexicon.to_dict())
    assert copy.fingerprint() == lexicon.fingerprint()
    assert copy.analyze("非常不满意！") == lexicon.analyze("非常不满意！")


def test_lexicon_invalid_file_names_file(tmp_path: Path) -> None:
    bad = tmp_path / "lexicon.yml"
    bad.write_text("terms: {}\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match=str(bad)):
        EmotionLexicon.from_file(bad)
