from __future__ import annotations

from pathlib import Path

import pytest

from bots.bot_project import load_bot_project
from nlu.errors import ModelNotTrainedError, TrainingDataError
from nlu.pipeline import MAX_TEXT_CHARS, Pipeline
from nlu.pipeline_config import specs_from_list
from nlu.training_data import TrainingData, load_training_data


@pytest.fixture(scope="module")
def full_pipeline(small_bot: Path) -> Pipeline:
    project = load_bot_project(small_bot)
    pipeline = Pipeline.from_specs(project.specs)
    pipeline.train(project.data)
    return pipeline


def test_pipeline_end_to_end_parse(full_pipeline: Pipeline) -> None:
    result = full_pipeline.parse("我想书回两千五")
    assert result.intent.name == "redeem"
    assert result.corrected_text == "我想赎回两千五"
    assert [(c.original, c.corrected) for c in result.corrections] == [("书回", "赎回")]
    amounts = [e for e in result.entities if e.entity == "amount"]
    assert [a.value for a in amounts] == [2500]
    assert result.emotion is not None


def test_pipeline_spans_point_into_original_text(full_pipeline: Pipeline) -> None:
    text = "\u200b請幫我贖回１０萬"
    result = full_pipeline.parse(text)
    assert result.text == text
    assert result.normalized_text == "请帮我赎回10万"
    amount = next(e for e in result.entities if e.entity == "amount")
    assert text[amount.start : amount.end] == "１０萬"
    assert amount.value == 100000


def test_pipeline_truncates_long_text_and_says_so(full_pipeline: Pipeline) -> None:
    result = full_pipeline.parse("赎回" * 10_000)
    assert result.truncated is True
    assert len(result.text) == MAX_TEXT_CHARS
    assert full_pipeline.parse("赎回").truncated is False


def test_pipeline_persist_load_round_trip(full_pipeline: Pipeline, tmp_path: Path) -> None:
    full_pipeline.persist(tmp_path / "m")
    loaded = Pipeline.load(tmp_path / "m")
    for text in ["我想书回两千五", "净值多少", "你好"]:
        before, after = full_pipeline.parse(text).to_dict(), loaded.parse(text).to_dict()
        for key in ("corrected_text", "entities", "corrections", "quantities"):
            assert after[key] == before[key]
        assert after["intent"]["name"] == before["intent"]["name"]
        assert after["intent"]["confidence"] == pytest.approx(before["intent"]["confidence"], abs=1e-3)
        assert after["emotion"]["label"] == before["emotion"]["label"]


def test_pipeline_parse_before_training_is_an_error() -> None:
    pipeline = Pipeline.from_specs(specs_from_list([{"name": "nlu.jieba_tokenizer.v1"}]))
    with pytest.raises(ModelNotTrainedError):
        pipeline.parse("你好")
    with pytest.raises(ModelNotTrainedError, match="wealthbot train"):
        Pipeline.load("/nonexistent/model")


def test_pipeline_training_without_intents_is_an_error() -> None:
    pipeline = Pipeline.from_specs(specs_from_list(None))
    with pytest.raises(TrainingDataError, match="no intent examples"):
        pipeline.train(TrainingData())


def test_pipeline_trains_the_rasa_example_bot() -> None:
    project = load_bot_project(Path(__file__).parents[2] / "bots" / "rasa_example")
    pipeline = Pipeline.from_specs(project.specs)
    pipeline.train(project.data)
    assert len(project.data.intents) >= 5
    assert (
        pipeline.parse(project.data.intent_examples[0].text).intent.name
        == project.data.intent_examples[0].intent
    )


def test_training_data_several_bot_files(tmp_path: Path) -> None:
    (tmp_path / "a.yml").write_text("nlu:\n- intent: a\n  examples: |\n    - 一\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text("nlu:\n- intent: b\n  examples: |\n    - 二\n", encoding="utf-8")
    assert load_training_data([tmp_path]).intents == ["a", "b"]
