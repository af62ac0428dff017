"""The voice gateway end to end: a simulated caller drives whole calls over a real socket
against a real uvicorn server serving the outbound robot trained from ``bots/outbound``."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from bots.agent import load_agent
from bots.server import create_app
from bots.settings import BOTS_DIR, Settings
from bots.training import train_bot

OUTBOUND = BOTS_DIR / "outbound"
INTRO = "您好，我是财富服务中心的客服，来电是提醒您账户有一项权益待激活，耽误您一分钟。"
QUESTION = "激活只需两分钟，需要我把激活链接发到您手机上吗？"
GOODBYE = "好的，感谢您的接听，祝您生活愉快，再见。"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, live_server_factory: Any) -> Iterator[Any]:
    models = tmp_path_factory.mktemp("models")
    train_bot(OUTBOUND, models)
    settings = Settings(models_dir=models, data_dir=tmp_path_factory.mktemp("data"), log_format="none")
    agent = load_agent(OUTBOUND, settings)
    app = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, settings=settings)
    with live_server_factory(app) as live:
        yield live


class Caller:
    """The telephony side of one call: sends frames, reads the gateway's answers."""

    def __init__(self, server: Any, ws: ClientConnection) -> None:
        self.server = server
        self.ws = ws

    def send(self, frame: dict[str, Any] | str | bytes) -> None:
        self.ws.send(frame if isinstance(frame, str | bytes) else json.dumps(frame, ensure_ascii=False))

    def recv(self) -> dict[str, Any]:
        return dict(json.loads(self.ws.recv(timeout=30)))

    def exchange(self, frame: dict[str, Any] | str | bytes) -> list[dict[str, Any]]:
        """Send ``frame`` and return every answer to it.

        The gateway answers frames in order, so a marker frame sent right after (an unknown
        type, always answered with an error) tells where the answers to ``frame`` end.
        """
        self.send(frame)
        self.send({"type": "marker"})
        answers = []
        while (answer := self.recv()) != _MARKER_ERROR:
            answers.append(answer)
        return answers

    def start(self, call_id: str, **fields: Any) -> list[dict[str, Any]]:
        return self.exchange({"type": "call.started", "call_id": call_id, **fields})

    def final(
        self, text: str, confidence: float = 0.95, nbest: list[Any] | None = None
    ) -> list[dict[str, Any]]:
        frame: dict[str, Any] = {"type": "asr.final", "text": text, "confidence": confidence}
        if nbest is not None:
            frame["nbest"] = [{"text": t, "confidence": c} for t, c in nbest]
        return self.exchange(frame)

    def hang_up(self, reason: str = "caller_hangup") -> None:
        self.send({"type": "call.ended", "reason": reason})
        with pytest.raises(ConnectionClosed):
            self.ws.recv(timeout=10)

    def outcome(self, call_id: str) -> dict[str, Any]:
        response = httpx.get(f"{self.server.url}/voice/outbound/calls/{call_id}", timeout=10)
        assert response.status_code == 200, response.text
        return dict(response.json())


_MARKER_ERROR = {
    "type": "error",
    "code": "unknown_type",
    "message": "unknown frame type 'marker'; expected one of call.started, asr.partial, asr.final, dtmf, "
    "silence, call.ended, say.done",
}


@pytest.fixture
def caller(server: Any) -> Iterator[Caller]:
    with connect(f"ws://127.0.0.1:{server.port}/voice/outbound", open_timeout=10) as ws:
        yield Caller(server, ws)


def says(frames: list[dict[str, Any]]) -> list[str]:
    return [f["text"] for f in frames if f["type"] == "say"]


def types(frames: list[dict[str, Any]]) -> list[str]:
    return [f["type"] for f in frames]


