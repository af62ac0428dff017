"""``VoiceCall`` with a scripted bot: the reply shapes the outbound robot never produces
(recordings, buttons, transfer markers, forced barge-in). Whole calls against the real
outbound robot are in ``test_voice.py``."""

from __future__ import annotations

import asyncio
from typing import Any

from channels.voice_call import VoiceCall
from channels.voice_config import CallLog, VoiceConfig
from channels.voice_frames import AsrFinal, CallEnded, CallStarted
from dialogue.events import BotUttered, UserUttered
from dialogue.processor import BotMessage, UserMessage
from dialogue.tracker import DialogueStateTracker


class ScriptedBot:
    """A ``ConversationService`` answering each text with the scripted replies, on a real tracker."""

    def __init__(self, script: dict[str, list[BotMessage]]) -> None:
        self.script = script
        self.trackers: dict[str, DialogueStateTracker] = {}
        self.messages: list[UserMessage] = []

    async def handle_message(self, message: UserMessage) -> list[BotMessage]:
        self.messages.append(message)
        tracker = self.trackers.setdefault(message.sender_id, DialogueStateTracker(message.sender_id))
        tracker.update(UserUttered(text=message.text, metadata=dict(message.metadata)))
        replies = self.script.get(message.text, [])
        for reply in replies:
            tracker.update(BotUttered(text=reply.text))
        return replies

    async def get_tracker(self, sender_id: str) -> DialogueStateTracker:
        return self.trackers.setdefault(sender_id, DialogueStateTracker(sender_id))


def run_call(bot: ScriptedBot, *frames: Any, config: VoiceConfig | None = None) -> list[list[dict[str, Any]]]:
    call = VoiceCall("scripted", bot, config or VoiceConfig(), CallLog(), clock=lambda: 1000.0)

    async def drive() -> list[list[dict[str, Any]]]:
        return [await call.handle(frame) for frame in frames]

    return asyncio.run(drive())


START = CallStarted(type="call.started", call_id="c1", caller="13900000000", campaign="demo")


def final(text: str) -> AsrFinal:
    return AsrFinal(type="asr.final", text=text, confidence=0.9)


def test_voice_call_plays_recordings_and_reads_buttons_as_options() -> None:
    bot = ScriptedBot(
        {
            "/call_started": [
                BotMessage("c1", custom={"recording_id": "rec-welcome-01"}),
                BotMessage("c1", "请问是张先生本人吗？", buttons=[{"title": "是的"}, {"title": "不是"}]),
            ]
        }
    )
    (opening,) = run_call(bot, START)
    assert opening[0] == {
        "type": "play",
        "recording_id": "rec-welcome-01",
        "barge_in": True,
        "prompt_id": "c1-1",
    }
    assert opening[1]["text"] == "请问是张先生本人吗？请说是的或者不是。"
    assert bot.messages[0].metadata == {
        "call_id": "c1",
        "caller": "13900000000",
        "campaign": "demo",
        "event": "call.started",
    }
    assert bot.messages[0].input_channel == "voice"


def test_voice_call_transfer_marker_names_queue_and_agent() -> None:
    marker = {"transfer": {"queue": "vip", "agent": "8001"}}
    bot = ScriptedBot(
        {"/call_started": [BotMessage("c1", "您好。")], "找客户经理": [BotMessage("c1", custom=marker)]}
    )
    _, answer, late = run_call(bot, START, final("找客户经理"), final("喂"))
    assert answer[0]["text"] == "好的，正在为您转接人工客服，请稍候。" and answer[0]["barge_in"] is False
    assert answer[1] == {"type": "transfer", "queue": "vip", "agent": "8001", "reason": "handoff"}
    assert late == []


def test_voice_call_handoff_phrase_without_trigger_still_transfers() -> None:
    bot = ScriptedBot({"/call_started": [BotMessage("c1", "您好。")]})
    _, answer = run_call(bot, START, final("帮我转人工"), config=VoiceConfig(transfer_queue="wealth"))
    assert [f["type"] for f in answer] == ["say", "transfer"] and answer[1]["queue"] == "wealth"


def test_voice_call_custom_barge_in_overrides_the_default() -> None:
    bot = ScriptedBot({"/call_started": [BotMessage("c1", "请仔细听以下条款。", custom={"barge_in": False})]})
    (opening,) = run_call(bot, START)
    assert opening[0]["barge_in"] is False


def test_voice_call_outcome_is_recorded_once() -> None:
    log = CallLog()
    bot = ScriptedBot({"/call_started": [BotMessage("c1", "您好。")]})
    call = VoiceCall("scripted", bot, VoiceConfig(), log, clock=lambda: 5.0)

    async def drive() -> None:
        await call.handle(START)
        await call.handle(CallEnded(type="call.ended", reason="caller_hangup"))
        await call.close("disconnected")  # the socket closing afterwards changes nothing

    asyncio.run(drive())
    outcome = log.get("scripted", "c1")
    assert (
        outcome is not None
        and outcome.disposition == "caller_hangup"
        and outcome.end_reason == "caller_hangup"
    )
    assert outcome.started_at == 5.0 and outcome.ended_at == 5.0
