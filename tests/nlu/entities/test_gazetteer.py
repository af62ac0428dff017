"""Tests of the gazetteer entity extractor (exact, fuzzy and pinyin matching)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu.entities.gazetteer import GazetteerEntityExtractor
from nlu.message import Message
from nlu.resources import Resources
from nlu.training_data import Example, TrainingData, parse_annotated_example


def _data() -> TrainingData:
    text, entities = parse_annotated_example("我要转到[工商银行](bank)")
    return TrainingData(
        examples=[Example(text, "transfer", entities)],
        synonyms={"稳健1号": "稳健一号", "工行": "工商银行"},
        lookups={
            "product": ["稳健一号", "稳健二号", "招财宝", "日日金", "招银理财日日金", "ETF"],
            "bank": ["招商银行"],
        },
    )


def _extractor(config: GazetteerEntityExtractor.Config | None = None) -> GazetteerEntityExtractor:
    extractor = GazetteerEntityExtractor.create(config or GazetteerEntityExtractor.Config(), Resources())
    extractor.initialize()
    extractor.train(_data(), [])
    return extractor


def _found(extractor: GazetteerEntityExtractor, text: str) -> list[tuple[str, str, str, int, int]]:
    message = extractor.process(Message(text))
    return [(e.entity, e.value, e.text, e.start, e.end) for e in message.entities]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我想买稳健一号", [("product", "稳健一号", "稳健一号", 3, 7)]),
        ("买ETF基金", [("product", "ETF", "ETF", 1, 4)]),
        ("买etf基金", [("product", "ETF", "etf", 1, 4)]),
        ("稳健1号还能买吗", [("product", "稳健一号", "稳健1号", 0, 4)]),
        ("用招商银行的卡", [("bank", "招商银行", "招商银行", 1, 5)]),
    ],
    ids=["exact", "ascii", "ascii_case", "synonym_variant", "bank_lookup"],
)
def test_gazetteer_matches_exact_names(text: str, expected: list[tuple[str, str, str, int, int]]) -> None:
    extractor = _extractor()
    assert _found(extractor, text) == expected
    assert all(e.confidence == 1.0 for e in extractor.process(Message(text)).entities)


@pytest.mark.parametrize(
    ("text", "value", "method_confidence"),
    [
        ("我想买稳固一号", "稳健一号", 0.7),  # one character substituted (gu vs jian)
        ("我想买稳健一好", "稳健一号", 0.85),  # 好/号 share toneless pinyin "hao"
        ("我想买温建一号", "稳健一号", 0.85),  # same toneless pinyin (ASR)
        ("造财宝收益多少", "招财宝", 0.85),  # zh/z confused
    ],
    ids=["fuzzy_substitution", "pinyin_typo", "pinyin_homophone", "pinyin_fuzzy_initial"],
)
def test_gazetteer_matches_misspelled_names(text: str, value: str, method_confidence: float) -> None:
    entities = _extractor().process(Message(text)).entities
    assert [(e.entity, e.value) for e in entities] == [("product", value)]
    assert entities[0].confidence == pytest.approx(method_confidence)


def test_gazetteer_fuzzy_never_substitutes_numerals() -> None:
    entities = _extractor().process(Message("稳健三号")).entities
    assert entities == []


def test_gazetteer_can_turn_off_fuzzy_and_pinyin() -> None:
    config = GazetteerEntityExtractor.Config(use_fuzzy=False, use_pinyin=False)
    assert _found(_extractor(config), "我想买稳固一号") == []
    assert _found(_extractor(config), "我想买温建一号") == []


def test_gazetteer_prefers_longest_match_without_overlaps() -> None:
    found = _found(_extractor(), "招银理财日日金和日日金")
    assert found == [
        ("product", "招银理财日日金", "招银理财日日金", 0, 7),
        ("product", "日日金", "日日金", 8, 11),
    ]


def test_gazetteer_skips_names_inside_longer_ascii_runs() -> None:
    assert _found(_extractor(), "买ETFX基金") == []
    assert _found(_extractor(), "买2ETF") == []


def test_gazetteer_spans_point_into_original_text() -> None:
    # the normalizer dropped one of the two spaces: working index 3 is original index 4
    message = Message(
        "我  买稳健一号",
        normalized="我 买稳健一号",
        offsets=[0, 1, 3, 4, 5, 6, 7, 8],
    )
    entities = _extractor().process(message).entities
    assert [(e.start, e.end, e.text) for e in entities] == [(4, 8, "稳健一号")]


def test_gazetteer_uses_annotated_types_and_synonyms() -> None:
    config = GazetteerEntityExtractor.Config(entity_types=("bank",))
    found = _found(_extractor(config), "工商银行和工行")
    assert found == [("bank", "工商银行", "工商银行", 0, 4), ("bank", "工商银行", "工行", 5, 7)]


def test_gazetteer_registers_domain_words() -> None:
    extractor = _extractor()
    assert {"稳健一号", "招银理财日日金", "工行"} <= extractor.resources.domain_words
    assert "招银理财日日金" in list(extractor.resources.jieba().cut("我买招银理财日日金"))


def test_gazetteer_without_data_is_a_no_op() -> None:
    extractor = GazetteerEntityExtractor.create(GazetteerEntityExtractor.Config(), Resources())
    extractor.initialize()
    extractor.train(TrainingData(), [])
    assert extractor.process(Message("稳健一号")).entities == []


def test_gazetteer_persist_load_round_trip(tmp_path: Path) -> None:
    extractor = _extractor()
    extractor.persist(tmp_path)
    resources = Resources()
    loaded = GazetteerEntityExtractor.load(GazetteerEntityExtractor.Config(), resources, tmp_path)
    for text in ("我想买稳固一号", "招银理财日日金和工行", "造财宝"):
        assert loaded.process(Message(text)).entities == extractor.process(Message(text)).entities
    assert "稳健一号" in resources.domain_words
