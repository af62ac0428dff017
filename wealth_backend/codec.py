"""JSON for the backend's records (dates as ISO strings), shared by the HTTP adapter and its server."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, TypeVar

__all__ = ["from_json", "to_json"]

T = TypeVar("T")


def to_json(record: Any) -> dict[str, Any]:
    """A dataclass record as a JSON-ready dict."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        out[f.name] = value.isoformat() if isinstance(value, dt.date) else _plain(value)
    return out


def from_json(cls: type[T], data: dict[str, Any]) -> T:
    """The record of type ``cls`` from ``to_json``'s output; unknown keys are ignored."""
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        value, kind = data[f.name], str(f.type)
        if value is not None and "dt.datetime" in kind:
            value = dt.datetime.fromisoformat(value)
        elif value is not None and "dt.date" in kind:
            value = dt.date.fromisoformat(value)
        elif isinstance(value, list) and kind.startswith("tuple"):
            value = tuple(value)
        values[f.name] = value
    return cls(**values)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
