"""The tracker store contract, run against every backend: memory, SQLite file, PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from dialogue.errors import StoreError
from dialogue.events import (
    EVENT_TYPES,
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    EntitiesAdded,
    Event,
    FollowupAction,
    HandoffRequested,
    LoopInterrupted,
    ReminderCancelled,
    ReminderScheduled,
    Restarted,
    RiskDecision,
    SessionStarted,
    SlotSet,
    UserFeaturization,
    UserUtteranceReverted,
    UserUttered,
)
from dialogue.stores import InMemoryTrackerStore, SQLTrackerStore, TrackerStore

BACKENDS = ["memory", "sqlite", "postgres"]


def every_event() -> list[Event]:
    """One event of each type, with non-default values (Chinese text included)."""
    entity = {"entity": "amount", "value": 50000, "start": 4, "end": 6, "extractor": "RegexEntityExtractor"}
    return [
        SessionStarted(timestamp=1.0),
        ActionExecuted("action_listen", policy="RulePolicy", confidence=1.0, timestamp=2.0),
        UserUttered(
            "我要赎回五万",
            parse_data={
                "intent": {"name": "redeem", "confidence": 0.93},
                "entities": [entity],
                "text": "我要赎回五万",
            },
            input_channel="rest",
            message_id="m-1",
            metadata={"device": "app"},
            timestamp=3.0,
        ),
        EntitiesAdded([entity], timestamp=4.0),
        SlotSet("amount", 50000, timestamp=5.0),
        SlotSet("products", ["货币基金", "债券基金"], timestamp=5.5),
        ActiveLoop("redeem_form", timestamp=6.0),
        LoopInterrupted(True, timestamp=7.0),
        ActionExecutionRejected("redeem_form", policy="FormPolicy", confidence=0.8, timestamp=8.0),
        BotUttered(
            "请问赎回到哪张银行卡？",
            data={
                "buttons": [{"title": "尾号1234", "payload": "/choose"}],
                "template_name": "utter_ask_card",
            },
            timestamp=9.0,
        ),
        FollowupAction("action_handoff", timestamp=10.0),
        ConversationPaused(timestamp=11.0),
        HandoffRequested("low_confidence", summary={"intents": ["redeem"], "turns": 2}, timestamp=12.0),
        ConversationResumed(timestamp=13.0),
        ReminderScheduled("remind_nav", "2026-06-01T09:00:00", name="nav", entities=[entity], timestamp=14.0),
        ReminderCancelled(name="nav", intent="remind_nav", timestamp=15.0),
        RiskDecision("suitability", "block", "risk level too low", "R3_ONLY", timestamp=16.0),
        UserFeaturization(use_text_for_featurization=True, timestamp=17.0),
        UserUtteranceReverted(timestamp=17.0),
        ActionReverted(timestamp=18.0),
        AllSlotsReset(timestamp=19.0),
        ActiveLoop(None, timestamp=20.0),
        Restarted(timestamp=21.0),
    ]


def as_dicts(events: list[Event]) -> list[dict[str, object]]:
    return [event.to_dict() for event in events]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TrackerStore]:
    if request.param == "memory":
        made: TrackerStore = InMemoryTrackerStore()
    elif request.param == "sqlite":
        made = SQLTrackerStore(f"sqlite:///{tmp_path / 'trackers.db'}")
    else:
        made = SQLTrackerStore(request.getfixturevalue("postgres_url"))
    yield made
    asyncio.run(made.close())


def test_every_event_type_is_covered() -> None:
    assert {type(event) for event in every_event()} == set(EVENT_TYPES.values())


def test_store_round_trips_every_event_type(store: TrackerStore) -> None:
    events = every_event()

    async def scenario() -> list[Event]:
        await store.append("alice", events)
        return await store.retrieve("alice")

    back = asyncio.run(scenario())
    assert [type(event) for event in back] == [type(event) for event in events]
    assert as_dicts(back) == as_dicts(events)


def test_store_keeps_order_across_appends(store: TrackerStore) -> None:
    batches = [[SlotSet("step", i, timestamp=float(i)), BotUttered(f"第{i}步")] for i in range(5)]

    async def scenario() -> list[Event]:
        for batch in batches:
            await store.append("bob", batch)
        return await store.retrieve("bob")

    back = asyncio.run(scenario())
    assert as_dicts(back) == as_dicts([event for batch in batches for event in batch])


def test_store_unknown_sender_retrieves_empty_list(store: TrackerStore) -> None:
    async def scenario() -> list[Event]:
        await store.append("known", [Restarted()])
        return await store.retrieve("nobody")

    assert asyncio.run(scenario()) == []


def test_store_keys_lists_senders_sorted(store: TrackerStore) -> None:
    async def scenario() -> tuple[list[str], list[str]]:
        before = await store.keys()
        for sender in ["王五", "carol", "alice", "carol"]:
            await store.append(sender, [SessionStarted()])
        await store.append("empty", [])  # appending nothing creates no conversation
        return before, await store.keys()

    before, after = asyncio.run(scenario())
    assert before == []
    assert after == sorted(["alice", "carol", "王五"])


def test_store_concurrent_appends_keep_every_event_once(store: TrackerStore) -> None:
    writers, appends = 4, 15

    async def writer(index: int) -> None:
        for j in range(appends):
            # two events per append: they must stay adjacent
            await store.append("shared", [SlotSet(f"w{index}", j), BotUttered(f"w{index}-{j}")])

    async def scenario() -> list[Event]:
        await asyncio.gather(*(writer(i) for i in range(writers)))
        return await store.retrieve("shared")

    back = asyncio.run(scenario())
    assert len(back) == writers * appends * 2
    pairs = [(back[i], back[i + 1]) for i in range(0, len(back), 2)]
    assert all(isinstance(a, SlotSet) and isinstance(b, BotUttered) for a, b in pairs)
    assert all(b.text == f"{a.key}-{a.value}" for a, b in pairs)  # type: ignore[attr-defined]
    for index in range(writers):
        values = [a.value for a, _ in pairs if a.key == f"w{index}"]  # type: ignore[attr-defined]
        assert values == list(range(appends))


def test_store_rejects_unserializable_event_and_writes_nothing(store: TrackerStore) -> None:
    async def scenario() -> list[Event]:
        with pytest.raises(StoreError, match="STO106"):
            await store.append("carol", [SlotSet("ok", 1), SlotSet("bad", {1, 2})])
        return await store.retrieve("carol")

    assert asyncio.run(scenario()) == []


def test_in_memory_store_returns_independent_copies() -> None:
    store = InMemoryTrackerStore()

    async def scenario() -> list[Event]:
        event = SlotSet("products", ["货币基金"])
        await store.append("dave", [event])
        event.value.append("changed after append")
        first = await store.retrieve("dave")
        first[0].value.append("changed after retrieve")  # type: ignore[attr-defined]
        return await store.retrieve("dave")

    assert asyncio.run(scenario())[0].value == ["货币基金"]  # type: ignore[attr-defined]
