"""Runtime settings, from environment variables prefixed ``WEALTHBOT_``."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["BOTS_DIR", "DEFAULT_BOTS", "Settings"]

BOTS_DIR = Path(__file__).resolve().parent
DEFAULT_BOTS: tuple[str, ...] = ("service", "advisory", "breakpoint", "outbound")


class Settings(BaseSettings):
    """Where bots and models live and where the server listens."""

    model_config = SettingsConfigDict(env_prefix="WEALTHBOT_", protected_namespaces=())

    bots_dir: Path = BOTS_DIR
    models_dir: Path = Path("models")
    bots: list[str] = Field(default_factory=lambda: list(DEFAULT_BOTS))
    host: str = "127.0.0.1"
    port: int = 5005
    max_request_bytes: int = 64_000
    data_dir: Path = Path(".data")  # the default SQLite tracker store lives here
    tracker_store_url: str | None = None  # memory://, sqlite:///…, postgresql://…
    lock_store_url: str | None = None  # memory:// (default) or redis://…
