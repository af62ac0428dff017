"""Intent classification: sparse and dense features, calibrated confidences, fallback."""

from __future__ import annotations

__all__: list[str] = []
