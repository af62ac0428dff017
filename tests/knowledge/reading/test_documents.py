"""Documents: front matter, chunking with offsets, clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.catalogue import load_catalogue
from knowledge.reading import (
    Document,
    DocumentError,
    chunk_document,
    load_document,
    load_documents,
    parse_document,
    split_sentences,
)


def test_load_documents_reads_front_matter(documents_dir: Path) -> None:
    documents = {d.id: d for d in load_documents(documents_dir)}
    prospectus = documents["prospectus_test_001"]
    assert prospectus.kind == "prospectus"
    assert prospectus.products == ("990001",)
    assert prospectus.title == "测试稳健债券产品说明书"
    assert str(prospectus.date) == "2025-01-02"
    assert documents["news_test_rrr"].products == ()


def test_chunk_document_offsets_point_into_the_text(documents_dir: Path) -> None:
    for document in load_documents(documents_dir):
        passages = chunk_document(document, max_chars=40)
        assert passages
        for passage in passages:
            assert document.text[passage.start : passage.end] == passage.text
            assert len(passage.text) <= 40


def test_chunk_document_keeps_headings_and_overlaps() -> None:
    text = "# 概况\n第一句话。第二句话！第三句话？第四句话；第五句话。\n\n## 费率\n管理费率为每年1.2%。"
    document = Document(id="d1", title="t", kind="notice", text=text)
    passages = chunk_document(document, max_chars=20, overlap_sentences=1)
    assert [p.heading for p in passages][-1] == "费率"
    assert all(not p.text.startswith("#") for p in passages)
    first, second = passages[0], passages[1]
    assert second.start < first.end  # one sentence of overlap
    assert passages[-1].text == "管理费率为每年1.2%。"


def test_chunk_document_cuts_an_overlong_sentence() -> None:
    document = Document(id="d2", title="t", kind="news", text="很" * 500)
    passages = chunk_document(document, max_chars=100)
    assert [len(p.text) for p in passages] == [100] * 5


def test_split_sentences_handles_chinese_and_ascii_marks() -> None:
    text = "第一句。第二句！Third one? 第四句"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["第一句。", "第二句！", "Third one?", "第四句"]


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "has no text"), ("   \n\n  ", "has no text")],
    ids=["empty", "only_whitespace"],
)
def test_document_without_text_names_the_file(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "empty_notice.md"
    path.write_text(f"---\nid: n1\ntitle: 空公告\nkind: notice\n---\n{body}", encoding="utf-8")
    with pytest.raises(DocumentError, match=message) as caught:
        load_document(path)
    assert "empty_notice.md" in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("没有前言的正文", "front matter"),
        ("---\ntitle: 无编号\n---\n正文", "'id'"),
        ("---\nid: a\ntitle: 类型错\nkind: blog\n---\n正文", "kind"),
        ("---\nid: a\ntitle: 日期错\ndate: 明天\n---\n正文", "YYYY-MM-DD"),
        ("---\nid: [a\n---\n正文", "not valid YAML"),
    ],
    ids=["no_front_matter", "missing_id", "unknown_kind", "bad_date", "bad_yaml"],
)
def test_parse_document_rejects_bad_front_matter(raw: str, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        parse_document(raw, "bad.md")


def test_load_documents_rejects_duplicate_ids(documents_dir: Path) -> None:
    (documents_dir / "copy.md").write_text(
        (documents_dir / "news.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(DocumentError, match="duplicate document id 'news_test_rrr'"):
        load_documents(documents_dir)


def test_load_documents_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such documents folder"):
        load_documents(tmp_path / "nowhere")


def test_shipped_documents_cover_every_product_and_many_notices() -> None:
    documents = load_documents()
    prospectus_products = {code for d in documents if d.kind == "prospectus" for code in d.products}
    assert prospectus_products == {p.code for p in load_catalogue()}
    assert sum(d.kind in ("notice", "news") for d in documents) >= 12
    assert all(d.fictional for d in documents)
    assert all("虚构" in d.text for d in documents)
