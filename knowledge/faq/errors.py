"""Errors of the FAQ store, its file formats and its retriever.

Hierarchy::

    FaqError
    ├── FaqValidationError     an entry breaks a rule (empty question, bad status, window)
    ├── DuplicateFaqIdError    two entries share an id (in a file or in the store)
    ├── FaqNotFoundError       no entry with that id
    └── FaqFormatError         a YAML/CSV/XLSX file cannot be read; names the file and row
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DuplicateFaqIdError", "FaqError", "FaqFormatError", "FaqNotFoundError", "FaqValidationError"]


class FaqError(Exception):
    """Base class of every FAQ error."""


class FaqValidationError(FaqError, ValueError):
    """An entry breaks a rule of the model."""


class DuplicateFaqIdError(FaqError, ValueError):
    """Two entries share one id."""

    def __init__(self, faq_id: str, where: str = "") -> None:
        self.faq_id = faq_id
        suffix = f" ({where})" if where else ""
        super().__init__(f"duplicate FAQ id {faq_id!r}{suffix}: ids must be unique")


class FaqNotFoundError(FaqError, KeyError):
    """No entry has the id asked for."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "FAQ entry not found"


class FaqFormatError(FaqError, ValueError):
    """A file of entries cannot be read.

    Attributes:
        path: the file.
        row: 1-based row (CSV/XLSX, header is row 1) or entry number (YAML); None for the whole file.
    """

    def __init__(self, path: Path | str, message: str, row: int | None = None) -> None:
        self.path = Path(path)
        self.row = row
        where = f"{self.path}" + (f", row {row}" if row is not None else "")
        super().__init__(f"{where}: {message}")
