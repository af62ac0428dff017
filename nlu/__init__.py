"""The shared NLP core: normalize -> correct -> tokenize -> entities -> intent -> emotion.

Typical use::

    from nlu import Pipeline, load_training_data, specs_from_list

    pipeline = Pipeline.from_specs(specs_from_list())
    pipeline.train(load_training_data(["bots/service/data"]))
    result = pipeline.parse("我想书回两千五")
"""

from __future__ import annotations

from nlu.errors import (
    ComponentConfigError,
    EncoderError,
    ModelNotTrainedError,
    NLUError,
    TrainingDataError,
)
from nlu.message import Correction, Emotion, EmotionLabel, Entity, IntentScore, Message, ParseResult
from nlu.pipeline import Pipeline, TrainReport
from nlu.pipeline_config import ComponentSpec, load_pipeline_config, specs_from_list
from nlu.training_data import TrainingData, load_training_data

__all__ = [
    "ComponentConfigError",
    "ComponentSpec",
    "Correction",
    "Emotion",
    "EmotionLabel",
    "EncoderError",
    "Entity",
    "IntentScore",
    "Message",
    "ModelNotTrainedError",
    "NLUError",
    "ParseResult",
    "Pipeline",
    "TrainReport",
    "TrainingData",
    "TrainingDataError",
    "load_pipeline_config",
    "load_training_data",
    "specs_from_list",
]
