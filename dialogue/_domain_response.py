"""Parsing the ``responses:`` section of a domain file into ``ResponseVariation`` lists."""

from __future__ import annotations

from typing import Any

from dialogue._domain_types import ResponseVariation
from dialogue._domain_yaml import LineDict, LineList, Located, check_keys, domain_error, expect_mapping, plain

__all__ = ["parse_responses"]

_CONTENT_KEYS = ("text", "image", "custom", "buttons", "attachment", "quick_replies", "elements")
_VARIATION_KEYS = (*_CONTENT_KEYS, "condition", "channel", "id", "metadata")
_EXTRA_KEYS = ("attachment", "quick_replies", "elements")


def parse_responses(value: Any, path: str, line: int) -> list[Located]:
    """Each response's variations; a response may be one variation or a list of them.

    Raises:
        DomainError: a variation with no content (``DOM020``) or a malformed one (``DOM021``).
    """
    responses = expect_mapping(value, path, line, "responses")
    out: list[Located] = []
    for name, raw in responses.items():
        response_line = responses.line_of(name)
        if not isinstance(name, str) or not name.strip():
            raise domain_error("a response name must be a non-empty string", path, response_line, "DOM004")
        if isinstance(raw, LineDict):
            items: list[Any] = [raw]
            lines = [raw.line]
        elif isinstance(raw, LineList) and raw:
            items, lines = list(raw), list(raw.item_lines)
        else:
            raise domain_error(
                f"response {name!r} has no variations",
                path,
                response_line,
                "DOM020",
                hint="write a list of variations such as '- text: \"您好\"'",
            )
        variations = [_parse_variation(name, item, path, ln) for item, ln in zip(items, lines, strict=True)]
        out.append(Located(name, variations, path, response_line, tuple(lines)))
    return out


def _parse_variation(name: str, raw: Any, path: str, line: int) -> ResponseVariation:
    if not isinstance(raw, LineDict):
        raise domain_error(
            f"a variation of response {name!r} must be a mapping like 'text: ...'", path, line, "DOM021"
        )
    options = expect_mapping(raw, path, line, f"response {name}")
    check_keys(options, _VARIATION_KEYS, path, f"a variation of response {name!r}", "DOM021")
    if not any(options.get(key) not in (None, "", []) for key in _CONTENT_KEYS):
        raise domain_error(
            f"a variation of response {name!r} has no text, image, custom or buttons",
            path,
            line,
            "DOM020",
            hint="give each variation at least a 'text:'",
        )
    text = options.get("text")
    if text is not None and not isinstance(text, str | int | float):
        raise domain_error(
            f"response {name!r}: text must be a string", path, options.line_of("text"), "DOM021"
        )
    for key in ("image", "channel", "id"):
        if options.get(key) is not None and not isinstance(options[key], str):
            raise domain_error(
                f"response {name!r}: {key} must be a string", path, options.line_of(key), "DOM021"
            )
    metadata = options.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise domain_error(
            f"response {name!r}: metadata must be a mapping", path, options.line_of("metadata"), "DOM021"
        )
    return ResponseVariation(
        text=None if text is None else str(text),
        buttons=_parse_buttons(name, options.get("buttons"), path, options.line_of("buttons")),
        image=options.get("image"),
        custom=plain(options.get("custom")),
        condition=_parse_condition(name, options.get("condition"), path, options.line_of("condition")),
        channel=options.get("channel"),
        id=options.get("id"),
        metadata=plain(metadata or {}),
        extras={key: plain(options[key]) for key in _EXTRA_KEYS if options.get(key) is not None},
    )


def _parse_buttons(name: str, raw: Any, path: str, line: int) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, LineList):
        raise domain_error(f"response {name!r}: buttons must be a list", path, line, "DOM021")
    buttons: list[dict[str, Any]] = []
    for index, button in enumerate(raw):
        button_line = raw.line_of(index)
        if not isinstance(button, LineDict) or not isinstance(button.get("title"), str | int | float):
            raise domain_error(
                f"response {name!r}: each button needs a 'title'",
                path,
                button_line,
                "DOM021",
                hint="write '- title: \"是\"' and 'payload: \"/affirm\"'",
            )
        payload = button.get("payload")
        if payload is not None and not isinstance(payload, str):
            raise domain_error(
                f"response {name!r}: a button payload must be a string", path, button_line, "DOM021"
            )
        out = plain(button)
        out["title"] = str(out["title"])
        buttons.append(out)
    return buttons


def _parse_condition(name: str, raw: Any, path: str, line: int) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, LineList):
        raise domain_error(f"response {name!r}: condition must be a list", path, line, "DOM021")
    out: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        item_line = raw.line_of(index)
        if not isinstance(item, LineDict):
            raise domain_error(
                f"response {name!r}: each condition must be a mapping", path, item_line, "DOM021"
            )
        check_keys(item, ("type", "name", "value"), path, f"a condition of response {name!r}", "DOM021")
        if item.get("type", "slot") != "slot":
            raise domain_error(
                f"response {name!r}: condition type {item.get('type')!r} is not supported",
                path,
                item_line,
                "DOM021",
                hint="only 'type: slot' conditions exist",
            )
        if not isinstance(item.get("name"), str):
            raise domain_error(
                f"response {name!r}: a condition needs a slot 'name'", path, item_line, "DOM021"
            )
        out.append({"type": "slot", "name": item["name"], "value": plain(item.get("value"))})
    return out
