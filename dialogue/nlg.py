"""Response templates -> bot utterances: variation choice by condition and channel, slot filling.

Choice follows Rasa's templated NLG: among a response's variations, those with a
``condition`` that holds against the tracker's slots win over those without one; within
the winning group, variations for the output channel win over channel-less ones. One of
the remaining variations is drawn at random (a seeded ``random.Random`` per generator,
or always the first with ``deterministic=True``).

``{name}`` placeholders in text, buttons, image, custom and the other payloads are filled
from the tracker's slots, then ``**kwargs`` (which win). A placeholder with no value
(absent, or a slot still ``None``) stays as written and is logged; braces that are no
``{identifier}`` (JSON, ``{1}``, ``{{escaped}}``) are never touched.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from dialogue.events import BotUttered

if TYPE_CHECKING:
    from dialogue.domain import Domain, ResponseVariation
    from dialogue.tracker import DialogueStateTracker

__all__ = ["NaturalLanguageGenerator", "fill_placeholders"]

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
_LIST_SEPARATOR = "、"


class NaturalLanguageGenerator:
    """Turns a response name into a ``BotUttered`` event using the domain's templates.

    Args:
        domain: the domain whose ``responses`` are the templates.
        seed: seed of this generator's random choice among eligible variations.
        deterministic: always take the first eligible variation (tests, audits).
    """

    def __init__(self, domain: Domain, seed: int | None = None, deterministic: bool = False) -> None:
        self.domain = domain
        self.deterministic = deterministic
        self._random = random.Random(seed)

    def generate(
        self,
        response_name: str,
        tracker: DialogueStateTracker | None,
        channel: str | None = None,
        **kwargs: Any,
    ) -> BotUttered | None:
        """The utterance for ``response_name``, or ``None`` if the domain has no such response.

        Args:
            response_name: a key of the domain's ``responses`` (``utter_greet``).
            tracker: the conversation whose slots decide conditions and fill placeholders.
            channel: the output channel name (``"wechat"``), to prefer its variations.
            **kwargs: extra placeholder values; they win over slots of the same name.

        Returns:
            A ``BotUttered`` whose ``data`` holds ``buttons``, ``image``, ``custom`` and
            ``template_name``, or ``None`` when no response or no variation fits.
        """
        variations = self.eligible_variations(response_name, tracker, channel)
        if not variations:
            if response_name in self.domain.responses:
                logger.warning("response %r has no variation for channel %r", response_name, channel)
            return None
        variation = variations[0] if self.deterministic else self._random.choice(variations)
        values: dict[str, Any] = dict(tracker.slots) if tracker is not None else {}
        values.update(kwargs)
        return _utterance(response_name, variation, values)

    def eligible_variations(
        self, response_name: str, tracker: DialogueStateTracker | None, channel: str | None = None
    ) -> list[ResponseVariation]:
        """The variations ``generate`` would choose among, in domain order."""
        variations = self.domain.responses.get(response_name)
        if not variations:
            return []
        slots: Mapping[str, Any] = tracker.slots if tracker is not None else {}
        conditional = [v for v in variations if v.condition and _conditions_hold(v.condition, slots)]
        plain = [v for v in variations if not v.condition]
        for group in (conditional, plain):
            chosen = _for_channel(group, channel)
            if chosen:
                return chosen
        return []


def _conditions_hold(conditions: list[dict[str, Any]], slots: Mapping[str, Any]) -> bool:
    """All conditions hold; strings compare case-insensitively, as in Rasa."""
    for condition in conditions:
        actual, expected = slots.get(condition["name"]), condition.get("value")
        if isinstance(actual, str) and isinstance(expected, str):
            if actual.casefold() != expected.casefold():
                return False
        elif actual != expected:
            return False
    return True


def _for_channel(variations: list[ResponseVariation], channel: str | None) -> list[ResponseVariation]:
    """Variations for ``channel`` if any, else the channel-less ones."""
    if channel is not None:
        specific = [v for v in variations if v.channel == channel]
        if specific:
            return specific
    return [v for v in variations if v.channel is None]


def _utterance(name: str, variation: ResponseVariation, values: Mapping[str, Any]) -> BotUttered:
    missing: set[str] = set()
    text = None if variation.text is None else fill_placeholders(variation.text, values, missing)
    data: dict[str, Any] = {
        "buttons": fill_placeholders(variation.buttons, values, missing) if variation.buttons else None,
        "image": fill_placeholders(variation.image, values, missing),
        "custom": fill_placeholders(variation.custom, values, missing),
        "template_name": name,
    }
    for key, value in variation.extras.items():
        data[key] = fill_placeholders(value, values, missing)
    if missing:
        logger.warning("response %r: no value for placeholder(s) %s", name, ", ".join(sorted(missing)))
    metadata = {**variation.metadata, "utter_action": name}
    if variation.id is not None:
        metadata["id"] = variation.id
    return BotUttered(text=text, data=data, metadata=metadata)


def fill_placeholders(template: Any, values: Mapping[str, Any], missing: set[str] | None = None) -> Any:
    """``template`` with every ``{name}`` found in ``values`` replaced, recursively.

    Strings, and strings inside lists and dicts, are filled; other values are returned as
    they are (copied containers, so the domain's templates are never shared). Names with
    no value (absent or ``None``) are left as written and added to ``missing``.
    """
    if isinstance(template, str):
        return _PLACEHOLDER.sub(lambda match: _value_text(match, values, missing), template)
    if isinstance(template, list):
        return [fill_placeholders(item, values, missing) for item in template]
    if isinstance(template, dict):
        return {key: fill_placeholders(item, values, missing) for key, item in template.items()}
    return template


def _value_text(match: re.Match[str], values: Mapping[str, Any], missing: set[str] | None) -> str:
    name = match.group(1)
    value = values.get(name)
    if value is None:
        if missing is not None:
            missing.add(name)
        return match.group(0)
    if isinstance(value, list | tuple):
        # 列表槽位用顿号连接："货币基金、债券基金"
        return _LIST_SEPARATOR.join(str(item) for item in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # float slots hold amounts: "50000", not "50000.0"
    return str(value)
