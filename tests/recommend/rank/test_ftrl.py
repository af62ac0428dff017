from __future__ import annotations

import numpy as np

from recommend.rank import FtrlConfig, FtrlModel


def test_ftrl_online_update_moves_the_prediction_toward_the_label() -> None:
    model = FtrlModel(FtrlConfig(bits=10, l1=0.0))
    row = np.array([[1, 5, 9]])
    start = model.predict(row)[0]
    for _ in range(10):
        model.update(row, np.array([1.0]))
    assert model.predict(row)[0] > start + 0.1
    other = np.array([[2, 6, 10]])
    assert model.predict(other)[0] == start  # untouched coordinates keep their weights


def test_ftrl_fit_learns_a_separable_signal_and_l1_keeps_noise_at_zero() -> None:
    rng = np.random.default_rng(0)
    n = 4000
    signal = rng.integers(0, 2, n)
    idx = np.stack([signal, 10 + rng.integers(0, 200, n)], axis=1)  # field 2: noise ids
    model = FtrlModel(FtrlConfig(bits=12, l1=2.0))
    model.fit(idx, signal.astype(float), epochs=2)
    p = model.predict(idx)
    assert p[signal == 1].mean() > 0.8 and p[signal == 0].mean() < 0.2
    assert (model.weights(np.arange(10, 210)) == 0).mean() > 0.5
