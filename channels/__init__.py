"""Channels: how customers reach the robots (REST today; widget and voice follow)."""

from __future__ import annotations

from channels.rest import ConversationService, build_rest_router

__all__ = ["ConversationService", "build_rest_router"]
