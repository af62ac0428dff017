from __future__ import annotations

import numpy as np

from recommend.churn import FEATURES, churn_features, churn_labels
from recommend.schema import EventKind


def test_churn_features_match_the_log_for_one_customer(dataset) -> None:
    f = churn_features(dataset, 30)
    assert f.values.shape == (len(dataset.customers), len(FEATURES)) and np.isfinite(f.values).all()
    e = dataset.events.between(-(10**6), 30)
    row = int(np.bincount(e.customer[e.kind == EventKind.LOGIN]).argmax())
    mine = e.select(e.customer == row)
    logins = mine.day[mine.kind == EventKind.LOGIN]
    assert f.column("days_since_login")[row] == 30 - logins.max()
    assert f.column("logins_14d")[row] == (logins >= 16).sum()
    assert f.column("complaints_60d")[row] == (mine.kind == EventKind.COMPLAINT).sum()


def test_churn_labels_and_active_mask_exclude_past_churners(dataset) -> None:
    f = churn_features(dataset, 30)
    e = dataset.events
    churned_before = np.unique(e.customer[(e.kind == EventKind.CHURN) & (e.day < 30)])
    assert not f.active[churned_before].any()
    labels = churn_labels(dataset, 30, 10)
    later = np.unique(e.customer[(e.kind == EventKind.CHURN) & (e.day >= 30) & (e.day < 40)])
    assert set(np.flatnonzero(labels)) == set(later.tolist())
