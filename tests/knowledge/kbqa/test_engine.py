"""End-to-end KBQA: attribute answers, comparisons, filters, clarifications and no-answers."""

from __future__ import annotations

import pytest

from knowledge.catalogue import Catalogue, Product
from knowledge.kbqa import AnswerKind, Attribute, ProductQA, QuestionType
from risk_hooks.notices import RISK_NOTICE
from risk_hooks.outbound import OutboundFilter

ATTRIBUTE_CASES = [
    ("稳享A风险高吗", "970001", Attribute.RISK, "R1"),
    ("970001起购金额是多少", "970001", Attribute.MIN_AMOUNT, "1元"),
    ("安澜稳利一年期的期限多长", "LC23A365", Attribute.TERM, "1年（365天）"),
    ("日日盈能随时取吗", "970101", Attribute.TERM, "开放式"),
    ("瑞丰成长混合A的申购费", "972001", Attribute.FEE_SUBSCRIPTION, "1.20%"),
    ("瑞丰科技创新股票赎回费", "973001", Attribute.FEE_REDEMPTION, "持有不满7天1.50%"),
    ("安心纯债A管理费多少", "971001", Attribute.FEE_MANAGEMENT, "管理费0.30%/年"),
    ("稳享C收费吗", "970002", Attribute.FEES, "不收申购费"),
    ("瑞丰沪深300指数A的净值", "974001", Attribute.NAV, "最新单位净值"),
    ("成长混合近一年收益怎么样", "972001", Attribute.RETURN, "近一年净值"),
    ("稳想货币A近三个月收益", "970001", Attribute.RETURN, "近3个月净值"),
    ("瑞丰成长混合A的基金经理是谁", "972001", Attribute.MANAGER, "张明"),
    ("日日盈是哪家公司的", "970101", Attribute.COMPANY, "恒信基金"),
    ("信用增利是什么类型的", "971101", Attribute.TYPE, "债券"),
    ("LC23A365的业绩比较基准", "LC23A365", Attribute.BENCHMARK, "年化2.80%-3.50%"),
    ("天天利还能买吗", "970401", Attribute.STATUS, "暂停申购"),
    ("一千块能买安澜月月盈吗", "LC23A030", Attribute.MIN_AMOUNT, "达到起购金额"),
    ("五百块够买季季红吗", "LC23A090", Attribute.MIN_AMOUNT, "暂时不够购买"),
    ("介绍一下稳享A", "970001", Attribute.OVERVIEW, "瑞丰稳享货币A（970001）"),
]


@pytest.mark.parametrize(
    ("question", "code", "attribute", "fragment"),
    ATTRIBUTE_CASES,
    ids=[f"{a.value}_{i}" for i, (_, _, a, _) in enumerate(ATTRIBUTE_CASES)],
)
def test_answer_gives_the_asked_fact(
    qa: ProductQA, question: str, code: str, attribute: Attribute, fragment: str
) -> None:
    answer = qa.answer(question)
    assert answer.kind is AnswerKind.ANSWER and answer.question_type is QuestionType.ATTRIBUTE
    assert answer.products == (code,) and answer.attribute is attribute
    assert fragment in answer.text


def test_answer_phrases_returns_as_past(qa: ProductQA) -> None:
    text = qa.answer("瑞丰成长混合A近一年收益").text
    assert "近一年净值" in text and "过往业绩不代表未来表现" in text
    assert not any(word in text for word in ("保本", "稳赚", "零风险", "预计", "将会"))


@pytest.mark.parametrize(
    ("question", "caveat"),
    [("稳享A保本吗", "该产品不承诺保本"), ("稳享A一年能赚多少", "未来收益无法预测")],
    ids=["guarantee", "future_return"],
)
def test_answer_starts_with_a_caveat_for_promise_seeking_questions(
    qa: ProductQA, question: str, caveat: str
) -> None:
    assert qa.answer(question).text.startswith(caveat)


def test_answer_passes_the_outbound_compliance_filter(qa: ProductQA, catalogue: Catalogue) -> None:
    outbound = OutboundFilter([p.name for p in catalogue])
    for question in (
        "稳享A保本吗",
        "安澜稳利一年期的预期收益多少",
        "瑞丰成长混合A近一年收益",
        "近一个月涨得最多的",
    ):
        assert outbound.check(qa.answer(question).text).text == qa.answer(question).text


