from __future__ import annotations

from pathlib import Path

import pytest

from channels.touch import TemplateBook, TemplateError, TouchChannel
from channels.touch.templates import FORBIDDEN_PHRASES, SMS_OPT_OUT


@pytest.fixture(scope="module")
def book() -> TemplateBook:
    return TemplateBook.load()


def test_template_book_shipped_templates_are_compliant(book: TemplateBook) -> None:
    assert {t.channel for t in book} == set(TouchChannel)
    for template in book:
        wording = f"{template.title or ''}{template.text}"
        assert not any(phrase in wording for phrase in FORBIDDEN_PHRASES), template.template_id
        if template.channel is TouchChannel.SMS:
            assert template.text.endswith(SMS_OPT_OUT), template.template_id
        if "{product}" in wording:  # a named product always comes with the risk notice
            assert "理财有风险" in wording, template.template_id


def test_template_render_fills_variables(book: TemplateBook) -> None:
    content = book.render(
        "purchase_resume_h5", TouchChannel.H5, {"product": "稳健一号", "order_id": "A1001", "unused": "x"}
    )
    assert content.text.startswith("稳健一号的订单还未完成支付。")
    assert content.url == "https://m.example.com/orders/A1001"
    assert content.title == "您有一笔待支付订单"


@pytest.mark.parametrize("variables", [{}, {"name": "张先生", "product": ""}], ids=["none", "empty-product"])
def test_template_render_missing_variable_is_named(book: TemplateBook, variables: dict[str, str]) -> None:
    with pytest.raises(TemplateError, match="purchase_resume_sms.*missing variable.*product"):
        book.render("purchase_resume_sms", TouchChannel.SMS, variables)


def test_template_render_refuses_another_channel(book: TemplateBook) -> None:
    with pytest.raises(TemplateError, match="is for sms, not push"):
        book.render("bind_card_reminder_sms", TouchChannel.PUSH, {"name": "张先生"})


def test_template_unknown_id_lists_the_known_ones(book: TemplateBook) -> None:
    with pytest.raises(TemplateError, match="unknown template 'nope'; known: .*activation_link_sms"):
        book.get("nope")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("channel: sms\n    text: '【财富服务】{name}您好，请绑卡。'", "opt-out text"),
        ("channel: push\n    text: '本产品保本保息，稳赚不赔'", "promises returns"),
        ("channel: h5\n    text: '继续测评'", "needs a 'url'"),
        ("channel: fax\n    text: '您好'", "channel must be one of sms, push, h5"),
        ("channel: push\n    text: '您好'\n    sender: bank", "unknown key"),
        ("channel: push", "'text' is missing"),
    ],
    ids=["sms-no-opt-out", "promised-return", "h5-no-url", "bad-channel", "unknown-key", "no-text"],
)
def test_template_load_rejects_bad_templates_with_file_and_line(
    tmp_path: Path, body: str, problem: str
) -> None:
    path = tmp_path / "templates.yml"
    path.write_text(
        f"version: '1'\ntemplates:\n  ok_push:\n    channel: push\n    text: 您好\n  bad:\n    {body}\n"
    )
    with pytest.raises(TemplateError) as error:
        TemplateBook.load(path)
    assert f"{path}:6: template 'bad'" in str(error.value)
    assert problem in str(error.value)


@pytest.mark.parametrize(
    "content", ["templates: [1, 2]", "templates:\n  a: {channel: push\n"], ids=["not-a-mapping", "bad-yaml"]
)
def test_template_load_rejects_bad_files(tmp_path: Path, content: str) -> None:
    path = tmp_path / "templates.yml"
    path.write_text(content)
    with pytest.raises(TemplateError, match=str(path)):
        TemplateBook.load(path)
