"""Touch templates: Chinese message texts with ``{variables}``, loaded from YAML and checked.

File format (``channels/touch/templates.yml``)::

    version: "1"
    templates:
      bind_card_reminder_sms:        # template id
        channel: sms                 # sms | push | h5
        text: "【财富服务】{name}您好，……回T退订"
        title: "..."                 # push and h5 (optional)
        url: "https://.../{token}"   # h5: required
        description: "..."           # for operators (optional)

Checks at load time (``TemplateError`` naming the file, line and template): unknown keys or
channels, an H5 template without ``url``, an SMS without the opt-out text (回T退订), and
wording a regulated seller must never use (保本, 稳赚, 零风险...). Rendering with a missing
variable raises ``TemplateError`` naming every missing one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from channels.touch.errors import TemplateError
from channels.touch.message import TouchChannel, TouchContent

__all__ = ["DEFAULT_TEMPLATES", "FORBIDDEN_PHRASES", "SMS_OPT_OUT", "TemplateBook", "TouchTemplate"]

DEFAULT_TEMPLATES = Path(__file__).resolve().parent / "templates.yml"
SMS_OPT_OUT = "回T退订"
# promises of returns: never in a message about wealth products
FORBIDDEN_PHRASES: tuple[str, ...] = (
    "保本",
    "稳赚",
    "零风险",
    "无风险",
    "保证收益",
    "稳赚不赔",
    "包赚",
    "刚性兑付",
)
_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")
_KEYS = frozenset({"channel", "text", "title", "url", "description"})


@dataclass(frozen=True)
class TouchTemplate:
    """One template; ``variables`` are the placeholders of its text, title and url."""

    template_id: str
    channel: TouchChannel
    text: str
    title: str | None = None
    url: str | None = None
    description: str = ""

    @property
    def variables(self) -> tuple[str, ...]:
        names: list[str] = []
        for part in (self.title, self.text, self.url):
            for name in _PLACEHOLDER.findall(part or ""):
                if name not in names:
                    names.append(name)
        return tuple(names)

    def render(self, variables: Mapping[str, Any]) -> TouchContent:
        """Fill the placeholders.

        Raises:
            TemplateError: a placeholder has no value (all missing ones are named).
        """
        missing = [name for name in self.variables if variables.get(name) in (None, "")]
        if missing:
            raise TemplateError(
                f"template {self.template_id!r}: missing variable(s) {', '.join(missing)}; "
                f"it needs {', '.join(self.variables)}"
            )

        def fill(part: str | None) -> str | None:
            if part is None:
                return None
            return _PLACEHOLDER.sub(lambda m: str(variables[m.group(1)]), part)

        return TouchContent(text=fill(self.text) or "", title=fill(self.title), url=fill(self.url))


class TemplateBook:
    """The templates by id."""

    def __init__(self, templates: Iterable[TouchTemplate]) -> None:
        self._templates: dict[str, TouchTemplate] = {}
        for template in templates:
            if template.template_id in self._templates:
                raise TemplateError(f"template {template.template_id!r} defined twice")
            self._templates[template.template_id] = template

    @classmethod
    def load(cls, path: Path = DEFAULT_TEMPLATES) -> TemplateBook:
        """Read and check a template file.

        Raises:
            TemplateError: unreadable YAML, bad structure or non-compliant wording, with
                ``file:line`` and the template id.
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
            root = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
        except (OSError, yaml.YAMLError) as exc:
            raise TemplateError(f"{path}: cannot read templates: {exc}") from exc
        lines = _template_lines(root)
        if not isinstance(data, dict) or not isinstance(data.get("templates"), dict):
            raise TemplateError(f"{path}: expected a mapping with a 'templates:' mapping")
        templates = [
            _parse(template_id, raw, f"{path}:{lines.get(str(template_id), 0)}")
            for template_id, raw in data["templates"].items()
        ]
        return cls(templates)

    def get(self, template_id: str) -> TouchTemplate:
        """The template ``template_id``.

        Raises:
            TemplateError: no such template (the known ids are listed).
        """
        try:
            return self._templates[template_id]
        except KeyError:
            known = ", ".join(sorted(self._templates)) or "none"
            raise TemplateError(f"unknown template {template_id!r}; known: {known}") from None

    def render(self, template_id: str, channel: TouchChannel, variables: Mapping[str, Any]) -> TouchContent:
        """Render ``template_id`` for ``channel``.

        Raises:
            TemplateError: unknown template, a template of another channel, a missing variable.
        """
        template = self.get(template_id)
        if template.channel != channel:
            raise TemplateError(
                f"template {template_id!r} is for {template.channel.value}, not {TouchChannel(channel).value}"
            )
        return template.render(variables)

    def __iter__(self) -> Any:
        return iter(self._templates.values())

    def __len__(self) -> int:
        return len(self._templates)


def _parse(template_id: Any, raw: Any, where: str) -> TouchTemplate:
    label = f"{where}: template {template_id!r}"
    if not isinstance(raw, dict):
        raise TemplateError(f"{label}: expected a mapping with channel and text")
    unknown = set(raw) - _KEYS
    if unknown:
        raise TemplateError(f"{label}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    try:
        channel = TouchChannel(raw.get("channel"))
    except ValueError:
        choices = ", ".join(c.value for c in TouchChannel)
        raise TemplateError(
            f"{label}: channel must be one of {choices}, got {raw.get('channel')!r}"
        ) from None
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise TemplateError(f"{label}: 'text' is missing or empty")
    template = TouchTemplate(
        template_id=str(template_id),
        channel=channel,
        text=text.strip(),
        title=_optional_str(raw, "title", label),
        url=_optional_str(raw, "url", label),
        description=str(raw.get("description") or ""),
    )
    _check_compliance(template, label)
    return template


def _optional_str(raw: Mapping[str, Any], key: str, label: str) -> str | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, str):
        raise TemplateError(f"{label}: {key!r} must be text")
    return value.strip() if value else None


def _check_compliance(template: TouchTemplate, label: str) -> None:
    if template.channel is TouchChannel.SMS and SMS_OPT_OUT not in template.text:
        raise TemplateError(f"{label}: an SMS must carry the opt-out text {SMS_OPT_OUT!r}")
    if template.channel is TouchChannel.H5 and not template.url:
        raise TemplateError(f"{label}: an H5 touch needs a 'url'")
    wording = " ".join(p for p in (template.title, template.text) if p)
    found = [phrase for phrase in FORBIDDEN_PHRASES if phrase in wording]
    if found:
        raise TemplateError(f"{label}: promises returns ({', '.join(found)}); not allowed in a touch")


def _template_lines(root: Any) -> dict[str, int]:
    """Line (1-based) of each template id in the composed YAML, for error messages."""
    if not isinstance(root, yaml.MappingNode):
        return {}
    for key, value in root.value:
        if getattr(key, "value", None) == "templates" and isinstance(value, yaml.MappingNode):
            return {str(k.value): k.start_mark.line + 1 for k, _ in value.value}
    return {}
