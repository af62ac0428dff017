"""Operations on a real uvicorn server: health and readiness, request ids and JSON logs with
PII masked, graceful shutdown that lets a running turn finish."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import WebSocket
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from bots.agent import load_agent
from bots.logging_config import configure_logging, mask_for_log
from bots.server import build_server, create_app
from bots.settings import Settings
from bots.training import load_bot_model
from risk_hooks.pii import mask_pii

BOT = Path(__file__).resolve().parents[1] / "fixtures" / "bots" / "wealth_mini"


class SlowBalance:
    """An in-process custom action that holds its turn until the test releases it."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def name(self) -> str:
        return "action_check_balance"

    async def run(self, dispatcher, tracker, domain) -> list:  # noqa: ANN001 - rasa-sdk signature
        self.started.set()
        while not self.release.is_set():
            await asyncio.sleep(0.01)
        dispatcher.utter_message(text="您的账户余额为10000元。")
        return []


class HeldNLU:
    """The bot's NLU, held at its first parse until the test lets go (a slow model load)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.loaded = threading.Event()

    def parse(self, text: str) -> Any:
        self.loaded.wait(30)
        return self.inner.parse(text)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def settings_for(models: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"tracker_store_url": "memory://", "log_format": "none", **overrides}
    return Settings(models_dir=models, **values)


@pytest.fixture(scope="module")
def bot_and_models(ops_bot: tuple[Path, Path]) -> tuple[Path, Path]:
    return ops_bot


@pytest.fixture(scope="module")
def url(bot_and_models: tuple[Path, Path], live_server_factory) -> Iterator[str]:  # noqa: ANN001
    bot, models = bot_and_models
    settings = settings_for(models)
    agent = load_agent(bot, settings)
    app = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, settings=settings)
    with live_server_factory(app) as server:
        wait_for(lambda: httpx.get(f"{server.url}/health/ready").status_code == 200)
        yield server.url


def test_health_live_and_ready_answer(url: str) -> None:
    assert httpx.get(f"{url}/health").json() == {"status": "ok", "bots": ["wealth_mini"]}
    assert httpx.get(f"{url}/health/live").json() == {"status": "ok"}
    ready = httpx.get(f"{url}/health/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"shutdown": "ok", "model:wealth_mini": "ok", "store:wealth_mini": "ok"}


def test_readiness_waits_for_the_model_warm_up(
    bot_and_models: tuple[Path, Path], live_server_factory
) -> None:  # noqa: ANN001
    _, models = bot_and_models
    nlu = HeldNLU(load_bot_model(models, "wealth_mini"))
    app = create_app({"wealth_mini": nlu}, settings=settings_for(models))
    with live_server_factory(app) as server:
        before = httpx.get(f"{server.url}/health/ready")
        assert before.status_code == 503
        assert before.json()["error"] == "not_ready"
        assert before.json()["checks"]["model:wealth_mini"] == "warming up"
        assert httpx.get(f"{server.url}/health/live").status_code == 200  # alive while warming
        nlu.loaded.set()
        wait_for(lambda: httpx.get(f"{server.url}/health/ready").status_code == 200)


def test_readiness_reports_an_unreachable_tracker_store(
    bot_and_models: tuple[Path, Path],
    tmp_path: Path,
    live_server_factory,  # noqa: ANN001
) -> None:
    bot, models = bot_and_models
    database = tmp_path / "trackers.db"
    database.mkdir()  # a folder where the database file should be: SQLite cannot open it
    settings = settings_for(models, tracker_store_url=f"sqlite:///{database}")
    agent = load_agent(bot, settings)
    app = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, settings=settings)
    with live_server_factory(app) as server:
        wait_for(lambda: "model:wealth_mini" in httpx.get(f"{server.url}/health/ready").text)
        wait_for(
            lambda: httpx.get(f"{server.url}/health/ready").json()["checks"]["model:wealth_mini"] == "ok"
        )
        down = httpx.get(f"{server.url}/health/ready")
        assert down.status_code == 503
        assert "STO101" in down.json()["checks"]["store:wealth_mini"]
        database.rmdir()  # the database comes back
        wait_for(lambda: httpx.get(f"{server.url}/health/ready").status_code == 200)


@pytest.mark.parametrize(
    ("sent", "echoed"),
    [("req-abc-123", "req-abc-123"), (None, None), ("bad id with spaces", None), ("x" * 200, None)],
    ids=["given", "missing", "invalid-chars", "too-long"],
)
def test_request_id_is_echoed_or_generated(url: str, sent: str | None, echoed: str | None) -> None:
    headers = {"X-Request-ID": sent} if sent else {}
    got = httpx.get(f"{url}/health", headers=headers).headers["x-request-id"]
    if echoed is not None:
        assert got == echoed
    else:
        assert len(got) == 32 and int(got, 16) >= 0  # a fresh uuid4 hex


def test_json_log_lines_carry_the_request_id_and_mask_pii(url: str) -> None:
    stream = io.StringIO()
    handler = configure_logging(stream=stream)
    try:
        headers = {"X-Request-ID": "req-pii-42"}
        body = {"sender": "13812345678", "message": "我的手机号是13912345678"}
        response = httpx.post(f"{url}/webhooks/rest/webhook", json=body, headers=headers, timeout=30)
        assert response.status_code == 200
        assert response.headers["x-request-id"] == "req-pii-42"
        httpx.get(f"{url}/conversations/13812345678/tracker", headers={"X-Request-ID": "req-pii-43"})
        # the access record is written once the response is out: wait for it
        wait_for(lambda: '"req-pii-43"' in stream.getvalue() and "wealthbot.access" in stream.getvalue())
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    mine = {line["logger"]: line for line in lines if line["request_id"] == "req-pii-42"}
    assert {"wealthbot.access", "wealthbot.turn"} <= set(mine)
    assert mine["wealthbot.turn"]["sender_id"] == "138****5678"
    assert mine["wealthbot.access"]["status"] == 200
    assert mine["wealthbot.access"]["route"] == "/webhooks/rest/webhook"
    tracker = next(line for line in lines if line["request_id"] == "req-pii-43")
    assert tracker["path"] == "/conversations/138****5678/tracker"
    assert "138****5678" in tracker["message"]
    assert "13812345678" not in stream.getvalue()
    assert "13912345678" not in stream.getvalue()


@pytest.mark.parametrize(
    "text",
    [
        "GET /conversations/13812345678/tracker",
        "+86 138 1234 5678",
        "6222 0212 3456 7890",
        "11010519491231002X",
        "zhang.wei@example.com",
        "张先生说他住在北京市朝阳区建国路88号",
        "POST /webhooks/rest/webhook 200",
        "turn wealth_mini/rest ok",
        "我要赎回稳健一号",
    ],
    ids=[
        "phone-path",
        "phone-spaced",
        "bank-card",
        "id-card",
        "email",
        "name-address",
        "path",
        "turn",
        "plain-zh",
    ],
)
def test_mask_for_log_agrees_with_mask_pii(text: str) -> None:
    assert mask_for_log(text) == mask_pii(text)
    assert mask_for_log(text) == mask_for_log(text)  # the cached answer is the same


def test_text_log_format_keeps_the_request_id() -> None:
    stream = io.StringIO()
    handler = configure_logging(json_format=False, stream=stream)
    try:
        logging.getLogger("wealthbot.test").info("客户 13812345678 来电")
    finally:
        logging.getLogger().removeHandler(handler)
    line = stream.getvalue()
    assert "[None]" in line and "客户 138****5678 来电" in line


@contextmanager
def running(server: uvicorn.Server) -> Iterator[str]:
    """Run ``server`` (from ``build_server``) in a thread; yields its base URL."""
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started)
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        assert not thread.is_alive()


def test_graceful_shutdown_finishes_the_running_turn_and_refuses_new_ones(
    bot_and_models: tuple[Path, Path],
) -> None:
    bot, models = bot_and_models
    settings = settings_for(models, port=free_port(), shutdown_grace_s=30)
    slow = SlowBalance()
    agent = load_agent(bot, settings, python_actions=[slow])
    app = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, settings=settings)
    gate = app.state.turn_gate
    server = build_server(app, settings)
    with running(server) as base, ThreadPoolExecutor(1) as pool:
        webhook = f"{base}/webhooks/rest/webhook"
        running_turn = pool.submit(
            httpx.post, webhook, json={"sender": "slow", "message": "查一下余额"}, timeout=60
        )
        assert slow.started.wait(20)
        assert gate.in_flight == 1
        server.should_exit = True  # what SIGTERM does
        wait_for(lambda: gate.draining)
        refused = httpx.post(webhook, json={"sender": "late", "message": "你好"}, timeout=10)
        assert refused.status_code == 503
        assert refused.json()["error"] == "unavailable"
        assert refused.headers["retry-after"] == "5"
        not_ready = httpx.get(f"{base}/health/ready", timeout=10)
        assert not_ready.status_code == 503 and not_ready.json()["checks"]["shutdown"] == "draining"
        slow.release.set()
        finished = running_turn.result(timeout=30)
    assert finished.status_code == 200
    assert [m["text"] for m in finished.json()] == ["您的账户余额为10000元。"]
    assert gate.in_flight == 0


def test_websocket_frames_over_the_limit_close_the_socket(bot_and_models: tuple[Path, Path]) -> None:
    _, models = bot_and_models
    settings = settings_for(models, port=free_port(), max_ws_message_bytes=1000)
    app = create_app({"wealth_mini": load_bot_model(models, "wealth_mini")}, settings=settings)

    @app.websocket("/ws-test")
    async def echo(websocket: WebSocket) -> None:
        await websocket.accept()
        while True:
            await websocket.send_text(await websocket.receive_text())

    with running(build_server(app, settings)) as base, connect(base.replace("http", "ws") + "/ws-test") as ws:
        ws.send("赎回" * 100)  # 600 bytes
        assert ws.recv(timeout=10) == "赎回" * 100
        ws.send("赎回" * 200)  # 1200 bytes
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009  # message too big
