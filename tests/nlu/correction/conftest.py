"""A small wealth-management bot's training data shared by the corrector tests."""

from __future__ import annotations

import pytest

from nlu.correction.corrector import PinyinCorrector
from nlu.resources import Resources
from nlu.training_data import Example, TrainingData, parse_annotated_example

_EXAMPLES = {
    "buy_fund": [
        "我想买点[基金](product_type)",
        "帮我买[五万](amount)的[基金](product_type)",
        "我要申购这只[基金](product_type)",
        "怎么申购[基金](product_type)",
        "推荐一个[理财](product_type)产品",
        "有什么好的[理财](product_type)产品",
        "我想买[理财](product_type)",
        "申购费是多少",
    ],
    "redeem": [
        "我要赎回",
        "怎么赎回",
        "[基金](product_type)怎么赎回",
        "帮我赎回[两万](amount)",
        "赎回多久到账",
        "赎回要手续费吗",
    ],
    "auto_invest": [
        "我想做个定投",
        "怎么设置定投",
        "[基金](product_type)定投怎么弄",
        "每个月定投[一千](amount)",
        "定投可以暂停吗",
    ],
    "product_info": [
        "这只[基金](product_type)的净值是多少",
        "今天的净值出来了吗",
        "年化收益率是多少",
        "这个产品的年化收益高吗",
        "收益怎么算",
        "昨天的收益是多少",
        "这个产品风险大吗",
        "风险等级是多少",
        "风险高不高",
        "[理财](product_type)产品的收益稳定吗",
    ],
    "account": [
        "怎么换银行卡",
        "我想修改交易密码",
        "我的订单状态怎么样",
        "查一下我的持仓",
    ],
}


def build_training_data() -> TrainingData:
    """The fixture bot's examples as ``TrainingData``."""
    examples = []
    for intent, raws in _EXAMPLES.items():
        for raw in raws:
            text, entities = parse_annotated_example(raw)
            examples.append(Example(text=text, intent=intent, entities=entities))
    return TrainingData(examples=examples, lookups={"product_type": ["基金", "理财", "债券", "货币基金"]})


_SHARED: dict[str, PinyinCorrector] = {}
# one jieba tokenizer for the whole test session (it takes a second or two to load)
_RESOURCES = Resources()


@pytest.fixture()
def resources() -> Resources:
    return _RESOURCES


@pytest.fixture()
def training_data() -> TrainingData:
    return build_training_data()


@pytest.fixture()
def corrector() -> PinyinCorrector:
    """A corrector trained once per session on the fixture bot (training is deterministic)."""
    if "default" not in _SHARED:
        component = PinyinCorrector.create(PinyinCorrector.Config(), _RESOURCES)
        component.initialize()
        component.train(build_training_data(), [])
        _SHARED["default"] = component
    return _SHARED["default"]
