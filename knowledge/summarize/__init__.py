"""Summaries: structured conversation summaries for agents and call records; extractive news summaries."""

from __future__ import annotations

from knowledge.summarize.conversation import ConversationSummary, summarize_conversation, summarize_events
from knowledge.summarize.news import NewsSummary, summarize_text

__all__ = [
    "ConversationSummary",
    "NewsSummary",
    "summarize_conversation",
    "summarize_events",
    "summarize_text",
]
