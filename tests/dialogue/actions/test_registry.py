from __future__ import annotations

from typing import Any

import pytest

from dialogue import sdk
from dialogue.actions import (
    ActionLookupError,
    ActionRegistry,
    ClarifyAction,
    RemoteAction,
    ResponseAction,
    SdkActionAdapter,
)


class ActionCheckBalance(sdk.Action):
    def name(self) -> str:
        return "action_check_balance"

    def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list:
        return []


class ValidateRedeemForm(sdk.FormValidationAction):
    def name(self) -> str:
        return "validate_redeem_form"

    def validate_amount(self, value: Any, dispatcher: Any, tracker: Any, domain: Any) -> dict:
        return {"amount": value}


def test_registry_resolves_builtins_responses_and_python_actions(domain) -> None:
    registry = ActionRegistry(domain, [ActionCheckBalance])
    assert isinstance(registry.get("action_clarify"), ClarifyAction)
    assert isinstance(registry.get("utter_greet"), ResponseAction)
    found = registry.get("action_check_balance")
    assert isinstance(found, SdkActionAdapter) and found.name() == "action_check_balance"


def test_registry_unknown_action_without_endpoint_names_it(domain) -> None:
    with pytest.raises(ActionLookupError, match="ACT001.*action_check_balance"):
        ActionRegistry(domain).get("action_check_balance")


def test_registry_falls_back_to_remote_action(domain) -> None:
    registry = ActionRegistry(domain, action_endpoint="http://127.0.0.1:5055/webhook")
    action = registry.get("action_check_balance")
    assert isinstance(action, RemoteAction) and action.url.endswith("/webhook")
    assert registry.get("action_check_balance") is action


def test_registry_register_hook_wins_and_rejects_duplicates(domain) -> None:
    registry = ActionRegistry(domain, [ActionCheckBalance()])
    form = ResponseAction("redeem_form")
    registry.register("redeem_form", form)
    assert registry.get("redeem_form") is form
    with pytest.raises(ActionLookupError, match="ACT002"):
        registry.register("redeem_form", ResponseAction("redeem_form"))
    with pytest.raises(ActionLookupError, match="ACT002"):
        registry.register("action_check_balance", ResponseAction("x"))


def test_registry_rejects_duplicate_python_actions(domain) -> None:
    with pytest.raises(ActionLookupError, match="ACT002"):
        ActionRegistry(domain, [ActionCheckBalance, ActionCheckBalance()])


def test_registry_checks_validator_methods_against_slots(domain) -> None:
    ActionRegistry(domain, [ValidateRedeemForm])  # validate_amount: a known slot

    class Misspelt(ValidateRedeemForm):
        def validate_amout(self, value: Any, dispatcher: Any, tracker: Any, domain: Any) -> dict:
            return {"amout": value}

    with pytest.raises(ActionLookupError, match="ACT004.*validate_amout"):
        ActionRegistry(domain, [Misspelt])


def test_registry_endpoint_overrides_builtin_listed_in_domain_actions() -> None:
    from dialogue.domain import Domain

    domain = Domain.from_yaml("version: '3.1'\nactions: [action_session_start]\n")
    assert isinstance(
        ActionRegistry(domain, action_endpoint="http://x/webhook").get("action_session_start"), RemoteAction
    )
    assert not isinstance(ActionRegistry(domain).get("action_session_start"), RemoteAction)
