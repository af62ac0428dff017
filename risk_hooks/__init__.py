"""Risk hooks: the inbound guard, PII masking, suitability, the outbound compliance filter,
AML / anti-fraud review flags and an append-only audit trail of every decision.

``RiskHooks`` (``build_hooks``) implements ``dialogue.hooks.TurnHooks``; the other classes are
usable on their own. Dialogue actions are listed in ``risk_hooks.actions.ACTIONS``.

Names load on first use (``from risk_hooks.pii import mask_pii`` in a logging setup must not
pull in SQLAlchemy and the dialogue engine).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from risk_hooks.aml import AmlConfig, ReviewFlag, Transaction, screen_transactions
    from risk_hooks.audit import AuditRecord, AuditTrail, sha256_text
    from risk_hooks.config import RiskConfig, load_risk_config
    from risk_hooks.errors import AuditError, RiskConfigError, RiskHooksError
    from risk_hooks.hooks import RiskHooks, build_hooks
    from risk_hooks.inbound import GuardConfig, GuardResult, InboundGuard
    from risk_hooks.notices import RISK_NOTICE, has_risk_notice
    from risk_hooks.outbound import Finding, OutboundFilter, OutboundResult
    from risk_hooks.pii import PiiSpan, find_pii, mask_pii
    from risk_hooks.profile import CustomerProfile, ProductFacts
    from risk_hooks.ratelimit import RateLimit, RateLimiter
    from risk_hooks.suitability import SuitabilityPolicy, SuitabilityResult, check_suitability

_EXPORTS: dict[str, str] = {
    "AmlConfig": "risk_hooks.aml",
    "AuditError": "risk_hooks.errors",
    "AuditRecord": "risk_hooks.audit",
    "AuditTrail": "risk_hooks.audit",
    "CustomerProfile": "risk_hooks.profile",
    "Finding": "risk_hooks.outbound",
    "GuardConfig": "risk_hooks.inbound",
    "GuardResult": "risk_hooks.inbound",
    "InboundGuard": "risk_hooks.inbound",
    "OutboundFilter": "risk_hooks.outbound",
    "OutboundResult": "risk_hooks.outbound",
    "PiiSpan": "risk_hooks.pii",
    "ProductFacts": "risk_hooks.profile",
    "RISK_NOTICE": "risk_hooks.notices",
    "RateLimit": "risk_hooks.ratelimit",
    "RateLimiter": "risk_hooks.ratelimit",
    "ReviewFlag": "risk_hooks.aml",
    "RiskConfig": "risk_hooks.config",
    "RiskConfigError": "risk_hooks.errors",
    "RiskHooks": "risk_hooks.hooks",
    "RiskHooksError": "risk_hooks.errors",
    "SuitabilityPolicy": "risk_hooks.suitability",
    "SuitabilityResult": "risk_hooks.suitability",
    "Transaction": "risk_hooks.aml",
    "build_hooks": "risk_hooks.hooks",
    "check_suitability": "risk_hooks.suitability",
    "find_pii": "risk_hooks.pii",
    "has_risk_notice": "risk_hooks.notices",
    "load_risk_config": "risk_hooks.config",
    "mask_pii": "risk_hooks.pii",
    "screen_transactions": "risk_hooks.aml",
    "sha256_text": "risk_hooks.audit",
}

__all__ = [
    "RISK_NOTICE",
    "AmlConfig",
    "AuditError",
    "AuditRecord",
    "AuditTrail",
    "CustomerProfile",
    "Finding",
    "GuardConfig",
    "GuardResult",
    "InboundGuard",
    "OutboundFilter",
    "OutboundResult",
    "PiiSpan",
    "ProductFacts",
    "RateLimit",
    "RateLimiter",
    "ReviewFlag",
    "RiskConfig",
    "RiskConfigError",
    "RiskHooks",
    "RiskHooksError",
    "SuitabilityPolicy",
    "SuitabilityResult",
    "Transaction",
    "build_hooks",
    "check_suitability",
    "find_pii",
    "has_risk_notice",
    "load_risk_config",
    "mask_pii",
    "screen_transactions",
    "sha256_text",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'risk_hooks' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
