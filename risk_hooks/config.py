"""A bot's risk settings: the optional ``risk.yml`` in its folder, overrides only.

::

    inbound:
      enabled: true
      mask_stored_text: true          # the tracker keeps PII-masked user text
      disabled_rules: [abusive_language]   # rule ids or categories
      decisions: {abuse: block}       # per-category decision override
      abuse_handoff_after: 3
      classifier_threshold: 0.6       # the learned classifier warns from this p(attack) ...
      classifier_block_threshold: 2   # ... and decides like the rules from this (> 1, default: never)
      rate_limit:
        sender: {capacity: 20, per_minute: 30}
        device: {capacity: 30, per_minute: 60}
      bonus_hunting: {max_accounts_per_device: 3, block_at_signals: 3}
    outbound:
      enabled: true
      extra_product_names: [安心宝]
    suitability: {elderly_age: 65, elderly_blocked_from_level: 4, concentration_limit: 0.5}
    aml: {structuring_threshold: 50000, rapid_days: 3, large_transfer: 50000}

Every key not listed is an error naming the file and the key; defaults live in the dataclasses.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from risk_hooks.aml import AmlConfig
from risk_hooks.bonus import BonusHuntingConfig
from risk_hooks.errors import RiskConfigError
from risk_hooks.inbound import GuardConfig
from risk_hooks.ratelimit import RateLimit
from risk_hooks.rules import DECISIONS
from risk_hooks.suitability import SuitabilityPolicy

__all__ = ["RISK_CONFIG_FILE", "InboundSettings", "OutboundSettings", "RiskConfig", "load_risk_config"]

RISK_CONFIG_FILE = "risk.yml"


@dataclass(frozen=True)
class RateLimitSettings:
    sender: RateLimit = RateLimit(capacity=20, per_minute=30.0)  # a questionnaire of button clicks fits
    device: RateLimit = RateLimit(capacity=30, per_minute=60.0)


@dataclass(frozen=True)
class InboundSettings:
    """``inbound:`` (see the module docstring)."""

    enabled: bool = True
    mask_stored_text: bool = True
    disabled_rules: tuple[str, ...] = ()
    decisions: dict[str, str] = field(default_factory=dict)
    abuse_handoff_after: int = 3
    classifier_threshold: float = GuardConfig.classifier_threshold
    classifier_block_threshold: float = 2.0  # off: see GuardConfig
    rate_limit: RateLimitSettings = RateLimitSettings()
    bonus_hunting: BonusHuntingConfig = BonusHuntingConfig()

    def guard_config(self) -> GuardConfig:
        """The inbound guard's configuration."""
        return GuardConfig(
            disabled=frozenset(self.disabled_rules),
            decisions=dict(self.decisions),
            sender_limit=self.rate_limit.sender,
            device_limit=self.rate_limit.device,
            bonus=self.bonus_hunting,
            abuse_handoff_after=self.abuse_handoff_after,
            classifier_threshold=self.classifier_threshold,
            classifier_block_threshold=(
                self.classifier_block_threshold if self.classifier_block_threshold <= 1 else None
            ),
        )


@dataclass(frozen=True)
class OutboundSettings:
    """``outbound:``: the filter on/off and product names beyond the caller's."""

    enabled: bool = True
    extra_product_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class RiskConfig:
    """Everything in a bot's ``risk.yml``."""

    inbound: InboundSettings = InboundSettings()
    outbound: OutboundSettings = OutboundSettings()
    suitability: SuitabilityPolicy = SuitabilityPolicy()
    aml: AmlConfig = AmlConfig()


def load_risk_config(bot_root: Path) -> RiskConfig:
    """Read ``bot_root/risk.yml``; defaults when the file does not exist.

    Raises:
        RiskConfigError: the file is not valid YAML, has an unknown key (named with the
            file), or a value of the wrong type or out of range.
    """
    path = Path(bot_root) / RISK_CONFIG_FILE
    if not path.exists():
        return RiskConfig()
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RiskConfigError(path, "", f"cannot read: {exc}") from exc
    config = _build(RiskConfig, content or {}, path, "")
    for category, decision in config.inbound.decisions.items():
        if decision not in DECISIONS:
            raise RiskConfigError(
                path, f"inbound.decisions.{category}", f"{decision!r} is not one of {DECISIONS}"
            )
    return config


def _build(cls: type[Any], data: Any, path: Path, key: str) -> Any:
    """An instance of dataclass ``cls`` from a mapping, checking every key and value type."""
    if not isinstance(data, Mapping):
        raise RiskConfigError(path, key, f"expected a mapping, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls) if f.init}
    values: dict[str, Any] = {}
    for name, value in data.items():
        where = f"{key}.{name}" if key else str(name)
        if name not in known:
            raise RiskConfigError(path, where, f"unknown key; allowed here: {', '.join(sorted(known))}")
        values[name] = _value(hints[name], _default(known[name]), value, path, where)
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise RiskConfigError(path, key or "(top level)", str(exc)) from exc


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else None


def _value(hint: Any, default: Any, value: Any, path: Path, where: str) -> Any:
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, path, where)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise RiskConfigError(path, where, f"expected true or false, got {value!r}")
        return value
    if isinstance(default, int | float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RiskConfigError(path, where, f"expected a number, got {value!r}")
        return type(default)(value) if isinstance(default, float) or float(value).is_integer() else value
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RiskConfigError(path, where, f"expected a list of strings, got {value!r}")
        return tuple(value)
    if isinstance(default, dict):
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            raise RiskConfigError(path, where, f"expected a mapping of strings, got {value!r}")
        return {str(k): v for k, v in value.items()}
    return value
