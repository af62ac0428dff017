"""``ResponseAction``: an ``utter_*`` action that says one of the domain's responses."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from dialogue.actions.base import Action

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.events import BotUttered, Event
    from dialogue.nlg import NaturalLanguageGenerator
    from dialogue.tracker import DialogueStateTracker

__all__ = ["ResponseAction", "render"]

logger = logging.getLogger(__name__)


def render(
    nlg: NaturalLanguageGenerator | None, name: str, tracker: DialogueStateTracker
) -> BotUttered | None:
    """Render response ``name`` for the channel of the latest user message.

    Returns:
        The utterance, or ``None`` when there is no NLG or no variation fits.
    """
    if nlg is None:
        return None
    channel = tracker.latest_message.input_channel if tracker.latest_message else None
    return nlg.generate(name, tracker, channel)


class ResponseAction(Action):
    """Utters the response ``name`` (a variation chosen by the NLG)."""

    def __init__(self, name: str) -> None:
        self._name = name

    def name(self) -> str:
        return self._name

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        """One ``BotUttered``, or nothing when no variation's condition holds."""
        uttered = render(nlg, self._name, tracker)
        if uttered is None:
            logger.warning(
                "response %s has no variation for %s's state; nothing said", self._name, tracker.sender_id
            )
            return []
        return [uttered]
