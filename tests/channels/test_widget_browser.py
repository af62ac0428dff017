"""The chat widget end to end: the demo page in headless Chromium (Playwright) on a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (scripts/system_packages.sh)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def four_robot_server(chat_agent_factory: Any, chat_settings: Any, live_server_factory: Any) -> Iterator[Any]:
    """The demo page's four robots (one small bot answering under each name)."""
    from bots.server import create_app

    agents = {name: chat_agent_factory() for name in ("service", "advisory", "breakpoint", "outbound")}
    app = create_app({n: a.nlu for n, a in agents.items()}, agents=agents, settings=chat_settings)
    with live_server_factory(app) as server:
        yield server


@pytest.fixture
def page(browser: Any, chat_server: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 420, "height": 860}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.goto(chat_server.url + "/")
    opened.wait_for_selector(".wb-widget.wb-online")
    yield opened
    context.close()
    assert errors == [], errors


def say(page: Any, text: str, expect: str) -> None:
    """Type a message, press Enter, wait for the bot's answer."""
    box = page.get_by_label("输入消息")
    box.fill(text)
    box.press("Enter")
    bot_reply(page, expect).wait_for()


def bot_reply(page: Any, text: str) -> Any:
    return page.locator(".wb-bot .wb-text", has_text=text)


def user_texts(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".wb-user .wb-text").all_inner_texts()]


def bot_texts(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".wb-bot .wb-text").all_inner_texts()]


def test_widget_demo_page_serves_widget_and_lists_robots(chat_server: Any) -> None:
    page = httpx.get(chat_server.url + "/", timeout=10)
    assert page.status_code == 200 and "财富管理对话机器人" in page.text
    assert 'data-bots="wealth_mini"' in page.text
    script = httpx.get(chat_server.url + "/widget/wealthbot-widget.js", timeout=10)
    assert script.status_code == 200
    assert not any(
        sink in script.text for sink in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write")
    )
    assert httpx.get(chat_server.url + "/widget/wealthbot-widget.css", timeout=10).status_code == 200


def test_widget_chats_a_form_clicks_a_button_and_escapes_bot_html(page: Any, hostile_text: str) -> None:
    assert page.get_by_role("tab", name="wealth_mini").get_attribute("aria-selected") == "true"
    # the demo page logs in as the fictional demo customer: its id goes with every message
    assert page.evaluate("() => window.WealthbotWidget.instances[0].customerId") == "C10001"
    log = page.get_by_role("log")
    assert log.get_attribute("aria-live") == "polite"
    say(page, "我要赎回", "请问您要赎回哪只产品？")
    say(page, "稳健一号", "请问赎回多少金额？")
    say(page, "五万", "已为您登记赎回稳健一号，金额50000元。")
    # markup in bot text stays text: no element, no script run
    say(page, "查一下余额", "您的余额是")
    assert hostile_text in bot_texts(page)
    assert page.locator(".wb-log img[src='x']").count() == 0
    assert page.evaluate("() => window.__xss") is None
    card = page.locator(".wb-card")
    card.wait_for()
    assert "稳健一号" in card.inner_text() and "R2 中低风险" in card.inner_text()
    assert "【风险提示】" in card.locator(".wb-risk-notice").inner_text()
    assert page.locator(".wb-bot img.wb-image").count() == 1
    # a button sends its payload and shows its title
    page.get_by_role("button", name="谢谢").click()
    bot_reply(page, "不客气，很高兴为您服务。").wait_for()
    assert user_texts(page)[-1] == "谢谢"
    assert page.get_by_role("button", name="谢谢").is_disabled()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "widget.png"), full_page=True)


def test_widget_keyboard_sends_and_handoff_shows_human_state(page: Any) -> None:
    page.get_by_label("输入消息").focus()
    page.keyboard.type("qwxz bnmv 乱码")
    page.keyboard.press("Enter")
    bot_reply(page, "您是想问以下哪个问题呢？").wait_for()
    say(page, "plkj hgfd 乱码", "正在为您转接人工客服")
    banner = page.locator(".wb-handoff")
    banner.wait_for(state="visible")
    assert "转接人工客服" in banner.inner_text()
    page.reload()
    page.wait_for_selector(".wb-widget.wb-online")
    assert page.locator(".wb-handoff").is_visible()


