"""Run rasa-sdk-style actions in process: ``dialogue.sdk`` actions and ``rasa_sdk`` ones.

The action gets what an action server would get: a ``Tracker`` built from the engine
tracker's ``current_state()`` JSON, a fresh ``CollectingDispatcher`` and the domain as a dict.
Its event dicts and dispatcher messages come back as engine events, exactly as for a
``RemoteAction``, so moving an action between process and server changes nothing.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
from typing import TYPE_CHECKING, Any

from dialogue import sdk
from dialogue.actions.base import Action
from dialogue.actions.errors import ActionLookupError, ActionRejectedError
from dialogue.actions.wire import events_from_dicts, messages_to_events

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.events import Event
    from dialogue.nlg import NaturalLanguageGenerator
    from dialogue.tracker import DialogueStateTracker

__all__ = ["SdkActionAdapter", "check_validation_methods"]


class SdkActionAdapter(Action):
    """Wraps an sdk-style action (``name()``, ``run(dispatcher, tracker, domain)``).

    Args:
        action: an instance of ``dialogue.sdk.Action`` or ``rasa_sdk.Action`` (or any object
            with those two methods); ``run`` may be sync or async.

    Raises:
        ActionLookupError: ``action`` has no ``name()``/``run()`` (ACT003).
    """

    def __init__(self, action: Any) -> None:
        if not callable(getattr(action, "name", None)) or not callable(getattr(action, "run", None)):
            raise ActionLookupError("ACT003", f"{action!r} is not an action: it needs name() and run()")
        self.action = action
        self._name = str(action.name())

    def name(self) -> str:
        return self._name

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        """Run the wrapped action; utterances come first, then its events.

        Raises:
            ActionRejectedError: the action raised ``ActionExecutionRejection``.
        """
        kit = _toolkit(self.action)
        # a JSON round trip gives the action its own copy, exactly as the webhook would
        state = json.loads(json.dumps(tracker.current_state(), ensure_ascii=False, default=str))
        sdk_tracker = kit.Tracker.from_dict(state)
        dispatcher = kit.CollectingDispatcher()
        try:
            result = self.action.run(dispatcher, sdk_tracker, domain.as_dict())
            if inspect.isawaitable(result):
                result = await result
        except kit.ActionExecutionRejection as exc:
            raise ActionRejectedError(self._name, str(exc)) from exc
        utterances = messages_to_events(dispatcher.messages, tracker, nlg)
        return [*utterances, *events_from_dicts(result or [], self._name)]


class _Toolkit:
    """The Tracker / dispatcher / rejection types matching an action's sdk."""

    def __init__(self, tracker: Any, dispatcher: Any, rejection: type[Exception]) -> None:
        self.Tracker = tracker
        self.CollectingDispatcher = dispatcher
        self.ActionExecutionRejection = rejection


def _toolkit(action: Any) -> _Toolkit:
    """rasa-sdk's own types for a ``rasa_sdk.Action``, ours otherwise.

    rasa-sdk is never imported here: an action subclassing ``rasa_sdk.Action`` means the
    package is already loaded.
    """
    rasa_sdk = sys.modules.get("rasa_sdk")
    if rasa_sdk is not None and isinstance(action, rasa_sdk.Action):
        executor = importlib.import_module("rasa_sdk.executor")
        return _Toolkit(rasa_sdk.Tracker, executor.CollectingDispatcher, rasa_sdk.ActionExecutionRejection)
    return _Toolkit(sdk.Tracker, sdk.CollectingDispatcher, sdk.ActionExecutionRejection)


def check_validation_methods(action: Any, slot_names: set[str] | list[str]) -> None:
    """Fail when a validator's ``validate_<x>`` / ``extract_<x>`` names no slot of the domain.

    rasa-sdk silently skips such methods; in wealth management a misspelt slot would skip a
    suitability check, so we refuse to start instead.

    Raises:
        ActionLookupError: a method names an unknown slot (ACT004).
    """
    known = {name.replace("-", "_") for name in slot_names}
    for attribute in dir(type(action)):
        for prefix in ("validate_", "extract_"):
            if attribute.startswith(prefix) and callable(getattr(action, attribute, None)):
                slot = attribute.removeprefix(prefix)
                if slot not in known:
                    raise ActionLookupError(
                        "ACT004",
                        f"{type(action).__name__}.{attribute} names no slot of the domain ({slot!r}); "
                        f"fix the method name or declare the slot",
                    )
