"""Where conversations live: tracker stores (append-only events) and conversation locks.

Error codes (in ``StoreError`` messages, ``[STOnnn]``):

- ``STO001`` unsupported or malformed tracker store URL
- ``STO002`` unsupported or malformed lock store URL
- ``STO003`` database driver not installed
- ``STO101`` cannot create the ``events`` table
- ``STO102`` appending events failed
- ``STO103`` appending kept conflicting with concurrent writers
- ``STO104`` reading events or senders failed
- ``STO105`` a stored event does not read back
- ``STO106`` an event is not JSON-serializable
- ``STO201`` lock not acquired within the timeout
- ``STO202`` Redis failed while acquiring a lock
- ``STO203`` (logged, not raised) a Redis lock expired while held or could not be released
"""

from __future__ import annotations

from dialogue.stores.codec import decode_event, encode_event
from dialogue.stores.factory import create_lock_store, create_tracker_store
from dialogue.stores.locks import InMemoryLockStore, LockStore, RedisLockStore
from dialogue.stores.sql_store import SQLTrackerStore
from dialogue.stores.tracker_store import InMemoryTrackerStore, TrackerStore

__all__ = [
    "InMemoryLockStore",
    "InMemoryTrackerStore",
    "LockStore",
    "RedisLockStore",
    "SQLTrackerStore",
    "TrackerStore",
    "create_lock_store",
    "create_tracker_store",
    "decode_event",
    "encode_event",
]
