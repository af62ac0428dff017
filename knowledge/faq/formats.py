"""Import and export FAQ entries as YAML, CSV and Excel (.xlsx).

YAML (``faqs:`` list, one mapping per entry)::

    faqs:
      - id: redeem_arrival
        question: 赎回多久到账
        paraphrases: [赎回的钱什么时候到, ...]
        answer: 赎回资金一般在 T+1 ... # or {text: ..., buttons: [{title, payload}], links: [{title, url}]}
        category: 交易规则
        tags: [赎回]
        channels: {voice: ..., sms: ...}
        valid_from: 2026-01-01T00:00:00+08:00   # optional
        valid_until: null                         # optional
        status: published                         # or draft

CSV and XLSX hold one row per entry under the header ``COLUMNS``. List cells join their
items with ``LIST_SEPARATOR`` (``||``); a button or link item is ``title => payload`` /
``title => url``. Errors name the file and the row (the header is row 1).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from knowledge.faq.errors import DuplicateFaqIdError, FaqError, FaqFormatError
from knowledge.faq.model import Channel, FaqAnswer, FaqButton, FaqEntry, FaqLink, FaqStatus

__all__ = ["COLUMNS", "LIST_SEPARATOR", "dump_faqs", "load_faqs"]

LIST_SEPARATOR = "||"
PAIR_SEPARATOR = "=>"
COLUMNS: tuple[str, ...] = (
    "id", "question", "paraphrases", "answer", "buttons", "links", "category", "tags",
    "answer_app", "answer_voice", "answer_sms", "valid_from", "valid_until", "status",
)  # fmt: skip
_REQUIRED = ("id", "question", "answer")


def load_faqs(path: Path | str) -> list[FaqEntry]:
    """Read entries from a ``.yml``/``.yaml``, ``.csv`` or ``.xlsx`` file.

    Raises:
        FaqFormatError: unreadable file, unknown extension, or a bad row (file and row named).
        DuplicateFaqIdError: two rows share an id (also a ``FaqFormatError`` subclass is not
            used so callers can tell the cases apart; the message names file and row).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    readers = {".yml": _read_yaml, ".yaml": _read_yaml, ".csv": _read_csv, ".xlsx": _read_xlsx}
    if suffix not in readers:
        raise FaqFormatError(path, f"unknown FAQ file type {suffix!r}: use .yml, .yaml, .csv or .xlsx")
    if not path.is_file():
        raise FaqFormatError(path, "file not found")
    entries: list[FaqEntry] = []
    seen: dict[str, int] = {}
    for row_number, record in readers[suffix](path):
        entry = _entry_or_error(path, row_number, record, nested=suffix in {".yml", ".yaml"})
        if entry.faq_id in seen:
            where = f"{path}, row {row_number}; first at row {seen[entry.faq_id]}"
            raise DuplicateFaqIdError(entry.faq_id, where)
        seen[entry.faq_id] = row_number
        entries.append(entry)
    return entries


