"""Rasa 3.x ``nlu.yml`` training data: types and a loader that keeps line numbers.

Supported: intents with block-scalar or list examples, entity annotations
``[五万](amount)``, ``[基金](product:鸡金)``, ``[x]{"entity": "e", "role": "r", "group": "g",
"value": "v"}``, synonyms, regexes and lookup tables, spread over several files.
Every error names the file and line it comes from.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from nlu.errors import TrainingDataError
from nlu.yaml_source import compose_yaml, mapping_value, read_yaml_text, yaml_files

__all__ = [
    "AnnotatedEntity",
    "Example",
    "SourceLocation",
    "TrainingData",
    "load_training_data",
    "parse_annotated_example",
]

_ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<short>[^()]*)\)|(?P<json>\{[^{}]*\}))")
_ENTITY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-.]*$")


@dataclass(frozen=True)
class SourceLocation:
    """Where a piece of training data was written."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class AnnotatedEntity:
    """An entity annotated in an example; ``start``/``end`` index the plain text."""

    entity: str
    value: str
    start: int
    end: int
    role: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Example:
    """One training utterance."""

    text: str
    intent: str | None
    entities: tuple[AnnotatedEntity, ...] = ()
    source: SourceLocation | None = None


@dataclass
class TrainingData:
    """Everything an NLU pipeline learns from.

    Attributes:
        synonyms: variant text -> canonical value (``鸡金`` -> ``基金``).
        regexes: regex feature name -> patterns.
        lookups: lookup table name -> elements.
    """

    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)

    @property
    def intents(self) -> list[str]:
        return sorted({e.intent for e in self.examples if e.intent})

    @property
    def entity_types(self) -> list[str]:
        return sorted({a.entity for e in self.examples for a in e.entities})

    @property
    def intent_examples(self) -> list[Example]:
        return [e for e in self.examples if e.intent]

    def intent_counts(self) -> Counter[str]:
        return Counter(e.intent for e in self.examples if e.intent)

    def domain_words(self) -> set[str]:
        """Words the tokenizer must keep whole and the corrector may aim at."""
        words: set[str] = set()
        for example in self.examples:
            for ann in example.entities:
                words.add(example.text[ann.start : ann.end])
                words.add(ann.value)
        words.update(self.synonyms)
        words.update(self.synonyms.values())
        for elements in self.lookups.values():
            words.update(elements)
        # single characters and long free text make poor dictionary words
        return {w for w in words if 2 <= len(w) <= 20 and not w.isascii()}

    def merge(self, other: TrainingData) -> TrainingData:
        """A new TrainingData with both sets' content."""
        regexes = {k: list(v) for k, v in self.regexes.items()}
        for key, patterns in other.regexes.items():
            regexes.setdefault(key, []).extend(patterns)
        lookups = {k: list(v) for k, v in self.lookups.items()}
        for key, elements in other.lookups.items():
            lookups.setdefault(key, []).extend(elements)
        return TrainingData(
            examples=self.examples + other.examples,
            synonyms={**self.synonyms, **other.synonyms},
            regexes=regexes,
            lookups=lookups,
        )


def parse_annotated_example(
    raw: str, *, path: str = "<text>", line: int | None = None
) -> tuple[str, tuple[AnnotatedEntity, ...]]:
    """Strip Rasa entity markup from ``raw``; return plain text and entities.

    Raises:
        TrainingDataError: malformed markup (unbalanced brackets, bad JSON, bad name).
    """
    plain: list[str] = []
    entities: list[AnnotatedEntity] = []
    cursor = 0
    length = 0
    for match in _ANNOTATION.finditer(raw):
        before = raw[cursor : match.start()]
        _check_no_stray_brackets(before, raw, path, line)
        plain.append(before)
        length += len(before)
        span_text = match.group("text")
        entity, value, role, group = _parse_annotation_target(match, path, line)
        entities.append(
            AnnotatedEntity(
                entity=entity,
                value=value if value is not None else span_text,
                start=length,
                end=length + len(span_text),
                role=role,
                group=group,
            )
        )
        plain.append(span_text)
        length += len(span_text)
        cursor = match.end()
    rest = raw[cursor:]
    _check_no_stray_brackets(rest, raw, path, line)
    plain.append(rest)
    return "".join(plain), tuple(entities)


