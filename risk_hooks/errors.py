"""Errors of the risk hooks.

Hierarchy::

    RiskHooksError
    ├── RiskConfigError   a bot's risk.yml (or a rule file) is malformed: names file and key
    └── AuditError        the audit trail refused an operation (e.g. an update)
"""

from __future__ import annotations

__all__ = ["AuditError", "RiskConfigError", "RiskHooksError"]


class RiskHooksError(Exception):
    """Base class of every error raised by ``risk_hooks``."""


class RiskConfigError(RiskHooksError, ValueError):
    """A risk configuration or rule file is malformed.

    Args:
        path: the file.
        key: the offending key, dotted (``inbound.rate_limit.sender``); empty for the whole file.
        message: what is wrong and how to fix it.
    """

    def __init__(self, path: object, key: str, message: str) -> None:
        self.path = str(path)
        self.key = key
        where = f"{self.path}: {key}" if key else self.path
        super().__init__(f"{where}: {message}")


class AuditError(RiskHooksError):
    """The audit trail is append-only; anything else is refused."""
