"""SQL tracker store: durability, schema, concurrency across instances, errors at the boundary."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from dialogue.errors import StoreError
from dialogue.events import BotUttered, Event, SlotSet, UserUttered
from dialogue.stores import SQLTrackerStore


def conversation() -> list[Event]:
    return [
        UserUttered("净值多少", parse_data={"intent": {"name": "nav", "confidence": 0.9}}, timestamp=1.5),
        BotUttered("今日单位净值 1.0234 元", data={"template_name": "utter_nav"}, timestamp=2.25),
        SlotSet("fund_code", "000001", timestamp=3.125),
    ]


def sql_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'nested' / 'trackers.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_sql_store_restart_loses_nothing(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = sql_url(backend, request, tmp_path)

    async def write() -> None:
        first = SQLTrackerStore(url)
        await first.append("alice", conversation())
        await first.append("bob", conversation()[:1])
        await first.close()

    async def read() -> tuple[list[Event], list[str]]:
        second = SQLTrackerStore(url)
        try:
            return await second.retrieve("alice"), await second.keys()
        finally:
            await second.close()

    asyncio.run(write())
    events, keys = asyncio.run(read())
    assert [event.to_dict() for event in events] == [event.to_dict() for event in conversation()]
    assert keys == ["alice", "bob"]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_sql_store_rows_are_append_only_with_per_sender_seq(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = sql_url(backend, request, tmp_path)
    store = SQLTrackerStore(url)

    async def scenario() -> None:
        await store.append("alice", conversation()[:2])
        await store.append("bob", conversation()[:1])
        await store.append("alice", conversation()[2:])
        await store.close()

    asyncio.run(scenario())
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, sender_id, seq, type_name, timestamp FROM events ORDER BY id")
        ).all()
        unique = inspect(conn).get_unique_constraints("events")
    engine.dispose()
    assert [(r.sender_id, r.seq, r.type_name, r.timestamp) for r in rows] == [
        ("alice", 1, "user", 1.5),
        ("alice", 2, "bot", 2.25),
        ("bob", 1, "user", 1.5),
        ("alice", 3, "slot", 3.125),
    ]
    assert [sorted(u["column_names"]) for u in unique] == [["sender_id", "seq"]]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_sql_store_two_instances_append_concurrently(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Two stores on one database (as two processes would be) racing on one sender."""
    url = sql_url(backend, request, tmp_path)
    appends = 25

    async def writer(store: SQLTrackerStore, name: str) -> None:
        for j in range(appends):
            await store.append("shared", [SlotSet(name, j)])

    async def scenario() -> list[Event]:
        stores = [SQLTrackerStore(url), SQLTrackerStore(url)]
        await asyncio.gather(
            *(writer(store, f"s{i}t{t}") for i, store in enumerate(stores) for t in range(3))
        )
        events = await stores[0].retrieve("shared")
        await asyncio.gather(*(store.close() for store in stores))
        return events

    events = asyncio.run(scenario())
    assert len(events) == 2 * 3 * appends
    for name in {event.key for event in events}:  # type: ignore[attr-defined]
        assert [e.value for e in events if e.key == name] == list(range(appends))  # type: ignore[attr-defined]


def test_sql_store_sqlite_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "trackers.db"
    store = SQLTrackerStore(f"sqlite:///{path}")
    asyncio.run(store.append("alice", conversation()))
    asyncio.run(store.close())
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_sql_store_in_memory_sqlite_serializes_threads() -> None:
    store = SQLTrackerStore("sqlite://")

    async def scenario() -> list[Event]:
        await asyncio.gather(*(store.append("alice", [SlotSet("n", i)]) for i in range(30)))
        return await store.retrieve("alice")

    assert sorted(event.value for event in asyncio.run(scenario())) == list(range(30))  # type: ignore[attr-defined]


def test_sql_store_corrupt_row_raises_store_error(tmp_path: Path) -> None:
    path = tmp_path / "trackers.db"
    store = SQLTrackerStore(f"sqlite:///{path}")
    asyncio.run(store.append("alice", conversation()[:1]))
    with sqlite3.connect(path) as conn:
        conn.execute("""INSERT INTO events (sender_id, seq, type_name, timestamp, data)
                        VALUES ('alice', 2, 'x', 0, '{"event": "no_such_event"}')""")
    with pytest.raises(StoreError, match="STO105"):
        asyncio.run(store.retrieve("alice"))
    asyncio.run(store.close())


@pytest.mark.parametrize(
    "url", ["mysql://u:p@localhost/db", "not a url", "oracle://x"], ids=["mysql", "garbage", "oracle"]
)
def test_sql_store_rejects_other_databases(url: str) -> None:
    with pytest.raises(StoreError, match="STO001"):
        SQLTrackerStore(url)


def test_sql_store_wraps_connection_failure_and_hides_password() -> None:
    # port 1 on loopback: nothing listens, the connection is refused at once
    store = SQLTrackerStore("postgresql://wealthbot:s3cret@127.0.0.1:1/nothing?connect_timeout=2")
    with pytest.raises(StoreError) as caught:
        asyncio.run(store.append("alice", conversation()))
    assert "STO101" in str(caught.value)
    assert "s3cret" not in str(caught.value)
    assert caught.value.__cause__ is not None
    asyncio.run(store.close())


def test_sql_store_creates_missing_parent_folder(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "trackers.db"
    store = SQLTrackerStore(f"sqlite:///{path}")
    asyncio.run(store.append("alice", conversation()))
    asyncio.run(store.close())
    assert path.is_file()
