"""HTTP access to the risk audit trail: every risk decision of one conversation.

``GET /bots/{bot}/conversations/{sender_id}/audit`` answers a JSON list of audit records
(``risk_hooks.audit.AuditRecord.to_dict()``), oldest first; ``?limit=N`` keeps the latest N.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, HTTPException, Query

from risk_hooks.audit import AuditTrail
from risk_hooks.errors import AuditError

__all__ = ["build_audit_router"]


def build_audit_router(audit: AuditTrail) -> APIRouter:
    """A router serving the audit trail per conversation.

    Args:
        audit: the trail the bots' ``RiskHooks`` write to.
    """
    router = APIRouter(tags=["risk"])

    @router.get("/bots/{bot}/conversations/{sender_id}/audit")
    async def conversation_audit(
        bot: str, sender_id: str, limit: int | None = Query(default=None, ge=1, le=10_000)
    ) -> list[dict[str, Any]]:
        """Risk decisions of one conversation, oldest first."""
        try:
            records = await asyncio.to_thread(audit.query, bot=bot, sender_id=sender_id, limit=limit)
        except AuditError as exc:
            raise HTTPException(503, detail=f"audit trail unavailable: {exc}") from exc
        return [r.to_dict() for r in records]

    return router
