"""Errors of the action layer, each with a stable ``ACT`` code.

Hierarchy (the bases live in :mod:`dialogue.errors`)::

    ActionError
    ├── ActionLookupError             unknown action (ACT001), duplicate name (ACT002),
    │                                 not an action (ACT003), validator names no slot (ACT004)
    └── RemoteActionError
        └── ActionServerError         ``code``: unreachable (ACT010), 404 (ACT013), other
            │                         status (ACT014), unreadable answer (ACT015)
            ├── ActionRejectedError       the action refused to run (ACT012); the processor
            │                             appends ``ActionExecutionRejected``
            └── ActionServerTimeoutError  no answer in time after the request was sent (ACT011)

``ActionRejectedError`` also covers in-process actions raising rasa-sdk's
``ActionExecutionRejection``, so the processor treats both the same way.
"""

from __future__ import annotations

from dialogue.errors import ActionError, RemoteActionError

__all__ = ["ActionLookupError", "ActionRejectedError", "ActionServerError", "ActionServerTimeoutError"]


class ActionLookupError(ActionError):
    """The registry cannot provide an action; ``code`` says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class ActionServerError(RemoteActionError):
    """A remote action failed; ``code`` is the stable error code (``ACT010`` ...)."""

    rejected = False

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class ActionRejectedError(ActionServerError):
    """The action refused to run (HTTP 400 from the server, or ``ActionExecutionRejection``).

    The processor appends ``ActionExecutionRejected`` (``rejected`` is ``True``) and lets
    the policies pick another action.
    """

    rejected = True

    def __init__(self, action_name: str, message: str) -> None:
        super().__init__("ACT012", f"action {action_name!r} rejected execution: {message}")
        self.action_name = action_name


class ActionServerTimeoutError(ActionServerError):
    """The action server did not answer in time after the request was sent (not retried)."""
