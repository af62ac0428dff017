"""``action_read_document`` through dialogue.sdk (and the engine's in-process adapter)."""

from __future__ import annotations

import asyncio

from dialogue import sdk
from dialogue.actions import SdkActionAdapter
from dialogue.domain import Domain
from dialogue.events import BotUttered, UserUttered
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.tracker import DialogueStateTracker
from knowledge.reading import DocumentReader
from knowledge.reading.actions import ACTIONS, ASK_PRODUCT_TEXT, NO_ANSWER_TEXT, ActionReadDocument
from risk_hooks.notices import RISK_NOTICE


def _run(action: ActionReadDocument, text: str) -> list[dict]:
    tracker = sdk.Tracker.from_dict({"sender_id": "user-1", "latest_message": {"text": text}, "events": []})
    dispatcher = sdk.CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    assert events == []
    return dispatcher.messages


def test_action_read_document_answers_with_source_and_risk_notice(shipped_reader: DocumentReader) -> None:
    messages = _run(ActionReadDocument(reader=shipped_reader), "瑞丰稳享货币A赎回多久到账？")
    assert len(messages) == 1
    text = messages[0]["text"]
    assert "T+1" in text and "《瑞丰稳享货币A产品说明书》" in text
    assert RISK_NOTICE in text
    assert messages[0]["custom"]["reading"]["doc_id"] == "prospectus_970001"


def test_action_read_document_news_answer_has_no_product_notice(shipped_reader: DocumentReader) -> None:
    messages = _run(ActionReadDocument(reader=shipped_reader), "个人养老金每年缴费上限是多少？")
    assert "12000元" in messages[0]["text"]
    assert RISK_NOTICE not in messages[0]["text"]


def test_action_read_document_says_politely_when_it_cannot(shipped_reader: DocumentReader) -> None:
    messages = _run(ActionReadDocument(reader=shipped_reader), "今天天气怎么样")
    assert messages[0]["text"] == NO_ANSWER_TEXT
    assert messages[0]["custom"]["reading"]["answer"] is None


def test_action_read_document_runs_in_the_engine_adapter(shipped_reader: DocumentReader) -> None:
    domain = Domain.from_yaml('version: "3.1"\nintents: [ask_document]\n')
    tracker = DialogueStateTracker("user-2")
    tracker.update(
        UserUttered(text="泰和90天滚动短债的封闭期是多少天", parse_data={"intent": {"name": "ask_document"}})
    )
    adapter = SdkActionAdapter(ActionReadDocument(reader=shipped_reader))
    events = asyncio.run(adapter.run(tracker, domain, NaturalLanguageGenerator(domain)))
    assert [type(e) for e in events] == [BotUttered]
    assert "90天" in events[0].text


def test_actions_list_is_constructible_without_arguments() -> None:
    assert [cls().name() for cls in ACTIONS] == ["action_read_document"]


def test_action_read_document_uses_the_product_slot(shipped_reader: DocumentReader) -> None:
    state = {
        "sender_id": "user-3",
        "slots": {"product_name": "瑞丰安心纯债A"},
        "latest_message": {"text": "赎回多久到账？"},
        "events": [],
    }
    dispatcher = sdk.CollectingDispatcher()
    asyncio.run(ActionReadDocument(reader=shipped_reader).run(dispatcher, sdk.Tracker.from_dict(state), {}))
    assert "T+3" in dispatcher.messages[0]["text"]


def test_action_read_document_asks_which_product(shipped_reader: DocumentReader) -> None:
    messages = _run(ActionReadDocument(reader=shipped_reader), "起购金额是多少")
    assert messages[0]["text"] == ASK_PRODUCT_TEXT


def test_action_read_document_loads_its_reader_lazily(documents_dir) -> None:
    action = ActionReadDocument(documents_dir=str(documents_dir))
    messages = _run(action, "测试稳健债券的起购金额是多少")
    assert "1000元" in messages[0]["text"]
    assert action.reader() is action.reader()  # loaded once, cached
