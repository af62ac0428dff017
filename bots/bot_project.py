"""A bot folder as a Rasa-style project: ``config.yml``, ``domain.yml``, ``data/``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from dialogue.domain import Domain
from nlu.errors import TrainingDataError
from nlu.pipeline_config import ComponentSpec, load_pipeline_config, specs_from_list
from nlu.training_data import TrainingData, load_training_data

__all__ = ["BotProject", "load_bot_project"]


@dataclass(frozen=True)
class BotProject:
    """What training one bot needs, read and validated."""

    name: str
    root: Path
    language: str
    specs: list[ComponentSpec]
    data: TrainingData
    fingerprint: str


def load_bot_project(root: str | Path, name: str | None = None) -> BotProject:
    """Read a bot folder; errors name the file and line.

    Raises:
        TrainingDataError: missing files, invalid YAML, unknown components or entities.
    """
    folder = Path(root)
    if not folder.is_dir():
        raise TrainingDataError(f"no bot folder at {folder}", path=str(folder), code="BOT001")
    config_file = folder / "config.yml"
    language, specs = load_pipeline_config(config_file) if config_file.exists() else ("zh", specs_from_list())
    data_dir = folder / "data"
    if not data_dir.is_dir():
        raise TrainingDataError(
            "bot has no data/ folder", path=str(data_dir), code="BOT002", hint="put nlu.yml in data/"
        )
    data = load_training_data([data_dir], known_entities=_domain_entities(folder / "domain.yml"))
    return BotProject(name or folder.name, folder, language, specs, data, _fingerprint(folder))


def _domain_entities(domain_file: Path) -> list[str] | None:
    """Entity names declared in domain.yml, or None when there is no domain."""
    if not domain_file.exists():
        return None
    return list(Domain.load(domain_file).entities)


def _fingerprint(folder: Path) -> str:
    """Hash of every file that affects training, to skip retraining unchanged bots."""
    digest = hashlib.sha256()
    for file in sorted(folder.rglob("*.yml")):
        digest.update(str(file.relative_to(folder)).encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]
