"""Tracker store on a SQL database (SQLAlchemy 2): a SQLite file by default, PostgreSQL to scale.

One table, ``events``, append-only::

    id         bigint autoincrement primary key (INTEGER on SQLite)
    sender_id  varchar(255)      } unique together; the unique index leads with
    seq        int  (1, 2, ...)  } sender_id, so it is the sender_id index too
    type_name  varchar(64)       Rasa's "event" value
    timestamp  double            the event's own timestamp
    data       text              JSON of Rasa's event dict (``event.to_dict()``)

The engine is synchronous and each call runs in a worker thread (``asyncio.to_thread``): the
drivers are the plain, well-worn ones (``sqlite3``, psycopg 3) and no greenlet is needed.
SQLite runs in WAL mode and writers take the database lock when their transaction begins
(``BEGIN IMMEDIATE``), so two writers never race on ``seq``; on PostgreSQL the writers of one
sender queue on a transaction-scoped advisory lock. Should a writer still collide (a foreign
writer), the unique ``(sender_id, seq)`` constraint rejects it and it retries after the winner.

Codes: ``STO001`` unsupported or malformed URL, ``STO003`` database driver not installed,
``STO101`` cannot create the table, ``STO102`` append failed, ``STO103`` append kept conflicting,
``STO104`` read failed.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    Column,
    Double,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from dialogue.errors import StoreError
from dialogue.events import Event
from dialogue.stores.codec import decode_event, encode_event

__all__ = ["EVENTS_TABLE", "SQLTrackerStore", "set_sqlite_pragmas"]

_metadata = MetaData()
EVENTS_TABLE = Table(
    "events",
    _metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("sender_id", String(255), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("type_name", String(64), nullable=False),
    Column("timestamp", Double, nullable=False),
    Column("data", Text, nullable=False),
    UniqueConstraint("sender_id", "seq", name="uq_events_sender_seq"),
)

_PG_SENDER_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:sender_id, 0))")
_MAX_ATTEMPTS = 20
_SQLITE_BEGIN = "wealthbot_sqlite_begin"
_T = TypeVar("_T")


class SQLTrackerStore:
    """Append-only tracker store on SQLite or PostgreSQL; the table is created on first use.

    Args:
        url: SQLAlchemy URL. ``sqlite:///relative.db``, ``sqlite:////abs/path.db``,
            ``postgresql://user:password@host:5432/db`` (driven by psycopg 3; an explicit
            ``postgresql+driver://`` is kept as given). ``sqlite://`` is an in-memory database.

    Raises:
        StoreError: ``STO001`` for a URL that is malformed or names another database,
            ``STO003`` when the database driver is not installed.
    """

    def __init__(self, url: str) -> None:
        parsed = _parse_url(url)
        self.url = parsed.render_as_string(hide_password=True)
        self._is_sqlite = parsed.get_backend_name() == "sqlite"
        self._engine = _create_engine(parsed, self.url)
        self._writer = self._engine
        self._schema_ready = False
        self._schema_lock = threading.Lock()
        # one shared connection for in-memory SQLite: threads take turns on it
        self._serial: AbstractContextManager[Any] = nullcontext()
        if self._is_sqlite:
            self._writer = self._engine.execution_options(**{_SQLITE_BEGIN: "IMMEDIATE"})
            if _is_memory_sqlite(parsed):
                self._serial = threading.Lock()

    async def append(self, sender_id: str, events: list[Event]) -> None:
        """Add ``events`` after the conversation's last event, in one transaction.

        Raises:
            StoreError: ``STO106`` for an event that is not JSON-serializable (nothing is
                written), ``STO101``/``STO102``/``STO103`` when the database fails.
        """
        rows = [
            {"type_name": e.type_name, "timestamp": float(e.timestamp), "data": encode_event(e)}
            for e in events
        ]
        if rows:
            await self._run(self._append_sync, sender_id, rows)

    async def retrieve(self, sender_id: str) -> list[Event]:
        """Events of ``sender_id`` in the order they were appended; ``[]`` when unknown.

        Raises:
            StoreError: ``STO104`` when the database fails, ``STO105`` for an unreadable row.
        """
        texts = await self._run(self._retrieve_sync, sender_id)
        return [decode_event(data) for data in texts]

    async def keys(self) -> list[str]:
        """Sorted sender ids that have events.

        Raises:
            StoreError: ``STO104`` when the database fails.
        """
        return await self._run(self._keys_sync)

    async def close(self) -> None:
        """Close the connection pool; a later call would open a new one."""
        await asyncio.to_thread(self._engine.dispose)

    async def _run(self, fn: Callable[..., _T], *args: Any) -> _T:
        return await asyncio.to_thread(self._locked, fn, *args)

    def _locked(self, fn: Callable[..., _T], *args: Any) -> _T:
        with self._serial:
            self._ensure_schema()
            return fn(*args)

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self._schema_lock:
            if self._schema_ready:
                return
            try:
                # the writer's IMMEDIATE transaction on SQLite: check-then-create must not race
                _metadata.create_all(self._writer, checkfirst=True)
            except SQLAlchemyError as exc:
                # another process may have created it between our check and our CREATE
                if not self._has_table():
                    raise StoreError(
                        f"[STO101] cannot create table 'events' in {self.url}: {_reason(exc)}"
                    ) from exc
            self._schema_ready = True

    def _has_table(self) -> bool:
        try:
            return inspect(self._engine).has_table(EVENTS_TABLE.name)
        except SQLAlchemyError:
            return False

    def _append_sync(self, sender_id: str, rows: list[dict[str, Any]]) -> None:
        for attempt in range(1, _MAX_ATTEMPTS + 1):
            try:
                with self._writer.begin() as conn:
                    if not self._is_sqlite:
                        # writers of one sender queue here until the holder commits
                        conn.execute(_PG_SENDER_LOCK, {"sender_id": sender_id})
                    start = _next_seq(conn, sender_id)
                    values = [{"sender_id": sender_id, "seq": start + i, **row} for i, row in enumerate(rows)]
                    conn.execute(EVENTS_TABLE.insert(), values)
                return
            except IntegrityError as exc:
                # a concurrent writer took our seq; its rows are in, ours go after them
                if attempt == _MAX_ATTEMPTS:
                    raise StoreError(
                        f"[STO103] appending to sender {sender_id!r} in {self.url} still conflicted after "
                        f"{_MAX_ATTEMPTS} attempts: {_reason(exc)}; serialize writers with a lock store"
                    ) from exc
                time.sleep(random.uniform(0.001, 0.005) * attempt)
            except SQLAlchemyError as exc:
                raise StoreError(
                    f"[STO102] cannot append {len(rows)} events for sender {sender_id!r} to {self.url}: "
                    f"{_reason(exc)}"
                ) from exc

    def _retrieve_sync(self, sender_id: str) -> list[str]:
        query = select(EVENTS_TABLE.c.data).where(EVENTS_TABLE.c.sender_id == sender_id)
        try:
            with self._engine.connect() as conn:
                return list(conn.execute(query.order_by(EVENTS_TABLE.c.seq)).scalars())
        except SQLAlchemyError as exc:
            raise StoreError(
                f"[STO104] cannot read events of sender {sender_id!r} from {self.url}: {_reason(exc)}"
            ) from exc

    def _keys_sync(self) -> list[str]:
        query = select(EVENTS_TABLE.c.sender_id).distinct()
        try:
            with self._engine.connect() as conn:
                # sorted here, not by the database's collation: the same order on every backend
                return sorted(conn.execute(query).scalars())
        except SQLAlchemyError as exc:
            raise StoreError(f"[STO104] cannot list senders in {self.url}: {_reason(exc)}") from exc


def _next_seq(conn: Connection, sender_id: str) -> int:
    last = conn.execute(
        select(func.max(EVENTS_TABLE.c.seq)).where(EVENTS_TABLE.c.sender_id == sender_id)
    ).scalar()
    return 1 if last is None else int(last) + 1


def _parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"[STO001] malformed tracker store URL: {exc}") from exc
    backend = parsed.get_backend_name()
    if backend == "postgres":  # Heroku-style alias
        parsed, backend = parsed.set(drivername="postgresql"), "postgresql"
    if backend not in ("sqlite", "postgresql"):
        raise StoreError(
            f"[STO001] SQLTrackerStore supports sqlite:/// and postgresql:// URLs, not {backend}://"
        )
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _is_memory_sqlite(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


def _create_engine(url: URL, safe_url: str) -> Engine:
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    if url.get_backend_name() == "sqlite":
        if _is_memory_sqlite(url):
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        elif url.database and not url.database.startswith("file:"):
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url, **kwargs)
    except ImportError as exc:
        raise StoreError(
            f"[STO003] the database driver for {safe_url} is not installed ({exc}); "
            'for PostgreSQL run: pip install "psycopg[binary]"'
        ) from exc
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"[STO001] unusable tracker store URL {safe_url}: {exc}") from exc
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return engine


def set_sqlite_pragmas(dbapi_connection: Any, _record: Any = None) -> None:
    """A generous busy timeout and the WAL journal with synchronous=NORMAL: in WAL mode NORMAL
    survives a killed process (only an OS crash or power loss can drop the last commits) and
    saves an fsync per commit. Also a ``connect`` event listener for other SQLite engines."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _configure_sqlite(engine: Engine) -> None:
    """WAL journal, a generous busy timeout, and BEGIN issued by us (IMMEDIATE for writers)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the driver must not open transactions itself
        set_sqlite_pragmas(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get(_SQLITE_BEGIN, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's own message, first line only: SQL parameters (user data) stay out of logs."""
    orig = getattr(exc, "orig", None) or exc
    lines = str(orig).strip().splitlines()
    return f"{type(orig).__name__}: {lines[0] if lines else ''}"