def tracker(server: Any, call_id: str) -> dict[str, Any]:
    response = httpx.get(f"{server.url}/bots/outbound/conversations/{call_id}/tracker", timeout=10)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_voice_screening_call_interested_ends_with_grade_a(caller: Caller, server: Any) -> None:
    opening = caller.start(
        "call-a", caller="13800000000", callee="95500", campaign="激活-2026Q4", customer_id="cust-1"
    )
    assert says(opening) == [INTRO, QUESTION]
    assert all(f["barge_in"] is True and f["ssml"].startswith("<speak>") for f in opening)
    assert len({f["prompt_id"] for f in opening}) == 2
    closing = caller.final("好的，发给我吧")
    assert types(closing) == ["say", "say", "hangup"]
    details, goodbye = closing[0], closing[1]
    assert "理财有风险" in details["text"] and details["barge_in"] is False  # risk notice plays in full
    assert goodbye["text"] == GOODBYE and closing[2]["reason"] == "completed"
    caller.hang_up("hangup_after_bot")
    outcome = caller.outcome("call-a")
    assert outcome["disposition"] == "completed" and outcome["end_reason"] == "hangup_after_bot"
    assert outcome["intention_grade"] == "A"
    assert outcome["slots"]["interest"] == "interested"
    assert outcome["campaign"] == "激活-2026Q4" and outcome["customer_id"] == "cust-1"
    assert {"speaker": "caller", "text": "好的，发给我吧"} in outcome["transcript"]
    user = [e for e in tracker(server, "call-a")["events"] if e["event"] == "user"]
    assert user[0]["text"] == "/call_started" and user[0]["input_channel"] == "voice"
    assert user[1]["metadata"]["customer_id"] == "cust-1" and user[1]["metadata"]["caller"] == "13800000000"


def test_voice_question_mid_script_is_answered_then_asked_again(caller: Caller) -> None:
    caller.start("call-ask")
    answer = caller.final("你是机器人吗")
    assert says(answer) == ["我是智能语音助手，如需人工服务，我可以为您安排回电。", QUESTION]
    assert "hangup" not in types(answer)


def test_voice_barge_in_cancels_prompt_and_drops_queued_ones(caller: Caller) -> None:
    intro, question = caller.start("call-barge")
    cancel = caller.exchange({"type": "asr.partial", "text": "我现在"})
    assert cancel == [
        {
            "type": "say.cancel",
            "prompt_id": intro["prompt_id"],
            "dropped": [question["prompt_id"]],
            "reason": "barge_in",
        }
    ]
    assert caller.exchange({"type": "asr.partial", "text": "我现在在"}) == []  # nothing left playing
    closing = caller.final("我现在在忙")
    assert types(closing)[-1] == "hangup"
    caller.hang_up()
    outcome = caller.outcome("call-barge")
    assert outcome["barge_ins"] == 1 and outcome["intention_grade"] == "B"


def test_voice_risk_notice_cannot_be_barged_in(caller: Caller) -> None:
    caller.start("call-notice")
    notice, question = caller.final("收益怎么样")
    assert "投资需谨慎" in notice["text"] and notice["barge_in"] is False
    assert question["text"] == QUESTION and question["barge_in"] is True
    assert caller.exchange({"type": "asr.partial", "text": "那"}) == []
    assert caller.exchange({"type": "say.done", "prompt_id": notice["prompt_id"]}) == []
    cancel = caller.exchange({"type": "asr.partial", "text": "那个"})
    assert cancel[0]["prompt_id"] == question["prompt_id"] and cancel[0]["dropped"] == []


def test_voice_silence_reprompts_twice_then_hangs_up_politely(caller: Caller) -> None:
    caller.start("call-silent")
    assert caller.exchange({"type": "silence", "ms": 1000}) == []  # under the silence threshold
    for _ in range(2):
        (reprompt,) = caller.exchange({"type": "silence", "ms": 6000})
        assert reprompt["text"] == "您好，您还在听吗？" + QUESTION
    goodbye, hangup = caller.exchange({"type": "silence", "ms": 6000})
    assert goodbye["type"] == "say" and goodbye["barge_in"] is False and "再见" in goodbye["text"]
    assert hangup == {"type": "hangup", "reason": "no_response"}
    assert caller.final("喂") == []  # speech racing the hangup is ignored
    caller.hang_up("hangup_after_bot")
    outcome = caller.outcome("call-silent")
    assert outcome["disposition"] == "no_response" and outcome["reprompts"] == 2


def test_voice_low_confidence_takes_the_nbest_hypothesis_the_bot_understands(
    caller: Caller, server: Any
) -> None:
    caller.start("call-nbest")
    closing = caller.final("咕噜咕噜", confidence=0.3, nbest=[("咕噜咕噜", 0.3), ("不需要", 0.25)])
    assert says(closing) == ["好的，理解，那就不占用您时间了，再见。"]
    assert closing[-1]["type"] == "hangup"
    last_user = [e for e in tracker(server, "call-nbest")["events"] if e["event"] == "user"][-1]
    assert last_user["text"] == "不需要" and last_user["metadata"]["asr_text"] == "咕噜咕噜"