def _check_no_stray_brackets(fragment: str, raw: str, path: str, line: int | None) -> None:
    if "[" in fragment or "](" in fragment:
        raise TrainingDataError(
            f"malformed entity annotation in example {raw!r}",
            path=path,
            line=line,
            code="NLU003",
            hint="write entities as [text](entity) or [text](entity:value)",
        )


def _parse_annotation_target(
    match: re.Match[str], path: str, line: int | None
) -> tuple[str, str | None, str | None, str | None]:
    value: str | None = None
    role: str | None = None
    group: str | None = None
    if match.group("json") is not None:
        try:
            spec = json.loads(match.group("json"))
        except json.JSONDecodeError as exc:
            raise TrainingDataError(
                f"entity annotation {match.group(0)!r} is not valid JSON: {exc.msg}",
                path=path,
                line=line,
                code="NLU004",
                hint='write {"entity": "name", "value": "..."} with double quotes',
            ) from exc
        if not isinstance(spec, dict) or "entity" not in spec:
            raise TrainingDataError(
                f"entity annotation {match.group(0)!r} has no 'entity' key",
                path=path,
                line=line,
                code="NLU004",
            )
        entity = str(spec["entity"])
        value = None if spec.get("value") is None else str(spec["value"])
        role = None if spec.get("role") is None else str(spec["role"])
        group = None if spec.get("group") is None else str(spec["group"])
    else:
        short = match.group("short").strip()
        entity, _, synonym_value = short.partition(":")
        entity = entity.strip()
        value = synonym_value.strip() or None
    if not _ENTITY_NAME.match(entity):
        raise TrainingDataError(
            f"invalid entity name {entity!r} in {match.group(0)!r}",
            path=path,
            line=line,
            code="NLU005",
            hint="entity names are ASCII identifiers such as amount or product_name",
        )
    return entity, value, role, group


def load_training_data(
    paths: Iterable[str | Path], *, known_entities: Iterable[str] | None = None
) -> TrainingData:
    """Load and merge Rasa 3.x NLU files (files or folders of ``*.yml``/``*.yaml``).

    Args:
        paths: files or directories; directories are searched recursively, and
            files without an ``nlu:`` key (domain, stories) are skipped.
        known_entities: if given, an annotation with another entity is an error.

    Raises:
        TrainingDataError: unreadable YAML or invalid content, with file and line.
    """
    data = TrainingData()
    files = yaml_files(paths)
    for file in files:
        data = data.merge(_load_file(file))
    if known_entities is not None:
        _check_entities(data, set(known_entities))
    return data


def _load_file(path: Path) -> TrainingData:
    root = compose_yaml(read_yaml_text(path), str(path))
    data = TrainingData()
    if root is None or not isinstance(root, yaml.MappingNode):
        return data
    nlu_node = mapping_value(root, "nlu")
    if nlu_node is None:
        return data
    where = str(path)
    if not isinstance(nlu_node, yaml.SequenceNode):
        raise TrainingDataError(
            "'nlu' must be a list of intents, synonyms, regexes and lookups",
            path=where,
            line=nlu_node.start_mark.line + 1,
            code="NLU006",
        )
    for item in nlu_node.value:
        _load_item(item, where, data)
    return data


