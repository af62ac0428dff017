"""Documents (prospectus, notices, news) and their passages for reading comprehension.

A document is a Markdown or plain-text file with a small YAML front matter::

    ---
    id: notice_dividend_wb0003
    title: 关于稳盈债券A分红的公告
    kind: notice            # prospectus / notice / news
    products: [WB0003]      # product codes it is about (may be empty)
    date: 2025-06-12
    ---
    正文……

``Document.text`` is the body after the front matter. Passages are bounded runs of
whole sentences, cut inside paragraphs, with one sentence of overlap; every passage keeps
``start``/``end`` offsets so that ``document.text[start:end] == passage.text``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_DOCUMENTS_DIR",
    "DOCUMENT_KINDS",
    "Document",
    "DocumentError",
    "Passage",
    "chunk_document",
    "load_document",
    "load_documents",
    "parse_document",
    "split_sentences",
]

DEFAULT_DOCUMENTS_DIR = Path(__file__).resolve().parents[1] / "data" / "documents"
DOCUMENT_KINDS = ("prospectus", "notice", "news")
_SUFFIXES = (".md", ".txt")
_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
# a sentence ends after 。！？；!?; or a line break, with closing quotes/brackets kept in it
_SENTENCE_END_RE = re.compile(r"[。！？；!?;]+[”’」』）)\]】]*|\n+")
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s*(.+?)\s*#*\s*$")


class DocumentError(ValueError):
    """A document file is unreadable, has bad front matter or no text; the message names the file."""


@dataclass(frozen=True)
class Document:
    """One document; ``text`` is its body, the string every offset points into."""

    id: str
    title: str
    kind: str
    text: str
    products: tuple[str, ...] = ()
    date: dt.date | None = None
    source: str = ""
    fictional: bool = True
    meta: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Passage:
    """A chunk of a document: ``document.text[start:end] == text``; ``heading`` is its section title."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    heading: str = ""


