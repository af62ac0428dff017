"""The NLU pipeline: builds components from specs, trains, persists, loads and parses."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from nlu.component import Component, build_config
from nlu.errors import ComponentConfigError, ModelNotTrainedError, TrainingDataError
from nlu.message import Entity, Message, ParseResult
from nlu.pipeline_config import ComponentSpec
from nlu.registry import resolve
from nlu.resources import Resources
from nlu.training_data import TrainingData

__all__ = ["MAX_TEXT_CHARS", "Pipeline", "TrainReport"]

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2000  # longer input is cut here and flagged ``truncated``
_MODEL_FORMAT = 1
# When two extractors find the same entity type on overlapping text, trust the more
# precise one: validated rules, then the operator's gazetteer, then the learned tagger.
_EXTRACTOR_PRIORITY = {"rules": 3, "gazetteer": 2, "crf": 1}

ProgressCallback = Callable[[str, int, int], None]


@dataclass
class TrainReport:
    """What training did, for the CLI and the logs."""

    seconds_per_component: dict[str, float] = field(default_factory=dict)
    n_examples: int = 0
    n_intents: int = 0

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds_per_component.values())


class Pipeline:
    """An ordered list of components sharing one ``Resources``."""

    def __init__(self, specs: list[ComponentSpec], components: list[Component], resources: Resources):
        self.specs = specs
        self.components = components
        self.resources = resources
        self.trained = False
        # components keep caches and a native encoder handle: one parse at a time
        self._lock = threading.Lock()

    @classmethod
    def from_specs(cls, specs: list[ComponentSpec], resources: Resources | None = None) -> Pipeline:
        """Create (untrained) components; setting errors point at the config line."""
        resources = resources or Resources()
        components = [_create(spec, resources) for spec in specs]
        return cls(specs, components, resources)

    def train(self, data: TrainingData, progress: ProgressCallback | None = None) -> TrainReport:
        """Train every component in order on ``data``."""
        if not data.intent_examples:
            raise TrainingDataError("the training data has no intent examples", code="NLU020")
        report = TrainReport(n_examples=len(data.intent_examples), n_intents=len(data.intents))
        self.resources.add_domain_words(data.domain_words())
        messages = [_training_message(example) for example in data.examples]
        for index, (spec, component) in enumerate(zip(self.specs, self.components, strict=True)):
            if progress:
                progress(spec.name, index, len(self.components))
            started = time.perf_counter()
            component.initialize()
            component.train(data, messages)
            if component.process_training_data:
                messages = [component.process(m) for m in messages]
            report.seconds_per_component[spec.name] = time.perf_counter() - started
        if progress:
            progress("done", len(self.components), len(self.components))
        self.trained = True
        return report

    def process(self, text: str) -> Message:
        """Run every component on ``text``; returns the full internal message."""
        if not self.trained:
            raise ModelNotTrainedError("train or load the pipeline before parsing")
        truncated = len(text) > MAX_TEXT_CHARS
        message = Message(text[:MAX_TEXT_CHARS] if truncated else text, truncated=truncated)
        with self._lock:
            for component in self.components:
                message = component.process(message)
        message.entities = _resolve_overlaps(message.entities)
        return message

    def parse(self, text: str) -> ParseResult:
        """Parse one utterance into intent, entities, emotion and corrections."""
        return ParseResult.from_message(self.process(text))

    def persist(self, directory: str | Path) -> Path:
        """Write the trained pipeline into ``directory`` (created if needed)."""
        if not self.trained:
            raise ModelNotTrainedError("nothing to persist: the pipeline is not trained")
        root = Path(directory)
        root.mkdir(parents=True, exist_ok=True)
        entries = []
        for index, (spec, component) in enumerate(zip(self.specs, self.components, strict=True)):
            folder = f"{index:02d}_{spec.name}"
            (root / folder).mkdir(exist_ok=True)
            component.persist(root / folder)
            entries.append({"name": spec.name, "config": asdict(component.config), "folder": folder})
        meta = {
            "format": _MODEL_FORMAT,
            "components": entries,
            "domain_words": sorted(self.resources.domain_words),
            "trained_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        }
        (root / "pipeline.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        return root

    @classmethod
    def load(cls, directory: str | Path, resources: Resources | None = None) -> Pipeline:
        """Load a pipeline written by ``persist``."""
        root = Path(directory)
        meta_file = root / "pipeline.json"
        if not meta_file.exists():
            raise ModelNotTrainedError(f"no trained model in {root} (run `wealthbot train`)")
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("format") != _MODEL_FORMAT:
            raise ModelNotTrainedError(f"model in {root} has an old format; train again")
        resources = resources or Resources()
        resources.add_domain_words(set(meta["domain_words"]))
        specs, components = [], []
        for entry in meta["components"]:
            spec = ComponentSpec(entry["name"], entry["config"])
            component_cls = resolve(spec.name)
            config = build_config(component_cls.Config, entry["config"])
            components.append(component_cls.load(config, resources, root / entry["folder"]))
            specs.append(spec)
        pipeline = cls(specs, components, resources)
        pipeline.trained = True
        return pipeline


def _create(spec: ComponentSpec, resources: Resources) -> Component:
    component_cls = resolve(spec.name)
    try:
        config = build_config(component_cls.Config, spec.overrides)
    except KeyError as exc:
        known = ", ".join(f.name for f in component_cls.Config.__dataclass_fields__.values())
        raise ComponentConfigError(
            f"{spec.name}: unknown setting(s) {exc.args[0]}",
            path=spec.path,
            line=spec.line,
            code="NLU012",
            hint=f"settings of {spec.name}: {known or 'none'}",
        ) from exc
    except TypeError as exc:
        raise ComponentConfigError(
            f"{spec.name}: {exc}", path=spec.path, line=spec.line, code="NLU013"
        ) from exc
    return component_cls.create(config, resources)  # type: ignore[no-any-return]


def _training_message(example: Any) -> Message:
    message = Message(example.text, gold_intent=example.intent)
    message.gold_entities = [
        Entity(a.entity, a.value, a.start, a.end, example.text[a.start : a.end], "gold", 1.0, a.role, a.group)
        for a in example.entities
    ]
    return message


def _resolve_overlaps(entities: list[Entity]) -> list[Entity]:
    """Drop an entity overlapping a same-type entity from a more trusted extractor."""

    def rank(entity: Entity) -> tuple[int, int, float]:
        return (_EXTRACTOR_PRIORITY.get(entity.extractor, 0), entity.end - entity.start, entity.confidence)

    kept: list[Entity] = []
    for entity in sorted(entities, key=rank, reverse=True):
        clash = any(k.entity == entity.entity and k.start < entity.end and entity.start < k.end for k in kept)
        if not clash:
            kept.append(entity)
    return sorted(kept, key=lambda e: (e.start, e.end))
