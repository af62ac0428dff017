"""Slot extraction and validation actions with rasa-sdk's API.

``FormValidationAction`` (named ``validate_<form>``) is the form validator: for each slot
candidate at the end of the tracker's events (see ``Tracker.slots_to_validate``) it calls
``validate_<slot>(value, dispatcher, tracker, domain) -> dict``; ``extract_<slot>`` methods fill
custom slots first. Both may be sync or async. A missing ``validate_<slot>`` keeps the value
as it is, as in rasa-sdk; the engine checks validators against the domain at startup.
"""

from __future__ import annotations

import inspect
import logging
from typing import Any

from dialogue.sdk.events import SlotSet
from dialogue.sdk.executor import CollectingDispatcher
from dialogue.sdk.interfaces import Action, Tracker
from dialogue.sdk.types import DomainDict, EventType

__all__ = ["FormValidationAction", "ValidationAction"]

logger = logging.getLogger(__name__)

REQUESTED_SLOT = "requested_slot"
VALIDATE_SLOT_MAPPINGS = "action_validate_slot_mappings"


async def _maybe_await(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


class ValidationAction(Action):
    """Extracts (``extract_<slot>``) and validates (``validate_<slot>``) global slots."""

    def name(self) -> str:
        return VALIDATE_SLOT_MAPPINGS

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Extract custom slots, then validate every slot candidate."""
        tracker.add_slots(await self.get_extraction_events(dispatcher, tracker, domain))
        return await self._validation_events(dispatcher, tracker, domain)

    async def _validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await self.get_validation_events(dispatcher, tracker, domain)
        tracker.add_slots(events)
        return events

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """The slots this action handles; override to add or drop slots dynamically."""
        return domain_slots

    def domain_slots(self, domain: DomainDict) -> list[str]:
        """Slots of the domain that no form mapping condition ties to a loop."""
        return self.global_slots(domain)

    def global_slots(self, domain: DomainDict) -> list[str]:
        """Slots whose mappings have no ``active_loop`` condition."""
        return [name for name, spec in (domain.get("slots") or {}).items() if not _is_mapped_to_form(spec)]

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """``SlotSet`` events from every ``extract_<slot>`` method of the required slots."""
        extracted: dict[str, Any] = {}
        for slot in await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain):
            method = getattr(self, f"extract_{slot.replace('-', '_')}", None)
            if method is None:
                continue
            output = await _maybe_await(method(dispatcher, tracker, domain))
            if not isinstance(output, dict):
                logger.warning("extract_%s returned %r, not a dict; ignored", slot, type(output).__name__)
                continue
            extracted.update(output)
            tracker.slots.update(output)  # later extractors see earlier results
        return [SlotSet(slot, value) for slot, value in extracted.items()]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """``SlotSet`` events for the slot candidates, passed through ``validate_<slot>``."""
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        candidates = {k: v for k, v in tracker.slots_to_validate().items() if k in required}
        for slot, value in list(candidates.items()):
            method = getattr(self, f"validate_{slot.replace('-', '_')}", None)
            if method is None:
                logger.debug("no validate_%s in %s; value kept", slot, self.name())
                continue
            output = await _maybe_await(method(value, dispatcher, tracker, domain))
            if not isinstance(output, dict):
                logger.warning("validate_%s returned %r, not a dict; ignored", slot, type(output).__name__)
                continue
            candidates.update(output)
            tracker.slots.update(output)  # later validators see earlier results
        return [SlotSet(slot, value) for slot, value in candidates.items()]


class FormValidationAction(ValidationAction):
    """Validates the slots of one form; its name must be ``validate_<form name>``."""

    def name(self) -> str:
        raise NotImplementedError("A form validation action must implement a name (validate_<form>)")

    def form_name(self) -> str:
        """The form this action validates (its name without ``validate_``)."""
        return self.name().removeprefix("validate_")

    def domain_slots(self, domain: DomainDict) -> list[str]:
        """The form's ``required_slots`` in the domain."""
        form = (domain.get("forms") or {}).get(self.form_name()) or {}
        return list(form.get("required_slots") or [])

    async def _validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super()._validation_events(dispatcher, tracker, domain)
        next_slot = await self.next_requested_slot(dispatcher, tracker, domain)
        return events + [next_slot] if next_slot else events

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> EventType | None:
        """``SlotSet("requested_slot", ...)`` when ``required_slots`` was overridden, else ``None``.

        With the domain's slot list the form itself asks for the next slot; with a custom
        list this action picks the first empty one (``None`` ends the form).
        """
        domain_slots = self.domain_slots(domain)
        required = await self.required_slots(domain_slots, dispatcher, tracker, domain)
        if required == domain_slots:
            return None
        missing = next((slot for slot in required if tracker.slots.get(slot) is None), None)
        return SlotSet(REQUESTED_SLOT, missing)


def _is_mapped_to_form(spec: dict[str, Any]) -> bool:
    """Whether any mapping of a slot is conditioned on an active loop."""
    return any(
        condition.get("active_loop")
        for mapping in spec.get("mappings") or []
        for condition in mapping.get("conditions") or []
    )
