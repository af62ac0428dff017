"""Tests of the CRF entity tagger: learning a custom entity, roles, persistence."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.entities.crf_tagger import CRFEntityTagger
from nlu.message import Message
from nlu.resources import Resources
from nlu.training_data import Example, TrainingData, parse_annotated_example

_BANKS = ["招商银行", "工商银行", "建设银行", "农业银行", "中国银行", "交通银行", "邮储银行", "浦发银行"]
_TEMPLATES = [
    "我想用[{bank}](bank)的卡买基金",
    "[{bank}](bank)的储蓄卡可以绑定吗",
    "帮我把银行卡换成[{bank}](bank)",
    "我的[{bank}](bank)卡扣款失败了",
    "支持[{bank}](bank)吗",
]
_TRANSFER = '从[{a}]{{"entity": "bank", "role": "from"}}转五万到[{b}]{{"entity": "bank", "role": "to"}}'
_NEGATIVES = ["我想买点基金", "帮我查一下收益", "今天的净值是多少", "怎么修改交易密码", "我要赎回"]


def _training_data() -> TrainingData:
    raw = [t.format(bank=_BANKS[i % 6]) for i, t in enumerate(_TEMPLATES * 5)]
    raw += [_TRANSFER.format(a=_BANKS[i % 6], b=_BANKS[(i + 2) % 6]) for i in range(12)]
    raw += _NEGATIVES
    examples = []
    for line in raw:
        text, entities = parse_annotated_example(line)
        examples.append(Example(text, "bank_question", entities))
    return TrainingData(examples=examples)


@pytest.fixture(scope="module")
def resources() -> Resources:
    return Resources()  # one jieba dictionary load for the whole module


@pytest.fixture(scope="module")
def tagger(resources: Resources) -> CRFEntityTagger:
    component = CRFEntityTagger.create(CRFEntityTagger.Config(), resources)
    component.initialize()
    data = _training_data()
    assert len(data.examples) >= 40
    component.train(data, [Message(e.text) for e in data.examples])
    return component


def _found(tagger: CRFEntityTagger, text: str) -> list[tuple[str, str, int, int, str | None]]:
    entities = tagger.process(Message(text)).entities
    return [(e.entity, e.value, e.start, e.end, e.role) for e in entities]


@pytest.mark.parametrize(
    "text",
    ["请问[交通银行](bank)的卡能用吗", "我的卡是[招商银行](bank)的", "我想用[浦发银行](bank)的卡"],
    ids=["seen_bank_new_sentence", "seen_bank_new_position", "unseen_bank"],
)
def test_crf_tagger_tags_unseen_sentences(tagger: CRFEntityTagger, text: str) -> None:
    plain, gold = parse_annotated_example(text)
    found = _found(tagger, plain)
    assert [(e, s, t) for e, _, s, t, _ in found] == [(g.entity, g.start, g.end) for g in gold]
    entity = tagger.process(Message(plain)).entities[0]
    assert entity.extractor == "crf"
    assert entity.value == entity.text == plain[gold[0].start : gold[0].end]
    assert 0.5 < entity.confidence <= 1.0


def test_crf_tagger_keeps_roles(tagger: CRFEntityTagger) -> None:
    found = _found(tagger, "从工商银行转五万到招商银行")
    assert found == [("bank", "工商银行", 1, 5, "from"), ("bank", "招商银行", 9, 13, "to")]


def test_crf_tagger_ignores_sentences_without_entities(tagger: CRFEntityTagger) -> None:
    assert _found(tagger, "我要赎回") == []


def test_crf_tagger_maps_spans_to_original_text(tagger: CRFEntityTagger) -> None:
    # working text drops a repeated space: working index 3 is original index 4
    message = Message("从  工商银行转五万到招商银行", normalized="从 工商银行转五万到招商银行")
    message.offsets = [0, 1, *range(3, 16)]
    entities = tagger.process(message).entities
    assert [(e.start, e.end, e.text) for e in entities][0] == (3, 7, "工商银行")


def test_crf_tagger_min_confidence_drops_entities(resources: Resources) -> None:
    component = CRFEntityTagger.create(CRFEntityTagger.Config(min_confidence=1.01), resources)
    component.initialize()
    data = _training_data()
    component.train(data, [])
    assert component.process(Message("从工商银行转五万到招商银行")).entities == []


def test_crf_tagger_without_annotations_is_a_no_op(resources: Resources, tmp_path: Path) -> None:
    component = CRFEntityTagger.create(CRFEntityTagger.Config(), resources)
    component.initialize()
    component.train(TrainingData(examples=[Example("我要赎回", "redeem")]), [])
    assert component.process(Message("工商银行")).entities == []
    component.persist(tmp_path)
    loaded = CRFEntityTagger.load(CRFEntityTagger.Config(), resources, tmp_path)
    assert loaded.process(Message("工商银行")).entities == []


def test_crf_tagger_persist_load_round_trip(tagger: CRFEntityTagger, tmp_path: Path) -> None:
    tagger.persist(tmp_path)
    loaded = CRFEntityTagger.load(CRFEntityTagger.Config(), Resources(), tmp_path)  # fresh jieba
    for text in ("从工商银行转五万到招商银行", "请问交通银行的卡能用吗", "我要赎回"):
        assert loaded.process(Message(text)).entities == tagger.process(Message(text)).entities
