"""Structured summaries of a conversation for a human agent's screen and for call records.

Reads the tracker's events in Rasa's JSON shape (``DialogueStateTracker.current_state()``
or an action's ``Tracker.events``): the customer, intents in order, key entities and
slots, emotion over time (``parse_data["emotion"]``), open questions (user questions
answered by a fallback, or not answered at all), the outcome (handoff / form completed /
cancelled / ended) and the most informative user utterances. Every text and value goes
through ``risk_hooks.pii.mask_pii``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from risk_hooks.pii import mask_pii

__all__ = [
    "EMOTION_NAMES",
    "OUTCOME_NAMES",
    "ConversationSummary",
    "summarize_conversation",
    "summarize_events",
]

EMOTION_NAMES = {
    "anger": "愤怒",
    "anxiety": "焦虑",
    "dissatisfaction": "不满",
    "positive": "满意",
    "neutral": "平静",
}
OUTCOME_NAMES = {
    "handoff": "转人工",
    "form_completed": "业务办理完成",
    "cancelled": "客户取消",
    "ended": "会话结束",
}
_FALLBACK_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
_FALLBACK_ACTIONS = frozenset(
    {"action_default_fallback", "utter_default", "utter_clarify", "action_clarify", "utter_out_of_scope"}
)
_SMALL_TALK = frozenset(
    {"greet", "goodbye", "affirm", "deny", "thanks", "thank", "bot_challenge", "chitchat"}
)
_CANCEL_INTENTS = frozenset({"cancel", "stop", "deny_form", "abort"})
_QUESTION_MARKS = (
    "?",
    "？",
    "吗",
    "呢",
    "多少",
    "多久",
    "怎么",
    "什么",
    "哪",
    "几",
    "为什么",
    "能不能",
    "是否",
    "如何",
)
_SKIP_SLOTS = frozenset({"requested_slot", "conversation_summary", "session_started_metadata"})


@dataclass(frozen=True)
class ConversationSummary:
    """What happened in a conversation; all texts PII-masked."""

    sender_id: str
    customer_id: str | None
    intents: tuple[str, ...]
    entities: dict[str, list[str]]
    slots: dict[str, str]
    emotions: tuple[tuple[int, str, float], ...]
    open_questions: tuple[str, ...]
    outcome: str
    outcome_reason: str
    key_utterances: tuple[str, ...]
    turns: int
    intent_names: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, for a custom payload, a slot or a call record."""
        return {
            "sender_id": self.sender_id,
            "customer_id": self.customer_id,
            "turns": self.turns,
            "intents": list(self.intents),
            "entities": self.entities,
            "slots": self.slots,
            "emotions": [
                {"turn": t, "label": label, "intensity": round(i, 3)} for t, label, i in self.emotions
            ],
            "open_questions": list(self.open_questions),
            "outcome": self.outcome,
            "outcome_reason": self.outcome_reason,
            "key_utterances": list(self.key_utterances),
            "text": self.render(),
        }

    def render(self) -> str:
        """A compact Chinese text for an agent's screen."""
        customer = mask_pii(self.sender_id) + (f"（客户号 {self.customer_id}）" if self.customer_id else "")
        intents = " → ".join(self.intent_names.get(i, i) for i in self.intents) or "无"
        facts = "；".join(
            f"{k}={'/'.join(v)}"
            for k, v in {**self.entities, **{k: [v] for k, v in self.slots.items()}}.items()
        )
        emotion = (
            " → ".join(EMOTION_NAMES.get(label, label) for label in _changes([e[1] for e in self.emotions]))
            or "未识别"
        )
        outcome = OUTCOME_NAMES.get(self.outcome, self.outcome) + (
            f"（{self.outcome_reason}）" if self.outcome_reason else ""
        )
        lines = [
            f"客户：{customer}，共{self.turns}轮",
            f"意图：{intents}",
            f"关键信息：{facts or '无'}",
            f"情绪：{emotion}",
            f"未解决问题：{'；'.join(self.open_questions) or '无'}",
            f"结果：{outcome}",
        ]
        lines.extend(f"关键语句{i}：{text}" for i, text in enumerate(self.key_utterances, 1))
        return "\n".join(lines)


def summarize_conversation(
    tracker: Any, intent_names: Mapping[str, str] | None = None, key_utterances: int = 3
) -> ConversationSummary:
    """Summarize a ``dialogue.tracker.DialogueStateTracker`` or a ``dialogue.sdk.Tracker``.

    Args:
        tracker: the conversation.
        intent_names: display names of intents (e.g. the domain's ``utter_intent_<name>`` texts).
        key_utterances: how many user utterances to keep.
    """
    events = list(getattr(tracker, "events", None) or [])
    if not all(isinstance(event, Mapping) for event in events):  # the engine's tracker: typed events
        events = tracker.current_state()["events"]
    return summarize_events(str(tracker.sender_id), events, intent_names, key_utterances)


def summarize_events(
    sender_id: str,
    events: Sequence[Mapping[str, Any]],
    intent_names: Mapping[str, str] | None = None,
    key_utterances: int = 3,
) -> ConversationSummary:
    """Summarize Rasa-JSON events (see the module docstring)."""
    walk = _Walk()
    for event in _applied(events):
        walk.handle(event)
    walk.flush_question()
    return _build(
        sender_id,
        walk.users,
        walk.slots,
        walk.outcome,
        walk.reason,
        walk.open_questions,
        intent_names or {},
        key_utterances,
    )