def _load_item(item: yaml.Node, path: str, data: TrainingData) -> None:
    line = item.start_mark.line + 1
    if not isinstance(item, yaml.MappingNode):
        raise TrainingDataError(
            "each 'nlu' entry must be a mapping like '- intent: name'",
            path=path,
            line=line,
            code="NLU006",
        )
    kinds = [k for k in ("intent", "synonym", "regex", "lookup") if mapping_value(item, k) is not None]
    if len(kinds) != 1:
        raise TrainingDataError(
            "an 'nlu' entry needs exactly one of intent, synonym, regex, lookup",
            path=path,
            line=line,
            code="NLU006",
        )
    kind = kinds[0]
    name_node = mapping_value(item, kind)
    name = name_node.value if isinstance(name_node, yaml.ScalarNode) else None
    if not name or not str(name).strip():
        raise TrainingDataError(f"empty {kind} name", path=path, line=line, code="NLU006")
    name = str(name).strip()
    lines = _example_lines(mapping_value(item, "examples"), path, line, kind, name)
    if kind == "intent":
        for raw, raw_line in lines:
            text, entities = parse_annotated_example(raw, path=path, line=raw_line)
            if not text.strip():
                continue
            data.examples.append(Example(text, name, entities, SourceLocation(path, raw_line)))
    elif kind == "synonym":
        for raw, _ in lines:
            data.synonyms[raw] = name
    elif kind == "regex":
        for raw, raw_line in lines:
            try:
                re.compile(raw)
            except re.error as exc:
                raise TrainingDataError(
                    f"regex {name!r}: invalid pattern {raw!r}: {exc}",
                    path=path,
                    line=raw_line,
                    code="NLU007",
                ) from exc
            data.regexes.setdefault(name, []).append(raw)
    else:
        data.lookups.setdefault(name, []).extend(raw for raw, _ in lines)


def _example_lines(
    node: yaml.Node | None, path: str, line: int, kind: str, name: str
) -> list[tuple[str, int]]:
    """The ``- item`` lines of an ``examples`` block with their 1-based file lines."""
    if node is None:
        raise TrainingDataError(f"{kind} {name!r} has no 'examples'", path=path, line=line, code="NLU006")
    out: list[tuple[str, int]] = []
    if isinstance(node, yaml.ScalarNode):
        first = node.start_mark.line + (1 if node.style in ("|", ">") else 0)
        for offset, text_line in enumerate(str(node.value).split("\n")):
            stripped = text_line.strip()
            if not stripped:
                continue
            if not stripped.startswith("- "):
                raise TrainingDataError(
                    f"example {stripped!r} of {kind} {name!r} must start with '- '",
                    path=path,
                    line=first + offset + 1,
                    code="NLU006",
                )
            out.append((stripped[2:].strip(), first + offset + 1))
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            child_line = child.start_mark.line + 1
            if isinstance(child, yaml.MappingNode):
                text_node = mapping_value(child, "text")
                if text_node is None or not isinstance(text_node, yaml.ScalarNode):
                    raise TrainingDataError(
                        "list examples need a 'text' key", path=path, line=child_line, code="NLU006"
                    )
                out.append((str(text_node.value).strip(), child_line))
            elif isinstance(child, yaml.ScalarNode):
                out.append((str(child.value).strip(), child_line))
            else:
                raise TrainingDataError("bad example", path=path, line=child_line, code="NLU006")
    else:
        raise TrainingDataError(
            f"'examples' of {kind} {name!r} must be a block ('|') or a list",
            path=path,
            line=node.start_mark.line + 1,
            code="NLU006",
        )
    return out


def _check_entities(data: TrainingData, known: set[str]) -> None:
    for example in data.examples:
        for ann in example.entities:
            if ann.entity not in known:
                src = example.source
                raise TrainingDataError(
                    f"unknown entity {ann.entity!r} in example {example.text!r}",
                    path=src.path if src else None,
                    line=src.line if src else None,
                    code="NLU008",
                    hint="declare it under 'entities:' in domain.yml "
                    f"(known: {', '.join(sorted(known)) or 'none'})",
                )
