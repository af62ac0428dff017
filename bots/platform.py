"""The platform assembled: every robot loaded with its actions, the shared services and the risk hooks."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bots.actions import bot_actions
from bots.agent import BotAgent, load_agent
from bots.services import PlatformServices
from bots.settings import Settings
from risk_hooks.hooks import build_hooks

__all__ = ["load_agents"]


def load_agents(
    settings: Settings, bot_roots: Iterable[Path], services: PlatformServices | None = None
) -> dict[str, BotAgent]:
    """Load trained robots, keyed by name; each turn of each robot passes the risk hooks.

    Args:
        settings: models, data folder and stores.
        bot_roots: the robots' folders.
        services: the shared services (default: the embedded ones in ``settings.data_dir``).
    """
    services = services or PlatformServices(settings.data_dir)
    agents: dict[str, BotAgent] = {}
    for root in bot_roots:
        hooks = build_hooks(root, services.product_names, services.audit)
        agent = load_agent(
            root,
            settings,
            python_actions=bot_actions(root.name, services),
            hooks=hooks,
            profile_slots=services.profile_slots,
        )
        agents[agent.name] = agent
    return agents
