from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from channels.touch import TouchChannel, TouchContent, TouchMessage, TouchResult, TouchStatus, TouchStore

NOON = datetime(2026, 11, 24, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def message(customer: str = "c1", channel: TouchChannel = TouchChannel.SMS) -> TouchMessage:
    return TouchMessage(customer, channel, "t", content=TouchContent("您好。回T退订"))


def result(msg: TouchMessage, status: TouchStatus, scheduled: datetime | None = None) -> TouchResult:
    return TouchResult(msg.message_id, status, msg.channel, "database", scheduled_at=scheduled)


def test_store_counts_sent_and_deferred_in_the_window(store: TouchStore) -> None:
    for status in (TouchStatus.SENT, TouchStatus.DEFERRED, TouchStatus.FAILED, TouchStatus.CAPPED):
        msg = message()
        store.log(msg, result(msg, status), NOON)
    other = message(channel=TouchChannel.PUSH)
    store.log(other, result(other, TouchStatus.SENT), NOON)
    day = (NOON - timedelta(hours=12), NOON + timedelta(hours=12))
    assert store.count("c1", TouchChannel.SMS, *day) == 2
    assert store.count("c1", TouchChannel.SMS, NOON + timedelta(seconds=1), NOON + timedelta(days=1)) == 0
    assert store.count("c2", TouchChannel.SMS, *day) == 0


def test_store_log_updates_the_row_of_the_same_message(store: TouchStore) -> None:
    msg = message()
    store.log(msg, result(msg, TouchStatus.DEFERRED, NOON), NOON)
    store.log(
        msg, TouchResult(msg.message_id, TouchStatus.FAILED, msg.channel, "webhook", error="HTTP 502"), NOON
    )
    row = store.status(msg.message_id)
    assert row is not None and row["status"] == "failed" and row["error"] == "HTTP 502"


def test_store_due_returns_deferred_messages_in_time_order(store: TouchStore) -> None:
    later, sooner = message("late"), message("soon")
    store.log(
        later, result(later, TouchStatus.DEFERRED, NOON + timedelta(hours=2)), NOON + timedelta(hours=2)
    )
    store.log(sooner, result(sooner, TouchStatus.DEFERRED, NOON), NOON)
    assert [m.customer_id for m in store.due(NOON + timedelta(hours=3))] == ["soon", "late"]
    assert [m.customer_id for m in store.due(NOON + timedelta(hours=1))] == ["soon"]
    assert store.due(NOON + timedelta(hours=1))[0].content == TouchContent("您好。回T退订")
