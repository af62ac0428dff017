"""Events to and from the JSON text that every tracker store keeps.

All stores keep Rasa's event dict (``event.to_dict()``) as JSON text, so the in-memory store
rejects exactly what the SQL stores reject and a store's content reads back as Rasa's tracker
dump. Codes: ``STO106`` an event that does not serialize, ``STO105`` stored text that does not
read back as an event.
"""

from __future__ import annotations

import json
from typing import Any

from dialogue.errors import DialogueError, StoreError
from dialogue.events import Event, event_from_dict

__all__ = ["decode_event", "encode_event"]


def encode_event(event: Event) -> str:
    """Serialize one event to JSON text (Rasa's dict shape, Chinese kept as is).

    Raises:
        StoreError: ``STO106`` when a value (a slot value, metadata) is not JSON-serializable.
    """
    try:
        return json.dumps(event.to_dict(), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"[STO106] {type(event).__name__} ({event.type_name!r}) cannot be stored as JSON: {exc}; "
            "keep slot values, entities and metadata to str, int, float, bool, None, list and dict"
        ) from exc


def decode_event(text: str) -> Event:
    """Read one event back from its JSON text.

    Raises:
        StoreError: ``STO105`` when the text is not JSON or names no known event.
    """
    try:
        data: Any = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError(f"expected a JSON object, got {type(data).__name__}")
        return event_from_dict(data)
    except (ValueError, TypeError, DialogueError) as exc:
        raise StoreError(f"[STO105] a stored event does not read back: {exc}; text: {text[:200]!r}") from exc
