"""Parsing one ``slots:`` entry of a domain file: type, options, initial value, mappings."""

from __future__ import annotations

from typing import Any

from dialogue._domain_types import MappingCondition, MappingType, SlotMapping, SlotSpec, SlotType
from dialogue._domain_yaml import (
    LineDict,
    check_keys,
    domain_error,
    expect_list,
    expect_mapping,
    names,
    plain,
)

__all__ = ["parse_slot"]

_SLOT_KEYS = (
    "type",
    "values",
    "influence_conversation",
    "initial_value",
    "mappings",
    "min_value",
    "max_value",
)
_MAPPING_KEYS = ("type", "entity", "role", "group", "intent", "not_intent", "value", "conditions", "action")
_TYPE_HINTS = {
    "unfeaturized": "Rasa 3 dropped 'unfeaturized': use 'type: any' (or influence_conversation: false)",
    "str": "write 'type: text'",
    "string": "write 'type: text'",
    "boolean": "write 'type: bool'",
    "int": "write 'type: float'",
    "number": "write 'type: float'",
}


def parse_slot(name: str, raw: Any, path: str, line: int) -> tuple[SlotSpec, tuple[int, ...]]:
    """One slot's spec and the lines of its mappings.

    Raises:
        DomainError: unknown type (``DOM010``), categorical without values (``DOM011``),
            a bad option or initial value (``DOM012``), a bad mapping (``DOM013``).
    """
    options = expect_mapping(raw, path, line, f"slot {name}")
    check_keys(options, _SLOT_KEYS, path, f"slot {name!r}", "DOM012")
    slot_type = _slot_type(name, options, path, line)
    values = _categorical_values(name, slot_type, options, path, line)
    low, high = _float_range(name, slot_type, options, path)
    influence = options.get("influence_conversation", slot_type is not SlotType.ANY)
    if not isinstance(influence, bool):
        raise domain_error(
            f"slot {name!r}: influence_conversation must be true or false",
            path,
            options.line_of("influence_conversation"),
            "DOM012",
        )
    if slot_type is SlotType.ANY and influence:
        raise domain_error(
            f"slot {name!r} of type any cannot influence the conversation",
            path,
            options.line_of("influence_conversation"),
            "DOM012",
            hint="set influence_conversation: false or choose a featurizable type",
        )
    initial = plain(options.get("initial_value"))
    _check_initial_value(name, slot_type, values, initial, path, options.line_of("initial_value"))
    mappings_raw = expect_list(options.get("mappings"), path, options.line_of("mappings"), "mappings")
    mappings = [
        _parse_mapping(name, item, path, mappings_raw.line_of(i)) for i, item in enumerate(mappings_raw)
    ]
    spec = SlotSpec(name, slot_type, values, influence, initial, mappings, low, high)
    return spec, tuple(mappings_raw.item_lines)


def _slot_type(name: str, options: LineDict, path: str, line: int) -> SlotType:
    raw = options.get("type")
    if raw is None:
        raise domain_error(
            f"slot {name!r} has no type", path, line, "DOM010", hint="add 'type: text' (or bool, float, ...)"
        )
    known = ", ".join(t.value for t in SlotType)
    try:
        return SlotType(str(raw).strip().lower())
    except ValueError:
        hint = _TYPE_HINTS.get(str(raw).strip().lower(), f"slot types are: {known}")
        raise domain_error(
            f"slot {name!r} has unknown type {raw!r}", path, options.line_of("type"), "DOM010", hint=hint
        ) from None


def _categorical_values(name: str, slot_type: SlotType, options: LineDict, path: str, line: int) -> list[Any]:
    raw = options.get("values")
    if slot_type is not SlotType.CATEGORICAL:
        if raw is not None:
            raise domain_error(
                f"slot {name!r}: 'values' is only for categorical slots",
                path,
                options.line_of("values"),
                "DOM012",
            )
        return []
    if not isinstance(raw, list) or not raw:
        raise domain_error(
            f"categorical slot {name!r} has no values",
            path,
            options.line_of("values") if "values" in options else line,
            "DOM011",
            hint="list the allowed values under 'values:'",
        )
    if not all(isinstance(v, str | int | float | bool) for v in raw):
        raise domain_error(f"slot {name!r}: values must be plain values", path, raw.line, "DOM011")
    return list(raw)