def dump_faqs(entries: Iterable[FaqEntry], path: Path | str) -> None:
    """Write entries to ``path``; the extension picks YAML, CSV or XLSX.

    Raises:
        FaqFormatError: unknown extension or the file cannot be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    entries = list(entries)
    try:
        if suffix in {".yml", ".yaml"}:
            data = {"faqs": [_yaml_record(e) for e in entries]}
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        elif suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(COLUMNS)
                writer.writerows([_flat_record(e)[c] for c in COLUMNS] for e in entries)
        elif suffix == ".xlsx":
            _write_xlsx(entries, path)
        else:
            raise FaqFormatError(path, f"unknown FAQ file type {suffix!r}: use .yml, .yaml, .csv or .xlsx")
    except OSError as exc:
        raise FaqFormatError(path, f"cannot write: {exc}") from exc


# ---------------------------------------------------------------- readers


def _read_yaml(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FaqFormatError(path, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("faqs"), list):
        raise FaqFormatError(path, "expected a mapping with a 'faqs:' list")
    records = []
    for number, item in enumerate(data["faqs"], start=1):
        if not isinstance(item, dict):
            raise FaqFormatError(path, "each FAQ must be a mapping", row=number)
        records.append((number, item))
    return records


def _read_csv(path: Path) -> list[tuple[int, dict[str, Any]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise FaqFormatError(path, f"cannot read CSV: {exc}") from exc
    return _table_records(path, rows)


def _read_xlsx(path: Path) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors
        raise FaqFormatError(path, f"cannot read Excel workbook: {exc}") from exc
    try:
        rows = [["" if v is None else v for v in row] for row in book.active.iter_rows(values_only=True)]
    finally:
        book.close()
    return _table_records(path, rows)


def _table_records(path: Path, rows: list[list[Any]]) -> list[tuple[int, dict[str, Any]]]:
    if not rows:
        raise FaqFormatError(path, "the file is empty; expected a header row", row=1)
    header = [str(h).strip().lower() for h in rows[0]]
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise FaqFormatError(path, f"header lacks column(s) {', '.join(missing)}", row=1)
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise FaqFormatError(path, f"unknown column(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}", 1)
    records = []
    for number, row in enumerate(rows[1:], start=2):
        if all(str(v).strip() == "" for v in row):
            continue
        if len(row) > len(header) and any(str(v).strip() for v in row[len(header) :]):
            raise FaqFormatError(path, f"{len(row)} cells but {len(header)} columns", row=number)
        records.append((number, {h: v for h, v in zip(header, row, strict=False) if h}))
    return records


# ---------------------------------------------------------------- records <-> entries


def _entry_or_error(path: Path, row: int, record: dict[str, Any], nested: bool) -> FaqEntry:
    try:
        return _nested_entry(record) if nested else _flat_entry(record)
    except DuplicateFaqIdError:
        raise
    except (FaqError, ValueError, TypeError, KeyError, AttributeError) as exc:
        message = f"missing key {exc.args[0]!r}" if isinstance(exc, KeyError) and exc.args else str(exc)
        raise FaqFormatError(path, message, row=row) from exc


def _nested_entry(record: dict[str, Any]) -> FaqEntry:
    _require(record, ("id", "question", "answer"))
    unknown = set(record) - {"id", "question", "paraphrases", "answer", "category", "tags", "channels",
                             "valid_from", "valid_until", "status"}  # fmt: skip
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    answer = record["answer"]
    if isinstance(answer, dict):
        buttons = tuple(FaqButton(str(b["title"]), str(b["payload"])) for b in answer.get("buttons") or [])
        links = tuple(FaqLink(str(li["title"]), str(li["url"])) for li in answer.get("links") or [])
        answer_value = FaqAnswer(str(answer.get("text") or ""), buttons, links)
    else:
        answer_value = FaqAnswer(str(answer))
    return FaqEntry(
        faq_id=str(record["id"]),
        question=str(record["question"]).strip(),
        answer=answer_value,
        paraphrases=tuple(str(p) for p in _as_list(record.get("paraphrases"), "paraphrases")),
        category=str(record.get("category") or ""),
        tags=tuple(str(t) for t in _as_list(record.get("tags"), "tags")),
        channel_answers={Channel(k): str(v) for k, v in (record.get("channels") or {}).items() if v},
        valid_from=_moment(record.get("valid_from"), "valid_from"),
        valid_until=_moment(record.get("valid_until"), "valid_until"),
        status=FaqStatus(str(record.get("status") or "published")),
    )


def _flat_entry(record: dict[str, Any]) -> FaqEntry:
    _require(record, _REQUIRED)
    cell = {k: ("" if v is None else str(v).strip()) for k, v in record.items()}
    answer = FaqAnswer(
        text=cell["answer"],
        buttons=tuple(FaqButton(*_pair(item, "buttons")) for item in _split(cell.get("buttons", ""))),
        links=tuple(FaqLink(*_pair(item, "links")) for item in _split(cell.get("links", ""))),
    )
    channels = {c: cell.get(f"answer_{c.value}", "") for c in Channel}
    return FaqEntry(
        faq_id=cell["id"],
        question=cell["question"],
        answer=answer,
        paraphrases=tuple(_split(cell.get("paraphrases", ""))),
        category=cell.get("category", ""),
        tags=tuple(_split(cell.get("tags", ""))),
        channel_answers={c: text for c, text in channels.items() if text},
        valid_from=_moment(record.get("valid_from"), "valid_from"),
        valid_until=_moment(record.get("valid_until"), "valid_until"),
        status=FaqStatus(cell.get("status") or "published"),
    )


def _yaml_record(entry: FaqEntry) -> dict[str, Any]:
    answer: Any = entry.answer.text
    if entry.answer.buttons or entry.answer.links:
        answer = {"text": entry.answer.text}
        if entry.answer.buttons:
            answer["buttons"] = [{"title": b.title, "payload": b.payload} for b in entry.answer.buttons]
        if entry.answer.links:
            answer["links"] = [{"title": li.title, "url": li.url} for li in entry.answer.links]
    record: dict[str, Any] = {"id": entry.faq_id, "question": entry.question}
    record["paraphrases"] = list(entry.paraphrases)
    record["answer"] = answer
    record["category"] = entry.category
    record["tags"] = list(entry.tags)
    if entry.channel_answers:
        record["channels"] = {c.value: t for c, t in entry.channel_answers.items()}
    for key in ("valid_from", "valid_until"):
        moment = getattr(entry, key)
        if moment is not None:
            record[key] = moment.isoformat()
    record["status"] = entry.status.value
    return record


def _flat_record(entry: FaqEntry) -> dict[str, str]:
    join = LIST_SEPARATOR.join
    return {
        "id": entry.faq_id,
        "question": entry.question,
        "paraphrases": join(entry.paraphrases),
        "answer": entry.answer.text,
        "buttons": join(f"{b.title} {PAIR_SEPARATOR} {b.payload}" for b in entry.answer.buttons),
        "links": join(f"{li.title} {PAIR_SEPARATOR} {li.url}" for li in entry.answer.links),
        "category": entry.category,
        "tags": join(entry.tags),
        **{f"answer_{c.value}": entry.channel_answers.get(c, "") for c in Channel},
        "valid_from": entry.valid_from.isoformat() if entry.valid_from else "",
        "valid_until": entry.valid_until.isoformat() if entry.valid_until else "",
        "status": entry.status.value,
    }


def _write_xlsx(entries: list[FaqEntry], path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "faq"
    sheet.append(list(COLUMNS))
    for entry in entries:
        flat = _flat_record(entry)
        sheet.append([flat[c] for c in COLUMNS])
    book.save(path)


# ---------------------------------------------------------------- cells


def _require(record: dict[str, Any], keys: Iterable[str]) -> None:
    for key in keys:
        value = record.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError(f"missing {key!r}")


def _as_list(value: Any, key: str) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ValueError(f"{key!r} must be a list")
    return value


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _pair(item: str, column: str) -> tuple[str, str]:
    title, sep, value = item.partition(PAIR_SEPARATOR)
    if not sep or not title.strip() or not value.strip():
        raise ValueError(f"{column!r} item {item!r} must look like 'title {PAIR_SEPARATOR} value'")
    return title.strip(), value.strip()


def _moment(value: Any, key: str) -> datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"{key!r} {value!r} is not an ISO date-time (2026-01-31T00:00:00+08:00)") from exc