@dataclass
class _Walk:
    """What the events say so far: user turns, slots, open questions, the outcome."""

    users: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, Any] = field(default_factory=dict)
    open_questions: list[str] = field(default_factory=list)
    outcome: str = "ended"
    reason: str = ""
    form_active: bool = False
    pending_question: str | None = None  # a user question the bot has not answered yet

    def handle(self, event: Mapping[str, Any]) -> None:
        kind = event.get("event")
        if kind == "user":
            self.user(event)
        elif kind == "action" and event.get("name") not in (None, "action_listen"):
            self.action(str(event.get("name")))
        elif kind == "bot":
            self.pending_question = None
        elif kind == "slot" and event.get("name") not in _SKIP_SLOTS:
            self.slots[str(event.get("name"))] = event.get("value")
        elif kind == "active_loop":
            self.loop(event.get("name"))
        elif kind == "handoff":
            self.outcome, self.reason = "handoff", str(event.get("reason") or "")
        elif kind == "action_execution_rejected" and self.form_active:
            self.outcome, self.reason = "cancelled", "rejected"

    def user(self, event: Mapping[str, Any]) -> None:
        self.flush_question()
        record = _user_record(event, len(self.users))
        self.users.append(record)
        if record["intent"] in _FALLBACK_INTENTS and record["text"]:
            self.open_questions.append(record["text"])
        elif record["question"]:
            self.pending_question = record["text"]
        if self.form_active and record["intent"] in _CANCEL_INTENTS:
            self.outcome, self.reason = "cancelled", str(record["intent"])

    def action(self, name: str) -> None:
        if name in _FALLBACK_ACTIONS:
            self.flush_question()
        self.pending_question = None
        if name == "action_handoff" and self.outcome != "handoff":
            self.outcome, self.reason = "handoff", ""

    def loop(self, name: Any) -> None:
        if name:
            self.form_active = True
        elif self.form_active:
            self.form_active = False
            if self.outcome == "ended":
                self.outcome, self.reason = "form_completed", ""

    def flush_question(self) -> None:
        if self.pending_question:
            self.open_questions.append(self.pending_question)
        self.pending_question = None


def _applied(events: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Events after the last restart (rewinds and undos are rare in summaries and kept as is)."""
    start = max((i + 1 for i, e in enumerate(events) if e.get("event") == "restart"), default=0)
    return list(events[start:])


def _user_record(event: Mapping[str, Any], index: int) -> dict[str, Any]:
    parse = event.get("parse_data") or {}
    intent = (
        (parse.get("intent") or {}).get("name")
        if isinstance(parse.get("intent"), dict)
        else parse.get("intent")
    )
    emotion = parse.get("emotion")
    label = emotion.get("label") if isinstance(emotion, dict) else emotion
    intensity = (
        float(emotion.get("intensity") or emotion.get("confidence") or 0.0)
        if isinstance(emotion, dict)
        else 0.0
    )
    text = mask_pii(str(event.get("text") or ""))
    return {
        "index": index,
        "text": text,
        "intent": intent,
        "entities": [
            (str(e.get("entity")), mask_pii(str(e.get("value"))))
            for e in parse.get("entities") or []
            if e.get("entity")
        ],
        "emotion": str(label) if label else None,
        "intensity": intensity,
        "question": any(mark in text for mark in _QUESTION_MARKS),
    }


def _build(
    sender_id: str,
    users: list[dict[str, Any]],
    slots: dict[str, Any],
    outcome: str,
    reason: str,
    open_questions: list[str],
    intent_names: Mapping[str, str],
    key_count: int,
) -> ConversationSummary:
    intents = tuple(
        _changes([u["intent"] for u in users if u["intent"] and u["intent"] not in _FALLBACK_INTENTS])
    )
    entities: dict[str, list[str]] = {}
    for user in users:
        for name, value in user["entities"]:
            if value not in entities.setdefault(name, []):
                entities[name].append(value)
    customer = slots.get("customer_id")
    return ConversationSummary(
        sender_id=mask_pii(sender_id),
        customer_id=mask_pii(str(customer)) if customer not in (None, "") else None,
        intents=intents,
        entities=entities,
        slots={
            k: mask_pii(str(v)) for k, v in slots.items() if v not in (None, "", []) and k != "customer_id"
        },
        emotions=tuple((u["index"], u["emotion"], u["intensity"]) for u in users if u["emotion"]),
        open_questions=tuple(dict.fromkeys(open_questions)),
        outcome=outcome,
        outcome_reason=reason,
        key_utterances=_key_utterances(users, key_count),
        turns=len(users),
        intent_names=dict(intent_names),
    )


def _key_utterances(users: list[dict[str, Any]], count: int) -> tuple[str, ...]:
    """The most informative user utterances, in conversation order."""

    def informativeness(user: dict[str, Any]) -> float:
        score = len(user["entities"]) + 0.5 * user["question"] + min(len(user["text"]) / 20, 1.0)
        if user["emotion"] not in (None, "neutral"):
            score += 0.5 + user["intensity"]
        return score - 2.0 * (user["intent"] in _SMALL_TALK)

    ranked = sorted((u for u in users if u["text"]), key=informativeness, reverse=True)[:count]
    return tuple(u["text"] for u in sorted(ranked, key=lambda u: u["index"]))


def _changes(values: list[Any]) -> list[Any]:
    """``values`` with consecutive repeats collapsed."""
    return [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
