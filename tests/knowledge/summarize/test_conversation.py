"""Conversation summaries: structure, emotion over time, open questions, outcome, PII masked."""

from __future__ import annotations

import json

from dialogue.events import ActionExecuted, ActiveLoop, UserUttered
from dialogue.sdk import Tracker
from dialogue.tracker import DialogueStateTracker
from knowledge.summarize import summarize_conversation, summarize_events


def test_summary_of_a_handoff_conversation(handoff_events: list[dict]) -> None:
    summary = summarize_events("user-1", handoff_events)
    assert summary.outcome == "handoff" and summary.outcome_reason == "requested"
    assert summary.customer_id == "C10086"
    assert summary.intents == ("greet", "redeem", "complain")
    assert summary.entities["amount"] == ["50000"]
    assert summary.slots == {"amount": "50000"}
    assert summary.turns == 4


def test_summary_follows_emotion_over_time(handoff_events: list[dict]) -> None:
    summary = summarize_events("user-1", handoff_events)
    assert [label for _, label, _ in summary.emotions] == ["neutral", "neutral", "dissatisfaction", "anger"]
    assert "情绪：平静 → 不满 → 愤怒" in summary.render()


def test_summary_lists_the_unanswered_question(handoff_events: list[dict]) -> None:
    summary = summarize_events("user-1", handoff_events)
    assert summary.open_questions == ("为什么上次赎回三天还没到账？",)


def test_summary_masks_pii_everywhere(handoff_events: list[dict]) -> None:
    summary = summarize_events("user-1", handoff_events)
    dumped = json.dumps(summary.to_dict(), ensure_ascii=False)
    assert "13812345678" not in dumped and "138****5678" in dumped
    assert "110105194912310021" not in dumped
    assert summary.entities["phone"] == ["138****5678"]


def test_summary_key_utterances_prefer_informative_ones(handoff_events: list[dict]) -> None:
    summary = summarize_events("user-1", handoff_events, key_utterances=2)
    assert len(summary.key_utterances) == 2
    assert "你好" not in summary.key_utterances
    assert summary.key_utterances[-1].startswith("你们太慢了")


def test_summary_render_is_compact_chinese(handoff_events: list[dict]) -> None:
    text = summarize_events("user-1", handoff_events, intent_names={"redeem": "赎回基金"}).render()
    assert text.splitlines()[0] == "客户：user-1（客户号 C10086），共4轮"
    assert "意图：greet → 赎回基金 → complain" in text
    assert "结果：转人工（requested）" in text


def test_summary_form_completed_and_cancelled() -> None:
    completed = [
        {"event": "user", "text": "赎回两千", "parse_data": {"intent": {"name": "redeem"}}},
        {"event": "active_loop", "name": "redeem_form"},
        {"event": "active_loop", "name": None},
    ]
    assert summarize_events("u", completed).outcome == "form_completed"
    cancelled = [
        *completed[:2],
        {"event": "user", "text": "算了不办了", "parse_data": {"intent": {"name": "cancel"}}},
        {"event": "active_loop", "name": None},
    ]
    assert summarize_events("u", cancelled).outcome == "cancelled"
    assert summarize_events("u", []).outcome == "ended"


def test_summarize_conversation_reads_both_tracker_kinds(handoff_events: list[dict]) -> None:
    sdk_tracker = Tracker.from_dict({"sender_id": "user-1", "events": handoff_events})
    engine_tracker = DialogueStateTracker(
        "user-1",
        events=[
            ActionExecuted(action_name="action_listen"),
            UserUttered(text="我要赎回", parse_data={"intent": {"name": "redeem"}}),
            ActiveLoop(name="redeem_form"),
        ],
    )
    assert summarize_conversation(sdk_tracker).outcome == "handoff"
    engine_summary = summarize_conversation(engine_tracker)
    assert engine_summary.intents == ("redeem",) and engine_summary.outcome == "ended"
