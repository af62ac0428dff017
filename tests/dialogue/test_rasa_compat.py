"""Rasa compatibility proof: two Rasa 3.x projects, written as a Rasa user writes them, run unchanged.

``tests/fixtures/rasa_projects/moodbot`` is the ``rasa init`` mood bot and ``formbot`` a form bot
(book a wealth advisor: city, date, phone; a FAQ digression mid-form; cancel by stop/deny), both
in Chinese, with Rasa component and policy names in ``config.yml``. Each is trained once per
module with ``train_bot``; its end-to-end test stories (``tests/test_stories.yml``, ``user:``
texts) must all pass through the real NLU and dialogue engine.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bots.agent import BotAgent, load_agent
from bots.cli import app
from bots.settings import Settings
from bots.training import train_bot
from dialogue.processor import UserMessage
from dialogue.testing import TestReport as StoryReport
from dialogue.testing import run_test_stories
from dialogue.training import load_stories, load_stories_text
from nlu.pipeline import Pipeline
from nlu.pipeline_config import load_pipeline_config

PROJECTS = Path(__file__).resolve().parents[1] / "fixtures" / "rasa_projects"
STORY_COUNTS = {"moodbot": 7, "formbot": 6}

runner = CliRunner()


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    models = tmp_path_factory.mktemp("rasa_models")
    for name in STORY_COUNTS:
        train_bot(PROJECTS / name, models)
    return models


def _agent(name: str, models: Path) -> BotAgent:
    return load_agent(PROJECTS / name, Settings(models_dir=models, tracker_store_url="memory://"))


def _run_stories(agent: BotAgent, stories: object) -> StoryReport:
    return asyncio.run(run_test_stories(agent, stories))  # type: ignore[arg-type]


@pytest.mark.parametrize("name", sorted(STORY_COUNTS), ids=sorted(STORY_COUNTS))
def test_rasa_project_test_stories_all_pass(name: str, models_dir: Path) -> None:
    agent = _agent(name, models_dir)
    report = _run_stories(agent, load_stories([PROJECTS / name / "tests"], test=True))
    assert len(report.results) == STORY_COUNTS[name]
    assert not report.failed, report.summary()


def test_rasa_config_regex_entity_extractor_settings_accepted() -> None:
    # RegexEntityExtractor's Rasa settings (use_word_boundaries: false, as Chinese configs set it)
    _, specs = load_pipeline_config(PROJECTS / "formbot" / "config.yml")
    gazetteer = next(spec for spec in specs if spec.rasa_name == "RegexEntityExtractor")
    assert gazetteer.overrides == {}
    assert len(Pipeline.from_specs(specs).components) == len(specs)


def test_moodbot_cheer_up_reply_carries_image(models_dir: Path) -> None:
    agent = _agent("moodbot", models_dir)

    async def talk() -> list[object]:
        await agent.handle_message(UserMessage("你好", "image-user"))
        return list(await agent.handle_message(UserMessage("我今天很伤心", "image-user")))

    replies = asyncio.run(talk())
    assert [reply.text for reply in replies] == ["给你看张图片，希望能让你开心一点：", "这对你有帮助吗？"]
    assert replies[0].image == "https://i.imgur.com/nGF1K8f.jpg"


def test_formbot_form_fills_slots_and_submits(models_dir: Path) -> None:
    agent = _agent("formbot", models_dir)

    async def talk() -> tuple[list[str], dict[str, object]]:
        texts: list[str] = []
        for text in ("帮我约一下理财经理", "我在南京", "后天", "我的手机号是13912345678"):
            texts += [r.text or "" for r in await agent.handle_message(UserMessage(text, "form-user"))]
        tracker = await agent.get_tracker("form-user")
        return texts, dict(tracker.slots)

    texts, slots = asyncio.run(talk())
    assert texts[:3] == ["请问您在哪个城市？", "您想预约哪一天？", "请留下您的手机号码，方便理财经理联系您。"]
    assert texts[3] == f"好的，已为您预约{slots['date']}在南京与理财经理面谈，稍后我们会致电13912345678确认。"
    assert slots["city"] == "南京" and slots["phone"] == "13912345678" and slots["requested_slot"] is None


def test_test_stories_wrong_entity_annotation_fails(models_dir: Path) -> None:
    text = 'version: "3.1"\nstories:\n- story: 实体标错\n  steps:\n  - user: |\n      我在[杭州](phone)\n'
    report = _run_stories(_agent("formbot", models_dir), load_stories_text(text, "wrong.yml", test=True))
    assert report.failed and report.failed[0].location == "wrong.yml:5"
    assert "expected entity phone='杭州'" in report.failed[0].failure


@pytest.mark.parametrize("name", sorted(STORY_COUNTS), ids=sorted(STORY_COUNTS))
def test_cli_test_command_passes_rasa_project(name: str, models_dir: Path) -> None:
    result = runner.invoke(app, ["test", "--bot", str(PROJECTS / name), "--models", str(models_dir)])
    assert result.exit_code == 0, result.output
    assert f"{STORY_COUNTS[name]} passed, 0 failed" in result.output


def test_cli_test_command_reports_wrong_story_location(models_dir: Path, tmp_path: Path) -> None:
    stories = tmp_path / "test_stories.yml"
    shutil.copy(PROJECTS / "moodbot" / "tests" / "test_stories.yml", stories)
    lines = stories.read_text(encoding="utf-8").splitlines()
    # happy path 1: after "好极了" (mood_great) the bot says utter_happy; the copy expects a goodbye
    target = lines.index("  - action: utter_happy")
    lines[target] = "  - action: utter_goodbye"
    stories.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bot = str(PROJECTS / "moodbot")
    result = runner.invoke(
        app, ["test", "--bot", bot, "--models", str(models_dir), "--stories", str(stories)]
    )
    assert result.exit_code == 1, result.output
    assert f"FAILED happy path 1 at {stories}:{target + 1}" in result.output
    assert "expected action 'utter_goodbye', bot did 'utter_happy'" in result.output
    assert f"{STORY_COUNTS['moodbot'] - 1} passed, 1 failed" in result.output


def test_cli_shell_drives_two_turns(
    models_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WEALTHBOT_TRACKER_STORE_URL", "memory://")
    monkeypatch.setenv("WEALTHBOT_DATA_DIR", str(tmp_path))
    bot = str(PROJECTS / "moodbot")
    result = runner.invoke(app, ["shell", "--bot", bot, "--models", str(models_dir)], input="你好\n好极了\n")
    assert result.exit_code == 0, result.output
    replies = [line for line in result.stdout.splitlines() if "机器人: " in line]
    assert [line.split("机器人: ", 1)[1] for line in replies] == [
        "你好！你今天心情怎么样？",
        "太好了，继续保持！",
    ]
