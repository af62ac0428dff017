"""``CollectingDispatcher``: collects the messages an action wants to send (rasa-sdk's API)."""

from __future__ import annotations

from typing import Any

__all__ = ["CollectingDispatcher"]


class CollectingDispatcher:
    """Collects messages; the webhook answer (or the in-process adapter) sends them on.

    Each message is a dict in rasa-sdk's shape: ``text``, ``buttons``, ``elements``,
    ``custom`` (the ``json_message``), ``template`` / ``response`` (a domain response to
    render), ``image``, ``attachment``, plus any extra keyword arguments (placeholder values
    for the response).
    """

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    def utter_message(
        self,
        text: str | None = None,
        image: str | None = None,
        json_message: dict[str, Any] | None = None,
        response: str | None = None,
        attachment: str | None = None,
        buttons: list[dict[str, Any]] | None = None,
        elements: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        """Queue a message for the user.

        Args:
            text: the text to send.
            image: an image URL.
            json_message: a custom payload for the channel.
            response: the name of a domain response (``utter_*``) to render instead.
            attachment: an attachment URL or payload.
            buttons: ``{"title": ..., "payload": ...}`` dicts.
            elements: carousel elements.
            **kwargs: values for the response's ``{placeholders}``; ``template`` is the
                old name of ``response``.
        """
        response = response or kwargs.pop("template", None)
        message: dict[str, Any] = {
            "text": text,
            "buttons": buttons or [],
            "elements": elements or [],
            "custom": json_message or {},
            "template": response,
            "response": response,
            "image": image,
            "attachment": attachment,
        }
        message.update(kwargs)
        self.messages.append(message)
