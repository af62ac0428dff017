"""Fixtures of the emotion tests: one classifier trained once per session."""

from __future__ import annotations

import pytest

from nlu.emotion import EmotionClassifier, EmotionLexicon
from nlu.resources import Resources
from nlu.training_data import TrainingData


@pytest.fixture(scope="session")
def emotion_classifier() -> EmotionClassifier:
    """The default classifier trained on the packaged data."""
    classifier = EmotionClassifier.create(EmotionClassifier.Config(), Resources())
    classifier.initialize()
    classifier.train(TrainingData(), [])
    return classifier


@pytest.fixture(scope="session")
def lexicon() -> EmotionLexicon:
    """The packaged lexicon."""
    return EmotionLexicon.from_file()