def parse_document(raw: str, source: str = "<string>") -> Document:
    """Build a document from file content (front matter + body).

    Args:
        raw: the file's text.
        source: where it came from, for error messages.

    Raises:
        DocumentError: bad front matter, a missing ``id``/``title``, an unknown ``kind``
            or a body with no text.
    """
    match = _FRONT_MATTER_RE.match(raw)
    if match is None:
        raise DocumentError(f"{source}: expected a YAML front matter between '---' lines at the top")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise DocumentError(f"{source}: front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise DocumentError(f"{source}: front matter must be a mapping")
    for key in ("id", "title"):
        if not str(meta.get(key) or "").strip():
            raise DocumentError(f"{source}: front matter misses {key!r}")
    kind = str(meta.get("kind") or "notice")
    if kind not in DOCUMENT_KINDS:
        raise DocumentError(f"{source}: kind {kind!r} is not one of {', '.join(DOCUMENT_KINDS)}")
    body = raw[match.end() :]
    if not body.strip():
        raise DocumentError(f"{source}: document {meta['id']!r} has no text")
    products = meta.get("products") or ()
    if isinstance(products, str):
        products = (products,)
    return Document(
        id=str(meta["id"]),
        title=str(meta["title"]),
        kind=kind,
        text=body,
        products=tuple(str(p) for p in products),
        date=_date(meta.get("date"), source),
        source=source,
        fictional=bool(meta.get("fictional", True)),
        meta=meta,
    )


def load_document(path: str | Path) -> Document:
    """Read one document file (UTF-8).

    Raises:
        DocumentError: the file is missing, not UTF-8, or not a valid document.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path}: cannot read document: {exc}") from exc
    return parse_document(raw, str(path))


def load_documents(folder: str | Path | None = None) -> list[Document]:
    """Read every ``*.md``/``*.txt`` document under ``folder`` (the shipped ones by default).

    Raises:
        DocumentError: the folder is missing, a file is invalid, or two files share an id.
    """
    root = Path(folder) if folder is not None else DEFAULT_DOCUMENTS_DIR
    if not root.is_dir():
        raise DocumentError(f"{root}: no such documents folder")
    documents: dict[str, Document] = {}
    for path in sorted(p for p in root.rglob("*") if p.suffix in _SUFFIXES and p.is_file()):
        if path.name.lower().startswith("readme"):
            continue
        document = load_document(path)
        if document.id in documents:
            raise DocumentError(
                f"{path}: duplicate document id {document.id!r} (also in {documents[document.id].source})"
            )
        documents[document.id] = document
    return list(documents.values())


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text[start:end]`` (Chinese and ASCII end marks, line breaks).

    Returns:
        ``(start, end)`` pairs indexing ``text``, whitespace trimmed, empty ones dropped.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    position = start
    for match in _SENTENCE_END_RE.finditer(text, start, end):
        spans.append((position, match.end()))
        position = match.end()
    spans.append((position, end))
    return [trimmed for s, e in spans if (trimmed := _trim(text, s, e)) is not None]


def chunk_document(document: Document, max_chars: int = 220, overlap_sentences: int = 1) -> list[Passage]:
    """Cut a document into passages of whole sentences within paragraphs.

    Args:
        document: the document.
        max_chars: a passage's length bound; a longer single sentence is cut into pieces.
        overlap_sentences: sentences repeated at the start of the next passage of a paragraph.

    Returns:
        Passages in document order; headings (Markdown ``#`` lines) become the ``heading``
        of the passages below them and are not passages themselves.

    Raises:
        ValueError: ``max_chars`` below 20 or a negative overlap.
    """
    if max_chars < 20 or overlap_sentences < 0:
        raise ValueError("max_chars must be >= 20 and overlap_sentences >= 0")
    passages: list[Passage] = []
    heading = ""
    for para_start, para_end in _paragraphs(document.text):
        line = document.text[para_start:para_end]
        if (found := _HEADING_RE.match(line)) is not None and "\n" not in line:
            heading = found.group(1)
            continue
        sentences = [
            piece
            for span in split_sentences(document.text, para_start, para_end)
            for piece in _cut(span, max_chars)
        ]
        for start, end in _windows(sentences, max_chars, overlap_sentences):
            passages.append(
                Passage(document.id, len(passages), start, end, document.text[start:end], heading)
            )
    return passages


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Paragraph spans: blocks of lines separated by blank lines; a heading line is a block of its own."""
    offset = 0
    block: tuple[int, int] | None = None
    for line in text.splitlines(keepends=True):
        start, end = offset, offset + len(line.rstrip("\r\n"))
        offset += len(line)
        is_heading = _HEADING_RE.match(text[start:end]) is not None
        if not text[start:end].strip() or is_heading:
            if block is not None:
                yield from _nonblank(text, *block)
                block = None
            if is_heading:
                yield from _nonblank(text, start, end)
            continue
        block = (block[0] if block else start, end)
    if block is not None:
        yield from _nonblank(text, *block)


def _nonblank(text: str, start: int, end: int) -> list[tuple[int, int]]:
    trimmed = _trim(text, start, end)
    return [trimmed] if trimmed is not None else []


def _windows(sentences: list[tuple[int, int]], max_chars: int, overlap: int) -> Iterator[tuple[int, int]]:
    """Greedy runs of consecutive sentences whose span stays within ``max_chars``."""
    first = 0
    while first < len(sentences):
        last = first
        while last + 1 < len(sentences) and sentences[last + 1][1] - sentences[first][0] <= max_chars:
            last += 1
        yield sentences[first][0], sentences[last][1]
        if last + 1 >= len(sentences):
            return
        first = max(first + 1, last + 1 - overlap)


def _cut(span: tuple[int, int], max_chars: int) -> list[tuple[int, int]]:
    start, end = span
    return [(s, min(s + max_chars, end)) for s in range(start, end, max_chars)]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _date(value: Any, source: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DocumentError(f"{source}: date {value!r} is not YYYY-MM-DD") from exc
