"""A robot's representative conversations, run for real and written into its README.

``bots/<bot>/transcripts.yml`` lists conversations (a title, the logged-in customer and the
user's turns); ``python -m bots.transcripts --bot service`` trains the robot if needed, runs
each conversation through the assembled platform (NLU, policies, actions, risk hooks, a freshly
seeded demo backend) and replaces the part of ``bots/<bot>/README.md`` between the two
markers below with what the robot answered. The transcripts are output, never hand-written.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from dialogue.processor import BotMessage, UserMessage

__all__ = [
    "BEGIN_MARKER",
    "END_MARKER",
    "Conversation",
    "Turn",
    "load_conversations",
    "render_markdown",
    "replace_section",
    "run_conversations",
]

BEGIN_MARKER = "<!-- transcripts:begin (python -m bots.transcripts) -->"
END_MARKER = "<!-- transcripts:end -->"


@dataclass(frozen=True)
class Conversation:
    title: str
    customer_id: str
    turns: list[str]


@dataclass
class Turn:
    user: str
    replies: list[BotMessage] = field(default_factory=list)


def load_conversations(path: Path) -> list[Conversation]:
    """Read ``transcripts.yml``: a list of ``{title, customer_id, turns: [text, ...]}``.

    Raises:
        ValueError: a missing file or an entry without a title or turns, naming the file.
    """
    if not path.exists():
        raise ValueError(f"{path}: no transcripts file")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    conversations = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, dict) or not item.get("title") or not item.get("turns"):
            raise ValueError(f"{path}: entry {index + 1} needs a title and turns")
        turns = [str(turn) for turn in item["turns"]]
        conversations.append(Conversation(str(item["title"]), str(item.get("customer_id") or ""), turns))
    if not conversations:
        raise ValueError(f"{path}: expected a list of conversations")
    return conversations


async def run_conversations(
    bot_root: Path, models_dir: Path, conversations: list[Conversation]
) -> list[list[Turn]]:
    """Run each conversation in a fresh session, on a freshly seeded demo backend."""
    from bots.platform import load_agents
    from bots.services import PlatformServices
    from bots.settings import Settings

    with tempfile.TemporaryDirectory(prefix="wealthbot-transcripts-") as data_dir:
        settings = Settings(models_dir=models_dir, data_dir=Path(data_dir), tracker_store_url="memory://")
        agent = load_agents(settings, [bot_root], PlatformServices(settings.data_dir))[bot_root.name]
        try:
            results = []
            for conversation in conversations:
                sender = f"transcript-{uuid.uuid4().hex[:8]}"
                metadata = {"customer_id": conversation.customer_id} if conversation.customer_id else {}
                turns = []
                for text in conversation.turns:
                    replies = await agent.handle_message(UserMessage(text, sender, "transcript", metadata))
                    turns.append(Turn(text, replies))
                results.append(turns)
            return results
        finally:
            await agent.close()


def _reply_lines(reply: BotMessage) -> list[str]:
    text_lines = (reply.text or "").splitlines()
    lines = [f"> 🤖 {line}" if i == 0 else f">    {line}" for i, line in enumerate(text_lines)]
    if reply.buttons:
        titles = " ".join(f"［{button.get('title', '')}］" for button in reply.buttons)
        lines.append(f">    {titles}")
    if reply.custom:
        lines.append(f">    （卡片：{reply.custom.get('type', 'custom')}）")
    return lines or ["> 🤖 （无文字回复）"]


def render_markdown(conversations: list[Conversation], results: list[list[Turn]]) -> str:
    """The transcripts as Markdown: one section per conversation, user and robot turns quoted."""
    parts = []
    for number, (conversation, turns) in enumerate(zip(conversations, results, strict=True), start=1):
        who = f"（已登录客户 {conversation.customer_id}）" if conversation.customer_id else "（未登录）"
        lines = [f"### {number}. {conversation.title} {who}", ""]
        for turn in turns:
            lines.append(f"> 👤 {turn.user}")
            for reply in turn.replies:
                lines.extend(_reply_lines(reply))
            lines.append(">")
        if lines[-1] == ">":
            lines.pop()
        # two trailing spaces: a hard line break, so each line of the quote stays a line on GitHub
        hard = [line + "  " if line.startswith("> ") else line for line in lines]
        parts.append("\n".join(hard))
    return "\n\n".join(parts)


def replace_section(document: str, markdown: str) -> str:
    """``document`` with the text between the markers replaced (markers appended when absent)."""
    block = f"{BEGIN_MARKER}\n\n{markdown}\n\n{END_MARKER}"
    if BEGIN_MARKER in document and END_MARKER in document:
        head, rest = document.split(BEGIN_MARKER, 1)
        _, tail = rest.split(END_MARKER, 1)
        return f"{head}{block}{tail}"
    return f"{document.rstrip()}\n\n{block}\n"


def main(argv: list[str] | None = None) -> None:
    from bots.settings import BOTS_DIR
    from bots.training import train_bot

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bot", required=True, help="the robot's folder name under bots/")
    parser.add_argument("--models", type=Path, default=Path("models"), help="models (trained if stale)")
    args = parser.parse_args(argv)
    root = BOTS_DIR / args.bot
    conversations = load_conversations(root / "transcripts.yml")
    train_bot(root, args.models)
    results = asyncio.run(run_conversations(root, args.models, conversations))
    readme = root / "README.md"
    current = readme.read_text(encoding="utf-8") if readme.exists() else f"# {args.bot}\n"
    readme.write_text(replace_section(current, render_markdown(conversations, results)), encoding="utf-8")
    print(f"{readme}: {len(conversations)} transcripts written")


if __name__ == "__main__":
    main()
