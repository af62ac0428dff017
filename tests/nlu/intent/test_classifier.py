from __future__ import annotations

from pathlib import Path

import pytest

from nlu.intent.classifier import FALLBACK_INTENT
from nlu.pipeline import Pipeline
from nlu.pipeline_config import specs_from_list
from nlu.training_data import TrainingData


def build(data: TrainingData, **settings: object) -> Pipeline:
    pipeline = Pipeline.from_specs(
        specs_from_list(
            [{"name": "nlu.jieba_tokenizer.v1"}, {"name": "nlu.intent_classifier.v1", **settings}]
        )
    )
    pipeline.train(data)
    return pipeline


@pytest.fixture(scope="module")
def trained(intent_data: TrainingData) -> Pipeline:
    return build(intent_data)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("帮我把那只基金赎回了", "redeem"),
        ("您好，请问有人吗", "greet"),
        ("这只基金今天净值多少啊", "nav"),
        ("我的银行卡换新的了", "change_card"),
    ],
    ids=["redeem", "greet", "nav", "change-card"],
)
def test_classifier_recognizes_unseen_paraphrase(trained: Pipeline, text: str, intent: str) -> None:
    result = trained.parse(text)
    assert result.intent.name == intent
    assert result.intent.confidence > 0.5


def test_classifier_ranking_is_sorted_probabilities(trained: Pipeline) -> None:
    ranking = trained.parse("我要赎回").intent_ranking
    confidences = [r.confidence for r in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0, abs=1e-3)
    assert {r.name for r in ranking} == {"redeem", "greet", "nav", "change_card"}


def test_classifier_empty_text_falls_back(trained: Pipeline) -> None:
    assert trained.parse("   ").intent.name == FALLBACK_INTENT


def test_classifier_threshold_sends_low_confidence_to_fallback(intent_data: TrainingData) -> None:
    strict = build(intent_data, fallback_threshold=0.999999, encoder="none")
    result = strict.parse("基金")
    assert result.intent.name == FALLBACK_INTENT
    assert result.intent_ranking[0].name == FALLBACK_INTENT
    assert result.intent_ranking[1].name != FALLBACK_INTENT


def test_classifier_out_of_domain_message_falls_back(trained: Pipeline) -> None:
    assert trained.parse("Quantum chromodynamics lattice gauge theory 🌌").intent.name == FALLBACK_INTENT


def test_classifier_persist_load_gives_identical_ranking(trained: Pipeline, tmp_path: Path) -> None:
    trained.persist(tmp_path / "model")
    loaded = Pipeline.load(tmp_path / "model")
    for text in ["赎回五万", "净值", "换卡", "你好"]:
        a, b = trained.parse(text), loaded.parse(text)
        assert a.intent.name == b.intent.name
        assert a.intent.confidence == pytest.approx(b.intent.confidence, abs=1e-3)


def test_classifier_sparse_only_works_without_encoder(intent_data: TrainingData) -> None:
    sparse_only = build(intent_data, encoder="none")
    assert sparse_only.parse("我想赎回基金").intent.name == "redeem"


def test_classifier_uses_local_sentence_transformer(
    intent_data: TrainingData, tiny_sentence_transformer: Path
) -> None:
    pipeline = build(intent_data, encoder=f"sentence-transformers:{tiny_sentence_transformer}")
    classifier = pipeline.components[-1]
    assert classifier.example_vectors is not None
    assert classifier.example_vectors.shape[1] == 32  # the tiny model's width, not e5's 384
    # the sparse features still carry a seen phrase
    assert pipeline.parse("申请赎回").intent.name == "redeem"


def test_classifier_missing_local_model_is_a_clear_error(intent_data: TrainingData, tmp_path: Path) -> None:
    from nlu.errors import EncoderError

    with pytest.raises(EncoderError, match="not found"):
        build(intent_data, encoder=f"sentence-transformers:{tmp_path / 'nope'}")
