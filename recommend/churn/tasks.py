"""Touch tasks: what the batch job emits and the outbound/breakpoint robots consume.

Tasks live in a SQL table (``touch_tasks``, SQLite by default, any SQLAlchemy URL) and can
also be written as JSONL. A robot takes its due tasks with :meth:`TaskStore.next_tasks`
(or the module function :func:`next_tasks`), which marks them ``dispatched`` so two
workers never get the same task.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

__all__ = ["DEFAULT_TASKS_URL", "TaskStore", "TouchTask", "next_tasks", "write_jsonl"]

# next to the platform's other embedded data (``wealthbot serve``'s default data folder is ``.data``)
DEFAULT_TASKS_URL = os.environ.get("WEALTHBOT_TOUCH_TASKS_URL", "sqlite:///.data/touch_tasks.sqlite")


@dataclass
class TouchTask:
    """One planned touch of one customer."""

    task_id: str
    customer_id: str
    channel: str  # a recommend.churn.touch.Channel value
    scheduled_at: dt.datetime
    churn_score: float
    win_back: float
    reasons: list[str] = field(default_factory=list)
    channel_reason: str = ""
    priority: float = 0.0
    status: str = "pending"  # pending → dispatched → done / failed
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None))

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict (datetimes as ISO strings)."""
        data = asdict(self)
        data["scheduled_at"] = self.scheduled_at.isoformat()
        data["created_at"] = self.created_at.isoformat()
        return data


_META = sa.MetaData()
_TABLE = sa.Table(
    "touch_tasks",
    _META,
    sa.Column("task_id", sa.String(64), primary_key=True),
    sa.Column("customer_id", sa.String(64), index=True, nullable=False),
    sa.Column("channel", sa.String(32), index=True, nullable=False),
    sa.Column("scheduled_at", sa.DateTime, nullable=False),
    sa.Column("churn_score", sa.Float, nullable=False),
    sa.Column("win_back", sa.Float, nullable=False),
    sa.Column("reasons", sa.Text, nullable=False),
    sa.Column("channel_reason", sa.Text, nullable=False),
    sa.Column("priority", sa.Float, nullable=False),
    sa.Column("status", sa.String(16), index=True, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)


class TaskStore:
    """The ``touch_tasks`` table behind a SQLAlchemy engine."""

    def __init__(self, url: str | sa.Engine = DEFAULT_TASKS_URL) -> None:
        if isinstance(url, str) and url.startswith("sqlite:///"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = sa.create_engine(url) if isinstance(url, str) else url
        _META.create_all(self.engine)

    def add(self, tasks: list[TouchTask]) -> int:
        """Insert tasks; returns how many."""
        if tasks:
            rows = [asdict(t) | {"reasons": json.dumps(t.reasons, ensure_ascii=False)} for t in tasks]
            with self.engine.begin() as conn:
                conn.execute(_TABLE.insert(), rows)
        return len(tasks)

    def touches_since(self, since: dt.datetime) -> dict[str, list[dt.datetime]]:
        """customer_id → scheduled times of tasks at or after ``since`` (for frequency caps)."""
        query = sa.select(_TABLE.c.customer_id, _TABLE.c.scheduled_at).where(_TABLE.c.scheduled_at >= since)
        out: dict[str, list[dt.datetime]] = {}
        with self.engine.connect() as conn:
            for customer_id, when in conn.execute(query):
                out.setdefault(customer_id, []).append(when)
        return out

    def next_tasks(self, robot: str, limit: int = 10, now: dt.datetime | None = None) -> list[TouchTask]:
        """Claim up to ``limit`` due pending tasks of channel ``robot``, highest priority first."""
        now = now or dt.datetime.now()
        query = (
            sa.select(_TABLE)
            .where(_TABLE.c.channel == robot, _TABLE.c.status == "pending", _TABLE.c.scheduled_at <= now)
            .order_by(_TABLE.c.priority.desc(), _TABLE.c.scheduled_at)
            .limit(limit)
        )
        with self.engine.begin() as conn:
            rows = conn.execute(query).mappings().all()
            claimed = []
            for row in rows:
                done = conn.execute(
                    _TABLE.update()
                    .where(_TABLE.c.task_id == row["task_id"], _TABLE.c.status == "pending")
                    .values(status="dispatched")
                )
                if done.rowcount == 1:
                    claimed.append(_task(row, "dispatched"))
        return claimed

    def mark(self, task_id: str, status: str) -> None:
        """Record a task's outcome (``done`` / ``failed``)."""
        with self.engine.begin() as conn:
            conn.execute(_TABLE.update().where(_TABLE.c.task_id == task_id).values(status=status))

    def count(self, status: str | None = None) -> int:
        """How many tasks (with ``status``)."""
        query = sa.select(sa.func.count()).select_from(_TABLE)
        if status:
            query = query.where(_TABLE.c.status == status)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())


def _task(row: Any, status: str) -> TouchTask:
    data = dict(row)
    data["reasons"] = json.loads(data["reasons"])
    data["status"] = status
    return TouchTask(**data)


def next_tasks(robot: str, limit: int = 10, *, store: TaskStore | None = None) -> list[TouchTask]:
    """The feed the robots poll: claim due tasks for ``robot`` (``outbound_robot``, ``breakpoint_robot``…).

    Args:
        robot: a channel value.
        limit: the most tasks to return.
        store: the task table (default: ``WEALTHBOT_TOUCH_TASKS_URL`` or ``.data/touch_tasks.sqlite``).
    """
    return (store or TaskStore()).next_tasks(robot, limit)


def write_jsonl(tasks: list[TouchTask], path: str | Path) -> None:
    """Write tasks as JSON lines (UTF-8, Chinese kept readable)."""
    with Path(path).open("w", encoding="utf-8") as handle:
        for task in tasks:
            handle.write(json.dumps(task.to_json(), ensure_ascii=False) + "\n")
