"""Write one short FICTIONAL prospectus per demo product of ``knowledge/data/products.yml``.

Usage::

    python knowledge/data/documents/make_prospectuses.py [--out knowledge/data/documents/prospectus]

Every figure comes from the catalogue (term, minimum amount, fees, risk level, manager,
benchmark); the redemption settlement time and the investment scope follow the product
type. The texts are invented demonstration material: no real product, no offer. Also
writes ``prospectus_qa.json``: templated customer questions with their answer spans in
SQuAD format, for training and checking the span ranker in domain.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from knowledge.catalogue import Product, load_catalogue  # noqa: E402

OUT = Path(__file__).resolve().parent / "prospectus"
_RISK_WORDS = {1: "低风险", 2: "中低风险", 3: "中风险", 4: "中高风险", 5: "高风险"}
_SETTLEMENT = {
    "货币": "T+1个工作日",
    "债券": "T+3个工作日",
    "混合": "T+4个工作日",
    "股票": "T+4个工作日",
    "指数基金": "T+3个工作日",
    "银行理财": "到期日后T+2个工作日",
    "保险": "退保申请受理后7个工作日",
}
_SCOPE = {
    "现金": "现金、期限在一年以内的银行存款、债券回购、中央银行票据、同业存单等货币市场工具",
    "固收": "国债、地方政府债、政策性金融债、信用评级AA+及以上的企业债和公司债、银行存款等固定收益类资产，"
    "不直接买入股票",
    "混合": "股票、债券、货币市场工具等，其中股票资产占基金资产的30%至80%",
    "权益": "国内依法发行上市的股票（含创业板、科创板），股票资产占基金资产的比例不低于80%",
    "另类": "商品期货、黄金等另类资产以及现金类资产",
    "保障": "保险公司的一般账户，保单提供约定的保障责任",
}


def _percent(rate: float) -> str:
    return f"{rate * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _amount(value: float) -> str:
    return f"{value:.0f}元" if value >= 1 else f"{value}元"


def _term(product: Product) -> str:
    if product.term_days == 0:
        return "本产品为开放式产品，无封闭期，开放日均可申购和赎回。"
    if product.type == "保险":
        return f"本产品保险期间为{product.term_days}天，犹豫期为15天。"
    return f"本产品封闭期为{product.term_days}天，封闭期内不可赎回，封闭期结束后方可申请赎回。"


def _fees(product: Product) -> str:
    fees = product.fees
    parts = [f"申购费率为{_percent(fees.subscription)}。" if fees.subscription else "本产品不收取申购费。"]
    parts.append(f"管理费率为每年{_percent(fees.management)}，托管费率为每年{_percent(fees.custody)}。")
    if fees.sales_service:
        parts.append(f"销售服务费率为每年{_percent(fees.sales_service)}。")
    previous = 0
    for days_below, rate in fees.redemption:
        held = f"持满{previous}天但不满{days_below}天" if previous else f"不满{days_below}天"
        parts.append(f"持有{held}的，赎回费率为{_percent(rate)}。")
        previous = days_below
    parts.append(f"持有满{previous}天及以上的，不收取赎回费。" if fees.redemption else "本产品不收取赎回费。")
    return "".join(parts)


def prospectus(product: Product) -> str:
    """The Markdown text (front matter included) of one product's prospectus."""
    names = [product.name, *product.aliases]
    risk = f"R{product.risk_level}（{_RISK_WORDS[product.risk_level]}）"
    benchmark = product.benchmark or "本产品不设业绩比较基准"
    manager = (
        f"本产品的基金经理为{product.manager}。" if product.manager else "本产品由投资管理团队共同管理。"
    )
    front = [
        "---",
        f"id: prospectus_{product.code}",
        f"title: {product.name}产品说明书",
        "kind: prospectus",
        f"products: ['{product.code}']",
        "product_names: [" + ", ".join(f"'{n}'" for n in names) + "]",
        f"date: {product.launch_date.isoformat() if product.launch_date else '2025-01-01'}",
        "fictional: true",
        "---",
    ]
    body = f"""
# {product.name}产品说明书

本说明书为虚构的演示材料，产品、公司、人员与数字均为虚构，不构成任何要约或投资建议。

## 产品概况
{product.name}（产品代码{product.code}）是{product.company}发行的{product.type}类产品。{product.description}

## 期限与封闭期
{_term(product)}

## 起购金额
本产品起购金额为{_amount(product.min_amount)}，追加购买的最低金额为1元。

## 费率
{_fees(product)}

## 风险等级
本产品风险等级为{risk}，适合风险承受能力为R{product.risk_level}及以上的投资者。

## 投资范围
本产品主要投资于{_SCOPE.get(product.asset_class, "法律法规允许投资的金融工具")}。

## 基金经理
{manager}

## 赎回到账时间
赎回款项将于{_SETTLEMENT.get(product.type, "T+3个工作日")}到账，遇节假日顺延。

## 业绩比较基准
本产品的业绩比较基准为{benchmark}。业绩比较基准不是预期收益率，不代表产品未来表现，也不构成对收益的承诺。

## 风险揭示
理财非存款，产品有风险，投资需谨慎。本产品不保证本金和收益，投资者可能损失部分或全部本金。过往业绩不代表未来表现。投资者应仔细阅读本说明书，根据自身风险承受能力审慎决策。
"""
    return "\n".join(front) + "\n" + body.lstrip("\n")


