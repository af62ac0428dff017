from __future__ import annotations

from pathlib import Path

import pytest

from nlu.errors import ComponentConfigError
from nlu.pipeline import Pipeline
from nlu.pipeline_config import DEFAULT_PIPELINE, load_pipeline_config
from nlu.registry import COMPONENTS, RASA_ALIASES, SUBSUMED, resolve


@pytest.mark.parametrize("name", sorted(COMPONENTS))
def test_registry_every_entry_imports(name: str) -> None:
    component_cls = resolve(name)
    assert hasattr(component_cls, "Config")
    assert hasattr(component_cls, "process")


@pytest.mark.parametrize("alias", sorted(a for a, t in RASA_ALIASES.items() if t != SUBSUMED))
def test_registry_rasa_alias_points_to_a_component(alias: str) -> None:
    assert RASA_ALIASES[alias] in COMPONENTS


def test_config_rasa_pipeline_loads_and_drops_subsumed(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text(
        "language: zh\npipeline:\n  - name: JiebaTokenizer\n  - name: CountVectorsFeaturizer\n"
        "    analyzer: char_wb\n  - name: DIETClassifier\n    epochs: 100\n",
        encoding="utf-8",
    )
    language, specs = load_pipeline_config(path)
    assert language == "zh"
    assert [s.name for s in specs] == ["nlu.jieba_tokenizer.v1", "nlu.intent_classifier.v1"]
    assert specs[1].overrides == {}  # Rasa's epochs does not leak into our settings


def test_config_unknown_component_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text("pipeline:\n  - name: nlu.jieba_tokenizer.v1\n  - name: NoSuchThing\n", encoding="utf-8")
    with pytest.raises(ComponentConfigError) as info:
        load_pipeline_config(path)
    assert info.value.line == 3
    assert "NoSuchThing" in str(info.value)


def test_config_unknown_setting_is_rejected_at_build(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text("pipeline:\n  - name: nlu.intent_classifier.v1\n    epochz: 3\n", encoding="utf-8")
    _, specs = load_pipeline_config(path)
    with pytest.raises(ComponentConfigError) as info:
        Pipeline.from_specs(specs)
    assert info.value.line == 2
    assert "epochz" in str(info.value) and "epochs" in str(info.value)


def test_config_empty_pipeline_means_default(tmp_path: Path) -> None:
    path = tmp_path / "config.yml"
    path.write_text("language: zh\n", encoding="utf-8")
    _, specs = load_pipeline_config(path)
    assert tuple(s.name for s in specs) == DEFAULT_PIPELINE
