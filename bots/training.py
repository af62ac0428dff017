"""Train bots into the models folder, skipping bots whose files have not changed."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

from bots.bot_project import BotProject, load_bot_project
from nlu.pipeline import Pipeline, ProgressCallback, TrainReport
from nlu.resources import Resources

__all__ = ["dialogue_dir", "load_bot_model", "model_dir", "train_bot", "train_dialogue"]

logger = logging.getLogger(__name__)
_STAMP = "bot.json"


def model_dir(models_dir: Path, bot: str) -> Path:
    return Path(models_dir) / bot


def dialogue_dir(models_dir: Path, bot: str) -> Path:
    return model_dir(models_dir, bot) / "dialogue"


def train_dialogue(bot_root: Path, target: Path) -> None:
    """Check and train the bot's policies from its domain, stories, rules and flows."""
    from dialogue.domain import Domain
    from dialogue.policies.ensemble import PolicyEnsemble
    from dialogue.policies.flow_policy import FlowPolicy
    from dialogue.policies.form_policy import FormPolicy
    from dialogue.training import load_stories

    domain = Domain.load(bot_root / "domain.yml")
    data = bot_root / "data"
    flow_files = sorted(data.glob("flows*.yml"))
    flows = FlowPolicy.from_files(flow_files, domain) if flow_files else FlowPolicy()
    ensemble = PolicyEnsemble.default(extra=[FormPolicy(), flows])
    ensemble.train(load_stories([data]), domain)
    ensemble.persist(target)


def is_up_to_date(project: BotProject, target: Path) -> bool:
    stamp = target / _STAMP
    if not stamp.exists() or not (target / "pipeline.json").exists():
        return False
    return json.loads(stamp.read_text(encoding="utf-8")).get("fingerprint") == project.fingerprint


def train_bot(
    bot_root: Path,
    models_dir: Path,
    *,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> tuple[Path, TrainReport | None]:
    """Train the bot in ``bot_root`` unless its model is current.

    Returns:
        The model folder and the training report (``None`` when training was skipped).
    """
    project = load_bot_project(bot_root)
    target = model_dir(models_dir, project.name)
    if not force and is_up_to_date(project, target):
        logger.info("%s: model is up to date", project.name)
        return target, None
    # embeddings of unchanged examples come from disk on the next training run
    resources = Resources(embedding_cache_dir=Path(models_dir) / ".cache")
    pipeline = Pipeline.from_specs(project.specs, resources)
    report = pipeline.train(project.data, progress=progress)
    staging = target.with_name(target.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    pipeline.persist(staging)
    if (Path(bot_root) / "domain.yml").exists():
        train_dialogue(Path(bot_root), staging / "dialogue")
    stamp = {"bot": project.name, "fingerprint": project.fingerprint, "seconds": report.total_seconds}
    (staging / _STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    # swap in the new model only once it is complete, so a crash never leaves half a model
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target, report


def load_bot_model(models_dir: Path, bot: str) -> Pipeline:
    """Load a trained bot's pipeline."""
    return Pipeline.load(model_dir(models_dir, bot))
