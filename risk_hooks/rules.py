"""Pattern rules read from YAML: which texts a rule catches, which look-alikes it lets pass.

A rule file::

    version: 1
    macros:                 # reusable regex parts, referenced as {NAME} (upper case)
      CODE: "(?:验证码|校验码|动态码)"
    replies:                # safe replies, referenced by key
      otp: 请勿向任何人透露验证码。
    rules:
      - id: otp_handover    # ASCII, unique
        category: social_engineering
        decision: block     # allow / warn / block / handoff
        reply: otp          # optional key of ``replies``
        any: ["把.{0,10}{CODE}.{0,6}发给"]      # at least one must match ...
        all: [["内部"], ["保本", "高收益"]]     # ... and one of each group ...
        unless: ["收不到", "怎么办"]            # ... and none of these

Patterns are Python regular expressions matched (``search``) against
:func:`risk_hooks.text.match_form` of the message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from risk_hooks.errors import RiskConfigError

__all__ = ["DECISIONS", "Rule", "RuleHit", "RuleSet", "load_rules"]

# from least to most severe; the most severe hit decides a message
DECISIONS = ("allow", "warn", "block", "handoff")
_MACRO = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_RULE_KEYS = frozenset({"id", "category", "decision", "reply", "any", "all", "unless", "description"})


@dataclass(frozen=True)
class Rule:
    """One compiled rule (see the module docstring)."""

    id: str
    category: str
    decision: str
    reply: str | None
    any_of: tuple[re.Pattern[str], ...]
    all_of: tuple[tuple[re.Pattern[str], ...], ...]
    unless: tuple[re.Pattern[str], ...]

    def match(self, text: str) -> str | None:
        """The matched fragment of ``text`` (already in match form), or None."""
        found = ""
        if self.any_of:
            hit = next((m for p in self.any_of if (m := p.search(text))), None)
            if hit is None:
                return None
            found = hit.group(0)
        for group in self.all_of:
            hit = next((m for p in group if (m := p.search(text))), None)
            if hit is None:
                return None
            found = found or hit.group(0)
        if any(p.search(text) for p in self.unless):
            return None
        return found


@dataclass(frozen=True)
class RuleHit:
    """A rule that matched one message."""

    rule: str
    category: str
    decision: str
    reply: str | None
    fragment: str


class RuleSet:
    """Rules plus their replies; ``match`` returns every hit, most severe first."""

    def __init__(self, rules: list[Rule], replies: dict[str, str]) -> None:
        self.rules = rules
        self.replies = replies

    def match(self, text: str, *, disabled: frozenset[str] = frozenset()) -> list[RuleHit]:
        """All rules (not in ``disabled``, by id or category) that catch ``text`` (in match form)."""
        hits = []
        for rule in self.rules:
            if rule.id in disabled or rule.category in disabled:
                continue
            fragment = rule.match(text)
            if fragment is not None:
                reply = self.replies.get(rule.reply) if rule.reply else None
                hits.append(RuleHit(rule.id, rule.category, rule.decision, reply, fragment))
        return sorted(hits, key=lambda h: -DECISIONS.index(h.decision))

    @property
    def categories(self) -> set[str]:
        return {r.category for r in self.rules}


def load_rules(path: Path) -> RuleSet:
    """Read and compile a rule file.

    Raises:
        RiskConfigError: the file is not valid YAML, a key is unknown, a decision or reply
            is undefined, an id repeats or a pattern does not compile (names the rule).
    """
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RiskConfigError(path, "", f"cannot read rule file: {exc}") from exc
    if not isinstance(content, dict) or not isinstance(content.get("rules"), list):
        raise RiskConfigError(path, "rules", "expected a mapping with a 'rules' list")
    macros = {str(k): str(v) for k, v in (content.get("macros") or {}).items()}
    replies = {str(k): str(v) for k, v in (content.get("replies") or {}).items()}
    rules: list[Rule] = []
    for index, raw in enumerate(content["rules"]):
        rule = _compile_rule(path, index, raw, macros, replies)
        if any(r.id == rule.id for r in rules):
            raise RiskConfigError(path, f"rules[{index}].id", f"duplicate rule id {rule.id!r}")
        rules.append(rule)
    return RuleSet(rules, replies)


def _compile_rule(path: Path, index: int, raw: Any, macros: dict[str, str], replies: dict[str, str]) -> Rule:
    where = f"rules[{index}]"
    if not isinstance(raw, dict) or not raw.get("id"):
        raise RiskConfigError(path, where, "each rule is a mapping with an 'id'")
    where = f"rules[{index}] ({raw['id']})"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RiskConfigError(path, where, f"unknown keys {sorted(unknown)}; allowed: {sorted(_RULE_KEYS)}")
    decision = str(raw.get("decision", "block"))
    if decision not in DECISIONS:
        raise RiskConfigError(path, f"{where}.decision", f"{decision!r} is not one of {DECISIONS}")
    reply = raw.get("reply")
    if reply is not None and reply not in replies:
        raise RiskConfigError(path, f"{where}.reply", f"no reply named {reply!r} under 'replies'")

    def compile_all(patterns: Any, key: str) -> tuple[re.Pattern[str], ...]:
        if patterns is None:
            return ()
        if not isinstance(patterns, list):
            raise RiskConfigError(path, f"{where}.{key}", "expected a list of patterns")
        return tuple(_compile(path, f"{where}.{key}", str(p), macros) for p in patterns)

    groups = raw.get("all") or []
    if not isinstance(groups, list):
        raise RiskConfigError(path, f"{where}.all", "expected a list of pattern lists")
    all_of = tuple(compile_all(g if isinstance(g, list) else [g], "all") for g in groups)
    any_of = compile_all(raw.get("any"), "any")
    if not any_of and not all_of:
        raise RiskConfigError(path, where, "a rule needs 'any' or 'all' patterns")
    return Rule(
        str(raw["id"]),
        str(raw.get("category", "other")),
        decision,
        reply,
        any_of,
        all_of,
        compile_all(raw.get("unless"), "unless"),
    )


def _compile(path: Path, where: str, pattern: str, macros: dict[str, str]) -> re.Pattern[str]:
    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise RiskConfigError(path, where, f"unknown macro {{{name}}} in {pattern!r}")
        return macros[name]

    try:
        return re.compile(_MACRO.sub(expand, pattern))
    except re.error as exc:
        raise RiskConfigError(path, where, f"bad pattern {pattern!r}: {exc}") from exc
