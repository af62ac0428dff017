from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.faq import (
    DuplicateFaqIdError,
    FaqEntry,
    FaqOutcome,
    FaqRetriever,
    FaqService,
    FaqStore,
    dump_faqs,
)


@pytest.fixture
def service(warm_retriever: FaqRetriever, tmp_path: Path) -> FaqService:
    empty = FaqRetriever(warm_retriever.encoder, warm_retriever.matcher, warm_retriever.thresholds)
    return FaqService(FaqStore(f"sqlite:///{tmp_path / 'faq.db'}"), empty)


def test_service_import_serves_and_export_round_trips(
    service: FaqService, small_faq: tuple[FaqEntry, ...], tmp_path: Path
) -> None:
    dump_faqs(small_faq, tmp_path / "in.xlsx")
    assert service.import_file(tmp_path / "in.xlsx") == len(small_faq)
    assert service.ask("交易密码忘记了咋办").best.entry.faq_id == "reset_trade_password"
    assert service.export_file(tmp_path / "out.yml") == len(small_faq)
    with pytest.raises(DuplicateFaqIdError):
        service.import_file(tmp_path / "out.yml")


def test_service_writes_go_to_store_and_index(service: FaqService, small_faq: tuple[FaqEntry, ...]) -> None:
    entry = next(e for e in small_faq if e.faq_id == "sip_setup")
    service.add(entry)
    assert service.ask("定头怎么开通").outcome is FaqOutcome.ANSWER
    service.update(entry.replace(paraphrases=("开通定投",)))
    assert service.store.get("sip_setup").paraphrases == ("开通定投",)
    service.delete("sip_setup")
    assert service.ask("定头怎么开通").outcome is FaqOutcome.NO_ANSWER
    assert len(service.store) == 0


def test_service_loads_existing_store(
    warm_retriever: FaqRetriever, small_faq: tuple[FaqEntry, ...], tmp_path: Path
) -> None:
    store = FaqStore(f"sqlite:///{tmp_path / 'faq.db'}")
    store.add_many(list(small_faq))
    fresh = FaqRetriever(warm_retriever.encoder, warm_retriever.matcher, warm_retriever.thresholds)
    service = FaqService(store, fresh)
    assert len(service.retriever) == len(small_faq)
    assert service.ask("净值啥时候出").best.entry.faq_id == "nav_update_time"
