"""RemoteAction against a real HTTP server on loopback (and a mock transport for retries)."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from dialogue.actions import (
    REQUEST_ID_HEADER,
    ActionRejectedError,
    ActionServerError,
    ActionServerTimeoutError,
    RemoteAction,
)
from dialogue.errors import RemoteActionError
from dialogue.events import BotUttered, SlotSet

SLOW_SECONDS = 1.0

ANSWERS: dict[str, tuple[int, Any]] = {
    "action_check_balance": (
        200,
        {
            "events": [
                {"event": "slot", "timestamp": None, "name": "amount", "value": 50000},
                {"event": "export", "timestamp": None},  # unknown to us: skipped, as Rasa does
            ],
            "responses": [
                {"text": "您的可用余额为五万元。", "buttons": [{"title": "赎回", "payload": "/redeem"}]},
                {"response": "utter_greet"},
            ],
        },
    ),
    "action_reject": (400, {"action_name": "action_reject", "error": "当前不在交易时间"}),
    "action_missing": (404, {"action_name": "action_missing", "error": "No registered action found"}),
    "action_boom": (500, {"error": "boom"}),
    "action_null": (200, None),
    "action_garbage": (200, "这不是JSON"),
}


class _Handler(BaseHTTPRequestHandler):
    calls: list[dict[str, Any]]

    def do_POST(self) -> None:  # noqa: N802 -- http.server's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.calls.append({"path": self.path, "headers": dict(self.headers), "body": body})
        name = body["next_action"]
        if name == "action_slow":
            time.sleep(SLOW_SECONDS)
            status, answer = 200, {"events": []}
        else:
            status, answer = ANSWERS[name]
        raw = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    calls: list[dict[str, Any]] = []
    handler = type("Handler", (_Handler,), {"calls": calls})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/webhook", calls
    httpd.shutdown()
    httpd.server_close()


def _calls_for(calls: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [c for c in calls if c["body"]["next_action"] == name]


def test_remote_action_turns_answer_into_utterances_then_events(
    server, domain, nlg, make_tracker, make_user
) -> None:
    url, calls = server
    tracker = make_tracker(make_user("查一下余额", "redeem"))
    events = asyncio.run(RemoteAction("action_check_balance", url).run(tracker, domain, nlg))
    assert [type(e) for e in events] == [BotUttered, BotUttered, SlotSet]
    assert events[0].text == "您的可用余额为五万元。"
    assert events[0].data["buttons"] == [{"title": "赎回", "payload": "/redeem"}]
    assert events[1].text == "您好，请问有什么可以帮您？"  # rendered from the domain by the NLG
    assert (events[2].key, events[2].value) == ("amount", 50000)


def test_remote_action_posts_rasa_webhook_payload(server, domain, nlg, make_tracker, make_user) -> None:
    url, calls = server
    tracker = make_tracker(make_user("查一下余额", "redeem"), sender_id="payload-check")
    action = RemoteAction("action_check_balance", url)
    asyncio.run(action.run(tracker, domain, nlg))
    asyncio.run(action.run(tracker, domain, nlg))
    mine = [c for c in calls if c["body"]["sender_id"] == "payload-check"]
    assert len(mine) == 2
    body = mine[0]["body"]
    assert set(body) == {"next_action", "sender_id", "tracker", "domain", "version"}
    assert body["next_action"] == "action_check_balance"
    assert body["version"] == "3.x"
    assert body["tracker"]["latest_message"]["text"] == "查一下余额"
    assert body["tracker"]["events"][-1]["event"] == "user"
    assert body["domain"]["forms"]["redeem_form"]["required_slots"] == ["amount", "product_name"]
    ids = [c["headers"][REQUEST_ID_HEADER] for c in mine]
    assert all(ids) and ids[0] != ids[1]  # one id per execution


def test_remote_action_rejection_is_flagged_for_the_processor(server, domain, nlg, make_tracker) -> None:
    url, _ = server
    with pytest.raises(ActionRejectedError) as caught:
        asyncio.run(RemoteAction("action_reject", url).run(make_tracker(), domain, nlg))
    assert isinstance(caught.value, RemoteActionError)
    assert caught.value.rejected is True
    assert caught.value.code == "ACT012"
    assert "当前不在交易时间" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "code"),
    [("action_missing", "ACT013"), ("action_boom", "ACT014"), ("action_garbage", "ACT015")],
    ids=["not_found_404", "server_error_500", "not_json"],
)
def test_remote_action_failures_raise_coded_errors(server, domain, nlg, make_tracker, name, code) -> None:
    url, _ = server
    with pytest.raises(ActionServerError) as caught:
        asyncio.run(RemoteAction(name, url).run(make_tracker(), domain, nlg))
    assert caught.value.code == code
    assert caught.value.rejected is False
    assert name in str(caught.value)


def test_remote_action_null_answer_means_no_events(server, domain, nlg, make_tracker) -> None:
    url, _ = server
    assert asyncio.run(RemoteAction("action_null", url).run(make_tracker(), domain, nlg)) == []


def test_remote_action_timeout_after_sending_is_never_retried(server, domain, nlg, make_tracker) -> None:
    url, calls = server
    action = RemoteAction("action_slow", url, timeout=0.2, retries=3)
    started = time.monotonic()
    with pytest.raises(ActionServerTimeoutError) as caught:
        asyncio.run(action.run(make_tracker(), domain, nlg))
    assert time.monotonic() - started < SLOW_SECONDS
    assert caught.value.code == "ACT011"
    time.sleep(SLOW_SECONDS)  # a (wrong) retry would have reached the server by now
    assert len(_calls_for(calls, "action_slow")) == 1


def test_remote_action_unreachable_server_is_retried_then_fails(domain, nlg, make_tracker) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    action = RemoteAction("action_check_balance", f"http://127.0.0.1:{port}/webhook", retries=2)
    with pytest.raises(ActionServerError) as caught:
        asyncio.run(action.run(make_tracker(), domain, nlg))
    assert caught.value.code == "ACT010"
    assert "3 attempt(s)" in str(caught.value)


def test_remote_action_retries_unsent_request_with_same_request_id(domain, nlg, make_tracker) -> None:
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers[REQUEST_ID_HEADER])
        if len(seen) == 1:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"events": [{"event": "slot", "name": "amount", "value": 1}]})

    async def go() -> list[Any]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handle)) as client:
            action = RemoteAction("action_check_balance", "http://actions/webhook", client=client)
            return await action.run(make_tracker(), domain, nlg)

    events = asyncio.run(go())
    assert len(seen) == 2 and seen[0] == seen[1]
    assert [(e.key, e.value) for e in events] == [("amount", 1)]
