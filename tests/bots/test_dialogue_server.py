"""The dialogue engine end to end: a real uvicorn server, a real SQLite tracker store."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bots.agent import load_agent
from bots.server import create_app
from bots.settings import Settings
from bots.training import train_bot

BOT = Path(__file__).resolve().parents[1] / "fixtures" / "bots" / "wealth_mini"


class CrashingBalance:
    """A rasa-sdk style custom action whose back end is down."""

    def name(self) -> str:
        return "action_check_balance"

    def run(self, dispatcher, tracker, domain):  # noqa: ANN001, ANN201 - rasa-sdk signature
        raise RuntimeError("core system down")


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("models")
    train_bot(BOT, folder)
    return folder


@pytest.fixture(scope="module")
def settings(models: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(models_dir=models, data_dir=tmp_path_factory.mktemp("data"))


def serve(settings: Settings, live_server_factory):  # noqa: ANN001, ANN201
    agent = load_agent(BOT, settings, python_actions=[CrashingBalance()])
    app = create_app({agent.name: agent.nlu}, agents={agent.name: agent}, max_request_bytes=10_000)
    return live_server_factory(app)


@pytest.fixture(scope="module")
def url(settings: Settings, live_server_factory) -> Iterator[str]:  # noqa: ANN001
    with serve(settings, live_server_factory) as server:
        yield server.url


def say(url: str, sender: str, text: str) -> list[dict]:
    response = httpx.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30
    )
    assert response.status_code == 200, response.text
    return response.json()


def texts(replies: list[dict]) -> list[str]:
    return [r.get("text", "") for r in replies]


def tracker(url: str, sender: str) -> dict:
    response = httpx.get(f"{url}/conversations/{sender}/tracker", timeout=30)
    assert response.status_code == 200
    return response.json()


def test_dialogue_form_filled_across_digression(url: str) -> None:
    assert texts(say(url, "form", "我要赎回")) == ["请问您要赎回哪只产品？"]
    assert texts(say(url, "form", "稳健一号")) == ["请问赎回多少金额？"]
    # a question mid-form is answered, then the form asks again
    assert texts(say(url, "form", "赎回多久到账")) == [
        "赎回资金一般在T+1个工作日到账。",
        "请问赎回多少金额？",
    ]
    done = texts(say(url, "form", "五万"))
    assert done == ["已为您登记赎回稳健一号，金额50000元。理财有风险，投资需谨慎。"]
    state = tracker(url, "form")
    assert state["slots"]["product"] == "稳健一号"
    assert state["slots"]["amount"] == 50000
    assert state["active_loop"] == {}
    assert all(r["recipient_id"] == "form" for r in say(url, "form", "谢谢"))


def test_dialogue_rule_decides_and_is_recorded(url: str) -> None:
    say(url, "rule", "谢谢你")
    actions = [e for e in tracker(url, "rule")["events"] if e["event"] == "action"]
    welcome = next(e for e in actions if e["name"] == "utter_welcome")
    assert welcome["policy"] == "RulePolicy"


def test_dialogue_two_stage_fallback_hands_off(url: str) -> None:
    first = say(url, "lost", "qwxz bnmv 乱码")
    assert first[0]["text"] == "您是想问以下哪个问题呢？"
    assert len(first[0]["buttons"]) == 2
    assert all(b["payload"].startswith("/") for b in first[0]["buttons"])
    second = say(url, "lost", "plkj hgfd 乱码")
    assert texts(second) == ["正在为您转接人工客服，请稍候。"]
    state = tracker(url, "lost")
    assert state["paused"] is True
    handoff = next(e for e in state["events"] if e["event"] == "handoff")
    assert handoff["summary"]["sender_id"] == "lost"
    assert any(turn["text"] == "qwxz bnmv 乱码" for turn in handoff["summary"]["turns"])
    # while a human has the conversation the bot stays quiet but keeps recording
    assert say(url, "lost", "你好") == []
    assert tracker(url, "lost")["events"][-1]["text"] == "你好"


def test_dialogue_button_payload_skips_nlu(url: str) -> None:
    assert texts(say(url, "payload", "/greet")) == ["您好，我是理财小助手，请问有什么可以帮您？"]


def test_dialogue_action_crash_apologizes_and_keeps_events(url: str) -> None:
    say(url, "crash", "你好")
    assert texts(say(url, "crash", "查一下余额")) == ["抱歉，系统开小差了，请稍后再试。"]
    events = tracker(url, "crash")["events"]
    user_texts = [e["text"] for e in events if e["event"] == "user"]
    assert user_texts == ["你好", "查一下余额"]
    assert any(e["event"] == "bot" and e["text"].startswith("您好") for e in events)
    # the conversation goes on after the failure
    assert texts(say(url, "crash", "谢谢")) == ["不客气，很高兴为您服务。"]


def test_dialogue_concurrent_messages_are_serialized(url: str) -> None:
    async def burst() -> None:
        async with httpx.AsyncClient(timeout=60) as client:
            await asyncio.gather(
                *[
                    client.post(f"{url}/webhooks/rest/webhook", json={"sender": "busy", "message": text})
                    for text in ["你好", "谢谢", "再见", "你好", "谢谢", "再见"]
                ]
            )

    asyncio.run(burst())
    events = [e for e in tracker(url, "busy")["events"] if e["event"] in ("user", "bot")]
    kinds = [e["event"] for e in events]
    # every user message is followed by its own answer before the next message starts
    assert kinds == ["user", "bot"] * 6


def test_dialogue_unknown_sender_starts_a_session(url: str) -> None:
    events = tracker(url, "never-seen")["events"]
    assert events == []
    say(url, "brand-new", "你好")
    names = [e["event"] for e in tracker(url, "brand-new")["events"]]
    assert names[:3] == ["action", "session_started", "action"]


def test_dialogue_bad_requests_are_4xx(url: str) -> None:
    missing = httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": "x"})
    assert missing.status_code == 400 and "message" in missing.json()["message"]
    huge = httpx.post(f"{url}/webhooks/rest/webhook", json={"sender": "x", "message": "赎" * 20_000})
    assert huge.status_code == 413
    unknown = httpx.post(f"{url}/bots/nobot/webhooks/rest/webhook", json={"sender": "x", "message": "你好"})
    assert unknown.status_code == 404


def test_dialogue_restart_resumes_from_the_store(settings: Settings, live_server_factory) -> None:  # noqa: ANN001
    with serve(settings, live_server_factory) as first:
        assert texts(say(first.url, "resume", "我要赎回")) == ["请问您要赎回哪只产品？"]
        assert texts(say(first.url, "resume", "成长二号")) == ["请问赎回多少金额？"]
    # a new process (new agent, new store object) on the same SQLite file
    with serve(settings, live_server_factory) as second:
        done = texts(say(second.url, "resume", "两万"))
        assert done == ["已为您登记赎回成长二号，金额20000元。理财有风险，投资需谨慎。"]
    assert (settings.data_dir / "trackers.db").exists()
