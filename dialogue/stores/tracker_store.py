"""The tracker store contract and the in-memory store.

A tracker store keeps each conversation's events, append-only: rows are added in order and
never updated or deleted, so a tracker is rebuilt by replaying ``retrieve(sender_id)``.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from dialogue.events import Event
from dialogue.stores.codec import decode_event, encode_event

__all__ = ["InMemoryTrackerStore", "TrackerStore"]


@runtime_checkable
class TrackerStore(Protocol):
    """Where conversations' events live (async, append-only)."""

    async def append(self, sender_id: str, events: list[Event]) -> None:
        """Add ``events`` after the conversation's existing events, all or none."""
        ...

    async def retrieve(self, sender_id: str) -> list[Event]:
        """All events of one conversation in the order they were appended; ``[]`` if unknown."""
        ...

    async def keys(self) -> list[str]:
        """The sender ids of all stored conversations, sorted."""
        ...

    async def close(self) -> None:
        """Release connections; the store is not used afterwards."""
        ...


class InMemoryTrackerStore:
    """A process-local store for tests and throwaway runs; lost when the process ends.

    Events are kept as the same JSON text the SQL stores write, so an event that a database
    would reject fails here too, and retrieved events never share state with appended ones.
    """

    def __init__(self) -> None:
        self._rows: dict[str, list[str]] = {}

    async def append(self, sender_id: str, events: list[Event]) -> None:
        """Add ``events`` to the conversation (encoded first, so a bad event adds nothing).

        Raises:
            StoreError: ``STO106`` when an event is not JSON-serializable.
        """
        encoded = [encode_event(event) for event in events]
        if encoded:
            self._rows.setdefault(sender_id, []).extend(encoded)

    async def retrieve(self, sender_id: str) -> list[Event]:
        """Events of ``sender_id`` in order; ``[]`` for an unknown sender."""
        return [decode_event(text) for text in self._rows.get(sender_id, [])]

    async def keys(self) -> list[str]:
        """Sorted sender ids with at least one event."""
        return sorted(self._rows)

    async def close(self) -> None:
        """Nothing to release; the events stay readable."""
