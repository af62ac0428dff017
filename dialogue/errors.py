"""Errors raised by the dialogue engine.

Hierarchy::

    DialogueError
    ├── UnknownEventError     an event dict whose "event" names no known event
    ├── DomainError           invalid domain.yml (a TrainingDataError too: file:line, code, hint)
    ├── StoryError            invalid stories/rules/flows/test stories (file:line)
    ├── ActionError           an action failed or cannot be found
    │   └── RemoteActionError the action server rejected, timed out or answered badly
    └── StoreError            the tracker or lock store failed
"""

from __future__ import annotations

from nlu.errors import TrainingDataError

__all__ = [
    "ActionError",
    "DialogueError",
    "DomainError",
    "RemoteActionError",
    "StoreError",
    "StoryError",
    "UnknownEventError",
]


class DialogueError(Exception):
    """Base class of every error the dialogue engine raises on purpose."""


class UnknownEventError(DialogueError, ValueError):
    """An event dict names an event type we do not know."""


class DomainError(DialogueError, TrainingDataError):
    """Invalid ``domain.yml`` content, located in its file."""


class StoryError(DialogueError, TrainingDataError):
    """Invalid stories, rules, flows or test stories, located in their file."""


class ActionError(DialogueError):
    """An action could not be found or failed."""


class RemoteActionError(ActionError):
    """The remote action server rejected the call, timed out or answered badly."""


class StoreError(DialogueError):
    """A tracker or lock store failed."""
