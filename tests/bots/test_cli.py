from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bots.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def trained_models(small_bot: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    models = tmp_path_factory.mktemp("models")
    result = runner.invoke(app, ["train", "--bot", str(small_bot), "--models", str(models)])
    assert result.exit_code == 0, result.output
    return models


def test_cli_train_writes_model_and_skips_unchanged_bot(small_bot: Path, trained_models: Path) -> None:
    assert (trained_models / "mini" / "pipeline.json").exists()
    again = runner.invoke(app, ["train", "--bot", str(small_bot), "--models", str(trained_models)])
    assert again.exit_code == 0
    assert "up to date" in again.output


def test_cli_parse_prints_rasa_json(trained_models: Path) -> None:
    result = runner.invoke(app, ["parse", "帮我赎回三万块", "--bot", "mini", "--models", str(trained_models)])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout.strip().splitlines()[-1])
    assert body["intent"]["name"] == "redeem"
    assert any(e["entity"] == "amount" and e["value"] == 30000 for e in body["entities"])


def test_cli_parse_reads_stdin_lines(trained_models: Path) -> None:
    result = runner.invoke(
        app, ["parse", "--bot", "mini", "--models", str(trained_models)], input="你好\n净值多少\n"
    )
    assert result.exit_code == 0, result.output
    intents = [json.loads(line)["intent"]["name"] for line in result.stdout.strip().splitlines()]
    assert intents == ["greet", "nav"]


def test_cli_evaluate_writes_json_and_png(small_bot: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["evaluate", "--bot", str(small_bot), "--folds", "2", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "mini" / "intent_report.json").read_text(encoding="utf-8"))
    assert set(report["intents"]) == {"redeem", "greet", "nav"}
    assert report["n_examples"] == 24
    assert 0.0 <= report["macro_f1"] <= 1.0
    assert "amount" in report["entities"]
    png = (tmp_path / "mini" / "confusion_matrix.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_cli_malformed_yaml_names_file_and_line(small_bot: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    (bad / "data").mkdir(parents=True)
    (bad / "data" / "nlu.yml").write_text(
        "nlu:\n- intent: x\n  examples: |\n    - [坏(amount)\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["train", "--bot", str(bad), "--models", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "nlu.yml:4" in result.output
    assert "NLU003" in result.output
    assert "[text](entity)" in result.output  # the hint survives verbatim
