"""Actions: what the bot does after each prediction (see ``docs/dialogue_design.md``).

Built-ins (``builtins``), ``utter_*`` responses (``responses``), in-process rasa-sdk-style
actions (``sdk_adapter``), actions on a rasa-sdk action server (``remote``), and the
``ActionRegistry`` that resolves a name to one of them.
"""

from __future__ import annotations

from dialogue.actions.base import Action
from dialogue.actions.builtins import (
    BUILTIN_ACTIONS,
    BackAction,
    ClarifyAction,
    DeactivateLoopAction,
    DefaultFallbackAction,
    HandoffAction,
    ListenAction,
    RestartAction,
    SessionStartAction,
    handoff_summary,
)
from dialogue.actions.errors import (
    ActionLookupError,
    ActionRejectedError,
    ActionServerError,
    ActionServerTimeoutError,
)
from dialogue.actions.registry import ActionRegistry
from dialogue.actions.remote import REQUEST_ID_HEADER, WEBHOOK_VERSION, RemoteAction
from dialogue.actions.responses import ResponseAction
from dialogue.actions.sdk_adapter import SdkActionAdapter

__all__ = [
    "BUILTIN_ACTIONS",
    "REQUEST_ID_HEADER",
    "WEBHOOK_VERSION",
    "Action",
    "ActionLookupError",
    "ActionRegistry",
    "ActionRejectedError",
    "ActionServerError",
    "ActionServerTimeoutError",
    "BackAction",
    "ClarifyAction",
    "DeactivateLoopAction",
    "DefaultFallbackAction",
    "HandoffAction",
    "ListenAction",
    "RemoteAction",
    "RestartAction",
    "ResponseAction",
    "SdkActionAdapter",
    "SessionStartAction",
    "handoff_summary",
]
