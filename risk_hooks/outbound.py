"""The outbound compliance filter: every bot message before it is sent.

- Forbidden promises (保本, 保收益, 稳赚, 零风险, 年化保证, paraphrases) are replaced by a
  compliant phrase (「这款产品保本」 → 「这款产品不承诺保本」); a guaranteed yield with a number
  (「保证年化5%」) or a past yield presented as a future one (「过去一年收益8%，买了也能赚8%」)
  blocks the whole message, which is replaced by a safe text. Negated or disclaiming uses pass
  (「不保本」「不承诺保本」「并非零风险」「过往业绩不代表未来表现」). Rules:
  ``risk_hooks/data/outbound_rules.yml``.
- A message that names a product (name, alias or code given at construction, e.g. from
  ``knowledge.catalogue`` by the caller) or recommends one gets ``RISK_NOTICE`` appended.

Every change is recorded as a ``Finding`` so the caller can audit why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from risk_hooks.errors import RiskConfigError
from risk_hooks.notices import RISK_NOTICE, has_risk_notice

__all__ = ["DEFAULT_OUTBOUND_RULES", "SAFE_TEXT", "Finding", "OutboundFilter", "OutboundResult"]

DEFAULT_OUTBOUND_RULES = Path(__file__).resolve().parent / "data" / "outbound_rules.yml"
SAFE_TEXT = "根据监管规定，理财产品不承诺保本和收益，过往业绩不代表未来表现，具体请以产品说明书为准。"
_CLAUSE_END = re.compile(r"[，。！？；,.!?;\n]")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
_QUESTION = re.compile(r"[吗么嘛]$")


@dataclass(frozen=True)
class Finding:
    """One forbidden promise in a message: rule id, what matched and where, what happens."""

    rule: str
    fragment: str
    start: int
    end: int
    action: str  # rewrite / block


@dataclass(frozen=True)
class OutboundResult:
    """The filtered message.

    Attributes:
        text: what to send (the original when ``action`` is ``allow``).
        action: ``allow`` (unchanged), ``rewrite`` (phrases replaced and/or notice appended)
            or ``block`` (replaced by the safe text).
        findings: the promises found in the original text.
        notice_added: the risk notice was appended.
    """

    text: str
    action: str
    findings: tuple[Finding, ...] = ()
    notice_added: bool = False

    @property
    def reason(self) -> str:
        """Why, for the audit trail (English and rule ids)."""
        parts = [f"{f.rule}: {f.fragment!r} -> {f.action}" for f in self.findings]
        if self.notice_added:
            parts.append("product named or recommended: risk notice appended")
        return "; ".join(parts) or "compliant"

    @property
    def rule(self) -> str:
        """The deciding rule id (``none`` when nothing was changed)."""
        blocking = [f.rule for f in self.findings if f.action == "block"]
        if blocking:
            return blocking[0]
        if self.findings:
            return self.findings[0].rule
        return "risk_notice" if self.notice_added else "none"


@dataclass(frozen=True)
class _PromiseRule:
    id: str
    action: str
    replacement: str
    pattern: re.Pattern[str]


class OutboundFilter:
    """Checks and fixes bot messages.

    Args:
        product_names: names, aliases and codes of every product the bot may name.
        notice: the notice appended when a product is named or recommended.
        rules_file: the promise rules (the shipped file by default).
        safe_text: what a blocked message becomes (the notice is always appended to it).
    """

    def __init__(
        self,
        product_names: Iterable[str] = (),
        *,
        notice: str = RISK_NOTICE,
        rules_file: Path = DEFAULT_OUTBOUND_RULES,
        safe_text: str = SAFE_TEXT,
    ) -> None:
        self.notice = notice
        self.safe_text = safe_text
        self._rules, self._negation, self._excusers, self._recommend = _load(rules_file)
        names = sorted({n.strip() for n in product_names if n and n.strip()}, key=len, reverse=True)
        self._products = re.compile("|".join(_name_pattern(n) for n in names)) if names else None

    def find_promises(self, text: str) -> list[Finding]:
        """Forbidden promises in ``text`` that no negation or disclaimer excuses, in order."""
        found: list[Finding] = []
        for rule in self._rules:
            for match in rule.pattern.finditer(text):
                if self._excused(text, match.start(), match.end(), rule.id):
                    continue
                if any(match.start() < f.end and f.start < match.end() for f in found):
                    continue
                found.append(Finding(rule.id, match.group(0), match.start(), match.end(), rule.action))
        return sorted(found, key=lambda f: f.start)

    def names_product(self, text: str) -> bool:
        """Whether ``text`` names a known product or recommends one."""
        if self._products is not None and self._products.search(text):
            return True
        return bool(self._recommend.search(text))

    def check(self, text: str) -> OutboundResult:
        """Filter one message (see the module docstring).

        Args:
            text: the bot message's text.

        Returns:
            What to send and why.
        """
        findings = tuple(self.find_promises(text))
        needs_notice = self.names_product(text)
        if any(f.action == "block" for f in findings):
            return OutboundResult(self._with_notice(self.safe_text), "block", findings, True)
        rewritten = self._rewrite(text, findings)
        if self.find_promises(rewritten):  # a replacement must never leave a promise behind
            return OutboundResult(self._with_notice(self.safe_text), "block", findings, True)
        add_notice = needs_notice and not has_risk_notice(rewritten)
        if add_notice:
            rewritten = self._with_notice(rewritten)
        action = "rewrite" if rewritten != text else "allow"
        return OutboundResult(rewritten, action, findings, add_notice)

    def _with_notice(self, text: str) -> str:
        return text if self.notice in text else f"{text}\n{self.notice}"

    def _rewrite(self, text: str, findings: tuple[Finding, ...]) -> str:
        replacements = {r.id: r.replacement for r in self._rules}
        for finding in sorted(findings, key=lambda f: f.start, reverse=True):
            text = text[: finding.start] + replacements[finding.rule] + text[finding.end :]
        return text

    def _excused(self, text: str, start: int, end: int, rule: str) -> bool:
        window = text[max(0, start - 40) : start]  # a negation is never far from what it negates
        ends = [m.end() for m in _CLAUSE_END.finditer(window)]
        clause_start = start - len(window) + (ends[-1] if ends else 0)
        if self._negation.search(text[clause_start:start]):
            return True
        # a question is not a promise: 「收益有保障吗」 repeats what the customer asks
        clause_end = _CLAUSE_END.search(text, end)
        if _QUESTION.search(text[end : clause_end.start() if clause_end else len(text)]):
            return True
        if rule == "past_as_future":
            sentence_end = _SENTENCE_END.search(text, end)
            sentence = text[start : sentence_end.start() if sentence_end else len(text)]
            return bool(self._excusers.search(sentence))
        return False


def _name_pattern(name: str) -> str:
    escaped = re.escape(name)
    # codes and Latin names must not match inside longer numbers or words (phone numbers)
    if re.fullmatch(r"[0-9A-Za-z]+", name):
        return rf"(?<![0-9A-Za-z]){escaped}(?![0-9A-Za-z])"
    return escaped


def _load(path: Path) -> tuple[list[_PromiseRule], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        negation, bridge = content["negation"], content["bridge"]
        # a negation, then at most three bridging words, right before the promise
        negated = re.compile(rf"{negation}(?:{bridge}){{0,3}}$")
        rules = [
            _PromiseRule(
                str(r["id"]), str(r["action"]), str(r.get("replacement", "")), re.compile(str(r["pattern"]))
            )
            for r in content["rules"]
        ]
        excusers = re.compile(str(content["excusers"]))
        recommend = re.compile(str(content["recommend"]))
    except (OSError, yaml.YAMLError, KeyError, TypeError, re.error) as exc:
        raise RiskConfigError(path, "", f"cannot load outbound rules: {type(exc).__name__}: {exc}") from exc
    for rule in rules:
        if rule.action not in ("rewrite", "block") or (rule.action == "rewrite" and not rule.replacement):
            raise RiskConfigError(
                path, f"rules ({rule.id})", "action must be block, or rewrite with a replacement"
            )
    return rules, negated, excusers, recommend
