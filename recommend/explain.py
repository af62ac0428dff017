"""Why a product was recommended, in Chinese: recall sources, top ranking features, rules applied."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Explanation"]


@dataclass
class Explanation:
    """The reasons for one recommendation, for the reply and the audit trail."""

    product_code: str
    sources: list[str] = field(default_factory=list)  # recall sources' Chinese names
    features: list[str] = field(default_factory=list)  # top ranking features, Chinese
    rules: list[str] = field(default_factory=list)  # rerank rules and checks applied, Chinese
    suitability: str = ""

    def text(self) -> str:
        """One line for the customer: ``推荐理由：…；…``."""
        parts = []
        if self.sources:
            parts.append("来源：" + "、".join(self.sources))
        if self.features:
            parts.append("匹配点：" + "、".join(self.features))
        if self.rules:
            parts.append("；".join(self.rules))
        if self.suitability:
            parts.append(self.suitability)
        return "推荐理由：" + "；".join(parts)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form for the audit trail and the custom payload."""
        return {
            "product_code": self.product_code,
            "sources": list(self.sources),
            "features": list(self.features),
            "rules": list(self.rules),
            "suitability": self.suitability,
            "text": self.text(),
        }
