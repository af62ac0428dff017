"""Reading domain YAML into plain Python values that remember their line numbers.

Mappings become ``LineDict`` (``line`` of the mapping, ``key_lines`` per key, keys written
twice in ``duplicates``) and sequences ``LineList`` (``line``, ``item_lines``), so the
loader can point every error at its file and line. Booleans follow YAML 1.2 as Rasa's
reader does: only ``true``/``false``, so ``yes``/``no``/``on``/``off`` stay strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dialogue.errors import DomainError

__all__ = [
    "LineDict",
    "LineList",
    "Located",
    "check_duplicate_keys",
    "check_keys",
    "domain_error",
    "expect_list",
    "expect_mapping",
    "names",
    "plain",
    "read_yaml_file",
    "read_yaml_text",
]


class LineDict(dict[Any, Any]):
    """A YAML mapping with the 1-based line of itself and of each key."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[Any, int] = {}
        self.duplicates: list[tuple[Any, int]] = []

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A YAML sequence with the 1-based line of itself and of each item."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


@dataclass(frozen=True)
class Located:
    """A parsed declaration and where it was written."""

    name: str
    value: Any
    path: str
    line: int
    part_lines: tuple[int, ...] = ()  # lines of sub-items: mappings, variations, required slots


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans and line-aware containers."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise DomainError(
                "a mapping key must be a plain value",
                line=key_node.start_mark.line + 1,
                code="DOM002",
            ) from None
        key_line = key_node.start_mark.line + 1
        if key in out:
            out.duplicates.append((key, key_line))
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_line
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList()
    out.line = node.start_mark.line + 1
    for child in node.value:
        out.append(loader.construct_object(child, deep=True))
        out.item_lines.append(child.start_mark.line + 1)
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def domain_error(message: str, path: str, line: int | None, code: str, hint: str = "") -> DomainError:
    """A ``DomainError`` located at ``path:line``."""
    return DomainError(message, path=path, line=line or None, code=code, hint=hint)


def read_yaml_text(text: str, path: str) -> Any:
    """Parse ``text`` (from ``path``) into line-aware values.

    Raises:
        DomainError: invalid YAML (``DOM002``), with the line of the problem.
    """
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
    except DomainError as exc:
        raise domain_error(exc.detail, path, exc.line, exc.code) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise DomainError(
            f"invalid YAML: {exc.problem or exc.context}",
            path=path,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            code="DOM002",
            hint="check indentation and quoting on that line",
        ) from exc
    except yaml.YAMLError as exc:
        raise domain_error(f"invalid YAML: {exc}", path, None, "DOM002") from exc


def read_yaml_file(path: Path) -> Any:
    """Read and parse one YAML file.

    Raises:
        DomainError: unreadable file, not UTF-8, or invalid YAML (``DOM002``).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise domain_error("file is not valid UTF-8", str(path), None, "DOM002") from exc
    except OSError as exc:
        raise domain_error(f"cannot read file: {exc.strerror}", str(path), None, "DOM001") from exc
    return read_yaml_text(text, str(path))


def plain(value: Any) -> Any:
    """``value`` with line-aware containers turned into plain dicts and lists."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def check_duplicate_keys(mapping: LineDict, path: str, what: str) -> None:
    """Raise ``DOM040`` if a key of ``mapping`` was written twice."""
    for key, line in mapping.duplicates:
        raise domain_error(f"{what} {key!r} is written twice in this file", path, line, "DOM040")


def expect_list(value: Any, path: str, line: int, what: str) -> LineList:
    """``value`` as a list (``None`` -> empty), else ``DOM004``."""
    if value is None:
        empty = LineList()
        empty.line = line
        return empty
    if not isinstance(value, LineList):
        raise domain_error(f"'{what}' must be a list", path, line, "DOM004")
    return value


def expect_mapping(value: Any, path: str, line: int, what: str) -> LineDict:
    """``value`` as a mapping without duplicate keys (``None`` -> empty), else ``DOM004``."""
    if value is None:
        empty = LineDict()
        empty.line = line
        return empty
    if not isinstance(value, LineDict):
        raise domain_error(f"'{what}' must be a mapping", path, line, "DOM004")
    check_duplicate_keys(value, path, what)
    return value


def check_keys(options: LineDict, allowed: tuple[str, ...], path: str, what: str, code: str) -> None:
    """Raise ``code`` for the first key of ``options`` not in ``allowed``."""
    for key in options:
        if key not in allowed:
            raise domain_error(
                f"unknown key {key!r} in {what}",
                path,
                options.line_of(key),
                code,
                hint=f"allowed keys: {', '.join(allowed)}",
            )


def names(value: Any, path: str, line: int, what: str) -> tuple[str, ...]:
    """A name or a list of names, as a tuple; else ``DOM004``."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise domain_error(f"'{what}' must be a name or a list of names", path, line, "DOM004")
