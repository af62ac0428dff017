"""``ActionRegistry``: the one place that turns an action name into an ``Action``.

Lookup order for ``get(name)``:

1. actions registered with ``register`` (forms and their validators, bot-specific overrides);
2. in-process Python actions (rasa-sdk style, given to the constructor);
3. built-ins, unless the domain lists the name under ``actions`` and an action endpoint
   is configured (then the action server's version wins, as in Rasa);
4. responses of the domain (``utter_*``);
5. a ``RemoteAction`` on the action endpoint, when one is configured.

Anything else raises ``ActionLookupError`` (ACT001) naming the action.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from dialogue.actions.base import Action
from dialogue.actions.builtins import BUILTIN_ACTIONS
from dialogue.actions.errors import ActionLookupError
from dialogue.actions.remote import RemoteAction
from dialogue.actions.responses import ResponseAction
from dialogue.actions.sdk_adapter import SdkActionAdapter, check_validation_methods

if TYPE_CHECKING:
    from dialogue.domain import Domain

__all__ = ["ActionRegistry"]

_VALIDATOR_NAMES = ("validate_", "action_validate_slot_mappings")


class ActionRegistry:
    """Finds the action for a name (see the module docstring for the order).

    Args:
        domain: the bot's domain (responses, custom action names, slots).
        python_actions: in-process actions: ``dialogue.sdk`` / ``rasa_sdk`` action classes or
            instances, or engine ``Action`` instances. Validators (``validate_<form>``) are
            checked against the domain's slots here, at startup.
        action_endpoint: the action server's webhook URL (Rasa's ``action_endpoint``).
        timeout: seconds a remote action may take.
        retries: extra attempts for a remote call that could not be sent.

    Raises:
        ActionLookupError: two actions share a name (ACT002), an entry is not an action
            (ACT003), or a validator method names no slot (ACT004).
    """

    def __init__(
        self,
        domain: Domain,
        python_actions: Iterable[Any] = (),
        action_endpoint: str | None = None,
        timeout: float = 5.0,
        retries: int = 2,
    ) -> None:
        self.domain = domain
        self.action_endpoint = action_endpoint
        self.timeout = timeout
        self.retries = retries
        self._registered: dict[str, Action] = {}
        self._python: dict[str, Action] = {}
        self._remote: dict[str, RemoteAction] = {}
        for entry in python_actions:
            action = _as_action(entry)
            self._add(self._python, action.name(), action)
            if action.name().startswith(_VALIDATOR_NAMES):
                check_validation_methods(getattr(action, "action", action), list(domain.slots))

    def register(self, name: str, action: Action) -> None:
        """Add an action under ``name`` (the hook for forms, validators and overrides).

        Raises:
            ActionLookupError: another action already has this name (ACT002).
        """
        if self._python.get(name) is not None:
            raise _duplicate(name)
        self._add(self._registered, name, action)

    def get(self, name: str, domain: Domain | None = None) -> Action:
        """The action called ``name``.

        Args:
            name: the action name.
            domain: the domain to look responses up in (the registry's by default).

        Raises:
            ActionLookupError: no such action and no action endpoint (ACT001).
        """
        domain = domain or self.domain
        found = self._registered.get(name) or self._python.get(name)
        if found is not None:
            return found
        remote_override = self.action_endpoint is not None and name in domain.actions
        if name in BUILTIN_ACTIONS and not remote_override:
            return BUILTIN_ACTIONS[name]
        if name in domain.responses:
            return ResponseAction(name)
        if self.action_endpoint is not None:
            return self._remote_action(name)
        raise ActionLookupError(
            "ACT001",
            f"no action named {name!r}: it is not a built-in, a response of the domain, a registered "
            f"form or validator, nor an in-process Python action, and no action endpoint is configured "
            f"(pass action_endpoint to call a rasa-sdk action server)",
        )

    def names(self) -> list[str]:
        """Every name the registry resolves without the action server."""
        local = [*self._registered, *self._python, *BUILTIN_ACTIONS, *self.domain.responses]
        return list(dict.fromkeys(local))

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self.names() or self.action_endpoint is not None)

    def _remote_action(self, name: str) -> RemoteAction:
        if name not in self._remote:
            assert self.action_endpoint is not None
            self._remote[name] = RemoteAction(name, self.action_endpoint, self.timeout, self.retries)
        return self._remote[name]

    @staticmethod
    def _add(table: dict[str, Action], name: str, action: Action) -> None:
        existing = table.get(name)
        if existing is not None and existing is not action:
            raise _duplicate(name)
        table[name] = action


def _duplicate(name: str) -> ActionLookupError:
    return ActionLookupError("ACT002", f"two actions are named {name!r}; action names must be unique")


def _as_action(entry: Any) -> Action:
    """An engine ``Action`` for a python-actions entry (class or instance, ours or sdk-style)."""
    instance = entry() if isinstance(entry, type) else entry
    if isinstance(instance, Action):
        return instance
    return SdkActionAdapter(instance)
