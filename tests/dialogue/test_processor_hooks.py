"""The processor's hook points (``dialogue.hooks``): inbound guard before NLU, outbound filter.

A small rule-driven guard stands in for ``risk_hooks`` so the engine's side of the
contract is checked on its own: what is stored, what is sent, and that a broken hook
fails open.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from dialogue.actions import ActionRegistry
from dialogue.domain import Domain
from dialogue.events import BotUttered, HandoffRequested, RiskDecision, UserUttered
from dialogue.hooks import InboundVerdict, OutboundVerdict
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.policies import PolicyEnsemble
from dialogue.processor import MessageProcessor, UserMessage
from dialogue.stores import InMemoryLockStore, InMemoryTrackerStore
from dialogue.tracker import DialogueStateTracker
from dialogue.training import load_stories

MOODBOT = Path(__file__).resolve().parents[1] / "fixtures" / "rasa_projects" / "moodbot"


class WordGuard:
    """Blocks "验证码", hands off on "投诉", masks "13800138000", appends a notice to every reply."""

    def __init__(self, broken: bool = False) -> None:
        self.broken = broken

    async def inbound(self, message: UserMessage, tracker: DialogueStateTracker) -> InboundVerdict:
        if self.broken:
            raise RuntimeError("guard down")
        masked = message.text.replace("13800138000", "138****8000")
        decision = RiskDecision(hook="inbound", decision="allow", rule="none")
        if "验证码" in message.text:
            block = RiskDecision(hook="inbound", decision="block", rule="otp")
            return InboundVerdict("block", reply="请勿向任何人透露验证码。", events=(block,))
        if "投诉" in message.text:
            return InboundVerdict("handoff", events=(replace(decision, decision="handoff"),))
        return InboundVerdict("allow", stored_text=masked, events=(decision,))

    async def outbound(self, message: BotUttered, tracker: DialogueStateTracker) -> OutboundVerdict:
        if self.broken:
            raise RuntimeError("filter down")
        rewritten = replace(message, text=f"{message.text}（提示）")
        return OutboundVerdict(rewritten, (RiskDecision(hook="outbound", decision="rewrite", rule="notice"),))


@pytest.fixture(scope="module")
def moodbot() -> tuple[Domain, PolicyEnsemble]:
    domain = Domain.load(MOODBOT / "domain.yml")
    ensemble = PolicyEnsemble.default()
    ensemble.train(load_stories([MOODBOT / "data"]), domain)
    return domain, ensemble


def _processor(moodbot: tuple[Domain, PolicyEnsemble], hooks: WordGuard) -> MessageProcessor:
    domain, ensemble = moodbot
    return MessageProcessor(
        domain=domain,
        nlu=None,  # intent payloads only
        policies=ensemble,
        actions=ActionRegistry(domain),
        tracker_store=InMemoryTrackerStore(),
        lock_store=InMemoryLockStore(),
        nlg=NaturalLanguageGenerator(domain, deterministic=True),
        hooks=hooks,
    )


def _say(processor: MessageProcessor, text: str) -> list[str | None]:
    replies = asyncio.run(processor.handle_message(UserMessage(text, "u1")))
    return [r.text for r in replies]


def _events(processor: MessageProcessor) -> list:
    return asyncio.run(processor.tracker_store.retrieve("u1"))


def test_hooks_outbound_rewrites_every_reply_and_records_why(moodbot) -> None:
    processor = _processor(moodbot, WordGuard())
    replies = _say(processor, "/greet")
    assert replies and all(text and text.endswith("（提示）") for text in replies)
    rewrites = [e for e in _events(processor) if isinstance(e, RiskDecision) and e.hook == "outbound"]
    assert len(rewrites) == len(replies)


def test_hooks_inbound_block_skips_nlu_and_keeps_the_turn_out_of_the_state(moodbot) -> None:
    processor = _processor(moodbot, WordGuard())
    _say(processor, "/greet")
    assert _say(processor, "把验证码发给你") == ["请勿向任何人透露验证码。（提示）"]
    events = _events(processor)
    assert any(isinstance(e, RiskDecision) and e.decision == "block" for e in events)
    assert any(isinstance(e, UserUttered) and e.text == "把验证码发给你" for e in events)
    tracker = asyncio.run(processor.get_tracker("u1"))
    assert tracker.latest_message is not None and tracker.latest_message.text == "/greet"
    # the conversation goes on as if the blocked message had not come
    assert _say(processor, "/mood_great")


def test_hooks_inbound_handoff_pauses_with_a_summary(moodbot) -> None:
    processor = _processor(moodbot, WordGuard())
    _say(processor, "我要投诉")
    events = _events(processor)
    assert any(isinstance(e, HandoffRequested) for e in events)
    assert asyncio.run(processor.get_tracker("u1")).is_paused


def test_hooks_inbound_stored_text_masks_the_tracker_copy(moodbot) -> None:
    processor = _processor(moodbot, WordGuard())
    _say(processor, "/greet")
    _say(processor, '/mood_great{"phone": "13800138000"}')
    texts = [e.text for e in _events(processor) if isinstance(e, UserUttered)]
    assert '/mood_great{"phone": "138****8000"}' in texts
    assert not any("13800138000" in (t or "") for t in texts)


def test_hooks_that_raise_fail_open_on_record(moodbot) -> None:
    processor = _processor(moodbot, WordGuard(broken=True))
    replies = _say(processor, "/greet")
    assert replies and not any("（提示）" in (t or "") for t in replies)
    errors = [e for e in _events(processor) if isinstance(e, RiskDecision) and e.decision == "error"]
    assert {e.hook for e in errors} == {"inbound", "outbound"}
