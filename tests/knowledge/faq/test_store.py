from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from knowledge.faq import (
    DuplicateFaqIdError,
    FaqAnswer,
    FaqButton,
    FaqEntry,
    FaqError,
    FaqNotFoundError,
    FaqStatus,
    FaqStore,
)


def _roundtrip_checks(store: FaqStore, small_faq: tuple[FaqEntry, ...]) -> None:
    store.add_many(list(small_faq))
    assert len(store) == len(small_faq)
    assert store.get("redeem_arrival") == next(e for e in small_faq if e.faq_id == "redeem_arrival")
    edited = store.get("sip_stop").replace(answer=FaqAnswer("新的答案", (FaqButton("我的定投", "/my_sip"),)))
    store.update(edited)
    assert store.get("sip_stop") == edited
    store.delete("sip_stop")
    with pytest.raises(FaqNotFoundError):
        store.get("sip_stop")


def test_store_crud_on_sqlite_file(tmp_path: Path, small_faq: tuple[FaqEntry, ...]) -> None:
    store = FaqStore(f"sqlite:///{tmp_path / 'faq.db'}")
    _roundtrip_checks(store, small_faq)
    store.close()
    reopened = FaqStore(f"sqlite:///{tmp_path / 'faq.db'}")
    assert len(reopened) == len(small_faq) - 1


def test_store_crud_on_postgres(postgres_url: str, small_faq: tuple[FaqEntry, ...]) -> None:
    store = FaqStore(postgres_url)
    _roundtrip_checks(store, small_faq)
    with pytest.raises(DuplicateFaqIdError):
        store.add(small_faq[0])
    store.close()


def test_store_rejects_duplicate_ids(small_faq: tuple[FaqEntry, ...]) -> None:
    store = FaqStore("sqlite://")
    store.add(small_faq[0])
    with pytest.raises(DuplicateFaqIdError, match="redeem_arrival"):
        store.add(small_faq[0])
    with pytest.raises(DuplicateFaqIdError, match="repeated in the batch"):
        store.add_many([small_faq[1], small_faq[1]])
    with pytest.raises(DuplicateFaqIdError, match="already in the store"):
        store.add_many([small_faq[2], small_faq[0]])
    assert [e.faq_id for e in store.entries()] == ["redeem_arrival"]  # the failed batch wrote nothing


def test_store_update_and_delete_unknown_id_raise(small_faq: tuple[FaqEntry, ...]) -> None:
    store = FaqStore("sqlite://")
    with pytest.raises(FaqNotFoundError):
        store.update(small_faq[0])
    with pytest.raises(FaqNotFoundError):
        store.delete("nope")
    store.upsert(small_faq[0])
    store.upsert(small_faq[0].replace(question="赎回资金多久到账"))
    assert store.get("redeem_arrival").question == "赎回资金多久到账"


def test_store_servable_filters_status_and_window(small_faq: tuple[FaqEntry, ...]) -> None:
    store = FaqStore("sqlite://")
    store.add_many(list(small_faq))
    in_spring = {e.faq_id for e in store.servable(datetime(2026, 2, 1))}
    in_summer = {e.faq_id for e in store.servable(datetime(2026, 7, 1))}
    assert "spring_campaign" in in_spring and "spring_campaign" not in in_summer
    assert "draft_entry" not in in_spring | in_summer
    assert store.get("draft_entry").status is FaqStatus.DRAFT


def test_store_keeps_sql_looking_text_literally() -> None:
    store = FaqStore("sqlite://")
    nasty = "'; DROP TABLE faq_entries; --"
    store.add(FaqEntry("sql_text", nasty, FaqAnswer(nasty)))
    assert store.get("sql_text").question == nasty
    assert len(store) == 1


def test_store_bad_url_raises_faq_error() -> None:
    with pytest.raises(FaqError, match="cannot open the FAQ store"):
        FaqStore("sqlite:////nonexistent-dir/deeper/faq.db")
