from __future__ import annotations

import asyncio

from dialogue.actions import BUILTIN_ACTIONS
from dialogue.actions.builtins import CLARIFY_TEXT, FALLBACK_TEXT, HANDOFF_TEXT
from dialogue.domain import BUILTIN_ACTIONS as DOMAIN_BUILTINS
from dialogue.domain import Domain
from dialogue.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    HandoffRequested,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
)
from dialogue.nlg import NaturalLanguageGenerator


def _run(name, tracker, domain, nlg):
    return asyncio.run(BUILTIN_ACTIONS[name].run(tracker, domain, nlg))


def test_builtins_cover_the_domain_builtins_but_revert_fallback() -> None:
    assert set(DOMAIN_BUILTINS) - set(BUILTIN_ACTIONS) == {"action_revert_fallback_events"}


def test_listen_returns_no_events(domain, nlg, make_tracker) -> None:
    assert _run("action_listen", make_tracker(), domain, nlg) == []


def test_restart_emits_restarted(domain, nlg, make_tracker, make_user) -> None:
    events = _run("action_restart", make_tracker(make_user("重新开始", "greet")), domain, nlg)
    assert [type(e) for e in events] == [Restarted]


def test_session_start_carries_over_changed_slots(domain, nlg, make_tracker, make_user) -> None:
    tracker = make_tracker(
        make_user("赎回五万", "redeem"),
        SlotSet(key="amount", value=50000.0),
        SlotSet(key="risk_level", value="低"),  # still the initial value: nothing to carry
        SlotSet(key="requested_slot", value="product_name"),
    )
    events = _run("action_session_start", tracker, domain, nlg)
    assert isinstance(events[0], SessionStarted)
    assert [(e.key, e.value) for e in events[1:]] == [("amount", 50000.0)]


def test_session_start_without_carry_over_only_starts(nlg, make_tracker, make_user) -> None:
    domain = Domain.from_yaml(
        "version: '3.1'\nslots:\n  amount: {type: float, mappings: [{type: custom}]}\n"
        "session_config: {session_expiration_time: 60, carry_over_slots_to_new_session: false}\n"
    )
    tracker = make_tracker(make_user("赎回五万", "redeem"), SlotSet(key="amount", value=50000.0))
    events = _run("action_session_start", tracker, domain, NaturalLanguageGenerator(domain))
    assert [type(e) for e in events] == [SessionStarted]


def test_default_fallback_apologises_in_chinese_and_reverts(domain, nlg, make_tracker, make_user) -> None:
    events = _run("action_default_fallback", make_tracker(make_user("嗯嗯啊啊", "greet", 0.1)), domain, nlg)
    assert [type(e) for e in events] == [BotUttered, UserUtteranceReverted]
    assert events[0].text == FALLBACK_TEXT == "抱歉，我没有理解您的意思，可以换个说法吗？"


def test_default_fallback_prefers_utter_default(make_tracker, make_user) -> None:
    domain = Domain.from_yaml(
        "version: '3.1'\nresponses:\n  utter_default:\n    - text: 不好意思，请再说一遍。\n"
    )
    nlg = NaturalLanguageGenerator(domain, deterministic=True)
    events = _run("action_default_fallback", make_tracker(make_user("嗯", "greet", 0.1)), domain, nlg)
    assert events[0].text == "不好意思，请再说一遍。"


def test_clarify_offers_top_two_intents_as_buttons(domain, nlg, make_tracker, make_user) -> None:
    message = make_user(
        "那个钱怎么弄",
        "nlu_fallback",
        0.3,
        ranking=[("nlu_fallback", 0.3), ("redeem", 0.25), ("product_nav", 0.2), ("greet", 0.1)],
    )
    events = _run("action_clarify", make_tracker(message), domain, nlg)
    assert len(events) == 1
    assert events[0].text == CLARIFY_TEXT == "您是想问以下哪个问题呢？"
    assert events[0].data["buttons"] == [
        {"title": "赎回基金", "payload": "/redeem"},
        {"title": "查询产品净值", "payload": "/product_nav"},
    ]


def test_clarify_titles_fall_back_to_intent_names(domain, nlg, make_tracker, make_user) -> None:
    message = make_user("在不在", "greet", 0.4, ranking=[("greet", 0.4), ("affirm", 0.3)])
    events = _run("action_clarify", make_tracker(message), domain, nlg)
    assert events[0].data["buttons"] == [
        {"title": "greet", "payload": "/greet"},
        {"title": "affirm", "payload": "/affirm"},
    ]


def test_clarify_without_candidates_falls_back(domain, nlg, make_tracker, make_user) -> None:
    message = make_user("啊", "nlu_fallback", 0.2, ranking=[("nlu_fallback", 0.2)])
    events = _run("action_clarify", make_tracker(message), domain, nlg)
    assert events[0].text == FALLBACK_TEXT
    assert "buttons" not in events[0].data


