"""Read the ``pipeline:`` of a Rasa-style ``config.yml`` into typed component specs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nlu.errors import ComponentConfigError, TrainingDataError
from nlu.registry import SUBSUMED, canonical_name
from nlu.yaml_source import compose_yaml, mapping_value, read_yaml_text

__all__ = ["ComponentSpec", "DEFAULT_PIPELINE", "load_pipeline_config", "specs_from_list"]

DEFAULT_PIPELINE: tuple[str, ...] = (
    "nlu.normalizer.v1",
    "nlu.pinyin_corrector.v1",
    "nlu.jieba_tokenizer.v1",
    "nlu.rule_entities.v1",
    "nlu.gazetteer.v1",
    "nlu.crf_tagger.v1",
    "nlu.synonym_mapper.v1",
    "nlu.intent_classifier.v1",
    "nlu.emotion_classifier.v1",
)

# Rasa settings that mean nothing to our components; accepted so Rasa configs load.
_RASA_ONLY_KEYS = frozenset(
    {
        "epochs",
        "analyzer",
        "min_ngram",
        "max_ngram",
        "constrain_similarities",
        "model_confidence",
        "entity_recognition",
        "intent_classification",
        "ambiguity_threshold",
        "dictionary_path",
        "features",
        "BILOU_flag",
        "random_seed",
        # RegexEntityExtractor (our gazetteer always uses lookup tables and folds case; it
        # has no word-boundary option, which Chinese configs turn off anyway)
        "case_sensitive",
        "use_lookup_tables",
        "use_regexes",
        "use_word_boundaries",
    }
)


@dataclass(frozen=True)
class ComponentSpec:
    """One pipeline entry: canonical component name, its setting overrides, its origin."""

    name: str
    overrides: dict[str, Any] = field(default_factory=dict)
    path: str | None = None
    line: int | None = None
    rasa_name: str | None = None


def specs_from_list(entries: list[dict[str, Any]] | None = None) -> list[ComponentSpec]:
    """Specs from plain dicts (``[{"name": ...}, ...]``); ``None`` gives the default pipeline."""
    if entries is None:
        return [ComponentSpec(name) for name in DEFAULT_PIPELINE]
    specs = (_spec(dict(entry), None, None) for entry in entries)
    return [spec for spec in specs if spec is not None]


def load_pipeline_config(path: str | Path) -> tuple[str, list[ComponentSpec]]:
    """Read ``language`` and ``pipeline`` from a config file.

    Returns:
        The language code and the specs (Rasa components we subsume are dropped; a
        missing or empty pipeline means the default pipeline).

    Raises:
        TrainingDataError: the file is not valid YAML or an entry is malformed.
        ComponentConfigError: an entry names an unknown component.
    """
    file = Path(path)
    text = read_yaml_text(file)
    root = compose_yaml(text, str(file))
    content = yaml.safe_load(text) or {}
    if not isinstance(content, dict):
        raise TrainingDataError("config must be a mapping", path=str(file), line=1, code="NLU011")
    language = str(content.get("language", "zh"))
    pipeline_node = mapping_value(root, "pipeline")
    entries = content.get("pipeline")
    if not entries:
        return language, specs_from_list(None)
    if not isinstance(entries, list) or pipeline_node is None:
        raise TrainingDataError("'pipeline' must be a list", path=str(file), code="NLU011")
    specs = []
    for entry, node in zip(entries, pipeline_node.value, strict=True):
        spec = _spec(entry, str(file), node.start_mark.line + 1)
        if spec is not None:
            specs.append(spec)
    return language, specs


def _spec(entry: Any, path: str | None, line: int | None) -> ComponentSpec | None:
    if not isinstance(entry, dict) or "name" not in entry:
        raise TrainingDataError("each pipeline entry needs a 'name'", path=path, line=line, code="NLU011")
    raw_name = str(entry.pop("name"))
    try:
        name = canonical_name(raw_name)
    except ComponentConfigError as exc:
        raise ComponentConfigError(exc.detail, path=path, line=line, code=exc.code, hint=exc.hint) from exc
    if name == SUBSUMED:
        return None
    overrides = {k: v for k, v in entry.items() if not (raw_name != name and k in _RASA_ONLY_KEYS)}
    return ComponentSpec(name, overrides, path, line, raw_name if raw_name != name else None)
