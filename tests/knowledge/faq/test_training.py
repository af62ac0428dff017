from __future__ import annotations

import numpy as np
import pytest

from knowledge.faq import FaqEntry, FaqError, PairMatcher, Thresholds
from knowledge.faq.matcher import load_model, save_model
from knowledge.faq.retriever import FEATURE_NAMES, FaqRetriever
from knowledge.faq.training import choose_thresholds, train_matcher


def test_choose_thresholds_separates_right_from_out_of_scope() -> None:
    in_scope = [[(0.95, True)]] * 20 + [[(0.6, False), (0.55, True)]] * 5
    out_of_scope = [0.3] * 20 + [0.5] * 2
    chosen = choose_thresholds(in_scope, out_of_scope)
    assert 0.6 < chosen.answer <= 0.95
    assert 0.5 < chosen.suggest <= 0.55


def test_train_matcher_on_small_faq_ranks_held_out_questions(
    warm_retriever: FaqRetriever, small_faq: tuple[FaqEntry, ...]
) -> None:
    published = [e for e in small_faq if e.faq_id not in {"draft_entry", "spring_campaign"}]
    matcher, thresholds, report = train_matcher(published, warm_retriever.encoder, seed=1)
    assert report.pairs > report.positive_pairs > 0
    assert report.in_scope_recall_at_1 >= 0.7
    assert 0.0 < thresholds.suggest <= thresholds.answer < 1.0
    assert matcher.predict(np.zeros((0, len(FEATURE_NAMES)))).shape == (0,)


def test_matcher_json_round_trip(tmp_path, warm_retriever: FaqRetriever) -> None:
    path = tmp_path / "model.json"
    save_model(path, warm_retriever.matcher, Thresholds(0.8, 0.4), {"note": "测试"})
    matcher, thresholds = load_model(path, FEATURE_NAMES)
    rows = np.random.default_rng(0).normal(size=(4, len(FEATURE_NAMES)))
    assert np.allclose(matcher.predict(rows), warm_retriever.matcher.predict(rows))
    assert thresholds == Thresholds(0.8, 0.4)
    with pytest.raises(FaqError, match="other features"):
        load_model(path, FEATURE_NAMES[:-1])


def test_matcher_rejects_one_class_and_unknown_kind() -> None:
    with pytest.raises(FaqError, match="both"):
        PairMatcher(("a",)).fit(np.zeros((3, 1)), np.zeros(3))
    with pytest.raises(FaqError, match="unknown matcher kind"):
        PairMatcher(("a",), "svm")
