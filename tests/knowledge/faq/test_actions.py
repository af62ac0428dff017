from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from dialogue import sdk
from dialogue.events import UserUttered
from dialogue.tracker import DialogueStateTracker
from knowledge.faq import FaqRetriever, Thresholds
from knowledge.faq.actions import ACTIONS, NO_ANSWER_TEXT, SUGGESTION_PROMPT, ActionAnswerFaq


def _run(action: ActionAnswerFaq, text: str, channel: str | None = "rest") -> list[dict]:
    events = [
        UserUttered(text=text, parse_data={"text": text, "intent": {"name": "faq"}}, input_channel=channel)
    ]
    state = DialogueStateTracker("用户1", events=events).current_state()
    tracker = sdk.Tracker.from_dict(state)
    dispatcher = sdk.CollectingDispatcher()
    assert asyncio.run(action.run(dispatcher, tracker, {})) == []
    return dispatcher.messages


def test_actions_lists_the_faq_action() -> None:
    assert [cls().name() for cls in ACTIONS] == ["action_answer_faq"]


def test_action_answers_with_buttons_and_links(warm_retriever: FaqRetriever) -> None:
    [message] = _run(ActionAnswerFaq(retriever=warm_retriever), "赎回的钱什么时候到银行卡啊")
    assert message["text"].startswith("货币基金一般 T+1")
    assert message["buttons"] == [{"title": "查看赎回进度", "payload": "/check_redemption"}]
    assert message["custom"]["faq"]["faq_id"] == "redeem_arrival"
    assert message["custom"]["faq"]["links"][0]["url"] == "https://example.com/rules"


@pytest.mark.parametrize(
    ("channel", "start"), [("voice", "赎回一般一到四"), ("sms", "赎回约T+1")], ids=["voice", "sms"]
)
def test_action_uses_channel_variant(warm_retriever: FaqRetriever, channel: str, start: str) -> None:
    [message] = _run(ActionAnswerFaq(retriever=warm_retriever), "赎回的钱什么时候到银行卡啊", channel)
    assert message["text"].startswith(start)


def test_action_suggests_questions_as_buttons(warm_retriever: FaqRetriever) -> None:
    suggesting = FaqRetriever(warm_retriever.encoder, warm_retriever.matcher, Thresholds(0.9999, 0.05))
    suggesting.upsert_many(warm_retriever.entries())
    [message] = _run(ActionAnswerFaq(retriever=suggesting), "定投")
    assert message["text"] == SUGGESTION_PROMPT
    assert 1 <= len(message["buttons"]) <= 3
    assert message["buttons"][0]["payload"] in {"怎么设置基金定投", "怎么暂停或终止定投"}
    assert message["custom"]["faq"]["outcome"] == "suggest"


@pytest.mark.parametrize(
    "text",
    ["今天天气怎么样", "", "'; DROP TABLE faq; --", "长" * 5000],
    ids=["weather", "empty", "sql", "5000_chars"],
)
def test_action_declines_politely_with_handoff(warm_retriever: FaqRetriever, text: str) -> None:
    [message] = _run(ActionAnswerFaq(retriever=warm_retriever), text)
    assert message["text"] == NO_ANSWER_TEXT
    assert message["buttons"] == [{"title": "转人工客服", "payload": "/human_handoff"}]


def test_action_respects_clock_for_seasonal_entries(warm_retriever: FaqRetriever) -> None:
    spring = ActionAnswerFaq(retriever=warm_retriever, clock=lambda: datetime(2026, 2, 1, tzinfo=UTC))
    summer = ActionAnswerFaq(retriever=warm_retriever, clock=lambda: datetime(2026, 7, 1, tzinfo=UTC))
    assert _run(spring, "春节有什么活动")[0]["custom"]["faq"]["faq_id"] == "spring_campaign"
    assert _run(summer, "春节有什么活动")[0]["text"] == NO_ANSWER_TEXT


def test_action_loads_faq_file_lazily_once(small_faq, tmp_path) -> None:
    from knowledge.faq import dump_faqs
    from knowledge.faq.defaults import default_retriever

    path = tmp_path / "faq.yml"
    dump_faqs(small_faq[:4], path)
    action = ActionAnswerFaq(faq_path=path, handoff_payload=None)
    [message] = _run(action, "定投怎么开通呀")
    assert message["custom"]["faq"]["faq_id"] == "sip_setup"
    assert default_retriever(path) is default_retriever(path)  # cached per file and process
    [declined] = _run(action, "今天天气怎么样")
    assert declined["text"] == NO_ANSWER_TEXT and declined["buttons"] == []
