"""FTRL-Proximal logistic regression over hashed binary features, in numpy.

McMahan et al., "Ad Click Prediction: a View from the Trenches" (KDD 2013), Algorithm 1:
per-coordinate learning rates and L1/L2 regularisation. ``update`` takes a mini-batch and
sums the gradients per coordinate before the step (exactly Algorithm 1 for a batch of one),
so a whole log trains in seconds and a single feedback event updates online.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FtrlConfig", "FtrlModel"]


@dataclass(frozen=True)
class FtrlConfig:
    """Hyper-parameters: ``alpha``/``beta`` learning rate, ``l1``/``l2`` regularisation, 2**bits weights."""

    alpha: float = 0.1
    beta: float = 1.0
    l1: float = 0.5
    l2: float = 1.0
    bits: int = 20


class FtrlModel:
    """A logistic model; samples are rows of feature indices (``n × fields`` int array)."""

    def __init__(self, config: FtrlConfig | None = None) -> None:
        self.config = config or FtrlConfig()
        size = 1 << self.config.bits
        self.z = np.zeros(size)
        self.n = np.zeros(size)

    def weights(self, idx: np.ndarray) -> np.ndarray:
        """The lazily computed weights of coordinates ``idx`` (any shape)."""
        c = self.config
        z, n = self.z[idx], self.n[idx]
        w = -(z - np.sign(z) * c.l1) / ((c.beta + np.sqrt(n)) / c.alpha + c.l2)
        return np.where(np.abs(z) <= c.l1, 0.0, w)

    def predict(self, idx: np.ndarray) -> np.ndarray:
        """P(label = 1) for each row of ``idx``."""
        margin = self.weights(idx).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-np.clip(margin, -35, 35)))

    def update(self, idx: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """One FTRL step on a mini-batch; returns the predictions made before the step."""
        p = self.predict(idx)
        grad = np.broadcast_to((p - labels)[:, None], idx.shape).ravel()
        flat = idx.ravel()
        unique, inverse = np.unique(flat, return_inverse=True)
        g = np.bincount(inverse, weights=grad, minlength=unique.size)
        g2 = np.bincount(inverse, weights=grad * grad, minlength=unique.size)
        w = self.weights(unique)
        n = self.n[unique]
        sigma = (np.sqrt(n + g2) - np.sqrt(n)) / self.config.alpha
        self.z[unique] += g - sigma * w
        self.n[unique] = n + g2
        return p

    def fit(
        self, idx: np.ndarray, labels: np.ndarray, *, epochs: int = 1, batch: int = 256, seed: int = 0
    ) -> None:
        """Stream the samples (shuffled) through :meth:`update` in mini-batches."""
        rng = np.random.default_rng(seed)
        labels = np.asarray(labels, dtype=np.float64)
        for _ in range(epochs):
            order = rng.permutation(len(labels))
            for start in range(0, len(order), batch):
                rows = order[start : start + batch]
                self.update(idx[rows], labels[rows])
