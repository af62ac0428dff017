from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from channels.touch import (
    DatabaseAdapter,
    TemplateBook,
    TouchChannel,
    TouchConfigError,
    TouchContent,
    TouchDispatcher,
    TouchMessage,
    TouchStatus,
    TouchStore,
    WebhookAdapter,
)


def rendered(customer: str = "c1") -> TouchMessage:
    return TouchMessage(
        customer_id=customer,
        channel=TouchChannel.H5,
        template_id="risk_test_resume_h5",
        variables={"name": "李女士", "next_question": "6", "token": "t-9"},
        campaign="risk-test",
        robot="breakpoint",
        content=TouchContent(
            "李女士您好，点击链接从第6题继续风险测评。", "继续风险测评", "https://m.example.com/r?t=9"
        ),
    )


def test_database_adapter_writes_the_outbox_once(store: TouchStore) -> None:
    adapter = DatabaseAdapter(store)
    message = rendered()
    first = asyncio.run(adapter.send(message))
    again = asyncio.run(adapter.send(message))
    assert first.status is TouchStatus.SENT and again.status is TouchStatus.SENT
    (row,) = store.outbox()
    assert row["channel"] == "h5" and row["url"] == "https://m.example.com/r?t=9"
    assert row["title"] == "继续风险测评"


def test_database_adapter_refuses_unrendered_messages(store: TouchStore) -> None:
    message = TouchMessage("c1", TouchChannel.SMS, "bind_card_reminder_sms", {"name": "张先生"})
    result = asyncio.run(DatabaseAdapter(store).send(message))
    assert result.status is TouchStatus.FAILED and "rendered" in (result.error or "")


def test_webhook_adapter_posts_the_touch(receiver: Any) -> None:
    message = rendered()
    result = asyncio.run(WebhookAdapter(f"{receiver.url}/ok", headers={"X-API-Key": "k1"}).send(message))
    assert result.status is TouchStatus.SENT and result.detail["status_code"] == 200
    path, headers, body = receiver.requests[-1]
    assert path == "/ok" and headers["x-api-key"] == "k1" and headers["idempotency-key"] == message.message_id
    assert body["customer_id"] == "c1" and body["channel"] == "h5"
    assert body["content"]["text"] == "李女士您好，点击链接从第6题继续风险测评。"


def test_webhook_adapter_500_is_a_failed_result(receiver: Any) -> None:
    result = asyncio.run(WebhookAdapter(f"{receiver.url}/fail").send(rendered()))
    assert result.status is TouchStatus.FAILED and result.detail["status_code"] == 500
    assert result.error is not None and result.error.startswith("HTTP 500") and "短信网关繁忙" in result.error


def test_webhook_adapter_timeout_is_a_failed_result(receiver: Any) -> None:
    result = asyncio.run(WebhookAdapter(f"{receiver.url}/slow", timeout_s=0.2).send(rendered()))
    assert result.status is TouchStatus.FAILED and "timed out" in (result.error or "")


def test_webhook_adapter_refused_connection_is_a_failed_result() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once closed
    result = asyncio.run(WebhookAdapter(f"http://127.0.0.1:{port}/ok", timeout_s=2).send(rendered()))
    assert result.status is TouchStatus.FAILED and "ConnectError" in (result.error or "")


def test_webhook_failure_is_recorded_by_the_dispatcher(receiver: Any, store: TouchStore, clock: Any) -> None:
    dispatcher = TouchDispatcher(
        WebhookAdapter(f"{receiver.url}/fail"), TemplateBook.load(), store, clock=clock
    )
    message = TouchMessage(
        "c9", TouchChannel.SMS, "activation_link_sms", {"name": "王先生", "link": "https://e.cn/a"}
    )
    result = asyncio.run(dispatcher.dispatch(message))
    assert result.status is TouchStatus.FAILED
    row = store.status(message.message_id)
    assert row["status"] == "failed" and row["adapter"] == "webhook" and "HTTP 500" in row["error"]
    sent_body = receiver.requests[-1][2]
    assert sent_body["content"]["text"].startswith(
        "【财富服务】王先生您好，按通话约定发送账户激活链接：https://e.cn/a"
    )


@pytest.mark.parametrize(
    ("url", "timeout", "message"),
    [("ftp://x", 1.0, "http:// or https://"), ("http://x", 0, "timeout_s")],
    ids=["bad-scheme", "zero-timeout"],
)
def test_webhook_adapter_rejects_bad_settings(url: str, timeout: float, message: str) -> None:
    with pytest.raises(TouchConfigError, match=message):
        WebhookAdapter(url, timeout_s=timeout)


def test_store_rejects_a_bad_url() -> None:
    with pytest.raises(TouchConfigError, match="touch store"):
        TouchStore("nosuchdb://x")
