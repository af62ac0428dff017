"""The texts a compliant reply must carry."""

from __future__ import annotations

__all__ = ["RISK_NOTICE", "has_risk_notice"]

# the mandatory notice whenever a reply names or recommends a product
RISK_NOTICE = "【风险提示】理财非存款，产品有风险，投资需谨慎；过往业绩不代表未来表现。"


def has_risk_notice(text: str) -> bool:
    """Whether ``text`` already carries the risk notice."""
    return RISK_NOTICE in text
