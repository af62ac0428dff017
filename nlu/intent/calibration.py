"""Confidence calibration and the out-of-scope threshold, both fit on held-out data.

Temperature scaling (one scalar dividing the logits) makes "0.8" mean right about
80% of the time. The fallback threshold is then chosen where accepting a prediction
stops paying: each wrong answer accepted costs ``wrong_cost`` correct ones.
"""

from __future__ import annotations

import numpy as np

from nlu.intent.model import softmax

__all__ = ["choose_gate", "choose_threshold", "fit_temperature", "stratified_holdout"]


def fit_temperature(logits: np.ndarray, targets: np.ndarray) -> float:
    """The temperature minimizing held-out negative log-likelihood (grid search)."""
    if len(targets) == 0:
        return 1.0
    best_t, best_nll = 1.0, float("inf")
    for temperature in np.exp(np.linspace(np.log(0.05), np.log(10.0), 80)):
        probs = softmax(logits, float(temperature))
        nll = -np.mean(np.log(probs[np.arange(len(targets)), targets] + 1e-12))
        if nll < best_nll:
            best_t, best_nll = float(temperature), float(nll)
    return best_t


def choose_threshold(
    confidences: np.ndarray,
    correct: np.ndarray,
    *,
    wrong_cost: float = 1.0,
    max_threshold: float = 0.6,
) -> float:
    """The confidence below which the classifier should answer ``nlu_fallback``.

    Args:
        confidences: top-1 calibrated confidence of each held-out example.
        correct: whether each top-1 prediction was right.
        wrong_cost: how many right answers one wrong answer is worth losing.
        max_threshold: never reject more than this confident a prediction.
    """
    if len(confidences) == 0:
        return 0.3
    best_t, best_gain = 0.0, -float("inf")
    for threshold in np.linspace(0.0, max_threshold, 61):
        accepted = confidences >= threshold
        gain = np.sum(correct & accepted) - wrong_cost * np.sum(~correct & accepted)
        if gain > best_gain:
            best_t, best_gain = float(threshold), float(gain)
    return best_t


def stratified_holdout(
    targets: np.ndarray, fraction: float, seed: int, min_per_label: int = 5
) -> tuple[np.ndarray, np.ndarray]:
    """Split indices into (train, held-out); labels with few examples stay in train."""
    rng = np.random.default_rng(seed)
    train_idx: list[int] = []
    held_idx: list[int] = []
    for label in np.unique(targets):
        members = rng.permutation(np.flatnonzero(targets == label))
        n_held = int(len(members) * fraction) if len(members) >= min_per_label else 0
        held_idx.extend(members[:n_held].tolist())
        train_idx.extend(members[n_held:].tolist())
    return np.array(sorted(train_idx), dtype=np.int64), np.array(sorted(held_idx), dtype=np.int64)


def choose_gate(
    sparse_probs: np.ndarray, full_probs: np.ndarray, targets: np.ndarray, max_loss: float
) -> float:
    """Lowest sparse-model confidence at which its answer may replace the full model's.

    Returns 2.0 (never gate) when no gate keeps held-out accuracy within ``max_loss``.
    """
    full_correct = full_probs.argmax(axis=1) == targets
    sparse_correct = sparse_probs.argmax(axis=1) == targets
    sparse_conf = sparse_probs.max(axis=1)
    floor = full_correct.mean() - max_loss
    for gate in np.linspace(0.5, 0.99, 50):
        use_sparse = sparse_conf >= gate
        accuracy = np.where(use_sparse, sparse_correct, full_correct).mean()
        if accuracy >= floor:
            return float(gate)
    return 2.0
