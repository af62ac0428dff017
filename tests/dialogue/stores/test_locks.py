"""Conversation locks: in-process and Redis (a real server, several clients, another process)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from dialogue.errors import StoreError
from dialogue.stores import InMemoryLockStore, LockStore, RedisLockStore

ROOT = Path(__file__).resolve().parents[3]
MakeStore = Callable[[], LockStore]


@pytest.fixture(params=["memory", "redis"])
def make_store(request: pytest.FixtureRequest) -> MakeStore:
    """A factory, so Redis clients are created inside the test's event loop."""
    if request.param == "memory":
        return InMemoryLockStore
    url = request.getfixturevalue("redis_server_url")
    prefix = request.getfixturevalue("redis_prefix")
    return lambda: RedisLockStore(url, key_prefix=prefix)


def run_with(make_store: MakeStore, scenario: Callable[[LockStore], Awaitable[object]]) -> object:
    async def main() -> object:
        store = make_store()
        try:
            return await asyncio.wait_for(scenario(store), timeout=10)
        finally:
            await store.close()

    return asyncio.run(main())


def test_lock_serializes_one_conversation(make_store: MakeStore) -> None:
    log: list[str] = []

    async def worker(store: LockStore, name: str) -> None:
        async with store.lock("alice", timeout=5):
            log.append(f"{name} in")
            await asyncio.sleep(0.05)
            log.append(f"{name} out")

    async def scenario(store: LockStore) -> None:
        await asyncio.gather(worker(store, "a"), worker(store, "b"))

    run_with(make_store, scenario)
    assert log in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])


def test_lock_different_conversations_run_in_parallel(make_store: MakeStore) -> None:
    async def scenario(store: LockStore) -> None:
        both_inside = asyncio.Barrier(2)

        async def worker(sender: str) -> None:
            async with store.lock(sender, timeout=2):
                # deadlocks (and times out) unless both holders are inside at once
                await asyncio.wait_for(both_inside.wait(), timeout=2)

        await asyncio.gather(worker("alice"), worker("bob"))

    run_with(make_store, scenario)


def test_lock_timeout_raises_store_error(make_store: MakeStore) -> None:
    async def scenario(store: LockStore) -> float:
        async with store.lock("alice"):
            started = time.perf_counter()
            with pytest.raises(StoreError, match="STO201"):
                async with store.lock("alice", timeout=0.2):
                    pytest.fail("entered a held lock")
            return time.perf_counter() - started

    waited = run_with(make_store, scenario)
    assert 0.15 <= waited < 2  # type: ignore[operator]


def test_lock_is_released_when_block_raises(make_store: MakeStore) -> None:
    async def scenario(store: LockStore) -> None:
        with pytest.raises(RuntimeError):
            async with store.lock("alice", timeout=1):
                raise RuntimeError("action failed")
        async with store.lock("alice", timeout=0.5):
            pass

    run_with(make_store, scenario)


def test_in_memory_lock_store_drops_idle_locks() -> None:
    store = InMemoryLockStore()

    async def scenario() -> list[int]:
        counts = []
        async with store.lock("alice"):
            counts.append(store.active_count())
            waiter = asyncio.create_task(store.lock("alice", timeout=5).__aenter__())
            await asyncio.sleep(0.01)
            waiter.cancel()  # a cancelled waiter leaves nothing behind
            await asyncio.gather(waiter, return_exceptions=True)
        with pytest.raises(StoreError):
            async with store.lock("bob"), store.lock("bob", timeout=0.01):
                pass
        counts.append(store.active_count())
        return counts

    assert asyncio.run(scenario()) == [1, 0]


def test_redis_lock_excludes_a_second_client(redis_server_url: str, redis_prefix: str) -> None:
    async def scenario() -> list[str]:
        first = RedisLockStore(redis_server_url, key_prefix=redis_prefix)
        second = RedisLockStore(redis_server_url, key_prefix=redis_prefix)
        log: list[str] = []
        try:
            async with first.lock("alice"):
                with pytest.raises(StoreError, match="STO201"):
                    async with second.lock("alice", timeout=0.2):
                        log.append("second entered while first held")
                async with second.lock("bob", timeout=0.2):
                    log.append("second holds bob")
            async with second.lock("alice", timeout=0.5):
                log.append("second holds alice after release")
        finally:
            await first.close()
            await second.close()
        return log

    assert asyncio.run(scenario()) == ["second holds bob", "second holds alice after release"]


def test_redis_lock_excludes_another_process(redis_server_url: str, redis_prefix: str) -> None:
    holder = f"""
import asyncio, sys, time
from dialogue.stores import RedisLockStore
async def main():
    store = RedisLockStore({redis_server_url!r}, key_prefix={redis_prefix!r})
    async with store.lock("alice", timeout=5):
        print("held", flush=True)
        await asyncio.sleep(0.5)
        print(time.time(), flush=True)
    await store.close()
asyncio.run(main())
"""
    process = subprocess.Popen([sys.executable, "-c", holder], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"

    async def scenario() -> float:
        store = RedisLockStore(redis_server_url, key_prefix=redis_prefix)
        async with store.lock("alice", timeout=5):
            entered = time.time()
        await store.close()
        return entered

    entered = asyncio.run(scenario())
    released = float(process.stdout.readline())
    assert process.wait(timeout=10) == 0
    assert entered >= released


def test_redis_lock_of_a_crashed_holder_expires(redis_server_url: str, redis_prefix: str) -> None:
    async def scenario() -> None:
        store = RedisLockStore(redis_server_url, key_prefix=redis_prefix)
        # a holder that died: its key stays until it expires
        await store._client.set(redis_prefix + "alice", "dead-token", px=300)
        async with store.lock("alice", timeout=2):
            assert await store._client.get(redis_prefix + "alice") != b"dead-token"
        assert await store._client.exists(redis_prefix + "alice") == 0
        await store.close()

    asyncio.run(scenario())


def test_redis_lock_is_kept_alive_beyond_its_lifetime(redis_server_url: str, redis_prefix: str) -> None:
    async def scenario() -> None:
        holder = RedisLockStore(redis_server_url, key_prefix=redis_prefix, lifetime=0.3)
        other = RedisLockStore(redis_server_url, key_prefix=redis_prefix)
        async with holder.lock("alice"):
            await asyncio.sleep(0.5)  # longer than the lifetime
            with pytest.raises(StoreError, match="STO201"):
                async with other.lock("alice", timeout=0.4):
                    pytest.fail("lock expired while its holder was alive")
        await holder.close()
        await other.close()

    asyncio.run(scenario())


def test_redis_lock_release_spares_a_new_holders_key(redis_server_url: str, redis_prefix: str) -> None:
    async def scenario() -> bytes | None:
        store = RedisLockStore(redis_server_url, key_prefix=redis_prefix, lifetime=10)
        key = redis_prefix + "alice"
        async with store.lock("alice"):
            await store._client.set(key, "someone-else")  # ours expired and another took over
        value = await store._client.get(key)
        await store.close()
        return value  # type: ignore[no-any-return]

    assert asyncio.run(scenario()) == b"someone-else"


def test_redis_lock_store_wraps_connection_failure() -> None:
    async def scenario() -> None:
        store = RedisLockStore("redis://:s3cret@127.0.0.1:1/0")
        with pytest.raises(StoreError, match="STO202") as caught:
            async with store.lock("alice", timeout=1):
                pass
        assert "s3cret" not in str(caught.value)
        assert caught.value.__cause__ is not None
        await store.close()

    asyncio.run(scenario())
