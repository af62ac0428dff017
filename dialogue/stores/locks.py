"""Conversation locks: one message of a conversation is handled at a time.

``async with lock_store.lock(sender_id, timeout=5.0): ...`` waits until no other holder has the
conversation, or raises ``StoreError`` (``STO201``) after ``timeout`` seconds. Different
conversations never block each other. ``InMemoryLockStore`` serializes within one process;
``RedisLockStore`` across processes and machines.

Codes: ``STO002`` unusable Redis URL, ``STO201`` lock not acquired in time, ``STO202`` Redis
failed while acquiring, ``STO203`` (logged) the lock expired while held or could not be released.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable
from urllib.parse import urlsplit, urlunsplit

import redis.asyncio as redis_asyncio
from redis.exceptions import RedisError

from dialogue.errors import StoreError

__all__ = ["InMemoryLockStore", "LockStore", "RedisLockStore"]

logger = logging.getLogger(__name__)

# Delete / extend the key only while it still holds our token: never touch another holder's lock.
_RELEASE = """
if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end
"""
_EXTEND = """
if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end
"""


@runtime_checkable
class LockStore(Protocol):
    """Serializes the handling of one conversation."""

    def lock(self, sender_id: str, timeout: float | None = None) -> AbstractAsyncContextManager[None]:
        """Hold the conversation's lock for the ``async with`` block.

        Args:
            sender_id: the conversation.
            timeout: seconds to wait for the lock; ``None`` takes the store's default.

        Raises:
            StoreError: ``STO201`` when the lock was not acquired within ``timeout``.
        """
        ...

    async def close(self) -> None:
        """Release connections; the store is not used afterwards."""
        ...


@dataclass
class _Entry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0  # holders plus waiters; the entry is dropped when it falls to 0


class InMemoryLockStore:
    """Per-conversation ``asyncio.Lock``s of one process (one event loop); idle locks are dropped.

    Args:
        default_timeout: seconds ``lock`` waits when called without ``timeout``.
    """

    def __init__(self, default_timeout: float = 30.0) -> None:
        self.default_timeout = default_timeout
        self._entries: dict[str, _Entry] = {}

    @asynccontextmanager
    async def lock(self, sender_id: str, timeout: float | None = None) -> AsyncIterator[None]:
        """Hold ``sender_id``'s lock for the block (see ``LockStore.lock``)."""
        wait = self.default_timeout if timeout is None else timeout
        entry = self._entries.setdefault(sender_id, _Entry())
        entry.users += 1
        try:
            try:
                async with asyncio.timeout(wait):
                    await entry.lock.acquire()
            except TimeoutError:
                raise StoreError(
                    f"[STO201] conversation {sender_id!r} stayed locked for {wait:g} s; "
                    "another message of it is still being handled"
                ) from None
            try:
                yield
            finally:
                entry.lock.release()
        finally:
            entry.users -= 1
            if entry.users == 0 and self._entries.get(sender_id) is entry:
                del self._entries[sender_id]

    def active_count(self) -> int:
        """Conversations with a holder or waiter (idle ones are not kept)."""
        return len(self._entries)

    async def close(self) -> None:
        """Nothing to release."""


class RedisLockStore:
    """Locks in Redis, shared by every process that uses the same server.

    A lock is the key ``<key_prefix><sender_id>`` set with ``SET NX PX`` to a random token. It
    expires after ``lifetime`` seconds, so a crashed holder cannot block a conversation for good;
    a live holder extends it every ``lifetime / 3`` seconds. Release deletes the key only while it
    still holds our token (a Lua compare-and-delete).

    Args:
        url: ``redis://[:password@]host:port/db``, ``rediss://`` or ``unix://``.
        key_prefix: prefix of the lock keys.
        lifetime: seconds a lock lives without being extended.
        default_timeout: seconds ``lock`` waits when called without ``timeout``.

    Raises:
        StoreError: ``STO002`` for a URL the Redis client does not accept.
    """

    def __init__(
        self,
        url: str,
        *,
        key_prefix: str = "wealthbot:lock:",
        lifetime: float = 60.0,
        default_timeout: float = 30.0,
    ) -> None:
        self.url = _mask_password(url)
        self.key_prefix = key_prefix
        self.lifetime = lifetime
        self.default_timeout = default_timeout
        try:
            self._client = redis_asyncio.Redis.from_url(url)
        except ValueError as exc:
            raise StoreError(f"[STO002] unusable Redis URL {self.url}: {exc}") from exc
        self._release = self._client.register_script(_RELEASE)
        self._extend = self._client.register_script(_EXTEND)

    @asynccontextmanager
    async def lock(self, sender_id: str, timeout: float | None = None) -> AsyncIterator[None]:
        """Hold ``sender_id``'s lock for the block (see ``LockStore.lock``).

        Raises:
            StoreError: ``STO201`` when not acquired within ``timeout``, ``STO202`` when Redis fails.
        """
        key = self.key_prefix + sender_id
        token = secrets.token_hex(16)
        await self._acquire(key, token, self.default_timeout if timeout is None else timeout)
        keeper = asyncio.create_task(self._keep_alive(key, token))
        try:
            yield
        finally:
            keeper.cancel()
            with suppress(asyncio.CancelledError):
                await keeper
            await self._release_key(key, token)

    async def close(self) -> None:
        """Close the Redis connections."""
        await self._client.aclose()

    async def _acquire(self, key: str, token: str, wait: float) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        delay = 0.005
        while True:
            try:
                if await self._client.set(key, token, nx=True, px=self._lifetime_ms()):
                    return
            except RedisError as exc:
                raise StoreError(f"[STO202] Redis at {self.url} failed while locking {key!r}: {exc}") from exc
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise StoreError(
                    f"[STO201] conversation lock {key!r} stayed taken for {wait:g} s; "
                    "another message of it is still being handled"
                )
            await asyncio.sleep(min(remaining, delay * random.uniform(0.5, 1.0)))
            delay = min(delay * 2, 0.1)

    async def _keep_alive(self, key: str, token: str) -> None:
        while True:
            await asyncio.sleep(self.lifetime / 3)
            try:
                extended = await self._extend(keys=[key], args=[token, self._lifetime_ms()])
            except RedisError as exc:
                logger.warning("[STO203] cannot extend lock %r on %s: %s", key, self.url, exc)
                continue
            if not extended:
                logger.warning("[STO203] lock %r expired while held; another holder may have run", key)
                return

    async def _release_key(self, key: str, token: str) -> None:
        try:
            released = await self._release(keys=[key], args=[token])
        except RedisError as exc:
            # it expires by itself after `lifetime`; the block's outcome stands
            logger.warning("[STO203] cannot release lock %r on %s: %s", key, self.url, exc)
            return
        if not released:
            logger.warning("[STO203] lock %r had expired before release; another holder may have run", key)

    def _lifetime_ms(self) -> int:
        return max(1, round(self.lifetime * 1000))


def _mask_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
