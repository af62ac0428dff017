"""Customer emotion detection: anger, anxiety, dissatisfaction, positive, neutral.

``EmotionClassifier`` is the pipeline component; ``EmotionModel`` is the reusable,
label-agnostic model underneath; ``EmotionLexicon`` is the lexicon prior; the
labelled Chinese examples load with ``load_emotion_data``.
"""

from __future__ import annotations

from nlu.emotion.classifier import EmotionClassifier, emotion_intensity
from nlu.emotion.dataset import EmotionExample, load_emotion_data, packaged_data_path
from nlu.emotion.features import CharNgramVectorizer
from nlu.emotion.lexicon import EmotionLexicon, LexiconCues, LexiconHit, packaged_lexicon_path
from nlu.emotion.model import EmotionModel, ModelSettings, TextEncoder

__all__ = [
    "CharNgramVectorizer",
    "EmotionClassifier",
    "EmotionExample",
    "EmotionLexicon",
    "EmotionModel",
    "LexiconCues",
    "LexiconHit",
    "ModelSettings",
    "TextEncoder",
    "emotion_intensity",
    "load_emotion_data",
    "packaged_data_path",
    "packaged_lexicon_path",
]
