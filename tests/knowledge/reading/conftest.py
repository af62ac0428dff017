"""Fixtures for the reading tests: small documents in a folder, and the reader over the shipped ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.reading import DocumentReader, load_documents

PROSPECTUS = """---
id: prospectus_test_001
title: 测试稳健债券产品说明书
kind: prospectus
products: ['990001']
product_names: ['测试稳健债券', '稳健债']
date: 2025-01-02
---
# 测试稳健债券产品说明书

## 期限与封闭期
本产品封闭期为90天，封闭期内不可赎回。

## 起购金额
本产品起购金额为1000元，追加购买的最低金额为1元。

## 赎回到账时间
赎回款项将于T+3个工作日到账，遇节假日顺延。
"""

NEWS = """---
id: news_test_rrr
title: 央行宣布降准
kind: news
date: 2025-03-01
---
中国人民银行宣布下调存款准备金率0.5个百分点。此次降准预计释放长期流动性约1万亿元。

分析人士认为，降准有助于降低银行资金成本。
"""


@pytest.fixture
def documents_dir(tmp_path: Path) -> Path:
    """A folder with one prospectus and one news article."""
    (tmp_path / "prospectus.md").write_text(PROSPECTUS, encoding="utf-8")
    (tmp_path / "news.md").write_text(NEWS, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="session")
def shipped_reader() -> DocumentReader:
    """The reader over the shipped documents with the shipped span ranker (built once)."""
    return DocumentReader(load_documents())
