"""The advisory robot's risk questionnaire: reading answers, scoring, recording in the backend."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
import yaml

from bots.actions.advisory import (
    INVALID_OPTION,
    ActionRecordRiskAssessment,
    ValidateRiskAssessmentForm,
    parse_option,
)
from bots.services import PlatformServices
from bots.settings import BOTS_DIR
from dialogue import sdk
from dialogue.events import SlotSet
from dialogue.tracker import DialogueStateTracker
from risk_hooks.outbound import OutboundFilter
from wealth_backend import SqlWealthBackend
from wealth_backend.assessment import QUESTIONS
from wealth_backend.seed import seed_demo

TODAY = dt.date(2026, 11, 25)
AGE = QUESTIONS[0]  # 60岁以上 / 46-60岁 / 31-45岁 / 30岁及以下


@pytest.mark.parametrize(
    ("reply", "index"),
    [
        ("A", 0),
        ("b", 1),
        ("Ｃ", 2),
        ("选D", 3),
        ("D. 30岁及以下", 3),
        ("第二个", 1),
        ("3", 2),
        ("我今年60岁以上了", 0),
        ("31-45岁", 2),
    ],
    ids=[
        "letter",
        "lowercase",
        "fullwidth",
        "choose-d",
        "button-title",
        "ordinal",
        "digit",
        "option-words",
        "range",
    ],
)
def test_parse_option_reads_letters_ordinals_and_option_words(reply: str, index: int) -> None:
    assert parse_option(AGE, reply) == index


@pytest.mark.parametrize(
    "reply", ["", "不知道", "Apple", "岁"], ids=["empty", "unknown", "word-with-a", "ambiguous"]
)
def test_parse_option_returns_none_for_unclear_replies(reply: str) -> None:
    assert parse_option(AGE, reply) is None


def _tracker(slots: dict[str, object], sender: str = "u1") -> sdk.Tracker:
    tracker = DialogueStateTracker(sender, {"customer_id": None, "risk_level": None, **slots})
    tracker.update_many([SlotSet(key=k, value=v) for k, v in slots.items()])
    return sdk.Tracker.from_dict(tracker.current_state())


def test_validator_turns_answers_into_letters_and_re_asks_unclear_ones() -> None:
    validator = ValidateRiskAssessmentForm()
    dispatcher = sdk.CollectingDispatcher()
    ok = validator.validate_q_age("第三个", dispatcher, _tracker({}), {})
    assert ok == {"q_age": "C"} and dispatcher.messages == []
    unclear = validator.validate_q_income("随便", dispatcher, _tracker({}), {})
    assert unclear == {"q_income": None}
    assert dispatcher.messages[-1]["text"] == INVALID_OPTION
    with pytest.raises(AttributeError):
        validator.validate_q_unknown  # noqa: B018 - only questions have validators


def _all_answers(letter: str) -> dict[str, object]:
    return {f"q_{q.key}": letter for q in QUESTIONS}


def test_record_risk_assessment_stores_the_level_in_the_backend(tmp_path: Path) -> None:
    backend = SqlWealthBackend(f"sqlite:///{tmp_path / 'w.db'}", today=lambda: TODAY)
    seed_demo(backend, count=5)
    action = ActionRecordRiskAssessment(backend, today=lambda: TODAY)
    dispatcher = sdk.CollectingDispatcher()
    tracker = _tracker({**_all_answers("C"), "customer_id": "C10002"})
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    assert events[:2] == [
        sdk.SlotSet("risk_level", "C4"),
        sdk.SlotSet("risk_assessment_valid_until", "2027-11-25"),
    ]
    assert all(e["value"] is None for e in events[2:]) and len(events) == 2 + len(QUESTIONS)
    text = dispatcher.messages[0]["text"]
    assert "C4（成长型）" in text and "2027年11月25日" in text and "R4" in text
    customer = backend.get_customer("C10002")
    assert customer is not None and customer.risk_level == 4
    asyncio.run(action.run(sdk.CollectingDispatcher(), tracker, {}))  # same answers, same day
    assert customer.assessment_valid_until == dt.date(2027, 11, 25)


def test_record_risk_assessment_without_a_customer_keeps_it_in_the_conversation() -> None:
    dispatcher = sdk.CollectingDispatcher()
    events = asyncio.run(
        ActionRecordRiskAssessment(today=lambda: TODAY).run(dispatcher, _tracker(_all_answers("A")), {})
    )
    assert events[0] == sdk.SlotSet("risk_level", "C1")
    assert "保守型" in dispatcher.messages[0]["text"]


def test_record_risk_assessment_refuses_incomplete_answers() -> None:
    dispatcher = sdk.CollectingDispatcher()
    answers = {**_all_answers("B"), "q_goal": None}
    events = asyncio.run(ActionRecordRiskAssessment().run(dispatcher, _tracker(answers), {}))
    assert [e["name"] for e in events] == [f"q_{q.key}" for q in QUESTIONS]  # answers so far are dropped
    assert all(e["value"] is None for e in events)
    assert "测评先到这里" in dispatcher.messages[0]["text"]


def test_advisory_responses_pass_the_outbound_compliance_filter_unchanged(tmp_path: Path) -> None:
    """Issue 8: the refusal of guaranteed returns (and every other template) is sent as written,
    not rewritten by the filter, which also rewrites negated phrases it cannot excuse."""
    domain = yaml.safe_load((BOTS_DIR / "advisory" / "domain.yml").read_text(encoding="utf-8"))
    outbound = OutboundFilter(PlatformServices(tmp_path).product_names)
    changed = {
        name: outbound.check(variant["text"]).reason
        for name, variants in domain["responses"].items()
        for variant in variants
        if outbound.check(variant["text"]).action != "allow"
    }
    assert changed == {}
    refusal = domain["responses"]["utter_ask_guaranteed_return"][0]["text"]
    assert "不承诺收益" in refusal and "肯定涨" in refusal
