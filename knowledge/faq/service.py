"""Keeps the FAQ store and the live retriever in step: every write goes to both."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from knowledge.faq.formats import dump_faqs, load_faqs
from knowledge.faq.model import FaqEntry
from knowledge.faq.retriever import FaqResult, FaqRetriever
from knowledge.faq.store import FaqStore

__all__ = ["FaqService"]


class FaqService:
    """The store (source of truth) plus the index that serves it.

    Args:
        store: where entries are kept.
        retriever: the live index; filled from the store on construction.
    """

    def __init__(self, store: FaqStore, retriever: FaqRetriever) -> None:
        self.store = store
        self.retriever = retriever
        entries = store.entries()
        if entries:
            retriever.upsert_many(entries)

    def add(self, entry: FaqEntry) -> None:
        """Store a new entry and serve it from the next query.

        Raises:
            DuplicateFaqIdError: the id is taken.
        """
        self.store.add(entry)
        self.retriever.upsert(entry)

    def update(self, entry: FaqEntry) -> None:
        """Replace an entry in the store and the index.

        Raises:
            FaqNotFoundError: no such entry.
        """
        self.store.update(entry)
        self.retriever.upsert(entry)

    def delete(self, faq_id: str) -> None:
        """Remove an entry from the store and the index.

        Raises:
            FaqNotFoundError: no such entry.
        """
        self.store.delete(faq_id)
        if faq_id in self.retriever:
            self.retriever.remove(faq_id)

    def import_file(self, path: Path | str) -> int:
        """Add every entry of a YAML/CSV/XLSX file (all or none); returns how many.

        Raises:
            FaqFormatError: a bad file or row.
            DuplicateFaqIdError: an id repeats in the file or is already stored.
        """
        entries = load_faqs(path)
        self.store.add_many(entries)
        self.retriever.upsert_many(entries)
        return len(entries)

    def export_file(self, path: Path | str) -> int:
        """Write every stored entry to ``path`` (format by extension); returns how many."""
        entries = self.store.entries()
        dump_faqs(entries, path)
        return len(entries)

    def ask(self, question: str, now: datetime | None = None) -> FaqResult:
        """Answer ``question`` from the entries servable at ``now``."""
        return self.retriever.search(question, now)
