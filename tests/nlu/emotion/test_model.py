"""Tests of the label-agnostic EmotionModel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from nlu.emotion import EmotionLexicon, EmotionModel, ModelSettings

# A label set other than the customer emotions: the model must not care.
TEXTS = [
    "今天好开心",
    "开心极了",
    "真高兴",
    "太难过了",
    "好伤心",
    "难过得想哭",
    "吓死我了",
    "好可怕",
    "怕怕的",
]
LABELS = ["happy"] * 3 + ["sad"] * 3 + ["fear"] * 3


class _FakeEncoder:
    def encode(self, texts: list[str]) -> np.ndarray:
        rows = np.array([[len(t), t.count("开"), t.count("怕"), 1.0] for t in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def model(lexicon: EmotionLexicon) -> EmotionModel:
    return EmotionModel(lexicon=lexicon).fit(TEXTS, LABELS)


def test_model_learns_any_label_set(model: EmotionModel) -> None:
    assert model.labels == ["fear", "happy", "sad"]
    assert model.predict(["开心", "伤心", "可怕"]) == ["happy", "sad", "fear"]


def test_model_predict_one_matches_batch(model: EmotionModel) -> None:
    batch = model.predict_proba(["我好开心啊", "怕"])
    np.testing.assert_allclose(model.predict_one("我好开心啊"), batch[0], atol=1e-12)
    np.testing.assert_allclose(batch.sum(axis=1), 1.0)


def test_model_save_load_identical(model: EmotionModel, tmp_path: Path) -> None:
    model.save(tmp_path)
    loaded = EmotionModel.load(tmp_path)
    assert loaded.labels == model.labels
    assert loaded.lexicon is not None and loaded.lexicon.fingerprint() == model.lexicon.fingerprint()  # type: ignore[union-attr]
    texts = ["有点难过", "开心", "不怕"]
    assert np.array_equal(loaded.predict_proba(texts), model.predict_proba(texts))
    assert np.array_equal(loaded.predict_one("开心"), model.predict_one("开心"))


def test_model_without_lexicon_and_binary_labels() -> None:
    model = EmotionModel().fit(TEXTS[:6], LABELS[:6])
    probabilities = model.predict_proba(["开心", "伤心"])
    assert probabilities.shape == (2, 2)
    assert model.predict(["开心", "伤心"]) == ["happy", "sad"]


def test_model_dense_features(tmp_path: Path) -> None:
    model = EmotionModel(ModelSettings(dense_weight=2.0), encoder=_FakeEncoder()).fit(TEXTS, LABELS)
    assert model.dense_dim == 4
    model.save(tmp_path)
    with pytest.raises(ValueError, match="encoder"):
        EmotionModel.load(tmp_path)
    loaded = EmotionModel.load(tmp_path, encoder=_FakeEncoder())
    assert np.array_equal(loaded.predict_proba(TEXTS), model.predict_proba(TEXTS))


def test_model_rejects_single_label_and_length_mismatch() -> None:
    with pytest.raises(ValueError, match="two labels"):
        EmotionModel().fit(["a", "b"], ["x", "x"])
    with pytest.raises(ValueError, match="labels"):
        EmotionModel().fit(["a", "b"], ["x"])


def test_model_untrained_raises() -> None:
    with pytest.raises(RuntimeError, match="not trained"):
        EmotionModel().predict(["你好"])
