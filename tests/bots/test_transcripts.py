"""The robots' README transcripts: produced by running the conversations, kept in step with them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bots.settings import BOTS_DIR
from bots.transcripts import (
    BEGIN_MARKER,
    END_MARKER,
    Conversation,
    load_conversations,
    render_markdown,
    replace_section,
    run_conversations,
)

ROBOTS_WITH_TRANSCRIPTS = ["service", "advisory"]


def test_a_conversation_runs_through_the_platform_and_renders_the_robots_answers(bot_models) -> None:  # noqa: ANN001
    models = bot_models("service")
    conversations = [Conversation("问候后问到账", "C10001", ["你好", "赎回的钱多久能到账"])]

    results = asyncio.run(run_conversations(BOTS_DIR / "service", models, conversations))
    markdown = render_markdown(conversations, results)

    assert [turn.user for turn in results[0]] == ["你好", "赎回的钱多久能到账"]
    assert all(turn.replies for turn in results[0]), "every turn gets an answer"
    assert "### 1. 问候后问到账 （已登录客户 C10001）" in markdown
    assert "> 👤 赎回的钱多久能到账" in markdown
    assert "到账" in "".join(reply.text or "" for reply in results[0][1].replies)


def test_the_section_between_the_markers_is_replaced_and_the_rest_kept() -> None:
    document = f"# 客服机器人\n\n说明\n\n{BEGIN_MARKER}\n旧的\n{END_MARKER}\n\n结尾\n"

    updated = replace_section(document, "新的")

    assert "旧的" not in updated and "新的" in updated
    assert updated.startswith("# 客服机器人\n\n说明") and updated.endswith("结尾\n")
    assert replace_section("# 标题\n", "新的").endswith(f"{BEGIN_MARKER}\n\n新的\n\n{END_MARKER}\n")


def test_a_transcripts_file_without_turns_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "transcripts.yml"
    path.write_text("- title: 空对话\n  customer_id: C10001\n", encoding="utf-8")

    with pytest.raises(ValueError, match="transcripts.yml: entry 1 needs a title and turns"):
        load_conversations(path)


@pytest.mark.parametrize("bot", ROBOTS_WITH_TRANSCRIPTS)
def test_the_readme_shows_five_transcripts_of_the_current_conversations(bot: str) -> None:
    conversations = load_conversations(BOTS_DIR / bot / "transcripts.yml")
    readme = (BOTS_DIR / bot / "README.md").read_text(encoding="utf-8")
    section = readme.split(BEGIN_MARKER, 1)[1].split(END_MARKER, 1)[0]

    assert len(conversations) >= 5
    for number, conversation in enumerate(conversations, start=1):
        assert f"### {number}. {conversation.title}" in section, f"{bot}: rerun bots.transcripts"
        for text in conversation.turns:
            assert f"> 👤 {text}" in section, f"{bot}: {text!r} missing; rerun python -m bots.transcripts"
    assert section.count("> 🤖") >= sum(len(c.turns) for c in conversations)
