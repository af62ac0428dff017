"""The robots' end-to-end test conversations (``bots/<bot>/tests/*.yml``) through the real server.

Each robot is trained from its shipped data and served by uvicorn as ``wealthbot serve`` serves
it (actions wired to a freshly seeded demo backend, the risk hooks on every turn), then driven
over HTTP by ``RemoteBot`` exactly as a channel would: the user's words go through NLU,
policies and actions, and the tracker read back over the API is compared step by step with
the story.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bots.platform import load_agents
from bots.remote_bot import RemoteBot
from bots.server import create_app
from bots.services import PlatformServices
from bots.settings import BOTS_DIR, Settings
from dialogue.testing import run_test_stories
from dialogue.training import load_stories

# the demo customer each robot's stories are written for (see the stories' header comments)
ROBOTS = {"service": {"customer_id": "C10001"}, "advisory": {"customer_id": "C10003"}}


@pytest.fixture(scope="module")
def server_url(bot_models, tmp_path_factory: pytest.TempPathFactory, live_server_factory) -> Iterator[str]:  # noqa: ANN001
    models = bot_models(*ROBOTS)
    settings = Settings(models_dir=models, data_dir=tmp_path_factory.mktemp("e2e-data"))
    agents = load_agents(settings, [BOTS_DIR / bot for bot in ROBOTS], PlatformServices(settings.data_dir))
    app = create_app({name: agent.nlu for name, agent in agents.items()}, agents=agents)
    with live_server_factory(app) as server:
        yield server.url


@pytest.mark.parametrize("bot", list(ROBOTS))
def test_robot_end_to_end_stories_pass_over_http(bot: str, server_url: str) -> None:
    stories = load_stories([BOTS_DIR / bot / "tests"], test=True)
    assert stories.story_paths(test=True), f"{bot} has no end-to-end test stories"

    async def run() -> None:
        remote = RemoteBot(server_url, bot, metadata=ROBOTS[bot])
        try:
            report = await run_test_stories(remote, stories)
        finally:
            await remote.aclose()
        assert report.results and not report.failed, report.summary()

    asyncio.run(run())
