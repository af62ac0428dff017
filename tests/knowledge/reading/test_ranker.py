"""The span ranker: JSON round trip, clear errors, the shipped file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.reading.ranker import RankerError, SpanRanker, train_ranker
from knowledge.reading.spans import FEATURE_NAMES


def _data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    features = rng.random((400, len(FEATURE_NAMES)))
    return features, (features[:, 1] + features[:, 2] > 1.0).astype(int)


@pytest.mark.parametrize("kind", ["gbdt", "linear"])
def test_ranker_round_trips_through_json(tmp_path: Path, kind: str) -> None:
    import sklearn.ensemble  # noqa: F401  (loads OpenMP, so that the limit below reaches it)
    from threadpoolctl import threadpool_limits

    features, labels = _data()
    with threadpool_limits(1):  # OpenMP threads spin on a busy machine: one is much faster here
        ranker = train_ranker(features, labels, kind=kind, iterations=10)
    ranker.with_threshold(0.3).save(tmp_path / "ranker.json")
    loaded = SpanRanker.load(tmp_path / "ranker.json")
    assert loaded.no_answer_threshold == 0.3
    assert np.allclose(loaded.probability(features), ranker.probability(features), atol=1e-5)
    assert ((loaded.probability(features) > 0.5) == labels).mean() > 0.8


def test_ranker_needs_both_labels() -> None:
    features, _ = _data()
    with pytest.raises(RankerError, match="both"):
        train_ranker(features, np.zeros(len(features), dtype=int))


def test_ranker_rejects_a_file_for_other_features(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text('{"features": ["bias"], "kind": "linear", "bias": 0}', encoding="utf-8")
    with pytest.raises(RankerError, match="other features"):
        SpanRanker.load(path)


def test_ranker_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(RankerError, match="nowhere.json"):
        SpanRanker.load(tmp_path / "nowhere.json")


def test_shipped_ranker_loads() -> None:
    ranker = SpanRanker.load()
    assert ranker.kind == "gbdt" and ranker.trees
    assert 0.0 <= ranker.no_answer_threshold < 1.0
