"""Forms (slot filling, Rasa 3 semantics) and slot extraction from the domain's slot mappings.

A form is an action named like the form. Run on a user message it:

1. activates the loop (``ActiveLoop(name)``) if it is not active yet;
2. cancels it (``ActiveLoop(None)``, plus ``utter_cancel_<form>`` if the domain has it) when
   the message's intent is a cancel intent and the message fills none of the form's slots
   ("算了不买了"; "不对，是三万" carries an amount, so it is a correction, not a cancel); any
   other message that fills no slot is a digression: the form rejects it
   (``ActionRejectedError``) so rules can answer, then ``FormPolicy`` resumes the form;
3. extracts the form's slots from the message (``extract_slots``): a new value overwrites an
   already filled slot, which is how corrections work;
4. validates them with the form's validator (``validate_<form>`` in the registry given to the
   form, a ``FormValidator`` with ``validate_<slot>`` methods); a value rejected (``None``) resets
   the slot and utters ``utter_invalid_<slot>`` if the domain has that response;
5. asks for the next empty required slot (``requested_slot`` + ``utter_ask_<form>_<slot>`` or
   ``utter_ask_<slot>``), or, when all are filled, ends the loop (``ActiveLoop(None)``).

Startup checks (``check_validators``, ``FormAction.check``) raise ``DomainError`` with a code:
FLW101 a ``validate_<slot>`` method for an undeclared slot, FLW102 a validator registered for no
form, FLW103 a validator for a slot the form does not ask for, FLW104 a validator that is not a
``FormValidator``, FLW105 an unknown form, FLW106 a required slot without ask response, FLW107 a
required slot the domain does not declare.

Deviation from Rasa 3, on purpose: inside a form, ``from_text`` and ``from_intent`` mappings of
the form's required slots fill only the requested slot, so "是的" said while the form asks for
a product never pre-fills a confirmation slot.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from dialogue.actions.base import Action
from dialogue.actions.errors import ActionRejectedError
from dialogue.errors import ActionError, DomainError
from dialogue.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from dialogue.tracker import ACTION_LISTEN, DialogueStateTracker

if TYPE_CHECKING:
    from dialogue.domain import Domain, SlotMapping
    from dialogue.nlg import NaturalLanguageGenerator

__all__ = [
    "DEFAULT_CANCEL_INTENTS",
    "REQUESTED_SLOT",
    "FormAction",
    "FormValidator",
    "ask_response_name",
    "check_validators",
    "extract_slots",
]

REQUESTED_SLOT = "requested_slot"
DEFAULT_CANCEL_INTENTS = ("deny", "stop", "cancel")
_VALIDATE_PREFIX = "validate_"

SlotValidator = Callable[[Any, DialogueStateTracker, "Domain"], Any]


def extract_slots(
    tracker: DialogueStateTracker,
    domain: Domain,
    form_name: str | None = None,
    *,
    requested_slot: str | None = None,
    slot_names: Iterable[str] | None = None,
) -> list[SlotSet]:
    """Slot values the latest user message gives through the domain's slot mappings.

    Args:
        tracker: the conversation; its latest user message is read.
        domain: the domain whose slot mappings apply.
        form_name: the form being run (its required slots only; ``from_trigger_intent`` applies
            while it is activated); ``None`` extracts every slot for the active loop, if any.
        requested_slot: the slot being asked for (default: the tracker's ``requested_slot`` while a
            loop is active); only it may be filled by ``from_text``.
        slot_names: restrict extraction to these slots.

    Returns:
        One ``SlotSet`` per slot the message fills (the first mapping that gives a value wins),
        in domain order. ``from_entity`` matches role and group exactly, as Rasa does (a mapping
        without ``role`` ignores entities that carry one); several values: a list slot takes
        them all, other slots the last one.
    """
    message = tracker.latest_message
    if message is None:
        return []
    activating = form_name is not None and tracker.active_loop_name != form_name
    loop = form_name if form_name is not None else tracker.active_loop_name
    if requested_slot is None and loop is not None and not activating:
        requested_slot = tracker.get_slot(REQUESTED_SLOT)
    form = domain.forms.get(loop) if loop is not None else None
    loop_slots = set(form.required_slots) if form is not None else set()
    if slot_names is not None:
        candidates = [name for name in slot_names if name in domain.slots]
    elif form_name is not None:
        candidates = [name for name in (form.required_slots if form else []) if name in domain.slots]
    else:
        candidates = list(domain.slots)
    ignored = set(form.ignored_intents) if form is not None else set()
    context = _Context(message, loop, requested_slot, activating)
    events: list[SlotSet] = []
    for name in candidates:
        if name in loop_slots and message.intent_name in ignored:
            continue
        for mapping in domain.slots[name].mappings:
            found, value = _mapping_value(mapping, name, name in loop_slots, context, _is_list(domain, name))
            if found:
                events.append(SlotSet(name, value))
                break
    return events


class _Context:
    """What a mapping needs to know about the message and the loop."""

    def __init__(
        self, message: UserUttered, loop: str | None, requested: str | None, activating: bool
    ) -> None:
        self.message = message
        self.intent = message.intent_name
        self.loop = loop
        self.requested = requested
        self.activating = activating


def _is_list(domain: Domain, slot: str) -> bool:
    return str(getattr(domain.slots[slot].type, "value", "")) == "list"


def _mapping_value(
    mapping: SlotMapping, slot: str, in_loop: bool, ctx: _Context, is_list: bool
) -> tuple[bool, Any]:
    """``(True, value)`` when ``mapping`` fills ``slot`` from the message, else ``(False, None)``."""
    kind = str(getattr(mapping.type, "value", mapping.type))
    if not _conditions_hold(mapping, ctx) or not _intent_allowed(mapping, ctx.intent):
        return False, None
    if kind == "from_entity":
        values = [
            entity.get("value")
            for entity in ctx.message.entities
            if entity.get("entity") == mapping.entity
            and entity.get("role") == mapping.role
            and entity.get("group") == mapping.group
        ]
        if not values:
            return False, None
        return True, values if is_list else values[-1]  # the last one: "不是五万，是三万" -> 三万
    if kind == "from_text":
        if slot != ctx.requested or ctx.message.text is None:
            return False, None
        return True, ctx.message.text
    if kind == "from_intent":
        if in_loop and slot != ctx.requested:
            return False, None
        return True, mapping.value
    if kind == "from_trigger_intent":
        return (True, mapping.value) if ctx.activating and in_loop else (False, None)
    return False, None  # custom: filled by an action


def _conditions_hold(mapping: SlotMapping, ctx: _Context) -> bool:
    if not mapping.conditions:
        return True
    return any(
        cond.active_loop == ctx.loop and (cond.requested_slot is None or cond.requested_slot == ctx.requested)
        for cond in mapping.conditions
    )


def _intent_allowed(mapping: SlotMapping, intent: str | None) -> bool:
    if mapping.intent and intent not in mapping.intent:
        return False
    return not (mapping.not_intent and intent in mapping.not_intent)


class FormValidator:
    """Base class of form validators, registered as ``validate_<form_name>``.

    Define one method per slot, ``validate_<slot>(value, tracker, domain)``, sync or async,
    returning the slots to set: ``{"amount": 50000.0}`` to accept, ``{"amount": None}`` to reject
    (the form re-asks). ``check_validators`` fails at startup on a method for an unknown slot.
    """

    def slot_validators(self) -> dict[str, SlotValidator]:
        """The ``validate_<slot>`` methods, by slot name."""
        found: dict[str, SlotValidator] = {}
        for attribute in dir(type(self)):
            if attribute.startswith(_VALIDATE_PREFIX) and callable(getattr(self, attribute)):
                found[attribute.removeprefix(_VALIDATE_PREFIX)] = getattr(self, attribute)
        return found


def _as_validator(entry: Any) -> FormValidator:
    validator = entry() if isinstance(entry, type) else entry
    if not isinstance(validator, FormValidator):
        raise DomainError(
            f"validator {entry!r} is not a FormValidator",
            code="FLW104",
            hint="subclass dialogue.forms.FormValidator and define validate_<slot> methods",
        )
    return validator


def check_validators(validators: Mapping[str, Any], domain: Domain) -> None:
    """Check a validator registry against the domain, at startup.

    Args:
        validators: ``validate_<form_name>`` -> ``FormValidator`` (class or instance).
        domain: the bot's domain.

    Raises:
        DomainError: a validator for an unknown form (FLW102), or a ``validate_<slot>`` method for
            a slot the domain does not declare (FLW101) or the form does not require (FLW103).
    """
    for key, entry in validators.items():
        form_name = key.removeprefix(_VALIDATE_PREFIX)
        form = domain.forms.get(form_name)
        if not key.startswith(_VALIDATE_PREFIX) or form is None:
            raise DomainError(
                f"validator {key!r} names no form of the domain",
                code="FLW102",
                hint=f"register it as validate_<form>; forms: {sorted(domain.forms)}",
            )
        for slot in _as_validator(entry).slot_validators():
            if slot not in domain.slots:
                raise DomainError(
                    f"{key}.validate_{slot} validates unknown slot {slot!r}",
                    code="FLW101",
                    hint="fix the method name or declare the slot under 'slots' in domain.yml",
                )
            if slot not in form.required_slots:
                raise DomainError(
                    f"{key}.validate_{slot} validates {slot!r}, which form {form_name!r} does not ask for",
                    code="FLW103",
                    hint=f"required slots: {form.required_slots}",
                )


def ask_response_name(domain: Domain, form_name: str, slot: str) -> str | None:
    """``utter_ask_<form>_<slot>`` or ``utter_ask_<slot>``, whichever the domain has first."""
    for name in (f"utter_ask_{form_name}_{slot}", f"utter_ask_{slot}"):
        if name in domain.responses:
            return name
    return None


class FormAction(Action):
    """The action that runs a form of the domain (see the module docstring).

    Args:
        form_name: the form (and action) name.
        validators: registry of ``validate_<form_name>`` -> ``FormValidator``; other entries are ignored.
        cancel_intents: intents that cancel the form when the message fills none of its slots.
        reject_unfilled: raise ``ActionRejectedError`` when a new message to the active form fills
            none of its slots (and is no cancel), as Rasa does: the processor appends
            ``ActionExecutionRejected``, rules for the digression answer, and ``FormPolicy``
            resumes the form, which asks again. ``False``: the form just asks again.
        validation_action: a ``validate_<form>`` action (rasa-sdk ``FormValidationAction`` run
            in process, or a remote one), run as Rasa runs it: after extraction, on a tracker
            ending with the candidate ``SlotSet`` events; its ``SlotSet`` events are the
            validated values (``None`` rejects) and its messages are sent.
    """

    def __init__(
        self,
        form_name: str,
        validators: Mapping[str, Any] | None = None,
        cancel_intents: Iterable[str] = DEFAULT_CANCEL_INTENTS,
        reject_unfilled: bool = True,
        validation_action: Action | None = None,
    ) -> None:
        self._form_name = form_name
        self._validation_action = validation_action
        entry = (validators or {}).get(_VALIDATE_PREFIX + form_name)
        self._validators = _as_validator(entry).slot_validators() if entry is not None else {}
        self._validator_entry = entry
        self._cancel_intents = frozenset(cancel_intents)
        self._reject_unfilled = reject_unfilled

    def name(self) -> str:
        return self._form_name

    def check(self, domain: Domain) -> None:
        """Startup check: the form exists, its slots are declared and each has an ask response.

        Raises:
            DomainError: the first problem found (codes in the module docstring).
        """
        form = domain.forms.get(self._form_name)
        if form is None:
            raise DomainError(f"form {self._form_name!r} is not in the domain", code="FLW105")
        for slot in form.required_slots:
            if slot not in domain.slots:
                raise DomainError(f"form {form.name!r} requires undeclared slot {slot!r}", code="FLW107")
            if ask_response_name(domain, form.name, slot) is None:
                raise DomainError(
                    f"form {form.name!r} has no response to ask for {slot!r}",
                    code="FLW106",
                    hint=f"add utter_ask_{slot} (or utter_ask_{form.name}_{slot}) to 'responses'",
                )
        if self._validator_entry is not None:
            check_validators({_VALIDATE_PREFIX + self._form_name: self._validator_entry}, domain)

    async def run(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        """Activate, cancel, extract and validate, then ask for the next slot or finish."""
        form = domain.forms.get(self._form_name)
        if form is None:
            raise ActionError(f"form {self._form_name!r} is not in the domain")
        activating = tracker.active_loop_name != self._form_name
        events: list[Event] = [ActiveLoop(self._form_name)] if activating else []
        extracted = extract_slots(tracker, domain, self._form_name)
        if not activating and not extracted and _is_fresh(tracker):
            if _intent(tracker) in self._cancel_intents:
                return await self._cancel(tracker, domain, nlg)
            if self._reject_unfilled:
                raise ActionRejectedError(self._form_name, "the message fills none of the form's slots")
        values = {event.key: event.value for event in extracted}
        accepted, rejected = await self._validate(values, tracker, domain)
        candidates = {slot: value for slot, value in accepted.items() if value is not None}
        if self._validation_action is not None and candidates:
            validated, more_rejected, said = await self._run_validation_action(
                candidates, tracker, domain, nlg
            )
            accepted = {slot: value for slot, value in accepted.items() if value is None} | validated
            rejected += more_rejected
            events += said
        events += [SlotSet(slot, value) for slot, value in accepted.items()]
        for slot in rejected:
            events.append(SlotSet(slot, None))
            events += await _utter(f"utter_invalid_{slot}", tracker, events, domain, nlg)
        slots = dict(tracker.slots) | {e.key: e.value for e in events if isinstance(e, SlotSet)}
        missing = next((slot for slot in form.required_slots if slots.get(slot) is None), None)
        if missing is None:
            return [*events, ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        events.append(SlotSet(REQUESTED_SLOT, missing))
        ask = ask_response_name(domain, form.name, missing)
        if ask is None:
            raise ActionError(f"form {form.name!r} has no utter_ask_{missing} response")
        return events + await _utter(ask, tracker, events, domain, nlg)

    async def _cancel(
        self, tracker: DialogueStateTracker, domain: Domain, nlg: NaturalLanguageGenerator
    ) -> list[Event]:
        events: list[Event] = [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
        return events + await _utter(f"utter_cancel_{self._form_name}", tracker, events, domain, nlg)

    async def _validate(
        self, values: dict[str, Any], tracker: DialogueStateTracker, domain: Domain
    ) -> tuple[dict[str, Any], list[str]]:
        """``(slots to set, slots rejected)``; a validator may also set other slots."""
        accepted: dict[str, Any] = {}
        rejected: list[str] = []
        for slot, value in values.items():
            validate = self._validators.get(slot)
            if validate is None or value is None:
                accepted[slot] = value
                continue
            result = validate(value, tracker, domain)
            if inspect.isawaitable(result):
                result = await result
            if not isinstance(result, Mapping):
                raise ActionError(f"validate_{slot} of form {self._form_name!r} must return a dict of slots")
            for key, new_value in result.items():
                if key == slot and new_value is None:
                    rejected.append(slot)
                else:
                    accepted[key] = new_value
        return accepted, rejected

    async def _run_validation_action(
        self,
        values: dict[str, Any],
        tracker: DialogueStateTracker,
        domain: Domain,
        nlg: NaturalLanguageGenerator,
    ) -> tuple[dict[str, Any], list[str], list[Event]]:
        """``(slots to set, slots rejected, messages)`` from the ``validate_<form>`` action."""
        assert self._validation_action is not None
        candidates = [SlotSet(slot, value) for slot, value in values.items()]
        view = DialogueStateTracker(tracker.sender_id, tracker.initial_slots, [*tracker.events, *candidates])
        accepted, rejected, said = dict(values), [], []
        for event in await self._validation_action.run(view, domain, nlg):
            if isinstance(event, BotUttered):
                said.append(event)
            elif isinstance(event, SlotSet) and event.key in values and event.value is None:
                accepted.pop(event.key, None)
                rejected.append(event.key)
            elif isinstance(event, SlotSet):
                accepted[event.key] = event.value
        return accepted, rejected, said


def _intent(tracker: DialogueStateTracker) -> str | None:
    return tracker.latest_message.intent_name if tracker.latest_message else None


def _is_fresh(tracker: DialogueStateTracker) -> bool:
    """Whether no action but ``action_listen`` ran since the latest user message.

    A form resumed after a digression sees the digression's message, already answered by
    another action; it must not be read as a cancel.
    """
    for event in reversed(tracker.applied_events()):
        if isinstance(event, UserUttered):
            return True
        if isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN:
            return False
    return False


async def _utter(
    response: str,
    tracker: DialogueStateTracker,
    events: list[Event],
    domain: Domain,
    nlg: NaturalLanguageGenerator,
) -> list[Event]:
    """The response as a ``BotUttered``, rendered with ``events`` applied; none if the domain lacks it."""
    if response not in domain.responses:
        return []
    view = DialogueStateTracker(tracker.sender_id, tracker.initial_slots, [*tracker.events, *events])
    channel = tracker.latest_message.input_channel if tracker.latest_message else None
    uttered = nlg.generate(response, view, channel)
    if inspect.isawaitable(uttered):
        uttered = await uttered
    return [uttered] if isinstance(uttered, BotUttered) else []
