"""The dialogue engine: events, the conversation tracker, the domain and response generation.

Typical use::

    from dialogue import DialogueStateTracker, Domain, NaturalLanguageGenerator

    domain = Domain.load("bots/service/domain.yml")
    tracker = DialogueStateTracker("user-1", domain.slot_defaults())
    nlg = NaturalLanguageGenerator(domain)
    utterance = nlg.generate("utter_greet", tracker)

The contract between the engine's modules is ``docs/dialogue_design.md``.
"""

from __future__ import annotations

from dialogue.domain import (
    BUILTIN_ACTIONS,
    Domain,
    EntitySpec,
    FormSpec,
    IntentSpec,
    MappingCondition,
    MappingType,
    ResponseVariation,
    SessionConfig,
    SlotMapping,
    SlotSpec,
    SlotType,
)
from dialogue.errors import (
    ActionError,
    DialogueError,
    DomainError,
    RemoteActionError,
    StoreError,
    StoryError,
    UnknownEventError,
)
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
    UserUtteranceReverted,
    UserUttered,
    event_from_dict,
)
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker, Turn

__all__ = [
    "ACTION_LISTEN",
    "BUILTIN_ACTIONS",
    "EVENT_TYPES",
    "ActionError",
    "ActionExecuted",
    "ActionExecutionRejected",
    "ActionReverted",
    "ActiveLoop",
    "AllSlotsReset",
    "BotUttered",
    "ConversationPaused",
    "ConversationResumed",
    "DialogueError",
    "DialogueStateTracker",
    "Domain",
    "DomainError",
    "EntitiesAdded",
    "EntitySpec",
    "Event",
    "FollowupAction",
    "FormSpec",
    "HandoffRequested",
    "IntentSpec",
    "LoopInterrupted",
    "MappingCondition",
    "MappingType",
    "NaturalLanguageGenerator",
    "RemoteActionError",
    "ReminderCancelled",
    "ReminderScheduled",
    "ResponseVariation",
    "Restarted",
    "RiskDecision",
    "SessionConfig",
    "SessionStarted",
    "SlotMapping",
    "SlotSet",
    "SlotSpec",
    "SlotType",
    "StoreError",
    "StoryError",
    "Turn",
    "UnknownEventError",
    "UserUttered",
    "UserUtteranceReverted",
    "event_from_dict",
]
