"""In-process custom actions with rasa-sdk's public names and signatures.

Action code written for rasa-sdk runs unchanged when ``rasa_sdk`` is replaced by
``dialogue.sdk`` in its imports (``dialogue.sdk.events``, ``dialogue.sdk.executor``,
``dialogue.sdk.forms``, ``dialogue.sdk.interfaces``, ``dialogue.sdk.types`` mirror the
rasa-sdk modules); the engine runs such actions in process through
``dialogue.actions.SdkActionAdapter``, and actions subclassing ``rasa_sdk.Action`` itself
work the same way when the rasa-sdk package is installed.
"""

from __future__ import annotations

from dialogue.sdk.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    FollowupAction,
    LoopInterrupted,
    ReminderCancelled,
    ReminderScheduled,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from dialogue.sdk.executor import CollectingDispatcher
from dialogue.sdk.forms import FormValidationAction, ValidationAction
from dialogue.sdk.interfaces import Action, ActionExecutionRejection, Tracker
from dialogue.sdk.types import DomainDict, EventType

__all__ = [
    "Action",
    "ActionExecuted",
    "ActionExecutionRejected",
    "ActionExecutionRejection",
    "ActionReverted",
    "ActiveLoop",
    "AllSlotsReset",
    "BotUttered",
    "CollectingDispatcher",
    "ConversationPaused",
    "ConversationResumed",
    "DomainDict",
    "EventType",
    "FollowupAction",
    "FormValidationAction",
    "LoopInterrupted",
    "ReminderCancelled",
    "ReminderScheduled",
    "Restarted",
    "SessionStarted",
    "SlotSet",
    "Tracker",
    "UserUttered",
    "UserUtteranceReverted",
    "ValidationAction",
]
