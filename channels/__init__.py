"""Channels: how customers reach the robots.

REST (Rasa's webhook), the WebSocket chat with its embeddable widget and demo page, the
voice gateway for telephony, outbound touch adapters (``channels.touch``) and the
security middlewares (``channels.security``).
"""

from __future__ import annotations

from channels.rest import ConversationService, build_rest_router
from channels.voice import build_voice_router
from channels.voice_config import CallLog, VoiceConfig
from channels.websocket import build_websocket_router
from channels.websocket_sessions import SessionHub
from channels.widget_site import mount_widget

__all__ = [
    "CallLog",
    "ConversationService",
    "SessionHub",
    "VoiceConfig",
    "build_rest_router",
    "build_voice_router",
    "build_websocket_router",
    "mount_widget",
]
