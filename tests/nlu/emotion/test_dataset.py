"""Tests of the emotion data format and loader."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from nlu.emotion import load_emotion_data, packaged_data_path
from nlu.errors import TrainingDataError
from nlu.message import EmotionLabel


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "emotion.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_packaged_data_has_80_examples_per_label() -> None:
    counts = Counter(e.label for e in load_emotion_data([packaged_data_path()]))
    assert set(counts) == {label.value for label in EmotionLabel}
    assert min(counts.values()) >= 80


def test_packaged_data_keeps_source_lines() -> None:
    first = load_emotion_data([packaged_data_path()])[0]
    assert first.source is not None
    line = packaged_data_path().read_text(encoding="utf-8").splitlines()[first.source.line - 1]
    assert first.text in line


def test_loader_reads_list_and_block_examples(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'version: "1"\nemotions:\n  - label: anger\n    examples:\n      - 气死了\n'
        "  - label: positive\n    examples: |\n      - 谢谢\n      - 真棒\n",
    )
    examples = load_emotion_data([path])
    assert [(e.text, e.label, e.source.line) for e in examples] == [  # type: ignore[union-attr]
        ("气死了", "anger", 5),
        ("谢谢", "positive", 8),
        ("真棒", "positive", 9),
    ]


def test_loader_bad_label_names_file_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'version: "1"\nemotions:\n  - label: anger\n    examples: [气死了]\n'
        "  - label: happy\n    examples: [开心]\n",
    )
    with pytest.raises(TrainingDataError) as info:
        load_emotion_data([path])
    assert (info.value.path, info.value.line, info.value.code) == (str(path), 5, "NLU031")
    assert f"{path}:5" in str(info.value)
    assert "happy" in str(info.value) and "dissatisfaction" in str(info.value)


def test_loader_custom_label_set(tmp_path: Path) -> None:
    path = _write(tmp_path, 'version: "1"\nemotions:\n  - label: happy\n    examples: [开心]\n')
    assert load_emotion_data([path], labels={"happy"})[0].label == "happy"


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('version: "1"\nemotions:\n  - label: anger\n', 3),
        ('version: "1"\nemotions:\n  - label: anger\n    examples: |\n      气死了\n', 5),
        ('version: "2"\nemotions: []\n', 1),
        ('version: "1"\nemotions: {anger: 1}\n', 2),
        ('version: "1"\nemotions:\n  - label: anger\n    examples: [气死了\n', 5),
    ],
    ids=["no-examples", "block-line-without-dash", "bad-version", "emotions-not-list", "broken-yaml"],
)
def test_loader_structure_errors_name_line(tmp_path: Path, content: str, line: int) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(TrainingDataError) as info:
        load_emotion_data([path])
    assert (info.value.path, info.value.line) == (str(path), line)


def test_loader_conflicting_labels_is_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'version: "1"\nemotions:\n  - label: anger\n    examples: [好吧]\n'
        "  - label: neutral\n    examples: [好吧]\n",
    )
    with pytest.raises(TrainingDataError, match="NLU032"):
        load_emotion_data([path])


def test_loader_missing_file_is_error(tmp_path: Path) -> None:
    with pytest.raises(TrainingDataError, match="no such emotion data file"):
        load_emotion_data([tmp_path / "missing.yml"])