def test_handoff_pauses_and_carries_a_summary(domain, nlg, make_tracker, make_user) -> None:
    tracker = make_tracker(
        make_user("我要赎回五万", "redeem", entities=[{"entity": "amount", "value": 50000}]),
        SlotSet(key="amount", value=50000.0),
        ActionExecuted(action_name="utter_redeem_done"),
        BotUttered(text="已为您赎回50000元。"),
        ActionExecuted(action_name="action_listen"),
        make_user(
            "怎么还没到账，我要投诉！",
            "human_handoff",
            emotion={"label": "anger", "confidence": 0.9, "intensity": 0.8, "scores": {}},
        ),
    )
    events = _run("action_handoff", tracker, domain, nlg)
    assert [type(e) for e in events] == [BotUttered, ConversationPaused, HandoffRequested]
    assert events[0].text == HANDOFF_TEXT == "正在为您转接人工客服，请稍候。"
    handoff = events[2]
    assert handoff.reason == "requested"
    assert handoff.summary == {
        "sender_id": "user-1",
        "turns": [
            {"speaker": "user", "text": "我要赎回五万"},
            {"speaker": "bot", "text": "已为您赎回50000元。"},
            {"speaker": "user", "text": "怎么还没到账，我要投诉！"},
        ],
        "intents": ["redeem", "human_handoff"],
        "slots": {"amount": 50000.0, "risk_level": "低"},
        "emotion": "anger",
    }
    tracker.update_many(events)
    assert tracker.is_paused


def test_handoff_after_clarify_has_low_confidence_reason(domain, nlg, make_tracker, make_user) -> None:
    tracker = make_tracker(
        make_user("那个东西", "nlu_fallback", 0.2),
        ActionExecuted(action_name="action_clarify"),
        BotUttered(text=CLARIFY_TEXT),
        ActionExecuted(action_name="action_listen"),
        make_user("还是那个", "nlu_fallback", 0.2),
    )
    events = _run("action_handoff", tracker, domain, nlg)
    assert events[2].reason == "low_confidence"
    assert "emotion" not in events[2].summary


def test_back_reverts_two_user_turns(domain, nlg, make_tracker, make_user) -> None:
    tracker = make_tracker(
        make_user("你好", "greet"),
        ActionExecuted(action_name="utter_greet"),
        ActionExecuted(action_name="action_listen"),
        make_user("赎回", "redeem"),
        ActionExecuted(action_name="action_listen"),
        make_user("/back", "back"),
    )
    events = _run("action_back", tracker, domain, nlg)
    assert [type(e) for e in events] == [UserUtteranceReverted, UserUtteranceReverted]
    tracker.update(ActionExecuted(action_name="action_back"))
    tracker.update_many(events)
    assert tracker.latest_message is not None and tracker.latest_message.text == "你好"


def test_deactivate_loop_ends_form_and_clears_requested_slot(domain, nlg, make_tracker, make_user) -> None:
    tracker = make_tracker(
        make_user("我要赎回", "redeem"),
        ActiveLoop(name="redeem_form"),
        SlotSet(key="requested_slot", value="amount"),
    )
    events = _run("action_deactivate_loop", tracker, domain, nlg)
    tracker.update_many(events)
    assert tracker.active_loop_name is None
    assert tracker.get_slot("requested_slot") is None


def test_handoff_summary_keeps_the_angriest_moment_not_the_calm_last_words(
    domain, nlg, make_tracker, make_user
) -> None:
    tracker = make_tracker(
        make_user("什么破服务，钱还没到！", "complain", emotion={"label": "anger", "intensity": 0.9}),
        ActionExecuted(action_name="utter_complain_offer_human"),
        BotUttered(text="需要现在为您转接人工客服吗？"),
        ActionExecuted(action_name="action_listen"),
        make_user("好的", "affirm", emotion={"label": "neutral", "intensity": 0.1}),
    )
    events = _run("action_handoff", tracker, domain, nlg)
    assert events[2].summary["emotion"] == "anger"


def test_handoff_summary_of_a_calm_conversation_has_the_latest_emotion(
    domain, nlg, make_tracker, make_user
) -> None:
    tracker = make_tracker(
        make_user("谢谢你", "thank", emotion={"label": "positive", "intensity": 0.6}),
        ActionExecuted(action_name="action_listen"),
        make_user("帮我转人工", "human_handoff", emotion={"label": "neutral", "intensity": 0.2}),
    )
    events = _run("action_handoff", tracker, domain, nlg)
    assert events[2].summary["emotion"] == "neutral"
