"""The document reader: answers from the shipped documents, and "no answer" when it should."""

from __future__ import annotations

import pytest

from knowledge.reading import DocumentReader


@pytest.mark.parametrize(
    ("question", "expected", "doc_id"),
    [
        ("瑞丰稳享货币A赎回多久到账？", "T+1", "prospectus_970001"),
        ("瑞丰安心纯债A赎回后钱几天能到账", "T+3", "prospectus_971001"),
        ("泰和90天滚动短债的封闭期是多少天", "90天", "prospectus_971402"),
        ("长润添利货币起购金额是多少", "100元", "prospectus_970301"),
        ("瑞丰成长混合A的基金经理是谁", "张明", "prospectus_972001"),
        ("瑞丰科技创新股票的风险等级是什么", "R5", "prospectus_973001"),
    ],
    ids=[
        "redeem_settlement",
        "redeem_settlement_paraphrase",
        "closed_period",
        "min_amount",
        "manager",
        "risk",
    ],
)
def test_reader_answers_from_prospectus(
    shipped_reader: DocumentReader, question: str, expected: str, doc_id: str
) -> None:
    answer = shipped_reader.answer(question)
    assert answer.answered, answer.reason
    assert expected in answer.text
    assert answer.doc_id == doc_id
    assert answer.products and answer.kind == "prospectus"
    assert 0.0 < answer.confidence <= 1.0


def test_reader_answer_offsets_point_into_the_document(shipped_reader: DocumentReader) -> None:
    answer = shipped_reader.answer("瑞丰稳享货币A赎回多久到账？")
    document = shipped_reader.retriever.documents[answer.doc_id]
    assert document.text[answer.start : answer.end] == answer.text
    assert answer.passage is not None and answer.text in answer.passage.text
    assert answer.passage.start <= answer.start < answer.end <= answer.passage.end


def test_reader_answers_from_notices(shipped_reader: DocumentReader) -> None:
    answer = shipped_reader.answer("瑞丰成长混合A的新任基金经理是谁？")
    assert answer.answered and "陈嘉言" in answer.text
    assert answer.kind == "notice"


@pytest.mark.parametrize(
    "question",
    ["今天天气怎么样", "帮我订一张去北京的机票", "给我讲个笑话", "红烧肉怎么做"],
    ids=["weather", "flight", "joke", "recipe"],
)
def test_reader_has_no_answer_for_unrelated_questions(shipped_reader: DocumentReader, question: str) -> None:
    answer = shipped_reader.answer(question)
    assert not answer.answered
    assert answer.reason in ("low_overlap", "no_passage", "low_confidence")


@pytest.mark.parametrize("question", ["", "   ", "？？"], ids=["empty", "spaces", "punctuation"])
def test_reader_empty_question_is_no_answer(shipped_reader: DocumentReader, question: str) -> None:
    answer = shipped_reader.answer(question)
    assert not answer.answered and answer.confidence == 0.0


def test_reader_handles_a_5000_character_question(shipped_reader: DocumentReader) -> None:
    question = "我想问一下" * 1000 + "瑞丰稳享货币A赎回多久到账？"
    assert len(question) > 5000
    answer = shipped_reader.answer(question)
    assert len(answer.question) <= 200
    assert answer.answered and "T+1" in answer.text


def test_reader_to_dict_is_json_ready(shipped_reader: DocumentReader) -> None:
    import json

    payload = shipped_reader.answer("泰和90天滚动短债的封闭期是多少天").to_dict()
    assert json.loads(json.dumps(payload, ensure_ascii=False))["title"] == "泰和90天滚动短债产品说明书"


def test_reader_over_own_folder(documents_dir) -> None:
    reader = DocumentReader.from_config(documents_dir)
    answer = reader.answer("测试稳健债券的起购金额是多少")
    assert answer.answered and answer.text == "1000元"
    assert answer.title == "测试稳健债券产品说明书"


@pytest.mark.parametrize("question", ["赎回多久到账？", "起购金额是多少"], ids=["settlement", "min_amount"])
def test_reader_asks_which_product_when_prospectuses_tie(
    shipped_reader: DocumentReader, question: str
) -> None:
    answer = shipped_reader.answer(question)
    assert not answer.answered and answer.reason == "ambiguous_product"


def test_reader_reads_about_the_hinted_product(shipped_reader: DocumentReader) -> None:
    answer = shipped_reader.answer("赎回多久到账？", product_hint="瑞丰安心纯债A")
    assert answer.answered and "T+3" in answer.text
    assert answer.doc_id == "prospectus_971001"
