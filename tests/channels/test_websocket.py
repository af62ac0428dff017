"""The WebSocket chat channel through a real uvicorn server and a real ``websockets`` client."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bots.agent import BotAgent
from channels.security import TokenBucketLimiter
from channels.websocket import build_websocket_router
from risk_hooks.notices import RISK_NOTICE

BOT = "wealth_mini"
GREETING = "您好，我是理财小助手，请问有什么可以帮您？"
ASK_PRODUCT = "请问您要赎回哪只产品？"


class Chat:
    """A test client speaking the channel's JSON frames."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[dict[str, Any]] = []

    async def send(self, **frame: Any) -> None:
        await self.ws.send(json.dumps(frame, ensure_ascii=False))

    async def recv(self, timeout: float = 15) -> dict[str, Any]:
        frame = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        self.frames.append(frame)
        return frame

    async def until(self, check: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        while True:
            frame = await self.recv()
            if check(frame):
                return frame

    async def session(self, **request: Any) -> dict[str, Any]:
        await self.send(type="session_request", **request)
        return await self.until(lambda f: f["type"] == "session_confirm")

    async def turn(self, text: str, message_id: str) -> list[dict[str, Any]]:
        """Send a message; the frames up to the end of its turn (typing off)."""
        start = len(self.frames)
        await self.send(type="user_uttered", message_id=message_id, text=text)
        await self.until(lambda f: f == {"type": "typing", "on": False, "in_reply_to": message_id})
        return self.frames[start:]


def bot_texts(frames: list[dict[str, Any]]) -> list[str]:
    return [f.get("text", "") for f in frames if f["type"] == "bot_uttered"]


def run(scenario: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(scenario())  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def bare_server(chat_agent_factory: Callable[[], BotAgent], live_server_factory: Any) -> Iterator[Any]:
    """Only the channel, with a fast heartbeat and a tight per-session rate limit."""
    app = FastAPI()
    router = build_websocket_router({BOT: chat_agent_factory()}, BOT, heartbeat_s=0.1, idle_timeout_s=1.0)
    app.include_router(router)
    app.state.rate_limiter = TokenBucketLimiter(rate=0.01, burst=2)
    with live_server_factory(app) as server:
        yield server


def test_websocket_session_turn_has_ack_typing_and_sequence(chat_server: Any) -> None:
    async def scenario() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        async with connect(f"{chat_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            confirm = await chat.session()
            first = await chat.turn("你好", "c-1")
            second = await chat.turn("我要赎回", "c-2")
        return confirm, first, second

    confirm, first, second = run(scenario)
    assert confirm["resumed"] is False and confirm["seq"] == 0 and confirm["handoff"] is False
    assert len(confirm["session_id"]) == 32
    assert [f["type"] for f in first] == ["ack", "typing", "bot_uttered", "typing"]
    assert first[0] == {"type": "ack", "message_id": "c-1", "duplicate": False}
    assert first[1] == {"type": "typing", "on": True, "in_reply_to": "c-1"}
    reply = first[2]
    assert reply["text"] == GREETING and reply["seq"] == 1 and reply["in_reply_to"] == "c-1"
    assert reply["id"].startswith("b-")
    assert bot_texts(second) == [ASK_PRODUCT]
    assert [f["seq"] for f in second if f["type"] == "bot_uttered"] == [2]


def test_websocket_default_route_and_rasa_message_key(chat_server: Any) -> None:
    async def scenario() -> list[dict[str, Any]]:
        async with connect(f"{chat_server.ws_url}/ws") as ws:
            chat = Chat(ws)
            await chat.session()
            await chat.send(type="user_uttered", message_id="r-1", message="你好")  # socket.io's key
            await chat.until(lambda f: f["type"] == "typing" and not f["on"])
            return chat.frames

    assert bot_texts(run(scenario)) == [GREETING]


def test_websocket_message_metadata_reaches_the_tracker(chat_server: Any) -> None:
    async def scenario() -> str:
        async with connect(f"{chat_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            session = (await chat.session())["session_id"]
            await chat.send(
                type="user_uttered", message_id="m-1", text="你好", metadata={"customer_id": "C10001"}
            )
            await chat.until(lambda f: f["type"] == "typing" and not f["on"])
            return str(session)

    session = run(scenario)
    tracker = httpx.get(f"{chat_server.url}/bots/{BOT}/conversations/{session}/tracker", timeout=10).json()
    user = [e for e in tracker["events"] if e["event"] == "user"][-1]
    assert user["metadata"]["customer_id"] == "C10001"


def test_websocket_form_runs_over_turns(chat_server: Any) -> None:
    async def scenario() -> list[str]:
        async with connect(f"{chat_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            await chat.session()
            texts: list[str] = []
            for i, text in enumerate(["我要赎回", "成长二号", "赎回多久到账", "两万"]):
                texts += bot_texts(await chat.turn(text, f"f-{i}"))
            return texts

    assert run(scenario) == [
        ASK_PRODUCT,
        "请问赎回多少金额？",
        "赎回资金一般在T+1个工作日到账。",
        "请问赎回多少金额？",
        "已为您登记赎回成长二号，金额20000元。理财有风险，投资需谨慎。",
    ]


def test_websocket_resume_replays_missed_messages_without_duplicates(chat_server: Any) -> None:
    url = f"{chat_server.ws_url}/ws/{BOT}"

    async def scenario() -> tuple[
        str, dict[str, Any], list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]
    ]:
        async with connect(url) as ws:
            chat = Chat(ws)
            session_id = (await chat.session())["session_id"]
            await chat.turn("你好", "d-1")
            # the connection drops right after sending: no ack, no reply seen
            await chat.send(type="user_uttered", message_id="d-2", text="我要赎回")
        async with connect(url) as ws:
            chat = Chat(ws)
            confirm = await chat.session(session_id=session_id, last_seq=1)
            # the client re-sends what was never acknowledged, as the widget does
            await chat.send(type="user_uttered", message_id="d-2", text="我要赎回")
            await chat.until(lambda f: f.get("text") == ASK_PRODUCT)
            await chat.send(type="user_uttered", message_id="d-2", text="我要赎回")  # late duplicate
            late_ack = await chat.until(lambda f: f["type"] == "ack" and f["message_id"] == "d-2")
            await chat.turn("稳健一号", "d-3")
            second = chat.frames
        async with connect(url) as ws:
            chat = Chat(ws)
            await chat.session(session_id=session_id, last_seq=0)
            replayed = [await chat.recv() for _ in range(3)]
        return session_id, confirm, second, late_ack, replayed

    session_id, confirm, second, late_ack, replayed = run(scenario)
    assert confirm["resumed"] is True and confirm["session_id"] == session_id
    bot = [f for f in second if f["type"] == "bot_uttered"]
    assert [f["text"] for f in bot].count(ASK_PRODUCT) == 1
    seqs = [f["seq"] for f in bot]
    assert seqs == sorted(set(seqs)) and seqs[0] == 2
    assert late_ack == {"type": "ack", "message_id": "d-2", "duplicate": True}
    assert [f["seq"] for f in replayed] == [1, 2, 3] and all(f["replay"] for f in replayed)
    assert [f["text"] for f in replayed] == [GREETING, ASK_PRODUCT, "请问赎回多少金额？"]
    tracker = httpx.get(f"{chat_server.url}/bots/{BOT}/conversations/{session_id}/tracker", timeout=10).json()
    assert [e["text"] for e in tracker["events"] if e["event"] == "user"] == ["你好", "我要赎回", "稳健一号"]


def test_websocket_server_push_reaches_live_and_queued_sessions(chat_server: Any) -> None:
    trigger = f"{chat_server.url}/bots/{BOT}/conversations/{{}}/trigger"

    async def scenario() -> tuple[
        dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]
    ]:
        async with httpx.AsyncClient(timeout=10) as http:
            async with connect(f"{chat_server.ws_url}/ws/{BOT}") as ws:
                chat = Chat(ws)
                session_id = (await chat.session())["session_id"]
                live = (await http.post(trigger.format(session_id), json={"name": "utter_greet"})).json()
                pushed = await chat.until(lambda f: f["type"] == "bot_uttered")
            queued = (await http.post(trigger.format("push-offline-1"), json={"name": "utter_greet"})).json()
            async with connect(f"{chat_server.ws_url}/ws/{BOT}") as ws:
                chat = Chat(ws)
                confirm = await chat.session(session_id="push-offline-1")
                waiting = await chat.recv()
        return live, pushed, queued, confirm, waiting

    live, pushed, queued, confirm, waiting = run(scenario)
    assert live["delivered"] == 1 and live["queued"] is False
    assert pushed["text"] == GREETING and pushed["in_reply_to"] is None
    assert queued["delivered"] == 0 and queued["queued"] is True
    assert queued["messages"][0]["text"] == GREETING
    assert confirm["resumed"] is True
    assert waiting["type"] == "bot_uttered" and waiting["text"] == GREETING and waiting["replay"] is True


def test_websocket_trigger_rejects_unknown_action_and_bot(chat_server: Any) -> None:
    unknown_action = httpx.post(
        f"{chat_server.url}/bots/{BOT}/conversations/x1/trigger", json={"name": "action_nothing"}, timeout=10
    )
    assert unknown_action.status_code == 400 and "action_nothing" in unknown_action.json()["message"]
    unknown_bot = httpx.post(
        f"{chat_server.url}/bots/nobot/conversations/x1/trigger", json={"name": "utter_greet"}, timeout=10
    )
    assert unknown_bot.status_code == 404


def test_websocket_rich_messages_keep_markup_as_data_and_cards_get_risk_notice(
    chat_server: Any, hostile_text: str
) -> None:
    async def scenario() -> list[dict[str, Any]]:
        async with connect(f"{chat_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            await chat.session()
            return [f for f in await chat.turn("查一下余额", "rich-1") if f["type"] == "bot_uttered"]

    text, image, card = run(scenario)
    assert text["text"] == hostile_text
    assert text["buttons"] == [{"title": "谢谢", "payload": "/thank"}]
    assert text["quick_replies"][0] == {"content_type": "text", "title": "谢谢", "payload": "/thank"}
    assert image["image"].startswith("data:image/svg+xml") and image["attachment"]["type"] == "image"
    assert card["custom"]["type"] == "product_card" and card["custom"]["risk_notice"] == RISK_NOTICE


def test_websocket_handoff_is_marked_and_kept_in_session_state(chat_server: Any) -> None:
    async def scenario() -> tuple[
        list[dict[str, Any]], list[dict[str, Any]], dict[str, Any], list[dict[str, Any]]
    ]:
        async with connect(f"{chat_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            session_id = (await chat.session())["session_id"]
            clarify = await chat.turn("qwxz bnmv 乱码", "h-1")
            handoff = await chat.turn("plkj hgfd 乱码", "h-2")
        async with connect(f"{chat_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            confirm = await chat.session(session_id=session_id, last_seq=2)
            quiet = await chat.turn("你好", "h-3")
        return clarify, handoff, confirm, quiet

    clarify, handoff, confirm, quiet = run(scenario)
    assert len(next(f for f in clarify if f["type"] == "bot_uttered")["buttons"]) == 2
    message = next(f for f in handoff if f["type"] == "bot_uttered")
    assert message["text"] == "正在为您转接人工客服，请稍候。" and message["handoff"] is True
    assert {"type": "handoff", "active": True} in handoff
    assert confirm["handoff"] is True
    assert bot_texts(quiet) == []  # a human has the conversation now


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("这不是 JSON", "bad_json"),
        ('["a list"]', "bad_frame"),
        ('{"type": "subscribe"}', "unknown_type"),
        ('{"type": "user_uttered", "message_id": "e-1", "text": "你好"}', "no_session"),
        ('{"type": "session_request", "session_id": "坏的 id"}', "bad_frame"),
        ('{"type": "session_request", "last_seq": -1}', "bad_frame"),
    ],
    ids=["not-json", "not-object", "unknown-type", "before-session", "bad-session-id", "bad-last-seq"],
)
def test_websocket_bad_frame_gets_bilingual_error_and_socket_stays(
    chat_server: Any, raw: str, code: str
) -> None:
    async def scenario() -> tuple[dict[str, Any], list[dict[str, Any]]]:
        async with connect(f"{chat_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            await ws.send(raw)
            error = await chat.until(lambda f: f["type"] == "error")
            await chat.session()
            return error, await chat.turn("你好", "after-error")

    error, turn = run(scenario)
    assert error["code"] == code
    assert " / " in error["message"] and any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])
    assert bot_texts(turn) == [GREETING]


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ({"type": "user_uttered", "text": "你好"}, "bad_frame"),
        ({"type": "user_uttered", "message_id": "x-1", "text": "  "}, "bad_frame"),
        ({"type": "user_uttered", "message_id": "x-2", "text": "赎" * 6000}, "too_large"),
        ({"type": "user_uttered", "message_id": "x-3", "text": "你好", "metadata": [1]}, "bad_frame"),
    ],
    ids=["no-message-id", "blank-text", "long-text", "bad-metadata"],
)
def test_websocket_bad_user_message_is_refused(chat_server: Any, frame: dict[str, Any], code: str) -> None:
    async def scenario() -> dict[str, Any]:
        async with connect(f"{chat_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            await chat.session()
            await chat.send(**frame)
            return await chat.until(lambda f: f["type"] in ("error", "ack"))

    assert run(scenario)["code"] == code


def test_websocket_unknown_bot_closes_with_4404(chat_server: Any) -> None:
    async def scenario() -> int | None:
        async with connect(f"{chat_server.ws_url}/ws/nobot") as ws:
            with pytest.raises(ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 10)
            return closed.value.rcvd.code if closed.value.rcvd else None

    assert run(scenario) == 4404


def test_websocket_heartbeat_keeps_answering_client_alive(bare_server: Any) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any], bool]:
        async with connect(f"{bare_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            await chat.session()
            ping = await chat.until(lambda f: f["type"] == "ping")
            await chat.send(type="ping", ts=7)
            pong = await chat.until(lambda f: f["type"] == "pong")
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 2.0  # twice the idle timeout, answering every ping
            while loop.time() < deadline:
                frame = await chat.recv()
                if frame["type"] == "ping":
                    await chat.send(type="pong", ts=frame["ts"])
            return ping, pong, ws.close_code is None

    ping, pong, still_open = run(scenario)
    assert isinstance(ping["ts"], float)
    assert pong == {"type": "pong", "ts": 7}
    assert still_open


def test_websocket_idle_client_is_closed_with_4408(bare_server: Any) -> None:
    async def scenario() -> int | None:
        async with connect(f"{bare_server.ws_url}/ws/{BOT}") as ws:
            await ws.send(json.dumps({"type": "session_request"}))
            with pytest.raises(ConnectionClosed) as closed:
                while True:  # read the server's pings, never answer
                    await asyncio.wait_for(ws.recv(), 10)
            return closed.value.rcvd.code if closed.value.rcvd else None

    assert run(scenario) == 4408


def test_websocket_rate_limit_refuses_with_retry_after(bare_server: Any) -> None:
    async def scenario() -> tuple[list[str], dict[str, Any]]:
        async with connect(f"{bare_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            await chat.session()
            texts = bot_texts(await chat.turn("你好", "l-1")) + bot_texts(await chat.turn("谢谢", "l-2"))
            await chat.send(type="user_uttered", message_id="l-3", text="再见")
            return texts, await chat.until(lambda f: f["type"] in ("error", "ack"))

    texts, refused = run(scenario)
    assert texts == [GREETING, "不客气，很高兴为您服务。"]
    assert refused["code"] == "rate_limited" and refused["message_id"] == "l-3"
    assert refused["retry_after"] > 0


def test_websocket_unknown_session_id_continues_numbering_after_client(bare_server: Any) -> None:
    # a server that forgot the session (restart): the conversation id stays, numbers go on
    async def scenario() -> tuple[dict[str, Any], list[dict[str, Any]]]:
        async with connect(f"{bare_server.ws_url}/ws/{BOT}") as ws:
            chat = Chat(ws)
            confirm = await chat.session(session_id="restarted-1", last_seq=5)
            return confirm, await chat.turn("你好", "s-1")

    confirm, turn = run(scenario)
    assert confirm["session_id"] == "restarted-1" and confirm["resumed"] is False
    assert confirm["seq"] == 5 and confirm["seq_reset"] is False
    assert [f["seq"] for f in turn if f["type"] == "bot_uttered"] == [6]
