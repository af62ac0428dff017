"""Stores from settings URLs.

Tracker stores: ``None`` → SQLite file ``<data_dir>/trackers.db``; ``memory://`` → in memory;
``sqlite:///…``; ``postgresql://…``. Lock stores: ``None`` or ``memory://`` → in-process;
``redis://…``, ``rediss://…``, ``unix://…`` → Redis. Code ``STO001``/``STO002``: unsupported URL.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from dialogue.errors import StoreError
from dialogue.stores.locks import InMemoryLockStore, LockStore, RedisLockStore
from dialogue.stores.sql_store import SQLTrackerStore
from dialogue.stores.tracker_store import InMemoryTrackerStore, TrackerStore

__all__ = ["DEFAULT_TRACKER_FILE", "create_lock_store", "create_tracker_store"]

DEFAULT_TRACKER_FILE = "trackers.db"
_SQL_SCHEMES = ("sqlite", "postgresql", "postgres")
_REDIS_SCHEMES = ("redis", "rediss", "unix")


def create_tracker_store(url: str | None, data_dir: Path) -> TrackerStore:
    """The tracker store that ``url`` names.

    Args:
        url: ``None`` for the default SQLite file, ``memory://``, ``sqlite:///path.db`` or
            ``postgresql://user:password@host:port/db`` (any ``+driver`` suffix allowed).
        data_dir: folder of the default SQLite file (created when missing).

    Raises:
        StoreError: ``STO001`` for another scheme, ``STO003`` for a missing database driver.
    """
    if url is None:
        return SQLTrackerStore(f"sqlite:///{(Path(data_dir) / DEFAULT_TRACKER_FILE).resolve()}")
    scheme = _scheme(url)
    if scheme == "memory":
        return InMemoryTrackerStore()
    if scheme.split("+", 1)[0] in _SQL_SCHEMES:
        return SQLTrackerStore(url)
    raise StoreError(
        f"[STO001] unsupported tracker store URL scheme {scheme!r}; "
        "use memory://, sqlite:///path.db or postgresql://user:password@host:port/db"
    )


def create_lock_store(url: str | None) -> LockStore:
    """The lock store that ``url`` names.

    Args:
        url: ``None`` or ``memory://`` for in-process locks, ``redis://host:port/db`` (also
            ``rediss://``, ``unix://``) for locks shared between processes.

    Raises:
        StoreError: ``STO002`` for another scheme or a URL the Redis client rejects.
    """
    if url is None or _scheme(url) == "memory":
        return InMemoryLockStore()
    if _scheme(url) in _REDIS_SCHEMES:
        return RedisLockStore(url)
    raise StoreError(
        f"[STO002] unsupported lock store URL scheme {_scheme(url)!r}; use memory:// or redis://host:port/db"
    )


def _scheme(url: str) -> str:
    return urlsplit(url).scheme.lower()
