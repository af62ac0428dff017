"""Shared fixtures: a small Chinese FAQ, the e5 encoder (once per session), a live retriever,
and a PostgreSQL server for the store test when one can be had (see ``scripts/services.sh``)."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from knowledge.faq import Channel, FaqAnswer, FaqButton, FaqEntry, FaqLink, FaqRetriever, FaqStatus
from knowledge.faq.defaults import new_retriever

SERVICES_SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "services.sh"


def _entry(faq_id: str, question: str, paraphrases: list[str], answer: str, **extra: Any) -> FaqEntry:
    return FaqEntry(faq_id, question, FaqAnswer(answer), tuple(paraphrases), **extra)


SMALL_FAQ: tuple[FaqEntry, ...] = (
    FaqEntry(
        "redeem_arrival",
        "赎回多久到账",
        FaqAnswer(
            "货币基金一般 T+1 个工作日到账，股票和债券基金一般 T+1 至 T+4 个工作日到账。",
            buttons=(FaqButton("查看赎回进度", "/check_redemption"),),
            links=(FaqLink("交易规则", "https://example.com/rules"),),
        ),
        ("赎回的钱什么时候到银行卡", "卖出基金后几天能到账", "赎回资金一般几天到", "基金赎回到账时间"),
        category="交易规则",
        tags=("赎回",),
        channel_answers={Channel.VOICE: "赎回一般一到四个工作日到账。", Channel.SMS: "赎回约T+1至T+4到账。"},
    ),
    _entry(
        "purchase_fee_rate",
        "申购费率是多少",
        ["买基金要收手续费吗", "申购费怎么收", "买入费率多少", "申购手续费"],
        "申购费率因产品而异，以产品详情页“费率”栏为准。",
    ),
    _entry(
        "redemption_fee_rate",
        "赎回要收多少手续费",
        ["卖出基金收费吗", "赎回费率是多少", "持有多久赎回不收费", "赎回手续费"],
        "持有不满 7 天一般收取 1.5% 的赎回费，持有越久费率越低。",
    ),
    _entry(
        "sip_setup",
        "怎么设置基金定投",
        ["定投怎么开通", "我想每个月自动买基金", "设置定投计划", "开通定投"],
        "在基金详情页点击“定投”，选择扣款周期、日期和金额即可。",
    ),
    _entry(
        "sip_stop",
        "怎么暂停或终止定投",
        ["不想定投了怎么取消", "停止定投计划", "取消定投", "暂停定投"],
        "进入“我的-定投计划”，选择计划后点击“暂停”或“终止”。",
    ),
    _entry(
        "reset_trade_password",
        "忘记交易密码怎么办",
        ["交易密码忘了", "支付密码忘记了怎么重置", "找回交易密码", "重设交易密码"],
        "进入“我的-设置-账户安全-忘记交易密码”，验证身份后重设。",
    ),
    _entry(
        "change_bank_card",
        "怎么更换绑定的银行卡",
        ["银行卡换了怎么改", "换绑银行卡", "解绑银行卡怎么操作", "更换收款银行卡"],
        "进入“我的-银行卡”，点击“更换银行卡”并验证身份即可。",
    ),
    _entry(
        "risk_assessment_how",
        "怎么做风险测评",
        ["风险评估在哪里做", "风险测评入口", "做风险承受能力评估", "风险测评怎么做"],
        "进入“我的-风险测评”，如实回答问卷即可评定风险承受能力等级。",
    ),
    _entry(
        "nav_update_time",
        "基金净值什么时候更新",
        ["净值几点出来", "净值更新时间", "收益几点更新", "基金什么时候公布净值"],
        "基金净值一般在交易日晚上 18:00 至 23:00 公布。",
    ),
    _entry(
        "holiday_trading",
        "节假日可以买卖基金吗",
        ["周末能不能申购基金", "节假日能赎回吗", "放假期间买基金", "周六周日可以交易吗"],
        "周末和节假日可以提交申请，顺延到下一个交易日处理。",
    ),
    _entry(
        "spring_campaign",
        "春节申购费优惠活动",
        ["春节有什么活动", "过年买基金有优惠吗"],
        "春节期间部分基金申购费 1 折，活动规则以页面为准。",
        valid_from=datetime(2026, 1, 20),
        valid_until=datetime(2026, 2, 20),
    ),
    _entry(
        "draft_entry",
        "基金投顾服务怎么收费",
        ["投顾服务费多少", "投顾怎么收费"],
        "投顾服务费按持仓市值每年 0.5% 收取。",
        status=FaqStatus.DRAFT,
    ),
)


@pytest.fixture(scope="session")
def small_faq() -> tuple[FaqEntry, ...]:
    """Twelve entries: ten published, one seasonal (valid Jan 20 - Feb 20, 2026), one draft."""
    return SMALL_FAQ


@pytest.fixture(scope="session")
def warm_retriever(small_faq: tuple[FaqEntry, ...]) -> FaqRetriever:
    """A retriever over the small FAQ with the shipped matcher; the encoder loads once here."""
    retriever = new_retriever()
    retriever.upsert_many(small_faq)
    return retriever


@pytest.fixture
def retriever(warm_retriever: FaqRetriever, small_faq: tuple[FaqEntry, ...]) -> FaqRetriever:
    """A fresh retriever a test may change (texts are embedded already: the encoder caches them)."""
    fresh = FaqRetriever(warm_retriever.encoder, warm_retriever.matcher, warm_retriever.thresholds)
    fresh.upsert_many(small_faq)
    return fresh


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A PostgreSQL server: ``WEALTHBOT_TEST_POSTGRES_URL``, or one started by scripts/services.sh."""
    if os.environ.get("WEALTHBOT_TEST_POSTGRES_URL"):
        yield os.environ["WEALTHBOT_TEST_POSTGRES_URL"]
        return
    done = subprocess.run(
        ["bash", str(SERVICES_SCRIPT), "start", "--no-install", "postgres"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        pytest.skip(f"no PostgreSQL server (set WEALTHBOT_TEST_POSTGRES_URL): {done.stderr.strip()[-200:]}")
    exports = dict(
        line.removeprefix("export ").split("=", 1)
        for line in done.stdout.splitlines()
        if line.startswith("export ")
    )
    try:
        yield exports["WEALTHBOT_TEST_POSTGRES_URL"]
    finally:
        folder = exports["WEALTHBOT_TEST_SERVICES_DIR"]
        subprocess.run(["bash", str(SERVICES_SCRIPT), "stop", folder], capture_output=True, timeout=60)


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh database on the server, dropped afterwards."""
    pytest.importorskip("psycopg")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"wbfaq_{uuid.uuid4().hex[:12]}"
    server = make_url(postgres_server_url).set(drivername="postgresql+psycopg")
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
