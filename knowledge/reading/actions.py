"""``action_read_document``: answer the latest user message from the shipped documents."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from dialogue.sdk import Action, CollectingDispatcher, DomainDict, Tracker
from knowledge.reading.reader import Answer, DocumentReader
from risk_hooks.notices import RISK_NOTICE

__all__ = ["ACTIONS", "ActionReadDocument", "answer_text"]

NO_ANSWER_TEXT = (
    "抱歉，我在产品说明书和公告里没有找到这个问题的答案。您可以换个说法，或者回复“人工”为您转接客服。"
)


ASK_PRODUCT_TEXT = "请问您问的是哪只产品？告诉我产品名称或代码，我帮您查产品说明书。"
# slots whose value names the product the conversation is about
PRODUCT_SLOTS = ("product_name", "product_code", "product")


def answer_text(answer: Answer) -> str:
    """The reply for an answer: the span, its source, and the risk notice when a product is concerned."""
    if not answer.answered:
        return ASK_PRODUCT_TEXT if answer.reason == "ambiguous_product" else NO_ANSWER_TEXT
    sentence = answer.passage.text if answer.passage is not None else answer.text
    text = f"{answer.text}。\n依据《{answer.title}》：{sentence}"
    if answer.products or answer.kind == "prospectus":
        text += f"\n{RISK_NOTICE}"
    return text


class ActionReadDocument(Action):
    """Answers from documents (prospectus, notices, news), or says politely that it cannot.

    A question that names no product is read about the product in the ``product_name`` /
    ``product_code`` / ``product`` slot, if one is set; without one, a question every
    prospectus answers alike gets "which product?".

    Args:
        reader: the document reader; when None, one over ``documents_dir`` (the shipped
            documents by default) is loaded on first run and cached.
        documents_dir: the documents folder for the default reader.
        reader_spec: the span extractor of the default reader: ``offline`` or
            ``transformers:<local model path>``.
    """

    def __init__(
        self,
        reader: DocumentReader | None = None,
        documents_dir: str | None = None,
        reader_spec: str = "offline",
    ) -> None:
        self._reader = reader
        self._documents_dir = documents_dir
        self._reader_spec = reader_spec
        self._lock = threading.Lock()

    def name(self) -> str:
        return "action_read_document"

    def reader(self) -> DocumentReader:
        """The reader, loaded on first use."""
        with self._lock:
            if self._reader is None:
                self._reader = DocumentReader.from_config(self._documents_dir, reader=self._reader_spec)
            return self._reader

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        question = str(tracker.latest_message.get("text") or "")
        hint = next((str(v) for v in (tracker.get_slot(s) for s in PRODUCT_SLOTS) if v), None)
        answer = await asyncio.to_thread(lambda: self.reader().answer(question, product_hint=hint))
        dispatcher.utter_message(text=answer_text(answer), json_message={"reading": answer.to_dict()})
        return []


ACTIONS: list[type[Action]] = [ActionReadDocument]
