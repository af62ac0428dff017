"""Product mention linking: codes, names, aliases, short forms, typos, pinyin, ambiguity."""

from __future__ import annotations

import pytest

from knowledge.catalogue import Catalogue, Product
from knowledge.kbqa.linker import LinkMethod, ProductLinker, derived_surfaces


@pytest.fixture(scope="module")
def linker(catalogue: Catalogue) -> ProductLinker:
    return ProductLinker(catalogue)


@pytest.mark.parametrize(
    ("question", "code", "method"),
    [
        ("970001风险高吗", "970001", LinkMethod.CODE),
        ("基金代码971001", "971001", LinkMethod.CODE),
        ("lc23a365的期限", "LC23A365", LinkMethod.CODE),
        ("LC23A030起购多少", "LC23A030", LinkMethod.CODE),
        ("瑞丰稳享货币A怎么样", "970001", LinkMethod.EXACT),
        ("稳享A风险高吗", "970001", LinkMethod.EXACT),
        ("瑞丰货币的净值", "970001", LinkMethod.EXACT),
        ("日日盈能随时取吗", "970101", LinkMethod.EXACT),
        ("稳享货币a的费率", "970001", LinkMethod.EXACT),
        ("天天盈现金管理1号", "LC23A001", LinkMethod.EXACT),
        ("稳想货币A的费率", "970001", LinkMethod.FUZZY),
        ("瑞风稳享货币A", "970001", LinkMethod.FUZZY),
        ("日日赢货币", "970101", LinkMethod.PINYIN),
        ("长润心兴产业混合", "972301", LinkMethod.PINYIN),
    ],
    ids=[
        "fund_code", "fund_code_after_word", "wealth_code_lower", "wealth_code_upper", "full_name",
        "alias", "alias_company", "alias_short", "derived_without_company", "derived_without_company_wealth",
        "typo", "typo_company", "pinyin_alias", "pinyin_name",
    ],
)  # fmt: skip
def test_linker_finds_the_product(
    linker: ProductLinker, question: str, code: str, method: LinkMethod
) -> None:
    mentions = linker.link(question)
    assert [m.codes for m in mentions] == [(code,)]
    assert mentions[0].method is method


def test_linker_finds_two_products_in_a_comparison(linker: ProductLinker) -> None:
    mentions = linker.link("瑞丰成长和稳享A哪个风险低")
    assert [m.codes for m in mentions] == [("972001",), ("970001",)]


@pytest.mark.parametrize(
    ("question", "codes"),
    [("稳享货币的费率", ("970001", "970002")), ("沪深300怎么样", ("974001", "974002"))],
    ids=["share_classes", "index_share_classes"],
)
def test_linker_keeps_every_candidate_of_an_ambiguous_mention(
    linker: ProductLinker, question: str, codes: tuple[str, ...]
) -> None:
    mentions = linker.link(question)
    assert len(mentions) == 1 and mentions[0].ambiguous and mentions[0].codes == codes


@pytest.mark.parametrize(
    "question",
    ["稳享货币呢", "瑞丰成长和别的比"],
    ids=["particle_not_share_class", "conjunction_not_share_class"],
)
def test_linker_never_turns_a_han_character_into_a_share_class(linker: ProductLinker, question: str) -> None:
    assert all(not m.surface.endswith(("呢", "和")) for m in linker.link(question))


@pytest.mark.parametrize(
    "question",
    ["今天天气怎么样", "我想买点理财", "成长型客户适合什么", "", "验证码970001", "恒信基金有哪些指数基金"],
    ids=["chitchat", "generic_word", "customer_type", "empty", "verification_code", "company_not_a_typo"],
)
def test_linker_finds_nothing_without_a_product(linker: ProductLinker, question: str) -> None:
    assert linker.link(question) == []


def test_linker_reports_unknown_codes(linker: ProductLinker) -> None:
    assert linker.unknown_codes("999999怎么样") == ["999999"]
    assert linker.unknown_codes("LC99Z999呢") == ["LC99Z999"]
    assert linker.unknown_codes("970001怎么样") == []


def test_linker_suggests_near_misses(linker: ProductLinker) -> None:
    assert {p.code for p in linker.suggest("稳享")} == {"970001", "970002"}
    assert linker.suggest("今天天气不错") == []


def test_derived_surfaces_drop_company_class_and_type() -> None:
    product = Product("970001", "瑞丰稳享货币A", "货币", 1, "现金", "瑞丰基金")
    assert {"稳享货币a", "瑞丰稳享货币", "稳享货币", "瑞丰稳享"} <= derived_surfaces(product)
    assert "货币" not in derived_surfaces(product)


def test_linker_works_on_a_small_fixture_catalogue() -> None:
    linker = ProductLinker(Catalogue([Product("000001", "测试稳健一号", "债券", 2, "固收", "测试基金")]))
    assert [m.codes for m in linker.link("稳健一号风险")] == [("000001",)]
    assert linker.link("稳健二号风险") == []  # numerals never count as typos
