"""Serves the chat widget (``/widget/wealthbot-widget.js`` and ``.css``) and the demo page ``/``.

A host page embeds the widget with one tag (no build step)::

    <script src="https://bots.example.com/widget/wealthbot-widget.js" data-bot="service"></script>
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

__all__ = ["WIDGET_DIR", "demo_page", "mount_widget"]

WIDGET_DIR = Path(__file__).resolve().parent / "widget"
_BOTS_MARKER = "__WEALTHBOT_BOTS__"


def demo_page(bots: Sequence[str]) -> str:
    """The demo page's HTML, listing ``bots`` (one tab each)."""
    template = (WIDGET_DIR / "demo.html").read_text(encoding="utf-8")
    return template.replace(_BOTS_MARKER, html.escape(",".join(bots), quote=True))


def mount_widget(app: FastAPI, bots: Sequence[str]) -> None:
    """Serve the widget's static files at ``/widget`` and the demo page at ``/``.

    Args:
        app: the application (the WebSocket channel must be mounted too).
        bots: the bots the demo page offers, in tab order.
    """
    page = demo_page(bots)
    app.mount("/widget", StaticFiles(directory=WIDGET_DIR), name="widget")

    async def index() -> HTMLResponse:
        return HTMLResponse(page)

    app.add_api_route("/", index, methods=["GET"], include_in_schema=False)
