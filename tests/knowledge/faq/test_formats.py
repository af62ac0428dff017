from __future__ import annotations

import csv
from pathlib import Path

import pytest

from knowledge.faq import DuplicateFaqIdError, FaqEntry, FaqFormatError, dump_faqs, load_faqs
from knowledge.faq.defaults import DEFAULT_FAQ_PATH
from knowledge.faq.formats import COLUMNS, LIST_SEPARATOR


@pytest.mark.parametrize("suffix", [".yml", ".csv", ".xlsx"], ids=["yaml", "csv", "xlsx"])
def test_formats_round_trip_every_field(tmp_path: Path, small_faq: tuple[FaqEntry, ...], suffix: str) -> None:
    path = tmp_path / f"faq{suffix}"
    dump_faqs(small_faq, path)
    assert load_faqs(path) == list(small_faq)


def test_formats_csv_joins_paraphrases_with_separator(
    tmp_path: Path, small_faq: tuple[FaqEntry, ...]
) -> None:
    path = tmp_path / "faq.csv"
    dump_faqs(small_faq[:1], path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["paraphrases"].split(LIST_SEPARATOR) == list(small_faq[0].paraphrases)
    assert row["buttons"] == "查看赎回进度 => /check_redemption"


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (["b", "", "", "答案"], "missing 'question'"),
        (["b", "问题", "", "答案", "", "", "", "", "", "", "", "", "", "pending"], "pending"),
        (["b", "问题", "", "答案", "", "", "", "", "", "", "", "明天", "", ""], "valid_from"),
        (["b", "问题", "", "答案", "没有箭头"], "buttons"),
        (["赎回", "问题", "", "答案"], "bad FAQ id"),
    ],
    ids=["no_question", "bad_status", "bad_date", "bad_button", "bad_id"],
)
def test_formats_csv_error_names_file_and_row(tmp_path: Path, bad_row: list[str], message: str) -> None:
    good = ["a", "赎回多久到账", "赎回几天到||钱多久回来", "一般 T+1 到账"]
    path = _write_csv(tmp_path / "ops.csv", [list(COLUMNS), good, bad_row])
    with pytest.raises(FaqFormatError, match=message) as caught:
        load_faqs(path)
    assert caught.value.row == 3 and caught.value.path == path
    assert "ops.csv, row 3" in str(caught.value)


def test_formats_duplicate_id_names_both_rows(tmp_path: Path) -> None:
    row = ["same_id", "赎回多久到账", "", "一般 T+1 到账"]
    path = _write_csv(tmp_path / "dup.csv", [["id", "question", "paraphrases", "answer"], row, row])
    with pytest.raises(DuplicateFaqIdError, match=r"row 3; first at row 2"):
        load_faqs(path)


def test_formats_xlsx_error_names_row(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["id", "question", "answer"])
    book.active.append(["ok", "问题一", "答案一"])
    book.active.append(["no_answer", "问题二", None])
    book.save(tmp_path / "ops.xlsx")
    with pytest.raises(FaqFormatError, match=r"ops.xlsx, row 3: missing 'answer'"):
        load_faqs(tmp_path / "ops.xlsx")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.yml", "faqs: [1, 2]", "row 1: each FAQ must be a mapping"),
        ("b.yml", "faq:\n  - id: x", "expected a mapping with a 'faqs:' list"),
        ("c.yml", "faqs: [{id: x, question: q, answer: a, colour: red}]", "unknown key"),
        ("d.yml", "faqs: [\n", "not valid YAML"),
        ("e.csv", "", "empty"),
        ("f.csv", "id,question\nx,y\n", "lacks column"),
        ("g.csv", "id,question,answer,shoe_size\nx,y,z,42\n", "unknown column"),
        ("h.txt", "x", "unknown FAQ file type"),
        ("i.xlsx", "not a zip", "cannot read Excel"),
    ],
    ids=["item_not_mapping", "no_faqs_key", "unknown_key", "broken_yaml", "empty_csv", "no_answer_col",
         "unknown_col", "bad_extension", "bad_xlsx"],
)  # fmt: skip
def test_formats_bad_files_raise_format_error(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FaqFormatError, match=message):
        load_faqs(path)


def test_formats_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(FaqFormatError, match="file not found"):
        load_faqs(tmp_path / "none.yml")


def test_formats_shipped_faq_is_large_and_compliant() -> None:
    entries = load_faqs(DEFAULT_FAQ_PATH)
    assert len(entries) >= 80
    assert all(len(e.paraphrases) >= 3 for e in entries)
    banned = ("保本", "稳赚", "零风险", "保证收益", "保证本金")
    assert not [e.faq_id for e in entries if any(word in e.answer.text for word in banned)]
