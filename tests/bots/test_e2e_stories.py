"""The robots' end-to-end test conversations (``bots/<bot>/tests/*.yml``) through the real server.

Each robot is trained from its shipped data and served by uvicorn as ``wealthbot serve`` serves
it (actions wired to a freshly seeded demo backend, the risk hooks on every turn), then driven
over HTTP by ``RemoteBot`` exactly as a channel would: the user's words go through NLU,
policies and actions, and the tracker read back over the API is compared step by step with
the story.

Stories run as the robot's default demo customer; stories for another customer (a cautious
elderly customer for suitability blocks, say) go in ``bots/<bot>/tests/customers/<customer id>/``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

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


def story_files_by_customer(bot: str) -> dict[str, list[Path]]:
    """The robot's test story files, grouped by the logged-in customer they are written for."""
    tests = BOTS_DIR / bot / "tests"
    groups = {ROBOTS[bot]["customer_id"]: sorted(tests.glob("*.yml"))}
    for folder in sorted(p for p in (tests / "customers").glob("*") if p.is_dir()):
        groups[folder.name] = sorted(folder.glob("*.yml"))
    return {customer: files for customer, files in groups.items() if files}


CASES = [(bot, customer) for bot in ROBOTS for customer in story_files_by_customer(bot)]


@pytest.mark.parametrize("bot", list(ROBOTS))
def test_each_robot_has_at_least_25_end_to_end_stories(bot: str) -> None:
    files = [f for group in story_files_by_customer(bot).values() for f in group]
    stories = load_stories(files, test=True)
    assert len(stories.story_paths(test=True)) >= 25, f"{bot}: {len(stories.story_paths(test=True))} stories"


@pytest.mark.parametrize(("bot", "customer"), CASES)
def test_robot_end_to_end_stories_pass_over_http(bot: str, customer: str, server_url: str) -> None:
    stories = load_stories(story_files_by_customer(bot)[customer], test=True)
    assert stories.story_paths(test=True), f"{bot} has no end-to-end test stories"

    async def run() -> None:
        remote = RemoteBot(server_url, bot, metadata={**ROBOTS[bot], "customer_id": customer})
        try:
            report = await run_test_stories(remote, stories)
        finally:
            await remote.aclose()
        assert report.results and not report.failed, report.summary()

    asyncio.run(run())
