"""Stories/rules/test-stories loader: every step kind, and errors with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogue.errors import StoryError
from dialogue.training import (
    ANY_VALUE,
    ActionStep,
    BotStep,
    CheckpointStep,
    EntityValue,
    LoopStep,
    OrStep,
    SlotStep,
    SlotValue,
    StoryKind,
    UserStep,
    load_stories,
    load_stories_text,
)

STORIES = """version: "3.1"
stories:
- story: 赎回
  steps:
  - intent: redeem
    entities:
    - amount: 五万
    - product
    - entity: account
      role: from
      value: 工资卡
  - slot_was_set:
    - amount: 五万
    - confirmed
  - action: redeem_form
  - active_loop: redeem_form
  - active_loop: null
  - or:
    - intent: affirm
    - intent: thank
  - checkpoint: after_redeem
"""

RULES = """
rules:
- rule: 表单提交
  condition:
  - active_loop: redeem_form
  - slot_was_set:
    - vip: true
  conversation_start: true
  wait_for_user_input: false
  steps:
  - action: redeem_form
  - action: utter_done
"""

TEST_STORIES = """
stories:
- story: 端到端
  steps:
  - user: |
      我要赎回[五万](amount)
    intent: redeem
  - action: utter_ask_product
  - user: 随便聊聊
  - bot: 我是理财助手。
"""


def test_loader_reads_every_step_kind_with_lines() -> None:
    story = load_stories_text(STORIES, "data/stories.yml").stories[0]
    assert (story.name, story.kind, story.source.line) == ("赎回", StoryKind.STORY, 3)
    user, slots, action, loop, end_loop, either, checkpoint = story.steps
    assert isinstance(user, UserStep) and user.intent == "redeem" and user.source.line == 5
    assert user.entities == (
        EntityValue("amount", "五万"),
        EntityValue("product"),
        EntityValue("account", "工资卡", role="from"),
    )
    assert isinstance(slots, SlotStep) and slots.slots == (
        SlotValue("amount", "五万"),
        SlotValue("confirmed", ANY_VALUE),
    )
    assert isinstance(action, ActionStep) and (action.name, action.source.line) == ("redeem_form", 15)
    assert isinstance(loop, LoopStep) and loop.name == "redeem_form"
    assert isinstance(end_loop, LoopStep) and end_loop.name is None
    assert isinstance(either, OrStep) and [a.intent for a in either.alternatives] == ["affirm", "thank"]
    assert isinstance(checkpoint, CheckpointStep) and checkpoint.name == "after_redeem"


def test_loader_reads_rule_condition_and_flags() -> None:
    rule = load_stories_text(RULES, "data/rules.yml").rules[0]
    assert rule.is_rule and rule.conversation_start and not rule.wait_for_user_input
    loop, slots = rule.condition
    assert isinstance(loop, LoopStep) and loop.name == "redeem_form"
    assert isinstance(slots, SlotStep) and slots.slots == (SlotValue("vip", True),)
    assert [s.name for s in rule.steps if isinstance(s, ActionStep)] == ["redeem_form", "utter_done"]


def test_loader_reads_end_to_end_test_stories(tmp_path: Path) -> None:
    path = tmp_path / "tests" / "test_stories.yml"
    path.parent.mkdir()
    path.write_text(TEST_STORIES, encoding="utf-8")
    graph = load_stories(tmp_path)
    assert graph.stories == [] and len(graph.test_stories) == 1
    first, _, chat, bot = graph.test_stories[0].steps
    assert isinstance(first, UserStep)
    assert (first.text, first.intent, first.entities) == (
        "我要赎回五万",
        "redeem",
        (EntityValue("amount", "五万"),),
    )
    assert isinstance(chat, UserStep) and (chat.text, chat.intent) == ("随便聊聊", None)
    assert isinstance(bot, BotStep) and bot.text == "我是理财助手。" and bot.source.line == 10


def test_loader_skips_files_without_stories(tmp_path: Path) -> None:
    (tmp_path / "nlu.yml").write_text("nlu:\n- intent: greet\n  examples: |\n    - 你好\n", encoding="utf-8")
    (tmp_path / "rules.yml").write_text(RULES, encoding="utf-8")
    graph = load_stories(tmp_path)
    assert (len(graph.stories), len(graph.rules)) == (0, 1)


def test_loader_reads_rasa_example_bot() -> None:
    graph = load_stories(Path(__file__).parents[3] / "bots" / "rasa_example" / "data")
    assert (len(graph.stories), len(graph.rules)) == (2, 3)


@pytest.mark.parametrize(
    ("text", "line", "code"),
    [
        ("stories:\n- story: a\n  steps:\n  - intent: greet\n   - action: x\n", 5, "STY002"),
        ("stories:\n- story: a\n  steps:\n  - intent: greet\n  - actoin: utter_greet\n", 5, "STY005"),
        ("stories:\n- story: a\n  steps:\n  - intent: greet\n    action: utter_greet\n", 4, "STY005"),
        ("rules:\n- rule: a\n  condition:\n  - intent: greet\n  steps: []\n", 4, "STY004"),
        ("stories:\n- story: a\n  stpes:\n  - intent: greet\n", 2, "STY004"),
        ("stories:\n- story: a\n  steps:\n  - intent: greet\n    entities: 五万\n", 5, "STY006"),
        ("stories:\n- story: a\n  steps:\n  - user: 我要[赎回(amount)\n", 4, "STY006"),
    ],
    ids=[
        "bad-yaml",
        "unknown-step-kind",
        "two-kinds-in-one-step",
        "bad-condition",
        "unknown-key",
        "bad-entities",
        "bad-annotation",
    ],
)
def test_loader_errors_name_file_and_line(text: str, line: int, code: str) -> None:
    with pytest.raises(StoryError) as info:
        load_stories_text(text, "data/stories.yml")
    assert (info.value.path, info.value.line, info.value.code) == ("data/stories.yml", line, code)
    assert f"data/stories.yml:{line}" in str(info.value)


def test_loader_missing_path_raises(tmp_path: Path) -> None:
    with pytest.raises(StoryError, match="no such file"):
        load_stories(tmp_path / "missing.yml")
