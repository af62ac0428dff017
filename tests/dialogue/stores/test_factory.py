"""Stores from settings URLs."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dialogue.errors import StoreError
from dialogue.events import SessionStarted
from dialogue.stores import (
    InMemoryLockStore,
    InMemoryTrackerStore,
    RedisLockStore,
    SQLTrackerStore,
    create_lock_store,
    create_tracker_store,
)


def test_create_tracker_store_defaults_to_sqlite_file_in_data_dir(tmp_path: Path) -> None:
    store = create_tracker_store(None, tmp_path / "data")
    assert isinstance(store, SQLTrackerStore)
    asyncio.run(store.append("alice", [SessionStarted()]))
    asyncio.run(store.close())
    assert (tmp_path / "data" / "trackers.db").is_file()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("memory://", InMemoryTrackerStore),
        ("sqlite:///trackers.db", SQLTrackerStore),
        ("postgresql://u:p@db.internal:5432/wealthbot", SQLTrackerStore),
        ("postgresql+psycopg://u:p@db.internal/wealthbot", SQLTrackerStore),
        ("postgres://u:p@db.internal/wealthbot", SQLTrackerStore),
    ],
    ids=["memory", "sqlite", "postgresql", "postgresql-driver", "postgres-alias"],
)
def test_create_tracker_store_picks_backend_by_scheme(url: str, expected: type, tmp_path: Path) -> None:
    assert isinstance(create_tracker_store(url, tmp_path), expected)


@pytest.mark.parametrize("url", ["mongodb://localhost/db", "redis://localhost", "trackers.db"])
def test_create_tracker_store_rejects_unknown_scheme(url: str, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="STO001"):
        create_tracker_store(url, tmp_path)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (None, InMemoryLockStore),
        ("memory://", InMemoryLockStore),
        ("redis://localhost:6379/0", RedisLockStore),
        ("rediss://:pw@cache.internal:6380/1", RedisLockStore),
    ],
    ids=["default", "memory", "redis", "rediss"],
)
def test_create_lock_store_picks_backend_by_scheme(url: str | None, expected: type) -> None:
    assert isinstance(create_lock_store(url), expected)


@pytest.mark.parametrize("url", ["etcd://localhost:2379", "localhost:6379"])
def test_create_lock_store_rejects_unknown_scheme(url: str) -> None:
    with pytest.raises(StoreError, match="STO002"):
        create_lock_store(url)
