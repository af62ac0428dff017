"""Outbound touches (SMS, app push, H5 link) behind one interface, with caps and quiet hours.

``TouchDispatcher(adapter, TemplateBook.load(), TouchStore.sqlite(path)).dispatch(message)``
renders the template, enforces frequency caps and quiet hours, delivers through the adapter
(``DatabaseAdapter`` outbox by default, ``WebhookAdapter`` to a URL) and records the outcome.
"""

from __future__ import annotations

from channels.touch.adapters import DatabaseAdapter, WebhookAdapter
from channels.touch.dispatcher import TouchDispatcher
from channels.touch.errors import TemplateError, TouchConfigError, TouchError
from channels.touch.message import (
    TouchAdapter,
    TouchChannel,
    TouchContent,
    TouchMessage,
    TouchResult,
    TouchStatus,
)
from channels.touch.policy import DEFAULT_CAPS, FrequencyCap, TouchPolicy
from channels.touch.store import TouchStore
from channels.touch.templates import DEFAULT_TEMPLATES, TemplateBook, TouchTemplate

__all__ = [
    "DEFAULT_CAPS",
    "DEFAULT_TEMPLATES",
    "DatabaseAdapter",
    "FrequencyCap",
    "TemplateBook",
    "TemplateError",
    "TouchAdapter",
    "TouchChannel",
    "TouchConfigError",
    "TouchContent",
    "TouchDispatcher",
    "TouchError",
    "TouchMessage",
    "TouchPolicy",
    "TouchResult",
    "TouchStatus",
    "TouchStore",
    "TouchTemplate",
    "WebhookAdapter",
]