def test_widget_restores_history_after_reload(page: Any) -> None:
    say(page, "你好", "您好，我是理财小助手")
    say(page, "我要赎回", "请问您要赎回哪只产品？")
    before_users, before_bots = user_texts(page), bot_texts(page)
    page.reload()
    page.wait_for_selector(".wb-widget.wb-online")
    assert user_texts(page) == before_users == ["你好", "我要赎回"]
    assert bot_texts(page) == before_bots
    # the form goes on where it was
    say(page, "成长二号", "请问赎回多少金额？")


def test_widget_recovers_from_a_killed_socket_without_duplicates(page: Any) -> None:
    say(page, "你好", "您好，我是理财小助手")
    # the socket dies right after a message leaves: no ack, maybe no reply
    page.evaluate(
        """() => {
            const widget = window.WealthbotWidget.instances[0];
            widget.send("我要赎回");
            widget.socket.close();
        }"""
    )
    bot_reply(page, "请问您要赎回哪只产品？").wait_for()
    page.wait_for_selector(".wb-widget.wb-online")
    say(page, "稳健一号", "请问赎回多少金额？")
    # killed while offline: the message waits, then goes once
    page.evaluate("() => window.WealthbotWidget.instances[0].socket.close()")
    say(page, "五万", "已为您登记赎回稳健一号")
    assert user_texts(page) == ["你好", "我要赎回", "稳健一号", "五万"]
    assert bot_texts(page) == [
        "您好，我是理财小助手，请问有什么可以帮您？",
        "请问您要赎回哪只产品？",
        "请问赎回多少金额？",
        "已为您登记赎回稳健一号，金额50000元。理财有风险，投资需谨慎。",
    ]
    assert page.locator(".wb-user.wb-pending").count() == 0


def test_widget_demo_page_shows_four_robots_with_keyboard_tabs(browser: Any, four_robot_server: Any) -> None:
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(four_robot_server.url + "/")
        tabs = page.get_by_role("tab")
        assert tabs.all_inner_texts() == ["客服机器人", "理财机器人", "断点机器人", "外呼机器人"]
        page.wait_for_selector(".wb-widget[data-bot='service'].wb-online")
        tabs.first.focus()
        page.keyboard.press("ArrowRight")
        assert page.get_by_role("tab", name="理财机器人").get_attribute("aria-selected") == "true"
        page.wait_for_selector(".wb-widget[data-bot='advisory'].wb-online")
        panel = page.get_by_role("tabpanel", name="理财机器人")
        panel.get_by_label("输入消息").fill("你好")
        panel.get_by_label("输入消息").press("Enter")
        panel.locator(".wb-bot .wb-text", has_text="您好").wait_for()
        assert page.locator(".wb-widget[data-bot='service']").is_hidden()
    finally:
        context.close()


def test_widget_one_script_tag_embeds_a_floating_chat(browser: Any, chat_server: Any) -> None:
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(chat_server.url + "/health")  # any page of the host's origin
        page.set_content(
            f'<main><h1>某银行网站</h1></main><script src="{chat_server.url}/widget/wealthbot-widget.js" '
            'data-bot="wealth_mini" data-title="智能客服"></script>'
        )
        launcher = page.get_by_role("button", name="打开智能客服聊天窗口")
        assert launcher.get_attribute("aria-expanded") == "false"
        launcher.click()
        assert launcher.get_attribute("aria-expanded") == "true"
        box = page.get_by_label("输入消息")
        assert box.evaluate("node => node === document.activeElement")
        page.wait_for_selector(".wb-widget.wb-online")
        box.fill("你好")
        box.press("Enter")
        bot_reply(page, "您好，我是理财小助手").wait_for()
        page.keyboard.press("Escape")
        assert page.locator(".wb-panel").is_hidden()
        assert launcher.evaluate("node => node === document.activeElement")
        assert page.locator("link[data-wealthbot-css]").count() == 1
    finally:
        context.close()
