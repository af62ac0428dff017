"""Runtime settings, from environment variables prefixed ``WEALTHBOT_``.

List settings read either JSON (``'["a", "b"]'``) or comma-separated text (``a,b``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["BOTS_DIR", "DEFAULT_BOTS", "DEFAULT_PROTECTED_PATHS", "DEFAULT_RATE_LIMITED_PATHS", "Settings"]

BOTS_DIR = Path(__file__).resolve().parent
DEFAULT_BOTS: tuple[str, ...] = ("service", "advisory", "breakpoint", "outbound")
# server-to-server endpoints: trackers, pushes/triggers, touch, NLU, voice; ``*``: one path segment
DEFAULT_PROTECTED_PATHS: tuple[str, ...] = (
    "/conversations",
    "/bots/*/conversations",
    "/model/parse",
    "/bots/*/model/parse",
    "/push",
    "/bots/*/push",
    "/trigger",
    "/bots/*/trigger",
    "/touch",
    "/voice",  # the telephony gateway's socket and the call records
)
# customer chat: limited per sender id (from the body), other paths per client IP
DEFAULT_RATE_LIMITED_PATHS: tuple[str, ...] = ("/webhooks", "/bots/*/webhooks")

StrList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    """Where bots and models live, where the server listens, and how it is secured and observed."""

    model_config = SettingsConfigDict(env_prefix="WEALTHBOT_", protected_namespaces=())

    bots_dir: Path = BOTS_DIR
    models_dir: Path = Path("models")
    bots: list[str] = Field(default_factory=lambda: list(DEFAULT_BOTS))
    host: str = "127.0.0.1"
    port: int = 5005
    max_request_bytes: int = 64_000
    max_ws_message_bytes: int = 64_000  # uvicorn's ws_max_size: larger frames close the socket
    data_dir: Path = Path(".data")  # the default SQLite tracker store lives here
    tracker_store_url: str | None = None  # memory://, sqlite:///…, postgresql://…
    lock_store_url: str | None = None  # memory:// (default) or redis://…

    # auth for server-to-server endpoints: off while neither keys nor a JWT secret are set
    api_keys: StrList = Field(default_factory=list)
    jwt_secret: str | None = None
    jwt_audience: str | None = None
    protected_paths: StrList = Field(default_factory=lambda: list(DEFAULT_PROTECTED_PATHS))
    protect_metrics: bool = False
    # browsers: CORS for HTTP, an Origin allow-list for WebSocket handshakes
    cors_origins: StrList = Field(default_factory=list)
    ws_allowed_origins: StrList = Field(default_factory=list)  # empty: same origin + localhost
    # per-sender token buckets; rate 0 turns limiting off
    rate_limit_per_second: float = Field(default=5.0, ge=0)
    rate_limit_burst: int = Field(default=20, ge=1)
    rate_limited_paths: StrList = Field(default_factory=lambda: list(DEFAULT_RATE_LIMITED_PATHS))
    # operations
    log_format: Literal["json", "text", "none"] = "json"  # none: leave logging as the host set it
    log_level: str = "INFO"
    log_mask_pii: bool = True
    access_log: bool = True
    metrics_enabled: bool = True
    shutdown_grace_s: float = Field(default=10.0, ge=0)

    @field_validator(
        "api_keys",
        "protected_paths",
        "cors_origins",
        "ws_allowed_origins",
        "rate_limited_paths",
        mode="before",
    )
    @classmethod
    def _split_list(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if text.startswith("["):
            return json.loads(text)
        return [item.strip() for item in text.split(",") if item.strip()]
