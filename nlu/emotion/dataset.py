"""Emotion-labelled examples: the YAML format and its loader.

Format::

    version: "1"
    emotions:
      - label: anger
        examples:
          - 你们这是什么服务！
      - label: positive
        examples: |
          - 谢谢，解决了

``examples`` is a list of strings or a ``|`` block of ``- `` lines, as in Rasa's nlu.yml.
Every error names the file and the line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.errors import TrainingDataError
from nlu.message import EmotionLabel
from nlu.training_data import SourceLocation
from nlu.yaml_source import compose_yaml, mapping_value, read_yaml_text

__all__ = ["EmotionExample", "load_emotion_data", "packaged_data_path"]

_VERSION = "1"


@dataclass(frozen=True)
class EmotionExample:
    """One utterance with its emotion label."""

    text: str
    label: str
    source: SourceLocation | None = None


def packaged_data_path() -> Path:
    """The Chinese wealth-management examples shipped with the package."""
    return Path(__file__).parent / "data" / "emotion_zh.yml"


def load_emotion_data(
    paths: Iterable[str | Path], *, labels: Iterable[str] | None = None
) -> list[EmotionExample]:
    """Load and concatenate emotion data files.

    Args:
        paths: YAML files in the format of this module's docstring.
        labels: the allowed labels; ``EmotionLabel`` values when None.

    Raises:
        TrainingDataError: unreadable YAML, a bad structure, an unknown label or one
            text given two labels, with the file and line.
    """
    allowed = set(labels) if labels is not None else {label.value for label in EmotionLabel}
    examples: list[EmotionExample] = []
    for path in paths:
        examples.extend(_load_file(Path(path), allowed))
    _check_conflicts(examples)
    return examples


def _structure_error(message: str, path: Path, node: yaml.Node, hint: str = "") -> TrainingDataError:
    return TrainingDataError(message, path=str(path), line=node.start_mark.line + 1, code="NLU030", hint=hint)


def _load_file(path: Path, allowed: set[str]) -> list[EmotionExample]:
    root = compose_yaml(read_yaml_text(path, missing_code="NLU001", kind="emotion data file"), str(path))
    if root is None or not isinstance(root, yaml.MappingNode):
        raise TrainingDataError(
            "an emotion data file must be a mapping with 'version' and 'emotions'",
            path=str(path),
            line=1,
            code="NLU030",
        )
    version = mapping_value(root, "version")
    if version is not None and (not isinstance(version, yaml.ScalarNode) or version.value != _VERSION):
        raise _structure_error(f"unsupported version, expected {_VERSION!r}", path, version)
    emotions = mapping_value(root, "emotions")
    if emotions is None or not isinstance(emotions, yaml.SequenceNode):
        raise _structure_error("'emotions' must be a list of '- label: ...' entries", path, emotions or root)
    examples: list[EmotionExample] = []
    for entry in emotions.value:
        examples.extend(_load_entry(entry, path, allowed))
    return examples


def _load_entry(entry: yaml.Node, path: Path, allowed: set[str]) -> list[EmotionExample]:
    if not isinstance(entry, yaml.MappingNode):
        raise _structure_error(
            "each emotion entry must be a mapping with 'label' and 'examples'", path, entry
        )
    label_node = mapping_value(entry, "label")
    if label_node is None or not isinstance(label_node, yaml.ScalarNode):
        raise _structure_error("emotion entry has no 'label'", path, entry)
    label = str(label_node.value).strip()
    if label not in allowed:
        raise TrainingDataError(
            f"unknown emotion label {label!r}",
            path=str(path),
            line=label_node.start_mark.line + 1,
            column=label_node.start_mark.column + 1,
            code="NLU031",
            hint="use one of " + ", ".join(sorted(allowed)),
        )
    examples_node = mapping_value(entry, "examples")
    if examples_node is None:
        raise _structure_error(f"emotion {label!r} has no 'examples'", path, entry)
    source = str(path)
    return [
        EmotionExample(text, label, SourceLocation(source, line))
        for text, line in _example_lines(examples_node, path, label)
    ]


def _example_lines(node: yaml.Node, path: Path, label: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            if not isinstance(child, yaml.ScalarNode):
                raise _structure_error(f"an example of {label!r} must be a string", path, child)
            text = str(child.value).strip()
            if text:
                out.append((text, child.start_mark.line + 1))
        return out
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        first = node.start_mark.line + 1
        for offset, raw in enumerate(str(node.value).split("\n")):
            stripped = raw.strip()
            if not stripped:
                continue
            if not stripped.startswith("- "):
                raise TrainingDataError(
                    f"example {stripped!r} of {label!r} must start with '- '",
                    path=str(path),
                    line=first + offset + 1,
                    code="NLU030",
                )
            out.append((stripped[2:].strip(), first + offset + 1))
        return out
    raise _structure_error(f"'examples' of {label!r} must be a list or a '|' block", path, node)


def _check_conflicts(examples: list[EmotionExample]) -> None:
    seen: dict[str, EmotionExample] = {}
    for example in examples:
        earlier = seen.setdefault(example.text, example)
        if earlier.label != example.label:
            source = example.source
            raise TrainingDataError(
                f"{example.text!r} is labelled {example.label!r} here"
                f" and {earlier.label!r} at {earlier.source}",
                path=source.path if source else None,
                line=source.line if source else None,
                code="NLU032",
                hint="keep one label per text",
            )
