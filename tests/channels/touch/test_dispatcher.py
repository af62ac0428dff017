from __future__ import annotations

import asyncio
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from channels.touch import (
    DatabaseAdapter,
    FrequencyCap,
    TemplateBook,
    TemplateError,
    TouchChannel,
    TouchDispatcher,
    TouchMessage,
    TouchPolicy,
    TouchResult,
    TouchStatus,
    TouchStore,
)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """November 2026, Shanghai time (2026-11-23 is a Monday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))


def sms(customer: str = "c1", **variables: str) -> TouchMessage:
    return TouchMessage(
        customer_id=customer,
        channel=TouchChannel.SMS,
        template_id="bind_card_reminder_sms",
        variables={"name": "张先生", **variables},
        campaign="bind-card",
        robot="breakpoint",
    )


def push(customer: str = "c1") -> TouchMessage:
    return TouchMessage(customer, TouchChannel.PUSH, "bind_card_reminder_push", {"name": "张先生"})


@pytest.fixture
def dispatcher(store: TouchStore, clock: Any) -> TouchDispatcher:
    return TouchDispatcher(DatabaseAdapter(store), TemplateBook.load(), store, clock=clock)


def send(dispatcher: TouchDispatcher, message: TouchMessage) -> TouchResult:
    return asyncio.run(dispatcher.dispatch(message))


def test_dispatcher_sends_rendered_touch_to_the_outbox(
    dispatcher: TouchDispatcher, store: TouchStore
) -> None:
    result = send(dispatcher, sms())
    assert result.status is TouchStatus.SENT and result.ok
    (row,) = store.outbox("c1")
    assert row["text"].startswith("【财富服务】张先生您好") and row["text"].endswith("回T退订")
    assert row["campaign"] == "bind-card" and row["robot"] == "breakpoint"
    assert store.status(result.message_id)["status"] == "sent"


def test_dispatcher_caps_per_day_then_allows_the_next_day(
    dispatcher: TouchDispatcher, store: TouchStore, clock: Any
) -> None:
    assert send(dispatcher, sms()).status is TouchStatus.SENT
    capped = send(dispatcher, sms())
    assert capped.status is TouchStatus.CAPPED and not capped.ok
    assert "sms cap reached: 1/1 this day" in (capped.error or "")
    assert store.status(capped.message_id)["status"] == "capped"
    assert len(store.outbox("c1")) == 1
    clock.advance(days=1)
    assert send(dispatcher, sms()).status is TouchStatus.SENT


def test_dispatcher_caps_per_week(dispatcher: TouchDispatcher, clock: Any) -> None:
    statuses = []
    for _ in range(4):  # Monday to Thursday, one SMS a day; the week allows three
        statuses.append(send(dispatcher, sms()).status)
        clock.advance(days=1)
    assert statuses == [TouchStatus.SENT] * 3 + [TouchStatus.CAPPED]
    clock.advance(days=3)  # the next Monday: a new week
    assert send(dispatcher, sms()).status is TouchStatus.SENT


def test_dispatcher_caps_are_per_customer_and_channel(dispatcher: TouchDispatcher) -> None:
    assert send(dispatcher, sms("c1")).status is TouchStatus.SENT
    assert send(dispatcher, sms("c2")).status is TouchStatus.SENT
    assert [send(dispatcher, push("c1")).status for _ in range(3)] == [
        TouchStatus.SENT,
        TouchStatus.SENT,
        TouchStatus.CAPPED,
    ]


def test_dispatcher_defers_quiet_hours_to_the_morning(
    dispatcher: TouchDispatcher, store: TouchStore, clock: Any
) -> None:
    clock.now = local(24, 22, 15)
    result = send(dispatcher, sms())
    assert result.status is TouchStatus.DEFERRED and result.ok
    assert result.scheduled_at == local(25, 8)
    assert store.outbox() == []
    clock.now = local(25, 7, 30)
    assert asyncio.run(dispatcher.release_due()) == []  # still quiet
    clock.now = local(25, 8, 1)
    (released,) = asyncio.run(dispatcher.release_due())
    assert released.message_id == result.message_id and released.status is TouchStatus.SENT
    assert store.outbox()[0]["message_id"] == result.message_id
    assert store.status(result.message_id)["status"] == "sent"
    assert asyncio.run(dispatcher.release_due()) == []  # sent once


def test_dispatcher_deferred_touch_counts_against_the_day_it_goes_out(
    dispatcher: TouchDispatcher, clock: Any
) -> None:
    clock.now = local(24, 23)
    assert send(dispatcher, sms()).status is TouchStatus.DEFERRED  # goes out on the 25th, 08:00
    clock.now = local(25, 10)
    assert send(dispatcher, sms()).status is TouchStatus.CAPPED


def test_dispatcher_without_caps_or_quiet_hours(store: TouchStore, clock: Any) -> None:
    policy = TouchPolicy(caps={TouchChannel.SMS: FrequencyCap()}, quiet_start=time(0), quiet_end=time(0))
    clock.now = local(24, 23)
    dispatcher = TouchDispatcher(DatabaseAdapter(store), TemplateBook.load(), store, policy, clock=clock)
    assert [send(dispatcher, sms()).status for _ in range(3)] == [TouchStatus.SENT] * 3


def test_dispatcher_missing_variable_raises_and_records_nothing(
    dispatcher: TouchDispatcher, store: TouchStore
) -> None:
    message = TouchMessage("c1", TouchChannel.SMS, "purchase_resume_sms", {"name": "张先生"})
    with pytest.raises(TemplateError, match="missing variable.*product"):
        send(dispatcher, message)
    assert store.status(message.message_id) is None


class BrokenAdapter:
    name = "broken"

    async def send(self, message: TouchMessage) -> TouchResult:
        raise ConnectionError("SMS gateway unreachable")


def test_dispatcher_records_an_adapter_that_raises_as_failed(store: TouchStore, clock: Any) -> None:
    dispatcher = TouchDispatcher(BrokenAdapter(), TemplateBook.load(), store, clock=clock)
    result = send(dispatcher, sms())
    assert result.status is TouchStatus.FAILED and "unreachable" in (result.error or "")
    row = store.status(result.message_id)
    assert row["status"] == "failed" and row["adapter"] == "broken"
    # a failed touch does not use up the cap
    working = TouchDispatcher(DatabaseAdapter(store), TemplateBook.load(), store, clock=clock)
    assert send(working, sms()).status is TouchStatus.SENT
