"""Jieba tokenization with the bot's domain dictionary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from nlu.component import Component
from nlu.message import Message, Token
from nlu.training_data import TrainingData

__all__ = ["JiebaTokenizer", "tokenize"]


def tokenize(tokenizer: object, text: str, *, hmm: bool = True) -> list[Token]:
    """Segment ``text`` with a jieba ``Tokenizer``; whitespace is dropped."""
    return [
        Token(word, start, end)
        for word, start, end in tokenizer.tokenize(text, HMM=hmm)  # type: ignore[attr-defined]
        if word.strip()
    ]


class JiebaTokenizer(Component):
    """Splits the working text into words, keeping domain words whole.

    The domain dictionary (entity examples, lookup tables, synonyms, product names)
    comes from the training data through ``Resources.domain_words``; it is persisted
    by the pipeline, so a loaded model segments exactly as the trained one.
    """

    @dataclass(frozen=True)
    class Config:
        hmm: bool = True  # jieba's HMM finds unknown words (names, new products)

    requires: ClassVar[tuple[str, ...]] = ("working_text",)
    provides: ClassVar[tuple[str, ...]] = ("tokens",)

    def initialize(self) -> None:
        self.resources.jieba()

    def train(self, data: TrainingData, messages: list[Message]) -> None:
        self.resources.add_domain_words(data.domain_words())

    def process(self, message: Message) -> Message:
        message.tokens = tokenize(self.resources.jieba(), message.working_text, hmm=self.config.hmm)
        return message
