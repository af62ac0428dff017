"""The interface every action implements, built-in, response, form, Python or remote."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dialogue.domain import Domain
    from dialogue.events import Event
    from dialogue.nlg import NaturalLanguageGenerator
    from dialogue.tracker import DialogueStateTracker

__all__ = ["Action"]


class Action(ABC):
    """Something the bot does: utter, set slots, call a service.

    An action never mutates the tracker; it returns the events that describe its effect
    (utterances are ``BotUttered`` events), and the processor appends them.
    """

    @abstractmethod
    def name(self) -> str:
        """The action's name as used in stories, rules and the domain."""

    @abstractmethod
    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        """Execute the action.

        Args:
            tracker: the conversation so far (read only).
            domain: the bot's domain.
            nlg: renders ``utter_*`` responses into ``BotUttered`` events.

        Returns:
            The events to append to the conversation, in order.
        """

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name()!r})"
