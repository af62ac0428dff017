"""A conversation with emotion changes, an unanswered question, PII and a handoff."""

from __future__ import annotations

from typing import Any

import pytest


def _user(text: str, intent: str, emotion: str | None = None, intensity: float = 0.0, **extra: Any) -> dict:
    parse: dict[str, Any] = {
        "intent": {"name": intent, "confidence": 0.9},
        "entities": extra.get("entities", []),
    }
    if emotion:
        parse["emotion"] = {"label": emotion, "confidence": 0.8, "intensity": intensity}
    return {"event": "user", "text": text, "parse_data": parse}


def _action(name: str) -> dict:
    return {"event": "action", "name": name}


def _bot(text: str) -> dict:
    return {"event": "bot", "text": text}


@pytest.fixture
def handoff_events() -> list[dict]:
    """Rasa-JSON events: greet, redeem form, an unanswered question, rising anger, handoff."""
    return [
        _action("action_listen"),
        _user("你好", "greet", "neutral"),
        _action("utter_greet"),
        _bot("您好，请问有什么可以帮您？"),
        _action("action_listen"),
        _user(
            "我要赎回五万，手机13812345678",
            "redeem",
            "neutral",
            entities=[{"entity": "amount", "value": 50000}, {"entity": "phone", "value": "13812345678"}],
        ),
        _action("redeem_form"),
        {"event": "active_loop", "name": "redeem_form"},
        {"event": "slot", "name": "amount", "value": 50000},
        {"event": "slot", "name": "customer_id", "value": "C10086"},
        _bot("请问赎回哪只产品？"),
        _action("action_listen"),
        _user("为什么上次赎回三天还没到账？", "nlu_fallback", "dissatisfaction", 0.5),
        _action("action_default_fallback"),
        _bot("抱歉，我没有理解。"),
        _action("action_listen"),
        _user("你们太慢了，我要投诉！身份证110105194912310021", "complain", "anger", 0.9),
        _action("action_handoff"),
        _bot("正在为您转接人工客服。"),
        {"event": "pause"},
        {"event": "handoff", "reason": "requested", "summary": {}},
    ]
