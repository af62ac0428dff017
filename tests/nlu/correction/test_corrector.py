"""Behaviour of the pinyin-aware corrector on a small wealth-management bot."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.correction.corrector import MODEL_FILE, PinyinCorrector
from nlu.errors import ModelNotTrainedError
from nlu.message import Message
from nlu.resources import Resources
from nlu.training_data import TrainingData

HOMOPHONES = [
    ("我想买点鸡金", "我想买点基金", "鸡金", "基金"),
    ("怎么书回", "怎么赎回", "书回", "赎回"),
    ("我想做个定头", "我想做个定投", "定头", "定投"),
    ("推荐个里财产品", "推荐个理财产品", "里财", "理财"),
    ("怎么深够基金", "怎么申购基金", "深够", "申购"),
]

# accent confusions of southern speakers and ASR
FUZZY = [
    ("这只基金的净资是多少", "这只基金的净值是多少"),  # zi / zhi
    ("查一下我的次仓", "查一下我的持仓"),  # ci / chi
    ("我想森购基金", "我想申购基金"),  # sen / shen
    ("连化收益率是多少", "年化收益率是多少"),  # lian / nian
    ("这个产品亨险大吗", "这个产品风险大吗"),  # heng / feng
    ("我想生购基金", "我想申购基金"),  # sheng / shen
    ("今天的进值出来了吗", "今天的净值出来了吗"),  # jin / jing
    ("风线等级是多少", "风险等级是多少"),  # exact homophone in another tone
    ("赎回要手续非吗", "赎回要手续费吗"),  # three-character word
]

CLEAN = [
    "我想买点基金",
    "怎么赎回",
    "我想做个定投",
    "推荐一个理财产品",
    "这只基金的净值是多少",
    "年化收益率是多少",
    "这个产品风险大吗",
    "我要申购五万元的货币基金",
    "赎回多久到账",
    "帮我查一下持仓",
    "我想修改交易密码",
    "怎么换绑银行卡",
    "基金定投可以暂停吗",
    "债券基金和股票基金有什么区别",
    "我的风险等级是什么",
    "昨天的收益怎么还没到账",
    "手续费是怎么收的",
    "我叫李明，想咨询一下理财",
    "能不能帮我转人工客服",
    "今天天气不错，心情很好",
    "这个月的工资想存起来",
    "买入以后多久开始计算收益",
    "我不想买了，帮我撤单",
    "七日年化是什么意思",
    "这只基金的基金经理是谁",
    "我的订单状态怎么样",
]


@pytest.mark.parametrize(
    ("text", "fixed", "original", "corrected"), HOMOPHONES, ids=[f"homophone{i}" for i in range(5)]
)
def test_corrector_fixes_homophone_of_domain_word(
    corrector: PinyinCorrector, text: str, fixed: str, original: str, corrected: str
) -> None:
    message = corrector.process(Message(text))
    assert message.working_text == fixed
    assert [(c.original, c.corrected) for c in message.corrections] == [(original, corrected)]
    assert message.corrections[0].score > 0


@pytest.mark.parametrize(("text", "fixed"), FUZZY, ids=[f"fuzzy{i}" for i in range(len(FUZZY))])
def test_corrector_fixes_accent_confusions(corrector: PinyinCorrector, text: str, fixed: str) -> None:
    assert corrector.process(Message(text)).working_text == fixed


@pytest.mark.parametrize("text", CLEAN, ids=[f"clean{i}" for i in range(len(CLEAN))])
def test_corrector_leaves_correct_text_alone(corrector: PinyinCorrector, text: str) -> None:
    message = corrector.process(Message(text))
    assert message.corrections == []
    assert message.working_text == text


def test_corrector_span_points_into_original_text(corrector: PinyinCorrector) -> None:
    # the normalizer dropped the two leading spaces: working index i is original i + 2
    text = "  我想买点鸡金吧"
    message = Message(text, normalized="我想买点鸡金吧", offsets=[*range(2, len(text)), len(text)])
    corrector.process(message)
    (correction,) = message.corrections
    assert (correction.start, correction.end) == (6, 8)
    assert text[correction.start : correction.end] == correction.original == "鸡金"
    assert message.working_text == "我想买点基金吧"
    assert len(message.working_text) == len(message.normalized)


def test_corrector_reports_original_characters_of_normalized_text(corrector: PinyinCorrector) -> None:
    # full-width "ＡＢ" was folded to "AB" by a normalizer; spans still index the original
    text = "ＡＢ怎么书回"
    message = Message(text, normalized="AB怎么书回", offsets=list(range(len(text) + 1)))
    corrector.process(message)
    (correction,) = message.corrections
    assert text[correction.start : correction.end] == "书回"
    assert message.working_text == "AB怎么赎回"


@pytest.mark.parametrize(
    "text",
    ["转账5000元到鸡金", "ABC鸡金", "我叫书回"],
    ids=["digits-kept", "ascii-kept", "name-cue"],
)
def test_corrector_never_touches_ascii_digits_or_names(corrector: PinyinCorrector, text: str) -> None:
    message = corrector.process(Message(text))
    for i, char in enumerate(text):
        if char.isascii():
            assert message.working_text[i] == char
    if text.startswith("我叫"):
        assert message.corrections == []


def test_corrector_respects_max_edits_per_message(training_data: TrainingData, resources: Resources) -> None:
    config = PinyinCorrector.Config(max_edits_per_message=1)
    component = PinyinCorrector.create(config, resources)
    component.initialize()
    component.train(training_data, [])
    message = component.process(Message("我想买点鸡金，怎么书回"))
    assert len(message.corrections) == 1


def test_corrector_high_threshold_changes_nothing(training_data: TrainingData, resources: Resources) -> None:
    component = PinyinCorrector.create(PinyinCorrector.Config(min_gain=1000.0), resources)
    component.initialize()
    component.train(training_data, [])
    assert component.process(Message("我想买点鸡金")).corrections == []


def test_corrector_persist_load_round_trip(
    corrector: PinyinCorrector, resources: Resources, tmp_path: Path
) -> None:
    corrector.persist(tmp_path)
    assert (tmp_path / MODEL_FILE).is_file()
    loaded = PinyinCorrector.load(corrector.config, resources, tmp_path)
    for text in [row[0] for row in HOMOPHONES] + [row[0] for row in FUZZY] + CLEAN:
        before = corrector.process(Message(text))
        after = loaded.process(Message(text))
        assert after.working_text == before.working_text
        assert after.corrections == before.corrections


def test_corrector_load_without_model_raises(resources: Resources, tmp_path: Path) -> None:
    with pytest.raises(ModelNotTrainedError):
        PinyinCorrector.load(PinyinCorrector.Config(), resources, tmp_path)


def test_corrector_process_before_training_raises(resources: Resources) -> None:
    component = PinyinCorrector.create(PinyinCorrector.Config(), resources)
    with pytest.raises(ModelNotTrainedError):
        component.process(Message("我想买点鸡金"))


def test_corrector_does_not_process_training_data() -> None:
    assert PinyinCorrector.process_training_data is False
    assert "working_text" in PinyinCorrector.provides and "corrections" in PinyinCorrector.provides


def test_corrector_uses_resources_domain_words(resources: Resources) -> None:
    resources.add_domain_words({"易方达"})
    config = PinyinCorrector.Config(glossary=False)
    component = PinyinCorrector.create(config, resources)
    component.initialize()
    component.train(TrainingData(), [])
    assert component.correct("我想买意方达的产品") == "我想买易方达的产品"


def test_corrector_is_registered() -> None:
    from nlu.registry import resolve

    assert resolve("nlu.pinyin_corrector.v1") is PinyinCorrector
