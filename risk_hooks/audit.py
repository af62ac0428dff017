"""The audit trail: every risk decision, append-only, on SQLite (default) or PostgreSQL.

One table, ``risk_audit``::

    id            integer autoincrement primary key (the order of decisions)
    bot           varchar(64)    which robot
    sender_id     varchar(255)   which conversation
    created_at    double         when (epoch seconds, UTC)
    hook          varchar(32)    inbound / outbound / suitability / aml
    rule          varchar(128)   the deciding rule
    model         varchar(128)   the rule set or model that decided, with its version
    input_sha256  char(64)       sha256 of the input (the text itself is not kept: it may hold PII)
    decision      varchar(32)    allow / warn / block / handoff / rewrite / review / error
    reason        text           why

The class offers ``append`` and ``query`` only; on SQLite and PostgreSQL triggers also refuse
``UPDATE`` and ``DELETE`` issued by anyone else (the PostgreSQL trigger is created by the same
code but is not exercised by the test suite, which has no PostgreSQL server).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Double,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from dialogue.stores.sql_store import set_sqlite_pragmas
from risk_hooks.errors import AuditError

__all__ = ["DEFAULT_AUDIT_FILE", "AuditRecord", "AuditTrail", "sha256_text"]

DEFAULT_AUDIT_FILE = Path("risk_audit.db")

_metadata = MetaData()
AUDIT_TABLE = Table(
    "risk_audit",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("bot", String(64), nullable=False, index=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("created_at", Double, nullable=False),
    Column("hook", String(32), nullable=False),
    Column("rule", String(128), nullable=False),
    Column("model", String(128), nullable=False),
    Column("input_sha256", String(64), nullable=False),
    Column("decision", String(32), nullable=False),
    Column("reason", Text, nullable=False),
)

_SQLITE_GUARDS = [
    f"CREATE TRIGGER IF NOT EXISTS risk_audit_no_{op.lower()} BEFORE {op} ON risk_audit "
    "BEGIN SELECT RAISE(ABORT, 'risk_audit is append-only'); END"
    for op in ("UPDATE", "DELETE")
]
_PG_GUARDS = [
    "CREATE OR REPLACE FUNCTION risk_audit_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'risk_audit is append-only'; END $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS risk_audit_no_change ON risk_audit",
    "CREATE TRIGGER risk_audit_no_change BEFORE UPDATE OR DELETE ON risk_audit "
    "FOR EACH ROW EXECUTE FUNCTION risk_audit_append_only()",
]


def sha256_text(value: str) -> str:
    """Hex sha256 of ``value`` encoded as UTF-8."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditRecord:
    """One decision as stored (``id`` and ``created_at`` are set by the trail)."""

    bot: str
    sender_id: str
    hook: str
    rule: str
    model: str
    input_sha256: str
    decision: str
    reason: str
    created_at: float = 0.0
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (the HTTP API's shape)."""
        return asdict(self)


class AuditTrail:
    """Append-only store of ``AuditRecord``s.

    Args:
        url: SQLAlchemy URL (``sqlite:///path.db``, ``postgresql://user:pw@host/db``,
            ``sqlite://`` in memory); None: the SQLite file ``path``.
        path: the SQLite file when ``url`` is None (``risk_audit.db`` in the working folder).
        clock: epoch seconds for ``created_at`` (injectable for tests).

    Raises:
        AuditError: the URL is malformed or the table cannot be created.
    """

    def __init__(
        self, url: str | None = None, *, path: Path | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        if url is None:
            file = (path or DEFAULT_AUDIT_FILE).resolve()
            file.parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite:///{file}"
        self.clock = clock
        self._engine = _engine(url)
        self._lock = threading.Lock()
        self._create()

    def append(self, record: AuditRecord) -> AuditRecord:
        """Store one decision; returns it with ``id`` and ``created_at`` set.

        Raises:
            AuditError: the database refused the write.
        """
        values = {**record.to_dict(), "created_at": record.created_at or self.clock()}
        values.pop("id")
        try:
            with self._lock, self._engine.begin() as connection:
                result = connection.execute(insert(AUDIT_TABLE).values(**values))
                new_id = result.inserted_primary_key[0] if result.inserted_primary_key else None
        except SQLAlchemyError as exc:
            raise AuditError(f"cannot append to the audit trail: {exc}") from exc
        return AuditRecord(**{**values, "id": new_id})

    def query(
        self, bot: str | None = None, sender_id: str | None = None, *, limit: int | None = None
    ) -> list[AuditRecord]:
        """Decisions in the order they were made, optionally of one bot and/or one conversation.

        Args:
            bot: only this bot's decisions.
            sender_id: only this conversation's decisions.
            limit: at most this many, the latest ones (still in order).

        Raises:
            AuditError: the database failed.
        """
        statement = select(AUDIT_TABLE)
        if bot is not None:
            statement = statement.where(AUDIT_TABLE.c.bot == bot)
        if sender_id is not None:
            statement = statement.where(AUDIT_TABLE.c.sender_id == sender_id)
        statement = statement.order_by(AUDIT_TABLE.c.id.desc() if limit else AUDIT_TABLE.c.id)
        if limit:
            statement = statement.limit(limit)
        try:
            with self._engine.connect() as connection:
                rows = [AuditRecord(**dict(row._mapping)) for row in connection.execute(statement)]
        except SQLAlchemyError as exc:
            raise AuditError(f"cannot read the audit trail: {exc}") from exc
        return rows[::-1] if limit else rows

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    def _create(self) -> None:
        guards = {"sqlite": _SQLITE_GUARDS, "postgresql": _PG_GUARDS}.get(self._engine.dialect.name, [])
        try:
            with self._engine.begin() as connection:
                _metadata.create_all(connection)
                for statement in guards:
                    connection.execute(text(statement))
        except SQLAlchemyError as exc:
            raise AuditError(f"cannot create the audit table: {exc}") from exc


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise AuditError(f"malformed audit database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            return create_engine(parsed, connect_args={"check_same_thread": False}, poolclass=StaticPool)
        engine = create_engine(parsed, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", set_sqlite_pragmas)  # as the tracker store: WAL, no fsync per append
        return engine
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except Exception as exc:  # driver missing: say which
        raise AuditError(
            f"cannot open audit database {parsed.render_as_string(hide_password=True)}: {exc}"
        ) from exc
