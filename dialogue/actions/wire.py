"""Turn an action's answer in rasa-sdk's wire format into engine events.

Used for both webhook answers (``RemoteAction``) and in-process rasa-sdk-style actions
(``SdkActionAdapter``): event dicts become typed events, dispatcher messages become
``BotUttered`` events (rendering ``response``/``template`` names through the NLG).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from dialogue.errors import UnknownEventError
from dialogue.events import BotUttered, Event, event_from_dict

if TYPE_CHECKING:
    from dialogue.nlg import NaturalLanguageGenerator
    from dialogue.tracker import DialogueStateTracker

__all__ = ["bot_uttered_from_message", "events_from_dicts", "messages_to_events"]

logger = logging.getLogger(__name__)

# keys of a dispatcher message that go into BotUttered.data when not empty
_DATA_KEYS = ("buttons", "image", "custom", "elements", "attachment", "quick_replies")
# keys that only describe the message, never placeholder values for a response
_MESSAGE_KEYS = frozenset({"text", "template", "response", "metadata", *_DATA_KEYS})


def events_from_dicts(dicts: Iterable[dict[str, Any]], source: str) -> list[Event]:
    """Typed events from Rasa event dicts; unknown event types are skipped with a warning.

    Args:
        dicts: event dicts as rasa-sdk builds them.
        source: the action name, for the log.

    Returns:
        The events, in order.
    """
    events: list[Event] = []
    for data in dicts:
        if not isinstance(data, dict):
            logger.warning("action %s returned %r instead of an event dict; skipped", source, data)
            continue
        data = _from_sdk_shape(data)
        try:
            events.append(event_from_dict(data))
        except UnknownEventError:
            # Rasa skips events it does not know (e.g. "agent", "export"); so do we
            logger.warning("action %s returned unknown event %r; skipped", source, data.get("event"))
    return events


def _from_sdk_shape(data: dict[str, Any]) -> dict[str, Any]:
    """Rename the few keys where rasa-sdk's JSON differs from our event fields."""
    if data.get("event") == "reminder" and "date_time" in data:
        data = {**data, "trigger_date_time": data["date_time"]}
    return data


def messages_to_events(
    messages: Iterable[dict[str, Any]],
    tracker: DialogueStateTracker,
    nlg: NaturalLanguageGenerator | None,
) -> list[BotUttered]:
    """``BotUttered`` events for dispatcher messages (``responses`` of a webhook answer)."""
    utterances: list[BotUttered] = []
    for message in messages:
        uttered = bot_uttered_from_message(message, tracker, nlg)
        if uttered is not None:
            utterances.append(uttered)
    return utterances


def bot_uttered_from_message(
    message: dict[str, Any], tracker: DialogueStateTracker, nlg: NaturalLanguageGenerator | None
) -> BotUttered | None:
    """One dispatcher message as a ``BotUttered`` event.

    A message naming a domain response (``response`` or the old ``template``) is rendered
    by the NLG, with the message's extra keys as placeholder values; its own text, buttons
    and so on override the rendered ones. Returns ``None`` for an empty message.
    """
    name = message.get("response") or message.get("template")
    rendered: BotUttered | None = None
    if name and nlg is not None:
        extra = {k: v for k, v in message.items() if k not in _MESSAGE_KEYS}
        channel = tracker.latest_message.input_channel if tracker.latest_message else None
        rendered = nlg.generate(str(name), tracker, channel, **extra)
        if rendered is None:
            logger.warning("response %s named by an action is not in the domain", name)
    data = dict(rendered.data) if rendered else {}
    data.update({key: message[key] for key in _DATA_KEYS if message.get(key)})
    text = message.get("text") or (rendered.text if rendered else None)
    if not text and not any(data.get(key) for key in _DATA_KEYS):
        return None
    metadata = dict(rendered.metadata) if rendered else {}
    metadata.update(message.get("metadata") or {})
    return BotUttered(text=text, data=data, metadata=metadata)