def _float_range(name: str, slot_type: SlotType, options: LineDict, path: str) -> tuple[float, float]:
    bounds: list[float] = []
    for key, default in (("min_value", 0.0), ("max_value", 1.0)):
        raw = options.get(key, default)
        if key in options and slot_type is not SlotType.FLOAT:
            raise domain_error(
                f"slot {name!r}: {key} is only for float slots", path, options.line_of(key), "DOM012"
            )
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise domain_error(f"slot {name!r}: {key} must be a number", path, options.line_of(key), "DOM012")
        bounds.append(float(raw))
    if bounds[0] > bounds[1]:
        raise domain_error(
            f"slot {name!r}: min_value {bounds[0]} is greater than max_value {bounds[1]}",
            path,
            options.line_of("min_value"),
            "DOM012",
        )
    return bounds[0], bounds[1]


def _check_initial_value(
    name: str, slot_type: SlotType, values: list[Any], initial: Any, path: str, line: int
) -> None:
    if initial is None:
        return
    problem = ""
    if slot_type is SlotType.BOOL and not isinstance(initial, bool):
        problem = "must be true or false"
    elif slot_type is SlotType.FLOAT and (isinstance(initial, bool) or not isinstance(initial, int | float)):
        problem = "must be a number"
    elif slot_type is SlotType.LIST and not isinstance(initial, list):
        problem = "must be a list"
    elif slot_type is SlotType.CATEGORICAL and not _in_values(initial, values):
        problem = f"must be one of {values}"
    if problem:
        raise domain_error(f"slot {name!r}: initial_value {initial!r} {problem}", path, line, "DOM012")


def _in_values(value: Any, values: list[Any]) -> bool:
    """Categorical matching, case-insensitive for strings like Rasa's."""
    if isinstance(value, str):
        return value.casefold() in {str(v).casefold() for v in values}
    return value in values


def _parse_mapping(slot: str, raw: Any, path: str, line: int) -> SlotMapping:
    options = expect_mapping(raw, path, line, f"mapping of slot {slot}")
    check_keys(options, _MAPPING_KEYS, path, f"a mapping of slot {slot!r}", "DOM013")
    known = ", ".join(t.value for t in MappingType)
    try:
        mapping_type = MappingType(str(options.get("type")))
    except ValueError:
        raise domain_error(
            f"slot {slot!r}: unknown mapping type {options.get('type')!r}",
            path,
            options.line_of("type"),
            "DOM013",
            hint=f"mapping types are: {known}",
        ) from None
    if mapping_type is MappingType.FROM_ENTITY and not isinstance(options.get("entity"), str):
        raise domain_error(
            f"slot {slot!r}: a from_entity mapping needs 'entity: <name>'", path, line, "DOM013"
        )
    needs_value = mapping_type in (MappingType.FROM_INTENT, MappingType.FROM_TRIGGER_INTENT)
    if needs_value and "value" not in options:
        raise domain_error(
            f"slot {slot!r}: a {mapping_type.value} mapping needs 'value: ...'", path, line, "DOM013"
        )
    text_fields = {
        key: _optional_str(options, key, slot, path) for key in ("entity", "role", "group", "action")
    }
    return SlotMapping(
        type=mapping_type,
        intent=_optional_names(options, "intent", path),
        not_intent=_optional_names(options, "not_intent", path),
        value=plain(options.get("value")),
        conditions=_parse_conditions(slot, options, path),
        **text_fields,
    )


def _optional_str(options: LineDict, key: str, slot: str, path: str) -> str | None:
    value = options.get(key)
    if value is not None and not isinstance(value, str):
        raise domain_error(
            f"slot {slot!r}: mapping {key} must be a name", path, options.line_of(key), "DOM013"
        )
    return value


def _optional_names(options: LineDict, key: str, path: str) -> tuple[str, ...]:
    if options.get(key) is None:
        return ()
    return names(options[key], path, options.line_of(key), key)


def _parse_conditions(slot: str, options: LineDict, path: str) -> tuple[MappingCondition, ...]:
    items = expect_list(options.get("conditions"), path, options.line_of("conditions"), "conditions")
    out: list[MappingCondition] = []
    for index, item in enumerate(items):
        line = items.line_of(index)
        condition = expect_mapping(item, path, line, f"condition of slot {slot}")
        check_keys(
            condition, ("active_loop", "requested_slot"), path, f"a condition of slot {slot!r}", "DOM013"
        )
        if "active_loop" not in condition:
            raise domain_error(
                f"slot {slot!r}: a mapping condition needs 'active_loop'", path, line, "DOM013"
            )
        loop, requested = condition.get("active_loop"), condition.get("requested_slot")
        if not all(v is None or isinstance(v, str) for v in (loop, requested)):
            raise domain_error(f"slot {slot!r}: condition values must be names", path, line, "DOM013")
        out.append(MappingCondition(loop, requested))
    return tuple(out)