def test_voice_low_confidence_without_an_understood_hypothesis_asks_to_repeat(
    caller: Caller, server: Any
) -> None:
    caller.start("call-repeat")
    assert says(caller.final("阿巴阿巴", confidence=0.2, nbest=[("咕噜咕噜", 0.1)])) == [
        "不好意思，刚才没听清楚，您能再说一遍吗？"
    ]
    user_texts = [e["text"] for e in tracker(server, "call-repeat")["events"] if e["event"] == "user"]
    assert user_texts == ["/call_started"]  # the unclear speech never reached the bot
    assert caller.final("不感兴趣")[-1]["type"] == "hangup"


@pytest.mark.parametrize(
    ("digits", "last_type", "disposition"), [("1", "hangup", "completed"), ("0", "transfer", "transferred")]
)
def test_voice_dtmf_keys_map_to_answers(
    caller: Caller, digits: str, last_type: str, disposition: str
) -> None:
    call_id = f"call-dtmf-{digits}"
    caller.start(call_id)
    answer = caller.exchange({"type": "dtmf", "digits": digits})
    assert answer[-1]["type"] == last_type
    caller.hang_up()
    assert caller.outcome(call_id)["disposition"] == disposition


def test_voice_human_request_transfers_the_call(caller: Caller, server: Any) -> None:
    caller.start("call-human")
    say, transfer = caller.final("我要转人工")
    assert say["text"] == "好的，我为您安排人工客服稍后回电，再见。" and say["barge_in"] is False
    assert transfer["type"] == "transfer" and transfer["queue"] == "default"
    assert transfer["summary"]["sender_id"] == "call-human"
    assert tracker(server, "call-human")["paused"] is True
    caller.hang_up("transferred")
    assert caller.outcome("call-human")["disposition"] == "transferred"


def test_voice_caller_hanging_up_mid_call_records_the_outcome(caller: Caller) -> None:
    caller.start("call-drop", campaign="screening")
    caller.hang_up("caller_hangup")
    outcome = caller.outcome("call-drop")
    assert outcome["disposition"] == "caller_hangup" and outcome["turns"] == 1
    assert outcome["intention_grade"] is None and outcome["transcript"][0]["text"] == INTRO


def test_voice_lost_connection_records_a_disconnected_call(caller: Caller) -> None:
    caller.start("call-lost")
    caller.ws.close()
    deadline = time.monotonic() + 10
    while (response := httpx.get(f"{caller.server.url}/voice/outbound/calls/call-lost")).status_code == 404:
        assert time.monotonic() < deadline, "the gateway did not record the lost call"
        time.sleep(0.05)
    assert response.json()["disposition"] == "disconnected"


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "not_an_object"),
        (b"\x00\x01", "binary_frame"),
        ({"type": "hello"}, "unknown_type"),
        ({"type": "asr.final", "text": "你好"}, "no_call"),
        ({"type": "call.started"}, "bad_frame"),
        ({"type": "call.started", "call_id": "有 空格"}, "bad_frame"),
    ],
    ids=["not-json", "array", "binary", "unknown-type", "before-start", "no-call-id", "bad-call-id"],
)
def test_voice_bad_frame_before_the_call_gets_an_error(
    caller: Caller, frame: Any, code: str, request: pytest.FixtureRequest
) -> None:
    (error,) = caller.exchange(frame)
    assert error["type"] == "error" and error["code"] == code and error["message"]
    call_id = f"call-after-{request.node.callspec.id}"
    assert says(caller.start(call_id)) == [INTRO, QUESTION]  # the line is still up


def test_voice_bad_frames_mid_call_keep_the_call_up(caller: Caller) -> None:
    caller.start("call-bad")
    assert (
        caller.exchange({"type": "call.started", "call_id": "call-bad"})[0]["code"] == "call_already_started"
    )
    (error,) = caller.exchange({"type": "asr.final", "text": "好的", "confidence": 2})
    assert error["code"] == "bad_frame" and "confidence" in error["message"]
    assert caller.exchange({"type": "dtmf", "digits": "x"})[0]["code"] == "bad_frame"
    assert caller.exchange({"type": "silence"})[0]["code"] == "bad_frame"
    assert caller.final("好的")[-1]["type"] == "hangup"


def test_voice_unknown_bot_is_refused(server: Any) -> None:
    with connect(f"ws://127.0.0.1:{server.port}/voice/nobody", open_timeout=10) as ws:
        error = json.loads(ws.recv(timeout=10))
        assert error["code"] == "unknown_bot" and "outbound" in error["message"]
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404


def test_voice_unknown_call_outcome_is_404(server: Any) -> None:
    response = httpx.get(f"{server.url}/voice/outbound/calls/never", timeout=10)
    assert response.status_code == 404
