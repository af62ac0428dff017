"""A text classifier over sparse n-gram and dense sentence features.

``logits = sparse_linear(tfidf) + mlp(embedding)``: the linear part memorizes the bot's
wording, the MLP over the encoder's embedding generalizes to paraphrases. Trained with
torch; the learned weights are kept as numpy arrays, so scoring one message is a few
vector operations with no torch overhead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

__all__ = ["ClassifierWeights", "TrainSettings", "softmax", "train_classifier"]


@dataclass(frozen=True)
class TrainSettings:
    epochs: int = 40
    batch_size: int = 128
    learning_rate: float = 0.02
    weight_decay: float = 1e-5
    hidden_size: int = 256
    dropout: float = 0.2
    seed: int = 42


@dataclass
class ClassifierWeights:
    """Everything needed to score: labels, linear weights and the optional MLP."""

    labels: list[str]
    sparse_weight: np.ndarray  # (n_sparse, n_labels)
    bias: np.ndarray  # (n_labels,)
    hidden_weight: np.ndarray | None = None  # (dim, hidden)
    hidden_bias: np.ndarray | None = None
    output_weight: np.ndarray | None = None  # (hidden, n_labels)
    temperature: float = 1.0

    def logits(self, sparse_rows: sparse.csr_matrix, dense_rows: np.ndarray | None) -> np.ndarray:
        out = np.asarray(sparse_rows @ self.sparse_weight) + self.bias
        if self.hidden_weight is not None and dense_rows is not None:
            hidden = _gelu(dense_rows @ self.hidden_weight + self.hidden_bias)
            out = out + hidden @ self.output_weight
        return out.astype(np.float32)

    def logits_one(self, indices: np.ndarray, values: np.ndarray, dense: np.ndarray | None) -> np.ndarray:
        """Logits of one example from its sparse row (indices, values) and embedding."""
        out = values @ self.sparse_weight[indices] + self.bias
        if self.hidden_weight is not None and dense is not None:
            out = out + _gelu(dense @ self.hidden_weight + self.hidden_bias) @ self.output_weight
        return out

    def save(self, directory: Path) -> None:
        arrays = {"sparse_weight": self.sparse_weight, "bias": self.bias}
        if self.hidden_weight is not None:
            arrays.update(
                hidden_weight=self.hidden_weight,
                hidden_bias=self.hidden_bias,
                output_weight=self.output_weight,
            )
        np.savez(directory / "weights.npz", **arrays)
        meta = {"labels": self.labels, "temperature": self.temperature}
        (directory / "classifier.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> ClassifierWeights:
        meta = json.loads((directory / "classifier.json").read_text(encoding="utf-8"))
        with np.load(directory / "weights.npz") as arrays:
            loaded = {k: arrays[k] for k in arrays.files}
        return cls(labels=list(meta["labels"]), temperature=float(meta["temperature"]), **loaded)


def softmax(logits: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature``."""
    scaled = np.asarray(logits, dtype=np.float64) / temperature
    scaled -= scaled.max(axis=-1, keepdims=True)
    exp = np.exp(scaled)
    return exp / exp.sum(axis=-1, keepdims=True)


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))


def train_classifier(
    sparse_rows: sparse.csr_matrix,
    dense_rows: np.ndarray | None,
    targets: np.ndarray,
    labels: list[str],
    settings: TrainSettings,
) -> ClassifierWeights:
    """Fit the model with mini-batch AdamW; returns numpy weights (temperature 1)."""
    import torch
    from torch import nn

    torch.manual_seed(settings.seed)
    generator = np.random.default_rng(settings.seed)
    n_labels, n_sparse = len(labels), sparse_rows.shape[1]
    linear = nn.Linear(n_sparse, n_labels)
    nn.init.zeros_(linear.weight)
    modules: list[nn.Module] = [linear]
    mlp: nn.Sequential | None = None
    if dense_rows is not None:
        mlp = nn.Sequential(
            nn.Dropout(settings.dropout),
            nn.Linear(dense_rows.shape[1], settings.hidden_size),
            nn.GELU(approximate="tanh"),
            nn.Dropout(settings.dropout),
            nn.Linear(settings.hidden_size, n_labels, bias=False),
        )
        modules.append(mlp)
    params = [p for m in modules for p in m.parameters()]
    optimizer = torch.optim.AdamW(params, lr=settings.learning_rate, weight_decay=settings.weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    y_all = torch.as_tensor(targets, dtype=torch.long)
    dense_all = torch.as_tensor(dense_rows) if dense_rows is not None else None
    n = sparse_rows.shape[0]
    # a bot with a few dozen examples still gets several updates per epoch
    batch_size = min(settings.batch_size, max(16, n // 16))
    for module in modules:
        module.train()
    for _ in range(settings.epochs):
        order = generator.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            x_sparse = _to_torch_sparse(sparse_rows[batch])
            logits = torch.sparse.mm(x_sparse, linear.weight.t()) + linear.bias
            if mlp is not None and dense_all is not None:
                logits = logits + mlp(dense_all[batch])
            loss = loss_fn(logits, y_all[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return _export(linear, mlp, labels)


def _to_torch_sparse(rows: sparse.csr_matrix):  # noqa: ANN202 - torch type
    import torch

    coo = rows.tocoo()
    indices = torch.as_tensor(np.vstack([coo.row, coo.col]), dtype=torch.long)
    values = torch.as_tensor(coo.data, dtype=torch.float32)
    return torch.sparse_coo_tensor(indices, values, coo.shape, check_invariants=False)


def _export(linear, mlp, labels: list[str]) -> ClassifierWeights:  # noqa: ANN001 - torch modules
    def array(tensor) -> np.ndarray:  # noqa: ANN001
        return tensor.detach().cpu().numpy().astype(np.float32)

    weights = ClassifierWeights(
        labels=list(labels), sparse_weight=array(linear.weight).T.copy(), bias=array(linear.bias)
    )
    if mlp is not None:
        weights.hidden_weight = array(mlp[1].weight).T.copy()
        weights.hidden_bias = array(mlp[1].bias)
        weights.output_weight = array(mlp[4].weight).T.copy()
    return weights
