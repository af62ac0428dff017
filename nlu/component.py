"""The interface every pipeline component implements.

A component is one class in one module with a frozen ``Config`` dataclass holding all
defaults, ``requires``/``provides`` naming the ``Message`` fields it reads and writes,
and the life cycle ``create -> initialize -> [train] -> process`` / ``persist -> load``.
Heavy resources (jieba dictionaries, models) load in ``initialize``, never at import.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from nlu.message import Message
from nlu.resources import Resources
from nlu.training_data import TrainingData

__all__ = ["Component", "build_config"]

C = TypeVar("C", bound="Component")


class Component:
    """Base class of NLU pipeline components."""

    @dataclasses.dataclass(frozen=True)
    class Config:
        """No settings by default; subclasses define their own frozen dataclass."""

    requires: ClassVar[tuple[str, ...]] = ()
    provides: ClassVar[tuple[str, ...]] = ()
    # Whether the training examples are passed through ``process`` before the next
    # component trains (False for a corrector: training data is taken as correct).
    process_training_data: ClassVar[bool] = True

    def __init__(self, config: Any, resources: Resources) -> None:
        self.config = config
        self.resources = resources

    @classmethod
    def create(cls: type[C], config: Any, resources: Resources) -> C:
        """Build an untrained component."""
        return cls(config, resources)

    def initialize(self) -> None:
        """Load heavy resources. Called once before ``train`` or ``process``."""

    def train(self, data: TrainingData, messages: list[Message]) -> None:
        """Learn from the bot's data; ``messages`` went through earlier components."""

    def process(self, message: Message) -> Message:
        """Read ``requires`` fields of ``message`` and write ``provides`` fields."""
        return message

    def persist(self, directory: Path) -> None:
        """Write what ``train`` learned into ``directory`` (created by the caller)."""

    @classmethod
    def load(cls: type[C], config: Any, resources: Resources, directory: Path) -> C:
        """Rebuild a trained component from ``persist``'s output."""
        component = cls.create(config, resources)
        component.initialize()
        return component


def build_config(config_cls: type[Any], overrides: dict[str, Any]) -> Any:
    """Merge user overrides into a component's frozen ``Config`` defaults.

    Raises:
        KeyError: an override names no field (the caller adds file and line).
        TypeError: a value has the wrong type for its field.
    """
    fields = {f.name: f for f in dataclasses.fields(config_cls)}
    unknown = sorted(set(overrides) - set(fields))
    if unknown:
        raise KeyError(", ".join(unknown))
    values: dict[str, Any] = {}
    for key, value in overrides.items():
        default = getattr(config_cls, key, None)
        if isinstance(default, tuple) and isinstance(value, list):
            value = tuple(value)
        elif isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        elif default is not None and not isinstance(value, type(default)):
            raise TypeError(f"{key} must be {type(default).__name__}, got {value!r}")
        values[key] = value
    return config_cls(**values)
