from __future__ import annotations

import datetime as dt
import json

from recommend.churn import TaskStore, TouchTask, next_tasks, write_jsonl

NOW = dt.datetime(2026, 3, 2, 10, 0)


def _task(i: int, channel: str, hours: int = 0, priority: float = 0.0) -> TouchTask:
    return TouchTask(
        task_id=f"t{i}", customer_id=f"客户{i}", channel=channel,
        scheduled_at=NOW + dt.timedelta(hours=hours), churn_score=0.7, win_back=0.4,
        reasons=["已35天未登录"], channel_reason="电话可达", priority=priority,
    )  # fmt: skip


def test_task_store_feed_claims_due_tasks_once_by_priority(tmp_path) -> None:
    store = TaskStore(f"sqlite:///{tmp_path / 'tasks.sqlite'}")
    store.add([_task(1, "outbound_robot", priority=1), _task(2, "outbound_robot", priority=5),
               _task(3, "outbound_robot", hours=5), _task(4, "breakpoint_robot")])  # fmt: skip
    first = store.next_tasks("outbound_robot", limit=1, now=NOW)
    assert [t.task_id for t in first] == ["t2"] and first[0].reasons == ["已35天未登录"]
    rest = store.next_tasks("outbound_robot", limit=10, now=NOW)
    assert [t.task_id for t in rest] == ["t1"]  # t3 is not due yet, t2 already claimed
    assert [t.task_id for t in next_tasks("breakpoint_robot", 5, store=store)] == ["t4"]
    assert store.count("dispatched") == 3 and store.count("pending") == 1
    store.mark("t2", "done")
    assert store.count("done") == 1
    assert set(store.touches_since(NOW - dt.timedelta(days=1))) == {"客户1", "客户2", "客户3", "客户4"}


def test_write_jsonl_keeps_chinese_readable(tmp_path) -> None:
    path = tmp_path / "tasks.jsonl"
    write_jsonl([_task(1, "sms")], path)
    line = path.read_text(encoding="utf-8").strip()
    assert "已35天未登录" in line and json.loads(line)["channel"] == "sms"
