"""The ``wealthbot`` command line: train, parse, serve, evaluate, run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from bots.settings import Settings
from nlu.errors import NLUError

app = typer.Typer(help="中文财富管理对话机器人平台 / Chinese wealth-management robots", no_args_is_help=True)
console = Console(stderr=True)

BotOption = typer.Option(None, "--bot", "-b", help="bot name (repeatable); default: all four robots")
ModelsOption = typer.Option(None, "--models", help="models folder (default: ./models)")


def _settings(models: Path | None) -> Settings:
    settings = Settings()
    if models is not None:
        settings.models_dir = models
    return settings


def _bot_dir(settings: Settings, bot: str) -> Path:
    candidate = Path(bot)
    return candidate if candidate.is_dir() else settings.bots_dir / bot


def _fail(exc: Exception) -> typer.Exit:
    # plain text: rich would wrap long paths and read "[text](entity)" hints as markup
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code=2)


def _train_all(settings: Settings, bots: list[str], force: bool) -> None:
    from bots.training import train_bot

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        for bot in bots:
            task = progress.add_task(f"训练 {bot}", total=1)

            def report_step(step: str, done: int, total: int, task_id: int = task, name: str = bot) -> None:
                progress.update(task_id, total=total, completed=done, description=f"训练 {name}: {step}")

            _, report = train_bot(
                _bot_dir(settings, bot), settings.models_dir, force=force, progress=report_step
            )
            summary = "up to date" if report is None else f"{report.total_seconds:.1f}s"
            progress.update(task, description=f"{bot}: {summary}", completed=1, total=1)


@app.command()
def train(
    bot: list[str] = BotOption,
    force: bool = typer.Option(False, "--force", help="retrain even if the data did not change"),
    models: Path = ModelsOption,
) -> None:
    """Train the NLU of one or more bots from their Rasa-format data."""
    settings = _settings(models)
    try:
        _train_all(settings, bot or settings.bots, force)
    except NLUError as exc:
        raise _fail(exc) from exc


@app.command()
def parse(
    text: str = typer.Argument(None, help="text to parse; omitted: one message per stdin line"),
    bot: str = typer.Option("service", "--bot", "-b"),
    models: Path = ModelsOption,
) -> None:
    """Parse messages with a trained bot and print Rasa-style JSON."""
    from bots.training import load_bot_model

    settings = _settings(models)
    try:
        pipeline = load_bot_model(settings.models_dir, bot)
    except NLUError as exc:
        raise _fail(exc) from exc
    lines = [text] if text is not None else [line.rstrip("\n") for line in sys.stdin]
    for line in lines:
        typer.echo(json.dumps(pipeline.parse(line).to_dict(), ensure_ascii=False))


def _load_agents(settings: Settings, bots: list[str]) -> dict[str, Any]:
    from bots.platform import load_agents

    return dict(load_agents(settings, [_bot_dir(settings, bot).resolve() for bot in bots]))


@app.command()
def serve(
    bot: list[str] = BotOption,
    host: str = typer.Option(None, help="default 127.0.0.1"),
    port: int = typer.Option(None, help="default 5005"),
    models: Path = ModelsOption,
    train_missing: bool = typer.Option(True, help="train bots whose model is missing or stale"),
    grace: float = typer.Option(None, help="seconds to let running turns finish on shutdown (default 10)"),
    log_format: str = typer.Option(None, help="json (default), text or none"),
) -> None:
    """Serve the bots over HTTP: REST channel, trackers and /model/parse."""
    from bots.logging_config import configure_logging
    from bots.platform import load_agents
    from bots.risk_api import build_audit_router
    from bots.server import create_app, serve_app
    from bots.services import PlatformServices

    settings = _settings(models)
    if grace is not None:
        settings.shutdown_grace_s = grace
    if log_format is not None:
        if log_format not in ("json", "text", "none"):
            raise typer.BadParameter(f"--log-format must be json, text or none, not {log_format!r}")
        settings.log_format = log_format  # type: ignore[assignment]
    if settings.log_format != "none":
        configure_logging(
            level=settings.log_level, json_format=settings.log_format == "json", mask=settings.log_mask_pii
        )
    bots = bot or settings.bots
    services = PlatformServices(settings.data_dir)
    try:
        if train_missing:
            _train_all(settings, bots, force=False)
        agents = load_agents(settings, [_bot_dir(settings, name).resolve() for name in bots], services)
    except NLUError as exc:
        raise _fail(exc) from exc
    pipelines = {name: agent.nlu for name, agent in agents.items()}
    audit_routes = build_audit_router(services.audit)
    application = create_app(pipelines, agents=agents, settings=settings, routers=[audit_routes])
    services.warm_up_in_background()
    serve_app(application, settings, host=host, port=port)


@app.command()
def test(
    bot: str = typer.Option("service", "--bot", "-b"),
    stories: Path = typer.Option(None, help="test stories file/folder (default: <bot>/tests)"),
    models: Path = ModelsOption,
) -> None:
    """Run end-to-end test stories; print each failing story with the step where it diverged."""
    import asyncio

    from dialogue.testing import run_test_stories
    from dialogue.training import load_stories

    settings = _settings(models)
    settings.tracker_store_url = "memory://"
    bot_root = _bot_dir(settings, bot).resolve()
    try:
        _train_all(settings, [str(bot_root)], force=False)
        graph = load_stories([stories or bot_root / "tests"], test=True)
        (agent,) = _load_agents(settings, [str(bot_root)]).values()
    except NLUError as exc:
        raise _fail(exc) from exc
    report = asyncio.run(run_test_stories(agent, graph))
    typer.echo(report.summary())
    if report.failed or not report.results:
        raise typer.Exit(code=1)


@app.command()
def shell(
    bot: str = typer.Option("service", "--bot", "-b"),
    sender: str = typer.Option("shell", help="conversation id"),
    models: Path = ModelsOption,
) -> None:
    """Chat with a bot in the terminal (empty line or /stop to quit)."""
    import asyncio

    from dialogue.processor import UserMessage

    settings = _settings(models)
    bot_root = _bot_dir(settings, bot).resolve()
    try:
        _train_all(settings, [str(bot_root)], force=False)
        (agent,) = _load_agents(settings, [str(bot_root)]).values()
    except NLUError as exc:
        raise _fail(exc) from exc

    async def chat() -> None:
        while True:
            try:
                text = input("您: ").strip()
            except EOFError:
                break
            if not text or text == "/stop":
                break
            for reply in await agent.handle_message(UserMessage(text, sender, input_channel="shell")):
                typer.echo(f"机器人: {reply.text or ''}")
                for button in reply.buttons or []:
                    typer.echo(f"    [{button.get('title')}] {button.get('payload')}")
        await agent.close()

    asyncio.run(chat())


@app.command()
def evaluate(
    bot: str = typer.Option("service", "--bot", "-b"),
    folds: int = typer.Option(5, help="cross-validation folds"),
    test_data: Path = typer.Option(None, "--test-data", help="score a test file/folder instead of CV"),
    out: Path = typer.Option(Path("reports"), help="report folder (a subfolder per bot)"),
    models: Path = ModelsOption,
) -> None:
    """Evaluate a bot's NLU: per-intent P/R/F1, confusion matrix PNG, entity F1, JSON report."""
    from bots.bot_project import load_bot_project
    from bots.training import load_bot_model, train_bot
    from nlu.evaluate import cross_validate, evaluate_on, write_report
    from nlu.training_data import load_training_data

    settings = _settings(models)
    try:
        project = load_bot_project(_bot_dir(settings, bot))
        if test_data is not None:
            train_bot(project.root, settings.models_dir)
            pipeline = load_bot_model(settings.models_dir, project.name)
            report = evaluate_on(pipeline, load_training_data([test_data]))
        else:
            with Progress(TextColumn("{task.description}"), BarColumn(), console=console) as progress:
                task = progress.add_task(f"{project.name}: {folds}-fold CV", total=folds)
                report = cross_validate(
                    project.specs,
                    project.data,
                    folds,
                    progress=lambda done, total: progress.update(task, completed=done),
                )
    except NLUError as exc:
        raise _fail(exc) from exc
    json_path, png_path = write_report(report, out / project.name, title=project.name)
    typer.echo(
        f"{project.name}: accuracy={report.accuracy:.4f} macro_f1={report.macro_f1:.4f} "
        f"weighted_f1={report.weighted_f1:.4f} misclassified={len(report.misclassified)}"
    )
    for name, scores in report.entities.items():
        typer.echo(f"  entity {name}: f1={scores.f1:.4f} support={scores.support}")
    typer.echo(f"report: {json_path}  plot: {png_path}")


if __name__ == "__main__":
    app()
