"""The touch database (SQLAlchemy 2; a SQLite file by default, PostgreSQL by URL).

Two tables:

- ``touch_log``: every dispatch decision (sent, failed, deferred, capped), one row per
  message id, updated when a deferred message goes out. The frequency caps count it and it is
  the audit trail of who was contacted when.
- ``touch_outbox``: what the ``DatabaseAdapter`` delivered, for a downstream sender (an SMS
  gateway job, the push service) to pick up.

Times are stored as UTC epoch seconds. The engine is synchronous; async callers use
``asyncio.to_thread``.
"""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime
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
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from channels.touch.errors import TouchConfigError
from channels.touch.message import TouchChannel, TouchContent, TouchMessage, TouchResult, TouchStatus

__all__ = ["OUTBOX_TABLE", "TOUCH_LOG_TABLE", "TouchStore"]

_metadata = MetaData()
TOUCH_LOG_TABLE = Table(
    "touch_log",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(64), nullable=False, unique=True),
    Column("customer_id", String(128), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("template_id", String(128), nullable=False),
    Column("campaign", String(128)),
    Column("robot", String(64)),
    Column("content", Text),  # JSON of TouchContent
    Column("status", String(16), nullable=False),
    Column("adapter", String(64), nullable=False),
    Column("created_at", Double, nullable=False),
    Column("scheduled_at", Double),  # deferred: when it may go out
    Column("effective_at", Double, nullable=False),  # the moment the caps count it at
    Column("error", Text),
)
OUTBOX_TABLE = Table(
    "touch_outbox",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("message_id", String(64), nullable=False, unique=True),
    Column("customer_id", String(128), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("template_id", String(128), nullable=False),
    Column("campaign", String(128)),
    Column("robot", String(64)),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("created_at", Double, nullable=False),
)
_COUNTED = (TouchStatus.SENT.value, TouchStatus.DEFERRED.value)


class TouchStore:
    """The touch tables on one database.

    Args:
        url: a SQLAlchemy URL (``sqlite:///touch.db``, ``postgresql+psycopg://...``).

    Raises:
        TouchConfigError: a malformed URL or a database that cannot be opened.
    """

    def __init__(self, url: str) -> None:
        try:
            self.engine: Engine = create_engine(url, future=True)
            _metadata.create_all(self.engine)
        except (ArgumentError, SQLAlchemyError) as exc:
            raise TouchConfigError(f"touch store {url!r}: {exc}") from exc
        self._lock = threading.Lock()  # SQLite: one writer at a time from this process

    @classmethod
    def sqlite(cls, path: Path) -> TouchStore:
        """A store in the SQLite file ``path`` (folders are created)."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return cls(f"sqlite:///{Path(path)}")

    def log(self, message: TouchMessage, result: TouchResult, effective_at: datetime) -> None:
        """Record a dispatch decision (insert, or update the row of the same message id)."""
        values = {
            "customer_id": message.customer_id,
            "channel": message.channel.value,
            "template_id": message.template_id,
            "campaign": message.campaign,
            "robot": message.robot,
            "content": json.dumps(message.content.to_dict(), ensure_ascii=False) if message.content else None,
            "status": result.status.value,
            "adapter": result.adapter,
            "scheduled_at": result.scheduled_at.timestamp() if result.scheduled_at else None,
            "effective_at": effective_at.timestamp(),
            "error": result.error,
        }
        with self._lock, self.engine.begin() as conn:
            changed = conn.execute(
                update(TOUCH_LOG_TABLE)
                .where(TOUCH_LOG_TABLE.c.message_id == message.message_id)
                .values(**values)
            ).rowcount
            if not changed:
                conn.execute(
                    insert(TOUCH_LOG_TABLE).values(
                        message_id=message.message_id, created_at=time.time(), **values
                    )
                )

    def count(self, customer_id: str, channel: TouchChannel, start: datetime, end: datetime) -> int:
        """Touches sent or deferred to ``customer_id`` on ``channel`` counted in [start, end)."""
        table = TOUCH_LOG_TABLE
        query = select(func.count()).where(
            table.c.customer_id == customer_id,
            table.c.channel == channel.value,
            table.c.status.in_(_COUNTED),
            table.c.effective_at >= start.timestamp(),
            table.c.effective_at < end.timestamp(),
        )
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def due(self, now: datetime, limit: int = 500) -> list[TouchMessage]:
        """Deferred messages whose time has come, oldest first."""
        table = TOUCH_LOG_TABLE
        query = (
            select(table)
            .where(table.c.status == TouchStatus.DEFERRED.value, table.c.scheduled_at <= now.timestamp())
            .order_by(table.c.scheduled_at, table.c.id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_message(row._mapping) for row in conn.execute(query)]

    def status(self, message_id: str) -> dict[str, Any] | None:
        """A message's log row (``None``: never dispatched)."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(TOUCH_LOG_TABLE).where(TOUCH_LOG_TABLE.c.message_id == message_id)
            ).first()
        return dict(row._mapping) if row else None

    def put_outbox(self, message: TouchMessage) -> None:
        """Store a rendered message in the outbox (idempotent per message id)."""
        assert message.content is not None
        with self._lock, self.engine.begin() as conn:
            exists = conn.execute(
                select(OUTBOX_TABLE.c.id).where(OUTBOX_TABLE.c.message_id == message.message_id)
            ).first()
            if exists:
                return
            conn.execute(
                insert(OUTBOX_TABLE).values(
                    message_id=message.message_id,
                    customer_id=message.customer_id,
                    channel=message.channel.value,
                    template_id=message.template_id,
                    campaign=message.campaign,
                    robot=message.robot,
                    text=message.content.text,
                    title=message.content.title,
                    url=message.content.url,
                    created_at=time.time(),
                )
            )

    def outbox(self, customer_id: str | None = None) -> list[dict[str, Any]]:
        """Outbox rows, oldest first (optionally one customer's)."""
        query = select(OUTBOX_TABLE).order_by(OUTBOX_TABLE.c.id)
        if customer_id is not None:
            query = query.where(OUTBOX_TABLE.c.customer_id == customer_id)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def close(self) -> None:
        self.engine.dispose()


def _message(row: Any) -> TouchMessage:
    content = json.loads(row["content"]) if row["content"] else None
    return TouchMessage(
        customer_id=row["customer_id"],
        channel=TouchChannel(row["channel"]),
        template_id=row["template_id"],
        campaign=row["campaign"],
        robot=row["robot"],
        content=TouchContent(**content) if content else None,
        message_id=row["message_id"],
    )
