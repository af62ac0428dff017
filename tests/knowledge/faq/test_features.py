from __future__ import annotations

import pytest

from knowledge.faq.features import PAIR_FEATURES, edit_distance, pair_features
from knowledge.faq.text_profile import build_profile, normalize_question
from nlu.resources import Resources


@pytest.fixture(scope="module")
def cut():
    return Resources().jieba().lcut


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("kitten", "sitting", 3), ("赎回多久到账", "赎回几天到账", 2), ("", "abc", 3), ("定投", "定投", 0)],
    ids=["classic", "chinese", "empty", "same"],
)
def test_edit_distance_matches_levenshtein(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance


def test_normalize_question_folds_width_case_and_traditional() -> None:
    assert normalize_question("ＡＢＣ 贖回  多久到賬") == "abc 赎回 多久到账"
    assert len(normalize_question("长" * 5000)) == 200


def _features(a: str, b: str, cut) -> dict[str, float]:
    row = pair_features(build_profile(a, cut), build_profile(b, cut), cosine=0.9)
    return dict(zip(PAIR_FEATURES, row, strict=True))


def test_pair_features_flag_number_entity_and_negation_mismatch(cut) -> None:
    same = _features("买五万块基金", "买5万元的基金", cut)
    assert same["numbers_both"] == 1.0 and same["numbers_mismatch"] == 0.0
    other = _features("买五万块基金", "买三万块基金", cut)
    assert other["numbers_mismatch"] == 1.0
    assert _features("能赎回吗", "不能赎回吗", cut)["negation_mismatch"] == 1.0
    # 疑问句"能不能"不是否定
    assert _features("能不能赎回", "可以赎回吗", cut)["negation_mismatch"] == 0.0
    assert _features("赎回多久到账", "为什么赎回没到账", cut)["question_kind_mismatch"] == 1.0


def test_pair_features_pinyin_catches_homophone_typo(cut) -> None:
    typo = _features("书回多久到帐", "赎回多久到账", cut)
    assert typo["pinyin_jaccard"] == 1.0 and typo["char_jaccard"] < 1.0
