from __future__ import annotations

from pathlib import Path

import pytest

from nlu.errors import TrainingDataError
from nlu.training_data import load_training_data, parse_annotated_example

GOOD = """version: "3.1"
nlu:
- intent: redeem
  examples: |
    - 我要赎回[五万](amount)
    - 把[鸡金](product_type:基金)卖了
    - 赎回[两千]{"entity": "amount", "role": "from", "group": "1"}
- intent: greet
  examples:
    - text: 你好
    - 早上好
- synonym: 基金
  examples: |
    - 鸡金
- regex: fund_code
  examples: |
    - \\d{6}
- lookup: product
  examples: |
    - 稳健一号
    - 成长二号
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_loader_reads_intents_entities_synonyms_regexes_lookups(tmp_path: Path) -> None:
    data = load_training_data([write(tmp_path, "nlu.yml", GOOD)])
    assert data.intents == ["greet", "redeem"]
    first = data.examples[0]
    assert first.text == "我要赎回五万"
    assert first.entities[0].entity == "amount"
    assert first.text[first.entities[0].start : first.entities[0].end] == "五万"
    assert first.source is not None and first.source.line == 5
    assert data.examples[1].entities[0].value == "基金"
    role_entity = data.examples[2].entities[0]
    assert (role_entity.role, role_entity.group) == ("from", "1")
    assert data.synonyms == {"鸡金": "基金"}
    assert data.regexes == {"fund_code": ["\\d{6}"]}
    assert data.lookups["product"] == ["稳健一号", "成长二号"]
    assert "稳健一号" in data.domain_words()


def test_loader_merges_several_files_in_a_folder(tmp_path: Path) -> None:
    write(tmp_path, "a.yml", GOOD)
    write(tmp_path, "b.yml", "nlu:\n- intent: goodbye\n  examples: |\n    - 再见\n")
    write(tmp_path, "domain.yml", "intents:\n- greet\n")  # no nlu key: skipped
    data = load_training_data([tmp_path])
    assert data.intents == ["goodbye", "greet", "redeem"]


@pytest.mark.parametrize(
    ("content", "line", "code"),
    [
        ("nlu:\n- intent: x\n  examples: |\n    - ok\n    - 坏[五万(amount)\n", 5, "NLU003"),
        ("nlu:\n- intent: x\n  examples: |\n    - ok\n   bad: [\n", 5, "NLU002"),
        ('nlu:\n- intent: x\n  examples: |\n    - [五万]{"entity": amount}\n', 4, "NLU004"),
        ("nlu:\n- intent: x\n", 2, "NLU006"),
        ("nlu:\n- intent: x\n  examples: |\n    - ok\n    no dash here\n", 5, "NLU006"),
        ("nlu:\n- regex: r\n  examples: |\n    - ([a-\n", 4, "NLU007"),
    ],
    ids=["unclosed-bracket", "bad-yaml", "bad-json-annotation", "no-examples", "no-dash", "bad-regex"],
)
def test_loader_error_names_file_and_line(tmp_path: Path, content: str, line: int, code: str) -> None:
    path = write(tmp_path, "bad.yml", content)
    with pytest.raises(TrainingDataError) as info:
        load_training_data([path])
    assert info.value.path == str(path)
    assert info.value.line == line
    assert info.value.code == code
    assert f"bad.yml:{line}" in str(info.value)


def test_loader_rejects_unknown_entity_with_location(tmp_path: Path) -> None:
    path = write(tmp_path, "nlu.yml", GOOD)
    with pytest.raises(TrainingDataError) as info:
        load_training_data([path], known_entities=["product_type"])
    assert info.value.code == "NLU008"
    assert info.value.line == 5
    assert "amount" in str(info.value)


def test_annotation_parser_handles_several_entities() -> None:
    text, entities = parse_annotated_example("[三个月](term)后赎回[10w](amount)")
    assert text == "三个月后赎回10w"
    assert [(e.entity, text[e.start : e.end]) for e in entities] == [("term", "三个月"), ("amount", "10w")]
