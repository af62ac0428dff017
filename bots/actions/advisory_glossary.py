"""``action_explain_term``: plain-Chinese explanations of the wealth-management terms customers ask about.

The glossary is data, ``bots/advisory/glossary.yml``: term → explanation, the other names
customers use for a term (``aliases``) and the R1–R5 risk levels. A term is read from the
``finance_term`` / ``risk_level`` entities, else looked for in the message, else taken from the
``finance_term`` slot; an unknown term gets an honest "not in my glossary yet".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bots.settings import BOTS_DIR
from dialogue.sdk import Action, CollectingDispatcher, Tracker
from dialogue.sdk.types import DomainDict

__all__ = ["DEFAULT_GLOSSARY", "ActionExplainTerm", "Glossary", "load_glossary"]

DEFAULT_GLOSSARY = BOTS_DIR / "advisory" / "glossary.yml"

_RISK_LEVEL = re.compile(r"(?<![A-Za-z])[RrCc]([1-5])(?![0-9])")
UNKNOWN = "“{term}”这个名词我还没有收录，您可以换个说法，或者回复“人工”请投资顾问为您解释。"
ASK_TERM = "请问您想了解哪个理财名词？比如净值、年化收益率、最大回撤。"


@dataclass(frozen=True)
class Glossary:
    """Terms and their explanations, the aliases customers use, and the risk levels R1–R5."""

    terms: dict[str, str]
    aliases: dict[str, str]
    risk_levels: dict[int, str]

    def explain(self, term: str) -> str | None:
        """The explanation of ``term`` (a name, an alias, or a risk level such as R3), else None."""
        key = term.strip()
        if (match := _RISK_LEVEL.fullmatch(key)) and int(match.group(1)) in self.risk_levels:
            level = int(match.group(1))
            return f"{self.risk_levels[level]}。风险测评为C{level}及以上的客户才能购买R{level}的产品。"
        for name in (key, key.upper(), key.lower()):
            name = self.aliases.get(name, name)
            if name in self.terms:
                return f"{name}：{self.terms[name]}"
        return None

    def terms_in(self, text: str) -> list[str]:
        """Names and aliases found in ``text``, longest first (so 七日年化 beats 年化)."""
        upper = text.upper()
        return [n for n in sorted({*self.terms, *self.aliases}, key=len, reverse=True) if n.upper() in upper]


@cache
def load_glossary(path: Path = DEFAULT_GLOSSARY) -> Glossary:
    """Read a glossary file (cached per path)."""
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Glossary(
        terms={str(k): str(v) for k, v in (content.get("terms") or {}).items()},
        aliases={str(k): str(v) for k, v in (content.get("aliases") or {}).items()},
        risk_levels={int(k): str(v) for k, v in (content.get("risk_levels") or {}).items()},
    )


class ActionExplainTerm(Action):
    """``action_explain_term``: explain the term in the ``finance_term`` entity/slot or in the text."""

    def __init__(self, glossary_file: Path = DEFAULT_GLOSSARY) -> None:
        self.glossary_file = glossary_file

    def name(self) -> str:
        return "action_explain_term"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        glossary = load_glossary(self.glossary_file)
        text = str(tracker.latest_message.get("text") or "")
        candidates = [
            *(str(value) for value in tracker.get_latest_entity_values("finance_term")),
            *(str(value) for value in tracker.get_latest_entity_values("risk_level")),
            *glossary.terms_in(text),
            *(match.group(0) for match in _RISK_LEVEL.finditer(text)),
        ]
        slot = tracker.get_slot("finance_term")
        if slot and not candidates:
            candidates.append(str(slot))
        for term in candidates:
            if (answer := glossary.explain(term)) is not None:
                dispatcher.utter_message(text=answer)
                return []
        dispatcher.utter_message(text=UNKNOWN.format(term=candidates[0]) if candidates else ASK_TERM)
        return []
