"""The outbound compliance filter: no promise gets through, the risk notice is never dropped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from risk_hooks.notices import RISK_NOTICE, has_risk_notice
from risk_hooks.outbound import OutboundFilter

BOTS_DIR = Path(__file__).resolve().parents[2] / "bots"
FORBIDDEN = (
    "保本",
    "保收益",
    "稳赚",
    "零风险",
    "年化保证",
    "保证收益",
    "稳赚不赔",
    "肯定赚",
    "保证年化",
    "无风险",
)
# an independent, cruder check than the filter's own: every forbidden word left must have a
# negation (不/非/无/没/未) at most six characters before it in the same clause, or end a question
_NEGATED = re.compile(r"[不非无没未][^，。！？；,.!?;\n]{0,6}$")


def _naive_promises(text: str) -> list[str]:
    left = []
    for word in FORBIDDEN:
        for match in re.finditer(re.escape(word), text):
            before = text[max(0, match.start() - 8) : match.start()]
            after = re.split(r"[，。！？；,.!?;\n]", text[match.end() :])[0]
            if not _NEGATED.search(before) and not after.endswith(("吗", "么")):
                left.append(word)
    return left


def _templates() -> list[str]:
    texts = []
    for domain in sorted(BOTS_DIR.glob("*/domain.yml")):
        content = yaml.safe_load(domain.read_text(encoding="utf-8")) or {}
        for variants in (content.get("responses") or {}).values():
            texts += [v["text"] for v in variants or [] if isinstance(v, dict) and v.get("text")]
    return texts


@pytest.fixture(scope="module")
def compliance(all_product_names) -> OutboundFilter:
    return OutboundFilter(all_product_names)


@pytest.mark.parametrize(
    "text",
    [
        "这款产品保本，放心买。",
        "我们保收益的。",
        "买这个稳赚。",
        "零风险，本金安全。",
        "年化保证4%以上。",
        "本产品保证收益，稳赚不赔。",
        "放心，肯定赚。",
        "保证年化5%，到期兑付。",
        "这款产品的年化收益率有保证。",
        "闭眼买就行，只涨不跌。",
        "过去一年收益8%，买了也能赚8%。",
        "去年涨了12%，今年也能赚这么多。",
        "本金绝对不会亏损，收益稳稳的。",
    ],
    ids=[
        "capital",
        "yield",
        "sure_win",
        "zero_risk",
        "annualised_number",
        "yield_and_sure_win",
        "certain_profit",
        "guaranteed_number",
        "guaranteed_rate",
        "paraphrase_eyes_closed",
        "past_as_future",
        "past_as_future_paraphrase",
        "principal_never_lost",
    ],
)
def test_outbound_removes_forbidden_promise(compliance: OutboundFilter, text: str) -> None:
    result = compliance.check(text)
    assert result.action in ("rewrite", "block") and result.findings
    assert compliance.find_promises(result.text) == []
    assert _naive_promises(result.text) == []


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("保证年化5%，到期兑付。", "block"),
        ("过去一年收益8%，买了也能赚8%。", "block"),
        ("这款产品保本。", "rewrite"),
    ],
    ids=["numeric_guarantee", "past_as_future", "phrase"],
)
def test_outbound_blocks_numbers_and_rewrites_phrases(
    compliance: OutboundFilter, text: str, action: str
) -> None:
    result = compliance.check(text)
    assert result.action == action
    if action == "block":
        assert RISK_NOTICE in result.text and "不承诺保本" in result.text
    else:
        assert result.text == "这款产品不承诺保本。"
    assert result.rule in result.reason


@pytest.mark.parametrize(
    "text",
    [
        "本产品不保本，理财非存款，投资需谨慎。",
        "我们不承诺保本，也不保证收益。",
        "理财产品不承诺收益，也不保证本金不受损失。",
        "没有任何产品是零风险的。",
        "这款产品并非稳赚不赔，净值会波动。",
        "过去一年收益8%，但过往业绩不代表未来表现。",
        "您是想问：收益有保障吗",
        "货币基金会不会亏取决于市场，但波动很小。",
    ],
    ids=[
        "not_guaranteed",
        "no_promise",
        "disclaimer",
        "no_zero_risk",
        "not_sure_win",
        "past_disclaimed",
        "question",
        "will_it_lose",
    ],
)
def test_outbound_lets_disclaimers_through(compliance: OutboundFilter, text: str) -> None:
    result = compliance.check(text)
    assert (result.action, result.text) == ("allow", text)


def test_outbound_appends_notice_once_when_a_product_is_named(compliance: OutboundFilter) -> None:
    result = compliance.check("示例均衡配置混合的风险等级是R3。")
    assert result.action == "rewrite" and result.notice_added and result.text.endswith(RISK_NOTICE)
    again = compliance.check(result.text)
    assert again.action == "allow" and again.text.count(RISK_NOTICE) == 1


def test_outbound_appends_notice_when_recommending(compliance: OutboundFilter) -> None:
    assert has_risk_notice(compliance.check("根据您的情况，推荐您配置一只债券基金。").text)


def test_outbound_product_code_not_matched_inside_numbers() -> None:
    compliance = OutboundFilter(["880123"])
    assert compliance.check("您的订单号是9988012345").action == "allow"
    assert compliance.check("产品880123今日开放申购").notice_added


def test_outbound_property_every_response_template(compliance: OutboundFilter) -> None:
    texts = _templates()
    assert len(texts) > 50
    for text in texts:
        result = compliance.check(text)
        assert compliance.find_promises(result.text) == [], text
        assert _naive_promises(result.text) == [], text
        if compliance.names_product(text):
            assert has_risk_notice(result.text), text
        assert compliance.check(result.text).action == "allow", text  # filtering is idempotent


SENTENCES = (
    "为您推荐{name}，近一年表现稳健。",
    "{name}保本保收益，稳赚不赔。",
    "{name}过去一年收益8%，买了也能赚8%。",
    "{name}保证年化5%。",
    "{name}零风险，闭眼买。",
    "{name}不保本，理财非存款。",
    "{name}的风险等级请以产品说明书为准。",
    "您好，{name}今天的净值已更新。",
)


def test_outbound_property_every_product_sentence(compliance: OutboundFilter, all_product_names) -> None:
    for name in all_product_names:
        for template in SENTENCES:
            text = template.format(name=name)
            result = compliance.check(text)
            assert compliance.find_promises(result.text) == [], text
            assert _naive_promises(result.text) == [], text
            assert has_risk_notice(result.text), text
