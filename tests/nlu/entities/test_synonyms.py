"""Tests of the entity synonym mapper."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.entities.synonyms import EntitySynonymMapper
from nlu.message import Entity, Message
from nlu.resources import Resources
from nlu.training_data import Example, TrainingData, parse_annotated_example


def _mapper() -> EntitySynonymMapper:
    text, entities = parse_annotated_example("我想买点[鸡金](product:基金)")
    data = TrainingData(
        examples=[Example(text, "buy", entities)],
        synonyms={"稳健1号": "稳健一号", "etf": "ETF"},
    )
    mapper = EntitySynonymMapper.create(EntitySynonymMapper.Config(), Resources())
    mapper.initialize()
    mapper.train(data, [])
    return mapper


def _entity(text: str, value: object = None) -> Entity:
    return Entity("product", text if value is None else value, 0, len(text), text, "crf", 0.9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("鸡金", "基金"),
        ("稳健1号", "稳健一号"),
        ("ＥＴＦ", "ETF"),
        ("Etf", "ETF"),
        ("余额宝", "余额宝"),
    ],
    ids=["annotation", "synonym_block", "full_width", "ascii_case", "unknown_unchanged"],
)
def test_synonym_mapper_maps_variant_to_canonical(text: str, expected: str) -> None:
    message = Message(text)
    message.entities.append(_entity(text))
    out = _mapper().process(message).entities
    assert [e.value for e in out] == [expected]
    assert out[0].text == text  # only the value changes
    assert out[0].extractor == "crf"


def test_synonym_mapper_looks_up_value_when_text_is_unknown() -> None:
    message = Message("那个")
    message.entities.append(_entity("那个", value="稳健1号"))
    assert _mapper().process(message).entities[0].value == "稳健一号"


def test_synonym_mapper_leaves_numeric_values_alone() -> None:
    message = Message("五万")
    amount = Entity("amount", 50000.0, 0, 2, "五万", "rules")
    message.entities.append(amount)
    assert _mapper().process(message).entities == [amount]


def test_synonym_mapper_persist_load_round_trip(tmp_path: Path) -> None:
    mapper = _mapper()
    mapper.persist(tmp_path)
    loaded = EntitySynonymMapper.load(EntitySynonymMapper.Config(), Resources(), tmp_path)
    assert loaded.synonyms == mapper.synonyms
    message = Message("鸡金")
    message.entities.append(_entity("鸡金"))
    assert loaded.process(message).entities[0].value == "基金"
