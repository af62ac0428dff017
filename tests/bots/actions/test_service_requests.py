"""The service robot's statement/certificate requests, emotion-aware complaints and password reset.

Action tests use hand-built trackers; the angry-complaint hand-off runs through the real
``MessageProcessor`` with the service robot's domain and rules and a scripted NLU stand-in
(the emotion is what the test says it is).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from bots.actions import bot_actions
from bots.actions.service_requests import (
    SECRET_WARNING,
    ActionRecordComplaint,
    ActionRequestDocument,
    ActionResetTradePasswordGuide,
    ValidateResetTradePasswordForm,
    complaint_severity,
    looks_like_secret,
    parse_period,
)
from bots.agent import _slot_extractor, build_action_registry
from bots.services import PlatformServices
from bots.settings import BOTS_DIR
from dialogue.domain import Domain
from dialogue.events import ConversationPaused, HandoffRequested
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.policies import PolicyEnsemble
from dialogue.policies.form_policy import FormPolicy
from dialogue.processor import MessageProcessor, UserMessage
from dialogue.sdk import CollectingDispatcher, Tracker
from dialogue.stores import InMemoryLockStore, InMemoryTrackerStore
from dialogue.training import load_stories
from risk_hooks.outbound import OutboundFilter
from wealth_backend import SqlWealthBackend
from wealth_backend.seed import seed_demo

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def backend(tmp_path: Any) -> SqlWealthBackend:
    backend = SqlWealthBackend(f"sqlite:///{tmp_path / 'wealth.db'}", today=lambda: TODAY)
    seed_demo(backend, count=5)
    return backend


def _tracker(
    text: str,
    intent: str,
    slots: dict[str, Any] | None = None,
    events: list[Any] | None = None,
    **latest: Any,
) -> Tracker:
    message = {"text": text, "intent": {"name": intent}, **latest}
    user = {"event": "user", "text": text, "timestamp": 1.0}
    return Tracker("s1", slots or {}, message, events or [user], False, None, {}, None)


def _run(action: Any, tracker: Tracker) -> tuple[list[str], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return [m.get("text") or m.get("response") or "" for m in dispatcher.messages], events


def _allowed(text: str) -> bool:
    return OutboundFilter([]).check(text).action == "allow"


@pytest.mark.parametrize(
    ("kind", "text", "dates", "period"),
    [
        ("statement", "我要对账单", [], "2026-10"),
        ("statement", "上个月的对账单", ["2026-10-01"], "2026-10"),
        ("statement", "开一下9月的对账单", [], "2026-09"),
        ("statement", "十二月的对账单", [], "2025-12"),
        ("statement", "2025年3月的对账单", [], "2025-03"),
        ("statement", "第三季度的对账单", [], "2026-Q3"),
        ("statement", "上季度的对账单", [], "2026-Q3"),
        ("statement", "去年的年度对账单", [], "2025"),
        ("statement", "2024年的对账单", [], "2024"),
        ("certificate", "开一份资产证明", [], "2026-11-24"),
        ("certificate", "要2025年底的资产证明", [], "2025-12-31"),
        ("certificate", "截至10月31日的资产证明", ["2026-10-31"], "2026-10-31"),
    ],
    ids=[
        "default-month",
        "last-month",
        "month",
        "month-last-year",
        "year-month",
        "quarter",
        "last-quarter",
        "last-year",
        "year",
        "certificate-default",
        "certificate-year-end",
        "certificate-day",
    ],
)
def test_parse_period_reads_months_quarters_and_years(
    kind: str, text: str, dates: list[str], period: str
) -> None:
    assert parse_period(kind, text, dates, TODAY) == period


@pytest.mark.parametrize(
    ("intent", "text", "words"),
    [
        ("statement_request", "我要开上个月的对账单", ("2026年10月的对账单", "申请编号D", "消息中心")),
        ("statement_request", "第三季度的对账单", ("2026年第3季度的对账单",)),
        ("certificate_request", "开一份资产证明", ("截至2026年11月24日的资产证明", "申请编号D", "纸质版")),
    ],
    ids=["statement-month", "statement-quarter", "certificate"],
)
def test_request_document_files_on_the_backend_and_gives_the_ticket(
    backend: SqlWealthBackend, intent: str, text: str, words: tuple[str, ...]
) -> None:
    action = ActionRequestDocument(backend, today=lambda: TODAY)
    tracker = _tracker(text, intent, {"customer_id": "C10001"})
    (reply,), _ = _run(action, tracker)
    (filed,) = backend.list_service_requests("C10001")
    assert all(word in reply for word in words) and filed.ticket in reply
    assert filed.notify_phone in reply and _allowed(reply)
    _run(action, tracker)  # the same message again (a retry) files nothing new
    assert len(backend.list_service_requests("C10001")) == 1


def test_request_document_refusal_and_anonymous_guidance(backend: SqlWealthBackend) -> None:
    action = ActionRequestDocument(backend, today=lambda: TODAY)
    (refused,), _ = _run(action, _tracker("这个月的对账单", "statement_request", {"customer_id": "C10001"}))
    assert "已经结束" in refused and backend.list_service_requests("C10001") == []
    (guide,), _ = _run(action, _tracker("开资产证明", "certificate_request"))
    assert guide == "utter_certificate_request"


@pytest.mark.parametrize(
    ("emotion", "severity"),
    [
        ({"label": "anger", "intensity": 0.85}, "angry"),
        ({"label": "dissatisfaction", "intensity": 0.8}, "angry"),
        ({"label": "anger", "intensity": 0.52}, "mild"),
        ({"label": "neutral", "intensity": 0.05}, "mild"),
        (None, "mild"),
    ],
    ids=["intense-anger", "strong-dissatisfaction", "mild-anger", "neutral", "no-emotion"],
)
def test_complaint_severity_from_the_nlu_emotion(emotion: Any, severity: str) -> None:
    assert complaint_severity(emotion) == severity


def _complaint(backend: SqlWealthBackend, tracker: Tracker) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionRecordComplaint(backend).run(dispatcher, tracker, {}))
    (message,) = dispatcher.messages
    return message, events


def _response_text(name: str, **values: str) -> str:
    (variant,) = Domain.load(BOTS_DIR / "service" / "domain.yml").responses[name]
    return str(variant.text).format(**values)  # type: ignore[attr-defined]


def test_angry_complaint_is_filed_and_goes_to_a_human(backend: SqlWealthBackend) -> None:
    text = "太过分了！我要投诉，马上给我解决！"
    tracker = _tracker(
        text, "complain", {"customer_id": "C10002"}, emotion={"label": "anger", "intensity": 0.85}
    )
    message, events = _complaint(backend, tracker)
    (filed,) = backend.list_service_requests("C10002")
    assert filed.kind == "complaint" and filed.detail == f"[angry] {text}"
    assert (
        message["response"] == "utter_complain_angry" and message["ticket"] == f"（投诉编号{filed.ticket}）"
    )
    reply = _response_text("utter_complain_angry", ticket=message["ticket"])
    assert "马上为您转接人工客服" in reply and _allowed(reply)
    assert (events[0]["name"], events[0]["value"]) == ("complaint_severity", "angry")


def test_mild_complaint_is_filed_and_a_human_is_offered_later(backend: SqlWealthBackend) -> None:
    tracker = _tracker(
        "你们的服务有点慢",
        "complain",
        {"customer_id": "C10002"},
        emotion={"label": "anger", "intensity": 0.5},
    )
    message, events = _complaint(backend, tracker)
    assert message["response"] == "utter_complain" and message["ticket"].startswith("（投诉编号T")
    reply = _response_text("utter_complain", ticket=message["ticket"])
    assert "1个工作日内联系您" in reply and "转接" not in reply and _allowed(reply)
    assert events[0]["value"] == "mild"
    anonymous, _ = _complaint(backend, _tracker("服务太差", "complain"))
    assert anonymous["ticket"] == ""


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("我的交易密码是123456", True),
        ("验证码：384920", True),
        ("384920", True),
        ("密码abc12345", True),
        ("我要重置交易密码", False),
        ("能收到", False),
        ("验证码收不到怎么办", False),
    ],
    ids=["password", "code", "bare-code", "alnum-password", "request", "answer", "question"],
)
def test_looks_like_secret(text: str, secret: bool) -> None:
    assert looks_like_secret(text) is secret


@pytest.mark.parametrize(
    ("value", "accepted", "warned"),
    [
        (True, True, ""),
        (False, False, ""),
        ("收不到短信", False, ""),
        ("能正常收", True, ""),
        ("没有问题", True, ""),
        ("不行，手机号停机了", False, ""),
        ("验证码是384920", None, SECRET_WARNING),
        ("嗯？", None, "请回答"),
    ],
    ids=["affirm", "deny", "no-sms", "sms-ok", "no-problem", "out-of-service", "secret", "unclear"],
)
def test_reset_password_form_refuses_secrets(value: Any, accepted: Any, warned: str) -> None:
    dispatcher = CollectingDispatcher()
    result = ValidateResetTradePasswordForm().validate_sms_reachable(value, dispatcher, _tracker("", "x"), {})
    assert result == {"sms_reachable": accepted}
    said = [m["text"] for m in dispatcher.messages]
    assert said[0].startswith(warned) if warned else not said


def test_reset_password_guide_never_asks_for_the_password() -> None:
    started = [
        {"event": "user", "text": "我的交易密码是123456，忘了怎么改", "timestamp": 1.0},
        {"event": "active_loop", "name": "reset_trade_password_form"},
        {"event": "user", "text": "不能", "timestamp": 2.0},
    ]
    replies, events = _run(
        ActionResetTradePasswordGuide(), _tracker("不能", "deny", {"sms_reachable": False}, started)
    )
    assert replies[0] == SECRET_WARNING and "更换预留手机号" in replies[1]
    assert events[0]["name"] == "sms_reachable" and events[0]["value"] is None
    (steps,), _ = _run(ActionResetTradePasswordGuide(), _tracker("能", "affirm", {"sms_reachable": True}))
    assert "忘记交易密码" in steps and "不要告诉任何人" in steps
    for text in (*replies, steps):
        assert "请输入密码" not in text and "告诉我密码" not in text and _allowed(text)


# ---- angry complaint → hand-off, through the real processor ------------------------------------


class _ScriptedNlu:
    """An NLU stand-in: each text parses to the intent and emotion the test gives it."""

    def __init__(self, parses: dict[str, tuple[str, dict[str, Any]]]) -> None:
        self.parses = parses

    def parse(self, text: str) -> Any:
        intent, emotion = self.parses[text]
        data = {
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "intent_ranking": [{"name": intent, "confidence": 0.99}],
            "entities": [],
            "emotion": emotion,
        }
        return type("Parsed", (), {"to_dict": lambda self: data})()


def _processor(backend: SqlWealthBackend, nlu: _ScriptedNlu, tmp_path: Any) -> MessageProcessor:
    service = BOTS_DIR / "service"
    domain = Domain.load(service / "domain.yml")
    ensemble = PolicyEnsemble.default(extra=[FormPolicy()])
    ensemble.train(load_stories([service / "data"]), domain)
    services = PlatformServices(tmp_path)
    services.__dict__["backend"] = backend
    return MessageProcessor(
        domain=domain,
        nlu=nlu,
        policies=ensemble,
        actions=build_action_registry(domain, bot_actions("service", services)),
        tracker_store=InMemoryTrackerStore(),
        lock_store=InMemoryLockStore(),
        nlg=NaturalLanguageGenerator(domain, deterministic=True),
        slot_extractor=_slot_extractor(None),
    )


def test_angry_complaint_hands_off_with_the_complaint_and_emotion_in_the_summary(
    backend: SqlWealthBackend, tmp_path: Any
) -> None:
    hello, angry = "你好", "气死我了，赎回到现在还没到账，什么破系统！"
    anger = {"label": "anger", "confidence": 0.9, "intensity": 0.82}
    nlu = _ScriptedNlu(
        {hello: ("greet", {"label": "neutral", "intensity": 0.05}), angry: ("complain", anger)}
    )
    processor = _processor(backend, nlu, tmp_path)
    for text in (hello, angry):
        asyncio.run(
            processor.handle_message(UserMessage(text, "angry-1", metadata={"customer_id": "C10003"}))
        )
    events = asyncio.run(processor.tracker_store.retrieve("angry-1"))
    (handoff,) = [e for e in events if isinstance(e, HandoffRequested)]
    assert any(isinstance(e, ConversationPaused) for e in events)
    summary = handoff.summary
    assert handoff.reason == "requested"
    assert summary["intents"] == ["greet", "complain"] and summary["emotion"] == "anger"
    assert {"speaker": "user", "text": angry} in summary["turns"]
    assert summary["slots"]["complaint_severity"] == "angry" and summary["slots"]["customer_id"] == "C10003"
    (complaint,) = backend.list_service_requests("C10003")
    assert complaint.detail == f"[angry] {angry}"
    assert any(complaint.ticket in (t["text"] or "") for t in summary["turns"])