def test_answer_tells_a_manager_company(qa: ProductQA) -> None:
    answer = qa.answer("张明是哪家公司的")
    assert answer.attribute is Attribute.COMPANY and "张明是瑞丰基金的基金经理" in answer.text


def test_answer_ranks_past_returns_over_the_asked_period(qa: ProductQA, catalogue: Catalogue) -> None:
    answer = qa.answer("近一个月涨得最多的")
    assert "近1个月净值涨幅最高" in answer.text and "过往业绩不代表未来表现" in answer.text
    best = max(
        (p for p in catalogue.on_sale() if p.past_return(30) is not None),
        key=lambda p: p.past_return(30) or 0,
    )
    assert answer.products[0] == best.code


def test_answer_says_a_benchmark_is_not_a_promise(qa: ProductQA) -> None:
    assert "不是预期收益" in qa.answer("安澜稳利一年期的预期收益多少").text


def test_answer_flags_a_corrected_mention(qa: ProductQA) -> None:
    assert qa.answer("稳想货币A风险高吗").text.startswith("您问的应该是“瑞丰稳享货币A”")


@pytest.mark.parametrize(
    ("question", "codes", "fragment"),
    [
        ("瑞丰成长和稳享A哪个风险低", ("972001", "970001"), "瑞丰稳享货币A风险更低"),
        ("稳享A和成长混合哪个费率低", ("970001", "972001"), "瑞丰稳享货币A费率更低"),
        ("970001和LC23A030哪个起购门槛低", ("970001", "LC23A030"), "瑞丰稳享货币A起购门槛更低"),
        ("季季红和稳利一年期哪个期限短", ("LC23A090", "LC23A365"), "安澜季季红90天期限更短"),
        ("瑞丰成长混合A跟恒信价值精选近一年谁涨得多", ("972001", "972101"), "不能据此判断未来"),
        ("稳享A和安心纯债A对比一下", ("970001", "971001"), "主要信息对比"),
    ],
    ids=["risk", "fees", "min_amount", "term", "past_return", "overview"],
)
def test_answer_compares_products(
    qa: ProductQA, question: str, codes: tuple[str, ...], fragment: str
) -> None:
    answer = qa.answer(question)
    assert answer.question_type is QuestionType.COMPARE and answer.products == codes
    assert fragment in answer.text


@pytest.mark.parametrize(
    ("question", "check"),
    [
        ("R2以下、一年以内的有哪些", lambda p: p.risk_level <= 2 and p.term_days <= 365),
        ("起购1000元以下的债券基金", lambda p: p.min_amount <= 1000 and p.type == "债券"),
        ("5w以内能买的银行理财", lambda p: p.min_amount <= 50000 and p.type == "银行理财"),
        ("张明管理的基金有哪些", lambda p: p.manager == "张明"),
        ("瑞丰基金旗下的债券基金", lambda p: p.company == "瑞丰基金" and p.type == "债券"),
        ("风险最低的三只", lambda p: p.risk_level == 1),
    ],
    ids=["risk_and_term", "amount_and_type", "amount_w", "manager", "company_and_type", "lowest_risk"],
)
def test_answer_lists_filtered_products(
    qa: ProductQA, catalogue: Catalogue, question: str, check: object
) -> None:
    answer = qa.answer(question)
    assert answer.kind is AnswerKind.ANSWER and answer.question_type is QuestionType.FILTER
    found = [catalogue.get(code) for code in answer.products]
    assert found and all(p is not None and check(p) for p in found)  # type: ignore[operator]
    assert found[0] is not None and found[0].name in answer.text


def test_answer_lists_three_for_lowest_risk(qa: ProductQA) -> None:
    assert len(qa.answer("风险最低的三只").products) == 3


def test_answer_caps_lists_at_the_customer_risk_level(qa: ProductQA, catalogue: Catalogue) -> None:
    answer = qa.answer("有哪些混合基金", customer_risk_level=3)
    assert answer.products and all((p := catalogue.get(c)) and p.risk_level <= 3 for c in answer.products)
    assert "C3" in answer.text


