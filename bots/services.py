"""The services the robots' actions share, built once per process and only when first used."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from wealth_backend import WealthBackend, open_demo_backend

__all__ = ["PlatformServices"]


class PlatformServices:
    """Lazily opened shared services.

    Args:
        data_dir: where the embedded SQLite databases live.
        backend_url: the wealth backend's database (default: the seeded demo in ``data_dir``).
    """

    def __init__(self, data_dir: Path, backend_url: str | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.backend_url = backend_url or f"sqlite:///{self.data_dir / 'wealth.db'}"

    @cached_property
    def backend(self) -> WealthBackend:
        return open_demo_backend(self.backend_url)
