from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score

from recommend.churn import FEATURES, REASONS, ChurnModel, churn_features, churn_labels, win_back_likelihood


def test_churn_model_scores_later_churners_higher(churn_dataset, churn_model) -> None:
    f = churn_features(churn_dataset, 45)
    y = churn_labels(churn_dataset, 45, 15)
    scores = churn_model.score(f.values[f.active])
    rule = f.column("days_since_login")[f.active]
    assert roc_auc_score(y[f.active], scores) > max(0.65, roc_auc_score(y[f.active], rule))


def test_churn_reasons_are_chinese_and_follow_contributions(churn_dataset, churn_model) -> None:
    model = churn_model
    values = churn_features(churn_dataset, 45).values[:1].copy()
    login = FEATURES.index("days_since_login")
    complaints = FEATURES.index("complaints_60d")
    values[0, login] = 90
    values[0, complaints] = 4
    reasons = model.reasons(values, k=len(FEATURES))[0]
    assert "已90天未登录" in reasons and reasons[0] == "近60天有4次投诉"  # the largest contribution first
    quiet = values.copy()
    quiet[0, login], quiet[0, complaints] = 0, 0
    quiet_reasons = model.reasons(quiet, k=len(FEATURES))[0]
    assert not any("未登录" in r or "投诉" in r for r in quiet_reasons)
    assessment = model.assess("客户甲", values[0])
    assert assessment.level in ("高", "中", "低") and 0 <= assessment.win_back <= 1
    assert set(REASONS) == set(FEATURES)


def test_win_back_is_lower_after_complaints_and_silence() -> None:
    base = np.zeros((2, len(FEATURES)))
    base[:, FEATURES.index("aum_log")] = 12
    base[1, FEATURES.index("complaints_60d")] = 3
    base[1, FEATURES.index("days_since_login")] = 60
    low, high = win_back_likelihood(base)[[1, 0]]
    assert low < high


def test_churn_model_refuses_single_class_labels(dataset) -> None:
    import pytest

    with pytest.raises(ValueError, match="both churned and retained"):
        ChurnModel().fit(churn_features(dataset, 25), np.zeros(len(dataset.customers), dtype=int))
