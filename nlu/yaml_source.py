"""Reading YAML content files so that every error names its file, line and column.

Training data, emotion data, stories, rules and flows all load through these helpers;
each caller passes its own error class (a ``TrainingDataError`` subclass) and code.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from nlu.errors import TrainingDataError

__all__ = ["compose_yaml", "mapping_value", "read_yaml_text", "yaml_files"]

_YAML_SUFFIXES = (".yml", ".yaml")


def yaml_files(
    paths: Iterable[str | Path], *, error: type[TrainingDataError] = TrainingDataError, code: str = "NLU001"
) -> list[Path]:
    """Files in ``paths``; folders are searched recursively for ``*.yml``/``*.yaml``.

    Raises:
        error: a path that is neither a file nor a folder.
    """
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in _YAML_SUFFIXES))
        elif path.is_file():
            files.append(path)
        else:
            raise error(f"no such file or folder: {path}", path=str(path), code=code)
    return files


def read_yaml_text(
    path: Path,
    *,
    error: type[TrainingDataError] = TrainingDataError,
    code: str = "NLU002",
    missing_code: str | None = None,
    kind: str = "file",
) -> str:
    """The file's text. Raises ``error`` when it is missing (``no such <kind>``) or not UTF-8."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error(f"no such {kind}", path=str(path), code=missing_code or code) from exc
    except UnicodeDecodeError as exc:
        raise error("file is not valid UTF-8", path=str(path), code=code) from exc


def compose_yaml(
    text: str, path: str, *, error: type[TrainingDataError] = TrainingDataError, code: str = "NLU002"
) -> yaml.Node | None:
    """The YAML node tree (nodes keep their line marks). Raises ``error`` at the bad line."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise error(
            f"invalid YAML: {exc.problem or exc.context}",
            path=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            code=code,
            hint="check indentation and quoting on that line",
        ) from exc


def mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node under ``key`` in a mapping node (``None`` if absent or not a mapping)."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None
