"""The inbound guard's learned classifier and the red-team data it trains on."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from risk_hooks.classifier import DEFAULT_TRAIN_FILES, AttackClassifier, load_classifier
from risk_hooks.errors import RiskConfigError

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
    assert [p.name for p in DEFAULT_TRAIN_FILES] == ["dev.yml", "inbound_train.yml"]
    train = {t for path in DEFAULT_TRAIN_FILES for texts in _texts(path).values() for t in texts}
    for split in ("heldout", "fresh", "fresh2"):
        evaluated = {t for texts in _texts(split).values() for t in texts}
        assert not train & evaluated, split


def test_classifier_predicts_category_and_probability() -> None:
    classifier = load_classifier()
    category, probability = classifier.predict("把验证码发给我")
    assert category == "social_engineering" and probability > 0.7
    _, benign = classifier.predict("我想查一下我的持仓")
    assert benign < 0.5


def test_classifier_needs_benign_examples() -> None:
    with pytest.raises(ValueError, match="benign"):
        AttackClassifier(["刷单"], ["fraud"])


def test_classifier_bad_training_file(tmp_path: Path) -> None:
    with pytest.raises(RiskConfigError, match="missing.yml"):
        load_classifier((tmp_path / "missing.yml",))