def qa_pairs(product: Product) -> list[tuple[str, str]]:
    """Questions a customer asks about ``product`` with the answer text its prospectus holds."""
    names = [product.name, *product.aliases[:1]]
    pairs: list[tuple[str, str]] = []
    for i, name in enumerate(names):
        settlement = _SETTLEMENT.get(product.type, "T+3个工作日")
        pairs += [
            ((f"{name}赎回多久到账？", f"{name}赎回后钱几天能到账")[i % 2], settlement),
            ((f"{name}起购金额是多少", f"买{name}最少要多少钱")[i % 2], _amount(product.min_amount)),
            ((f"{name}的风险等级是什么", f"{name}风险等级多少")[i % 2], f"R{product.risk_level}"),
            ((f"{name}的管理费率是多少", f"{name}管理费多少")[i % 2], _percent(product.fees.management)),
            ((f"{name}是哪家公司发行的", f"{name}是哪个公司的产品")[i % 2], product.company),
        ]
        if product.term_days and product.type != "保险":
            pairs.append(((f"{name}的封闭期是多少天", f"{name}封闭期多长")[i % 2], f"{product.term_days}天"))
        if product.manager:
            pairs.append(((f"{name}的基金经理是谁", f"谁管理{name}")[i % 2], product.manager))
        if product.benchmark:
            pairs.append(((f"{name}的业绩比较基准是什么", f"{name}业绩基准是啥")[i % 2], product.benchmark))
    return pairs


def squad(products: list[Product]) -> dict[str, object]:
    """The questions of ``qa_pairs`` in SQuAD format, one article per product."""
    data = []
    for product in products:
        text = prospectus(product)
        body = text[text.index("\n---\n") + 5 :]
        qas = []
        for i, (question, answer) in enumerate(qa_pairs(product)):
            if answer in body:
                span = {"text": answer, "answer_start": body.find(answer)}
                qas.append({"id": f"{product.code}_{i}", "question": question, "answers": [span]})
        data.append({"title": product.code, "paragraphs": [{"context": body, "qas": qas}]})
    return {"version": "wealthbot-prospectus-qa", "data": data}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    products = list(load_catalogue())
    for product in products:
        (args.out / f"{product.code}.md").write_text(prospectus(product), encoding="utf-8")
    qa_file = args.out.parent / "prospectus_qa.json"
    qa_file.write_text(json.dumps(squad(products), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(products)} prospectuses to {args.out} and their questions to {qa_file}")


if __name__ == "__main__":
    main()