def test_answer_warns_when_a_product_exceeds_the_customer_level(qa: ProductQA) -> None:
    assert "高于您的风险承受能力C2" in qa.answer("瑞丰成长混合A风险高吗", customer_risk_level=2).text
    assert "高于您的风险承受能力" not in qa.answer("稳享A风险高吗", customer_risk_level=2).text


def test_answer_says_a_suspended_product_cannot_be_bought(qa: ProductQA) -> None:
    assert "暂停申购" in qa.answer("一千块能买天天利吗").text


@pytest.mark.parametrize(
    "question",
    ["帮我转账五千", "招商银行的理财怎么样", "r2是什么意思", "推荐一个产品"],
    ids=["amount_alone", "other_institution", "risk_level_alone", "count_alone"],
)
def test_answer_does_not_list_products_for_non_product_questions(qa: ProductQA, question: str) -> None:
    answer = qa.answer(question)
    assert answer.kind is AnswerKind.NO_ANSWER and answer.products == ()


def test_answer_says_when_no_product_fits(qa: ProductQA) -> None:
    answer = qa.answer("R1的股票基金有哪些")
    assert answer.kind is AnswerKind.NO_ANSWER and "没有找到符合条件的产品" in answer.text


@pytest.mark.parametrize(
    ("question", "candidates"),
    [("稳享货币的费率", ("970001", "970002")), ("沪深300风险高吗", ("974001", "974002"))],
    ids=["money_share_classes", "index_share_classes"],
)
def test_answer_asks_which_product_when_ambiguous(
    qa: ProductQA, question: str, candidates: tuple[str, ...]
) -> None:
    answer = qa.answer(question)
    assert answer.kind is AnswerKind.CLARIFY and answer.candidates == candidates
    assert "哪一只" in answer.text


def test_answer_suggests_near_misses(qa: ProductQA) -> None:
    answer = qa.answer("稳享怎么样")
    assert answer.kind is AnswerKind.CLARIFY and "您是不是想问" in answer.text
    assert set(answer.candidates) == {"970001", "970002"}


@pytest.mark.parametrize(
    "question",
    ["", "   ", "今天天气怎么样", "999999怎么样", "LC99Z999期限", "x" * 5000, "好" * 5000,
     "'; DROP TABLE products; --", "SELECT * FROM products WHERE 1=1", "\x00\x01稳享\u200b"],
    ids=["empty", "blank", "chitchat", "unknown_code", "unknown_wealth_code", "long_ascii", "long_chinese",
         "sql_drop", "sql_select", "control_chars"],
)  # fmt: skip
def test_answer_survives_bad_input(qa: ProductQA, question: str) -> None:
    answer = qa.answer(question)
    assert answer.kind in (AnswerKind.NO_ANSWER, AnswerKind.CLARIFY)
    assert answer.text and answer.products == ()


def test_answer_names_the_unknown_code(qa: ProductQA) -> None:
    answer = qa.answer("999999怎么样")
    assert answer.kind is AnswerKind.NO_ANSWER and "999999" in answer.text


def test_answer_uses_the_product_hint(qa: ProductQA) -> None:
    answer = qa.answer("它的费率呢", product_hint="稳享A")
    assert answer.products == ("970001",) and answer.attribute is Attribute.FEES


PRODUCT_QUESTIONS = [q for q, *_ in ATTRIBUTE_CASES] + [
    "瑞丰成长和稳享A哪个风险低", "R2以下、一年以内的有哪些", "稳享货币的费率", "稳享怎么样", "风险最低的三只",
]  # fmt: skip


@pytest.mark.parametrize("question", PRODUCT_QUESTIONS, ids=[f"q{i}" for i in range(len(PRODUCT_QUESTIONS))])
def test_answer_naming_a_product_carries_the_risk_notice(
    qa: ProductQA, catalogue: Catalogue, question: str
) -> None:
    answer = qa.answer(question)
    assert any(p.name in answer.text for p in catalogue)
    assert answer.text.endswith(RISK_NOTICE)


def test_product_qa_runs_on_a_fixture_catalogue() -> None:
    qa = ProductQA(
        Catalogue([Product("000001", "测试稳健一号", "债券", 2, "固收", "测试基金", min_amount=100)])
    )
    answer = qa.answer("稳健一号起购多少")
    assert answer.products == ("000001",) and "100元" in answer.text
    assert "暂无" in qa.answer("稳健一号近一年收益").text
