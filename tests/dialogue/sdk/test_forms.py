"""FormValidationAction with rasa-sdk semantics, run in process by the adapter."""

from __future__ import annotations

import asyncio
from typing import Any

from dialogue import sdk
from dialogue.actions import SdkActionAdapter
from dialogue.domain import Domain
from dialogue.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from dialogue.nlg import NaturalLanguageGenerator
from dialogue.tracker import DialogueStateTracker

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
entities: [amount]
slots:
  amount: {type: float, mappings: [{type: from_entity, entity: amount}]}
  bank: {type: text, mappings: [{type: custom}]}
forms:
  transfer_form: {required_slots: [amount, bank]}
"""
)


class ValidateTransferForm(sdk.FormValidationAction):
    def name(self) -> str:
        return "validate_transfer_form"

    def extract_bank(self, dispatcher: Any, tracker: sdk.Tracker, domain: dict) -> dict:
        text = tracker.latest_message.get("text") or ""
        return {"bank": "招商银行"} if "招行" in text else {}

    async def validate_amount(self, value: Any, dispatcher: Any, tracker: sdk.Tracker, domain: dict) -> dict:
        if float(value) <= 0:
            dispatcher.utter_message(text="转账金额必须大于零。")
            return {"amount": None}
        return {"amount": float(value)}


def _tracker(text: str, amount: float) -> DialogueStateTracker:
    tracker = DialogueStateTracker("user-1", DOMAIN.slot_defaults())
    tracker.update_many(
        [
            ActionExecuted(action_name="action_listen"),
            UserUttered(text=text, parse_data={"intent": {"name": "transfer"}}),
            SlotSet(key="amount", value=amount),  # the candidate the form extracted
        ]
    )
    return tracker


def _run(tracker: DialogueStateTracker) -> list:
    nlg = NaturalLanguageGenerator(DOMAIN, deterministic=True)
    return asyncio.run(SdkActionAdapter(ValidateTransferForm()).run(tracker, DOMAIN, nlg))


def test_form_validation_rejects_invalid_amount_with_message() -> None:
    events = _run(_tracker("转负一百块", -100))
    assert [e.text for e in events if isinstance(e, BotUttered)] == ["转账金额必须大于零。"]
    assert [(e.key, e.value) for e in events if isinstance(e, SlotSet)] == [("amount", None)]


def test_form_validation_extracts_custom_slot_and_accepts_amount() -> None:
    events = _run(_tracker("从招行转五万", 50000))
    # as in rasa-sdk: extracted slots join the candidates, all of them are validated in event order
    assert [(e.key, e.value) for e in events if isinstance(e, SlotSet)] == [
        ("amount", 50000.0),
        ("bank", "招商银行"),
    ]
    assert ValidateTransferForm().form_name() == "transfer_form"
