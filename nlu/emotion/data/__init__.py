"""Data files of the emotion package (a package so ``*.yml`` package-data ships them)."""

from __future__ import annotations

__all__: list[str] = []
