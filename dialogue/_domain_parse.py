"""One domain file's YAML -> a ``DomainFragment`` of typed, located declarations.

Shape errors (a wrong type, an unknown key, a missing required key) are raised here with
the file and line; checks that need all files together live in ``_domain_merge.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from dialogue._domain_response import parse_responses
from dialogue._domain_slot import parse_slot
from dialogue._domain_types import EntitySpec, FormSpec, IntentSpec, SessionConfig
from dialogue._domain_yaml import (
    LineDict,
    Located,
    check_duplicate_keys,
    check_keys,
    domain_error,
    expect_list,
    expect_mapping,
    names,
    plain,
)

__all__ = ["DOMAIN_KEYS", "DomainFragment", "parse_fragment"]

logger = logging.getLogger(__name__)

DOMAIN_KEYS = (
    "version", "config", "session_config", "intents", "entities", "slots", "responses", "actions", "forms",
    "e2e_actions",
)  # fmt: skip
# keys of data and config files that may sit next to domain files in a folder: such files
# are skipped; a file with none of these and no domain key is a domain file with a typo
_OTHER_KEYS = (
    "nlu",
    "stories",
    "rules",
    "flows",
    "test_stories",
    "recipe",
    "language",
    "pipeline",
    "policies",
)


@dataclass
class DomainFragment:
    """The declarations of one file, in file order."""

    path: str
    version: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    session_config: Located | None = None
    intents: list[Located] = field(default_factory=list)
    entities: list[Located] = field(default_factory=list)
    slots: list[Located] = field(default_factory=list)
    responses: list[Located] = field(default_factory=list)
    actions: list[Located] = field(default_factory=list)
    forms: list[Located] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.intents or self.entities or self.slots or self.responses or self.actions or self.forms
        )


def parse_fragment(root: Any, path: str) -> DomainFragment | None:
    """Parse one file's content; ``None`` when it holds no domain keys (e.g. an nlu file).

    Raises:
        DomainError: the content is not a valid Rasa 3 domain.
    """
    fragment = DomainFragment(path)
    if root is None:
        return fragment
    if not isinstance(root, LineDict):
        raise domain_error("a domain file must be a mapping of sections", path, 1, "DOM002")
    if not _is_domain_file(root, path):
        return None
    check_duplicate_keys(root, path, "domain section")
    if root.get("version") is not None:
        fragment.version = str(root["version"])
        if not fragment.version.startswith("3"):
            logger.warning(
                "%s: domain version %s; this loader reads the Rasa 3 format", path, fragment.version
            )
    fragment.config = _parse_config(root.get("config"), path, root.line_of("config"))
    if root.get("session_config") is not None:
        fragment.session_config = _parse_session_config(
            root["session_config"], path, root.line_of("session_config")
        )
    fragment.intents = _parse_intents(root.get("intents"), path, root.line_of("intents"))
    fragment.entities = _parse_entities(root.get("entities"), path, root.line_of("entities"))
    fragment.slots = _parse_slots(root.get("slots"), path, root.line_of("slots"))
    fragment.responses = parse_responses(root.get("responses"), path, root.line_of("responses"))
    fragment.actions = _parse_actions(root.get("actions"), path, root.line_of("actions"))
    fragment.forms = _parse_forms(root.get("forms"), path, root.line_of("forms"))
    return fragment


def _is_domain_file(root: LineDict, path: str) -> bool:
    """False for data or config files; raises ``DOM003`` for unknown sections of a domain file."""
    if not any(key in root for key in DOMAIN_KEYS if key != "version") and any(
        key in root for key in _OTHER_KEYS
    ):
        return False
    for key in root:
        if key not in DOMAIN_KEYS and key not in _OTHER_KEYS:
            raise domain_error(
                f"unknown domain section {key!r}",
                path,
                root.line_of(key),
                "DOM003",
                hint=f"domain sections are: {', '.join(DOMAIN_KEYS)}",
            )
    return True


def _named_item(item: Any, path: str, line: int, section: str) -> tuple[str, LineDict]:
    """``- name`` or ``- name: {options}`` -> (name, options)."""
    if isinstance(item, str) and item.strip():
        options = LineDict()
        options.line = line
        return item.strip(), options
    if isinstance(item, LineDict) and len(item) == 1:
        name = next(iter(item))
        if isinstance(name, str) and name.strip():
            return name.strip(), expect_mapping(item[name], path, line, f"{section} {name}")
    raise domain_error(
        f"each entry of '{section}' must be a name or 'name: {{options}}'", path, line, "DOM004"
    )


def _parse_config(value: Any, path: str, line: int) -> dict[str, Any]:
    config = expect_mapping(value, path, line, "config")
    return {str(k): plain(v) for k, v in config.items()}


def _parse_session_config(value: Any, path: str, line: int) -> Located:
    options = expect_mapping(value, path, line, "session_config")
    allowed = ("session_expiration_time", "carry_over_slots_to_new_session")
    check_keys(options, allowed, path, "session_config", "DOM042")
    minutes = options.get("session_expiration_time", 60)
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes < 0:
        raise domain_error(
            f"session_expiration_time must be a number of minutes >= 0, not {minutes!r}",
            path,
            options.line_of("session_expiration_time"),
            "DOM042",
            hint="0 turns session expiry off",
        )
    carry = options.get("carry_over_slots_to_new_session", True)
    if not isinstance(carry, bool):
        raise domain_error(
            "carry_over_slots_to_new_session must be true or false",
            path,
            options.line_of("carry_over_slots_to_new_session"),
            "DOM042",
        )
    return Located("session_config", SessionConfig(float(minutes), carry), path, line)


def _parse_intents(value: Any, path: str, line: int) -> list[Located]:
    items = expect_list(value, path, line, "intents")
    out: list[Located] = []
    for index, item in enumerate(items):
        item_line = items.line_of(index)
        name, options = _named_item(item, path, item_line, "intents")
        allowed = ("use_entities", "ignore_entities", "is_retrieval_intent")
        check_keys(options, allowed, path, f"intent {name!r}", "DOM004")
        use: tuple[str, ...] | None = None
        raw_use = options.get("use_entities", True)
        if raw_use is False:
            use = ()
        elif raw_use is not True and raw_use is not None:
            use = names(raw_use, path, options.line_of("use_entities"), "use_entities")
        ignore: tuple[str, ...] = ()
        if options.get("ignore_entities") is not None:
            ignore = names(
                options["ignore_entities"], path, options.line_of("ignore_entities"), "ignore_entities"
            )
        out.append(Located(name, IntentSpec(name, use, ignore), path, item_line))
    return out


def _parse_entities(value: Any, path: str, line: int) -> list[Located]:
    items = expect_list(value, path, line, "entities")
    out: list[Located] = []
    for index, item in enumerate(items):
        item_line = items.line_of(index)
        name, options = _named_item(item, path, item_line, "entities")
        check_keys(options, ("roles", "groups", "influence_conversation"), path, f"entity {name!r}", "DOM004")
        roles = (
            names(options["roles"], path, options.line_of("roles"), "roles") if options.get("roles") else ()
        )
        groups = ()
        if options.get("groups"):
            groups = names(options["groups"], path, options.line_of("groups"), "groups")
        out.append(Located(name, EntitySpec(name, roles, groups), path, item_line))
    return out


def _parse_slots(value: Any, path: str, line: int) -> list[Located]:
    slots = expect_mapping(value, path, line, "slots")
    out: list[Located] = []
    for name, options in slots.items():
        slot_line = slots.line_of(name)
        if not isinstance(name, str) or not name.strip():
            raise domain_error("a slot name must be a non-empty string", path, slot_line, "DOM004")
        spec, mapping_lines = parse_slot(name, options, path, slot_line)
        out.append(Located(name, spec, path, slot_line, mapping_lines))
    return out


def _parse_actions(value: Any, path: str, line: int) -> list[Located]:
    items = expect_list(value, path, line, "actions")
    out: list[Located] = []
    for index, item in enumerate(items):
        item_line = items.line_of(index)
        name, options = _named_item(item, path, item_line, "actions")
        check_keys(options, ("send_domain",), path, f"action {name!r}", "DOM004")
        send_domain = options.get("send_domain", False)
        if not isinstance(send_domain, bool):
            raise domain_error("send_domain must be true or false", path, item_line, "DOM004")
        out.append(Located(name, send_domain, path, item_line))
    return out


def _parse_forms(value: Any, path: str, line: int) -> list[Located]:
    forms = expect_mapping(value, path, line, "forms")
    out: list[Located] = []
    for name, raw in forms.items():
        form_line = forms.line_of(name)
        options = expect_mapping(raw, path, form_line, f"form {name}")
        check_keys(options, ("required_slots", "ignored_intents"), path, f"form {name!r}", "DOM031")
        required = options.get("required_slots")
        if isinstance(required, LineDict):
            raise domain_error(
                f"form {name!r}: required_slots is a mapping (the Rasa 2 format)",
                path,
                options.line_of("required_slots"),
                "DOM031",
                hint="in Rasa 3 list the slot names under required_slots and move the "
                "mappings to each slot's 'mappings' under 'slots:'",
            )
        required_list = expect_list(required, path, options.line_of("required_slots"), "required_slots")
        if not all(isinstance(s, str) for s in required_list):
            raise domain_error(
                f"form {name!r}: required_slots must be slot names", path, required_list.line, "DOM031"
            )
        ignored: tuple[str, ...] = ()
        if options.get("ignored_intents") is not None:
            ignored = names(
                options["ignored_intents"], path, options.line_of("ignored_intents"), "ignored_intents"
            )
        spec = FormSpec(name, list(required_list), list(ignored))
        out.append(Located(name, spec, path, form_line, tuple(required_list.item_lines)))
    return out
